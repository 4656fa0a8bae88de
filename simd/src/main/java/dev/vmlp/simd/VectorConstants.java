package dev.vmlp.simd;

import dev.vmlp.internal.kernel.KernelProvider;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The species and the numbers derived from it, as {@code static final} constants so that C2 folds them
 * into the kernels. Kept apart from {@link VectorKernels} so that its checks run before any Vector API
 * class initialises (as in Lucene's {@code PanamaVectorConstants}).
 */
final class VectorConstants {
  /** Bits of the species: {@code -Dvmlp.vectorBits=128|256|512}, else the platform's preferred width. */
  static final int BITS = bits();
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED.vectorBitSize() == BITS
      ? FloatVector.SPECIES_PREFERRED
      : VectorSpecies.of(float.class, VectorShape.forBitSize(BITS));
  /** Floats per vector. */
  static final int L = S.length();
  /** Bytes per vector. */
  static final long VB = (long) L * Float.BYTES;
  /** Vectors per logical group of 16 lanes (1, 2 or 4). */
  static final int PER16 = 16 / L;
  static final ByteOrder NATIVE = ByteOrder.nativeOrder();
  /** {@code 0, 1, ..., 15} as floats: loaded, then compared, to mark one lane without a boxed mask. */
  static final float[] LANE_INDEX = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  /**
   * Whether C2 turns {@code IntVector.compress} and gathered loads into vector instructions, as the index
   * lists ({@link IndexLists}) need. Where it does not, both run as the Vector API's Java fallback and
   * allocate (1,400-1,600 bytes per 64-input prediction on x86 with {@code -XX:UseAVX=1}), so the lists
   * take their scalar loops, which give the same lists. See {@link #compressAndGather(String, int, int)}.
   */
  static final boolean COMPRESS_AND_GATHER = compressAndGather();

  private VectorConstants() {}

  /**
   * The rule behind {@link #COMPRESS_AND_GATHER}, for the JVM's {@code os.arch} and its HotSpot flags
   * {@code UseAVX} and {@code UseSVE} (-1 where the flag cannot be read): x86 needs AVX2 (not a CPU with
   * AVX and FMA but not AVX2, nor {@code -XX:UseAVX=1}); AArch64 needs SVE, as its gathers are SVE
   * instructions (NEON alone, as on Apple silicon, has none); any other architecture takes the scalar
   * loops. A flag that cannot be read counts as AVX2 on x86 (nearly every x86 with FMA has it) and as no
   * SVE on AArch64 (the common case there).
   */
  static boolean compressAndGather(String arch, int useAvx, int useSve) {
    return switch (arch) {
      case "amd64", "x86_64" -> useAvx < 0 || useAvx >= 2;
      case "aarch64" -> useSve >= 1;
      default -> false;
    };
  }

  private static boolean compressAndGather() {
    return compressAndGather(System.getProperty("os.arch", ""), intFlag("UseAVX"), intFlag("UseSVE"));
  }

  /** HotSpot's integer flag {@code name}, or -1 where it cannot be read (see {@link KernelProvider#hotSpotFlag}). */
  private static int intFlag(String name) {
    String value = KernelProvider.hotSpotFlag(name);
    try {
      return value == null ? -1 : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return -1; // not a number, which HotSpot does not give for these
    }
  }

  private static int bits() {
    String forced = System.getProperty("vmlp.vectorBits", "").trim();
    if (forced.isEmpty()) {
      return Math.min(512, FloatVector.SPECIES_PREFERRED.vectorBitSize());
    }
    return switch (forced) {
      case "128", "256", "512" -> Integer.parseInt(forced);
      default -> throw new IllegalArgumentException("-Dvmlp.vectorBits=" + forced + " is not one of 128, 256, 512");
    };
  }
}
