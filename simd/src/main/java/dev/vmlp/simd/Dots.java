package dev.vmlp.simd;

import static dev.vmlp.simd.VectorConstants.L;
import static dev.vmlp.simd.VectorConstants.NATIVE;
import static dev.vmlp.simd.VectorConstants.PER16;
import static dev.vmlp.simd.VectorConstants.S;

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
  private static final VectorShuffle<Float> SWAP8 = L > 8 ? VectorShuffle.fromOp(S, i -> i ^ 8) : null;
  private static final VectorShuffle<Float> SWAP4 = L > 4 ? VectorShuffle.fromOp(S, i -> i ^ 4) : null;
  private static final VectorShuffle<Float> SWAP2 = VectorShuffle.fromOp(S, i -> i ^ 2);
  private static final VectorShuffle<Float> SWAP1 = VectorShuffle.fromOp(S, i -> i ^ 1);

  private Dots() {}

  private static FloatVector load(MemorySegment w, long at) {
    return FloatVector.fromMemorySegment(S, w, at, NATIVE);
  }

  /**
   * Folds 16 logical slots held in {@code PER16} vectors ({@code v0} lanes 0.., {@code v1} next, ...):
   * {@code t[k] += t[k+8]}, then 4, 2, 1; returns {@code t[0]}.
   */
  static float fold16(FloatVector v0, FloatVector v1, FloatVector v2, FloatVector v3) {
    FloatVector t;
    if (PER16 == 1) {
      t = v0.add(v0.rearrange(SWAP8));
      t = t.add(t.rearrange(SWAP4));
    } else if (PER16 == 2) {
      t = v0.add(v1);
      t = t.add(t.rearrange(SWAP4));
    } else {
      t = v0.add(v2).add(v1.add(v3));
    }
    t = t.add(t.rearrange(SWAP2));
    t = t.add(t.rearrange(SWAP1));
    return t.lane(0);
  }

  /** One row's partial over the chunk {@code [start, end)} of the input. */
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
      long at = row + (long) j * Float.BYTES;
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
      long at = row + (long) j * Float.BYTES;
      a0 = load(w, at).fma(FloatVector.fromArray(S, x, j), a0);
      if (L <= 8) {
        a1 = load(w, at + 4L * L).fma(FloatVector.fromArray(S, x, j + L), a1);
      }
      if (L == 4) {
        a2 = load(w, at + 8L * L).fma(FloatVector.fromArray(S, x, j + 2 * L), a2);
        a3 = load(w, at + 12L * L).fma(FloatVector.fromArray(S, x, j + 3 * L), a3);
      }
    }
    if (PER16 == 1) {
      return fold16(a0.add(a1), null, null, null);
    } else if (PER16 == 2) {
      return fold16(a0.add(a2), a1.add(a3), null, null);
    } else {
      return fold16(a0.add(a4), a1.add(a5), a2.add(a6), a3.add(a7));
    }
  }

  /**
   * Four rows' partials over one chunk, sharing the input loads; at 256 and 128 bits the rows run one
   * by one (their slot sets need more registers than four rows leave).
   */
  static void chunk4(MemorySegment w, long strideBytes, int r, float[] x, int start, int end, float[] partials,
      int chunks, int c) {
    long row0 = r * strideBytes;
    if (L != 16) {
      for (int i = 0; i < 4; i++) {
        partials[(r + i) * chunks + c] = chunk1(w, row0 + i * strideBytes, x, start, end);
      }
      return;
    }
    long row1 = row0 + strideBytes;
    long row2 = row1 + strideBytes;
    long row3 = row2 + strideBytes;
    FloatVector a0 = FloatVector.zero(S);
    FloatVector b0 = a0;
    FloatVector a1 = a0;
    FloatVector b1 = a0;
    FloatVector a2 = a0;
    FloatVector b2 = a0;
    FloatVector a3 = a0;
    FloatVector b3 = a0;
    int j = start;
    for (; j + 32 <= end; j += 32) {
      FloatVector xa = FloatVector.fromArray(S, x, j);
      FloatVector xb = FloatVector.fromArray(S, x, j + 16);
      long off = (long) j * Float.BYTES;
      a0 = load(w, row0 + off).fma(xa, a0);
      b0 = load(w, row0 + off + 64).fma(xb, b0);
      a1 = load(w, row1 + off).fma(xa, a1);
      b1 = load(w, row1 + off + 64).fma(xb, b1);
      a2 = load(w, row2 + off).fma(xa, a2);
      b2 = load(w, row2 + off + 64).fma(xb, b2);
      a3 = load(w, row3 + off).fma(xa, a3);
      b3 = load(w, row3 + off + 64).fma(xb, b3);
    }
    if (j < end) {
      FloatVector xa = FloatVector.fromArray(S, x, j);
      long off = (long) j * Float.BYTES;
      a0 = load(w, row0 + off).fma(xa, a0);
      a1 = load(w, row1 + off).fma(xa, a1);
      a2 = load(w, row2 + off).fma(xa, a2);
      a3 = load(w, row3 + off).fma(xa, a3);
    }
    partials[r * chunks + c] = fold16(a0.add(b0), null, null, null);
    partials[(r + 1) * chunks + c] = fold16(a1.add(b1), null, null, null);
    partials[(r + 2) * chunks + c] = fold16(a2.add(b2), null, null, null);
    partials[(r + 3) * chunks + c] = fold16(a3.add(b3), null, null, null);
  }
}
