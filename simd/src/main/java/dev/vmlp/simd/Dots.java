package dev.vmlp.simd;

import static dev.vmlp.simd.VectorConstants.L;
import static dev.vmlp.simd.VectorConstants.NATIVE;
import static dev.vmlp.simd.VectorConstants.PER16;
import static dev.vmlp.simd.VectorConstants.S;

import dev.vmlp.internal.kernel.Layout;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;

/**
 * Chunk partial dot products of output-major rows in the fixed order of
 * {@link dev.vmlp.internal.kernel.Kernels#chunkDots}: 32 slots (16 for even, 16 for odd groups of 16
 * inputs), added slot-wise, then folded pairwise at distances 8, 4, 2, 1. A 16-slot set is one vector
 * at 512 bits, two at 256 and four at 128; {@code L} and {@code PER16} are constants, so C2 keeps only
 * the branch of the running width.
 */
final class Dots {
  static final VectorShuffle<Float> SWAP8 = L > 8 ? VectorShuffle.fromOp(S, i -> i ^ 8) : null;
  static final VectorShuffle<Float> SWAP4 = L > 4 ? VectorShuffle.fromOp(S, i -> i ^ 4) : null;
  static final VectorShuffle<Float> SWAP2 = VectorShuffle.fromOp(S, i -> i ^ 2);
  static final VectorShuffle<Float> SWAP1 = VectorShuffle.fromOp(S, i -> i ^ 1);

  /**
   * The transposed fold at 512 bits ({@link Tiles#dots}): eight 16-slot sets in, eight sums out, in
   * 24 operations instead of 8 folds of 8. Each step pairs lanes at the same distances as the fold of
   * {@link dev.vmlp.internal.kernel.ScalarKernels#fold16}, so every sum has the same bits. Set {@code 2i + j} is row {@code i}, chunk {@code j}
   * of a group; lane {@code l} of the result holds set {@code [0, 4, 2, 6, 1, 5, 3, 7][l]}.
   */
  // lane indexes into two vectors (16.. selects from the second) for selectFrom, one vpermi2ps each
  static final float[] LO8 = {0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23};
  static final float[] HI8 = {8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31};
  static final float[] LO4 = {0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27};
  static final float[] HI4 = {4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31};
  static final float[] LO2 = {0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29};
  static final float[] HI2 = {2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31};
  static final float[] EVEN = {0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30};
  static final float[] ODD = {1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31};

  private Dots() {}

  private static FloatVector load(MemorySegment w, long at) {
    return FloatVector.fromMemorySegment(S, w, at, NATIVE);
  }

  /**
   * All chunk partials of {@code rows} rows over the chunks {@code [c0, c1)} at 512 bits. With 64-float
   * chunks, whole tiles of 4 rows by 2 chunks and then of 2 rows by 2 chunks cover as much as they can
   * (10 output rows over 4 chunks: six tiles, no rows wasted); {@link Tiles#dots} takes the rest.
   */
  static void chunkDots16(MemorySegment w, int rows, float[] x, int n, int c0, int c1, float[] partials) {
    int len = Layout.chunkLength(n);
    int chunks = Layout.chunkCount(n);
    int r4 = 0; // rows [0, r4) x chunks [c0, p2) done by 4x2 tiles
    int p2 = c0;
    int r2 = 0; // rows [r4, r4 + r2) x chunks [c0, p2) done by 2x2 tiles
    if (len == 64) {
      int whole = Math.max(c0, Math.min(c1, n / 64)); // chunks [c0, whole) are 64 inputs long
      p2 = c0 + ((whole - c0) & -2);
      if (p2 > c0) {
        r4 = rows & -4;
        r2 = (rows - r4) & -2;
        if (r4 > 0) {
          Tiles.dots64x4x2(w, rows, x, chunks, 0, r4, c0, p2, partials);
        }
        if (r2 > 0) {
          Tiles.dots64x2x2(w, rows, x, chunks, r4, r4 + r2, c0, p2, partials);
        }
      }
    }
    if (r4 + r2 > 0 && p2 < c1) {
      Tiles.dots(w, rows, x, n, len, chunks, 0, r4 + r2, p2, c1, partials);
    }
    if (r4 + r2 < rows) {
      Tiles.dots(w, rows, x, n, len, chunks, r4 + r2, rows, c0, c1, partials);
    }
  }

