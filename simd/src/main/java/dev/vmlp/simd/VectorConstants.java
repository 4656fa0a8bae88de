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

  private VectorConstants() {}

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
