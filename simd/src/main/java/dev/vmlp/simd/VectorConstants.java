package dev.vmlp.simd;

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
   * lists ({@link IndexLists}) need: not on x86 without AVX2 ({@code -XX:UseAVX=1}, or a CPU with AVX and
   * FMA but not AVX2), where both run as the Vector API's Java fallback and allocated 1,400-1,600 bytes
   * per 64-input prediction. Read from HotSpot's {@code UseAVX}; assumed where it cannot be read.
   */
  static final boolean COMPRESS_AND_GATHER = compressAndGather();

  private VectorConstants() {}

  private static boolean compressAndGather() {
    try {
      return HotSpotFlags.compressAndGather();
    } catch (LinkageError | RuntimeException e) {
      return true; // no java.management or jdk.management (a jlinked runtime): assume the common case
    }
  }

  /** Kept apart so that a runtime without {@code jdk.management} fails only here, where it is caught. */
  private static final class HotSpotFlags {
    static boolean compressAndGather() {
      com.sun.management.HotSpotDiagnosticMXBean vm = java.lang.management.ManagementFactory.getPlatformMXBean(
          com.sun.management.HotSpotDiagnosticMXBean.class);
      if (vm == null) {
        return true;
      }
      try {
        return Integer.parseInt(vm.getVMOption("UseAVX").getValue()) >= 2;
      } catch (IllegalArgumentException e) {
        return true; // not an x86 JVM (or not a number, which HotSpot does not give)
      }
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