  /**
   * One row's partial over the chunk {@code [start, end)} of the input, whose weights start at byte
   * {@code row} (the chunk's block, then the row in it).
   */
  static float chunk1(MemorySegment w, long row, float[] x, int start, int end) {
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    FloatVector a4 = a0;
    FloatVector a5 = a0;
    FloatVector a6 = a0;
    FloatVector a7 = a0;
    int j = start;
    // accumulator p takes the vectors at offsets p*L (mod 32) of each 32-input step:
    // the first 16/L are the even group's slots (A), the rest the odd group's (B)
    for (; j + 32 <= end; j += 32) {
      long at = row + (long) (j - start) * Float.BYTES;
      a0 = load(w, at).fma(FloatVector.fromArray(S, x, j), a0);
      a1 = load(w, at + 4L * L).fma(FloatVector.fromArray(S, x, j + L), a1);
      if (L <= 8) {
        a2 = load(w, at + 8L * L).fma(FloatVector.fromArray(S, x, j + 2 * L), a2);
        a3 = load(w, at + 12L * L).fma(FloatVector.fromArray(S, x, j + 3 * L), a3);
      }
      if (L == 4) {
        a4 = load(w, at + 16L * L).fma(FloatVector.fromArray(S, x, j + 4 * L), a4);
        a5 = load(w, at + 20L * L).fma(FloatVector.fromArray(S, x, j + 5 * L), a5);
        a6 = load(w, at + 24L * L).fma(FloatVector.fromArray(S, x, j + 6 * L), a6);
        a7 = load(w, at + 28L * L).fma(FloatVector.fromArray(S, x, j + 7 * L), a7);
      }
    }
    if (j < end) {
      // a last, even group of 16
      long at = row + (long) (j - start) * Float.BYTES;
      a0 = load(w, at).fma(FloatVector.fromArray(S, x, j), a0);
      if (L <= 8) {
        a1 = load(w, at + 4L * L).fma(FloatVector.fromArray(S, x, j + L), a1);
      }
      if (L == 4) {
        a2 = load(w, at + 8L * L).fma(FloatVector.fromArray(S, x, j + 2 * L), a2);
        a3 = load(w, at + 12L * L).fma(FloatVector.fromArray(S, x, j + 3 * L), a3);
      }
    }
    // A + B, then the 16-slot fold (ScalarKernels.fold16), written out so that no vector crosses a call
    FloatVector t;
    if (PER16 == 1) {
      t = a0.add(a1);
      t = t.add(t.rearrange(SWAP8));
      t = t.add(t.rearrange(SWAP4));
    } else if (PER16 == 2) {
      t = a0.add(a2).add(a1.add(a3));
      t = t.add(t.rearrange(SWAP4));
    } else {
      t = a0.add(a4).add(a2.add(a6)).add(a1.add(a5).add(a3.add(a7)));
    }
    t = t.add(t.rearrange(SWAP2));
    t = t.add(t.rearrange(SWAP1));
    return t.lane(0);
  }

  /** All chunk partials at 256 or 128 bits: one row at a time, each folded on its own. */
  static void chunkDotsRows(MemorySegment w, int rows, float[] x, int n, int c0, int c1, float[] partials) {
    int len = Layout.chunkLength(n);
    int chunks = Layout.chunkCount(n);
    long rowBytes = (long) len * Float.BYTES;
    for (int c = c0; c < c1; c++) {
      int start = c * len;
      int end = Math.min(start + len, n);
      long blockStart = (long) c * rows * rowBytes;
      for (int r = 0; r < rows; r++) {
        partials[r * chunks + c] = chunk1(w, blockStart + r * rowBytes, x, start, end);
      }
    }
  }
}
