package dev.vmlp.simd;

import static dev.vmlp.simd.VectorConstants.L;
import static dev.vmlp.simd.VectorConstants.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The list of non-zero inputs ({@link dev.vmlp.internal.kernel.Kernels#nonZeros}) a vector at a time:
 * compare with zero, compress the lane indexes of the non-zero lanes to the front (one
 * {@code vpcompressd} with AVX-512, a permutation table with AVX2), store the whole vector at the
 * list's end and advance by the mask's count. The scalar loop carries the count from one element to
 * the next and took a quarter of a 784-256-10 prediction.
 */
final class NonZeros {
  static final VectorSpecies<Integer> IS = S.withLanes(int.class);
  static final int[] LANES = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

  private NonZeros() {}

  static int nonZeros(float[] x, int off, int n, int[] nz) {
    int k = 0;
    int j = 0;
    IntVector index = IntVector.fromArray(IS, LANES, 0);
    // a whole vector lands at nz[k .. k+L), inside [0, j+L) ⊆ [0, n) because k <= j
    for (; j <= n - L; j += L) {
      VectorMask<Integer> keep = FloatVector.fromArray(S, x, off + j).compare(VectorOperators.NE, 0f).cast(IS);
      index.compress(keep).intoArray(nz, k);
      k += keep.trueCount();
      index = index.add(L);
    }
    for (; j < n; j++) {
      nz[k] = j;
      k += x[off + j] != 0f ? 1 : 0;
    }
    return k;
  }
}
