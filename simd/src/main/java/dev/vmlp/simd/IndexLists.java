package dev.vmlp.simd;

import static dev.vmlp.simd.VectorConstants.L;
import static dev.vmlp.simd.VectorConstants.S;

import dev.vmlp.internal.kernel.ScalarKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The index lists of the sparse path ({@link dev.vmlp.internal.kernel.Kernels#nonZeros},
 * {@link dev.vmlp.internal.kernel.Kernels#zerosAt}) a vector at a time: compare with zero, compress the
 * kept lanes' indexes to the front (one {@code vpcompressd} with AVX-512, a permutation table with
 * AVX2), store the whole vector at the list's end and advance by the mask's count. The scalar loops
 * carry the count from one element to the next; the first took a quarter of a 784-256-10 prediction.
 * The last partial vector goes to those scalar loops, and the whole list does where C2 has no vector
 * instructions for the compress and the gather ({@link VectorConstants#COMPRESS_AND_GATHER}).
 */
final class IndexLists {
  static final VectorSpecies<Integer> IS = S.withLanes(int.class);
  static final int[] LANES = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

  private IndexLists() {}

  static int nonZeros(float[] x, int off, int n, int[] nz) {
    if (!VectorConstants.COMPRESS_AND_GATHER) {
      return ScalarKernels.appendNonZeros(x, off, 0, n, nz, 0);
    }
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
    return ScalarKernels.appendNonZeros(x, off, j, n, nz, k);
  }

  static int zerosAt(int[] rows, int off, int len, float[] x, int xOff, int[] out) {
    if (!VectorConstants.COMPRESS_AND_GATHER) {
      return ScalarKernels.appendZerosAt(rows, off, off + len, x, xOff, out, 0);
    }
    int n = 0;
    int k = 0;
    // as above: out[n .. n+L) lies inside [0, k+L) ⊆ [0, len) because n <= k
    for (; k <= len - L; k += L) {
      FloatVector v = FloatVector.fromArray(S, x, xOff, rows, off + k); // a gather
      VectorMask<Integer> keep = v.compare(VectorOperators.EQ, 0f).cast(IS);
      IntVector.fromArray(IS, rows, off + k).compress(keep).intoArray(out, n);
      n += keep.trueCount();
    }
    return ScalarKernels.appendZerosAt(rows, off + k, off + len, x, xOff, out, n);
  }
}
