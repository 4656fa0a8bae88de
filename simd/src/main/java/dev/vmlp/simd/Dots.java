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

  /**
   * The transposed fold at 512 bits: sixteen 16-slot sets in, sixteen sums out, 45 operations instead
   * of 16 folds of 8. Each step pairs lanes at the same distances as {@link #fold16}, so every sum has
   * the same bits. Lane {@code i} of the result holds set {@code FOLD_ORDER[i]}.
   */
  // lane indexes into two vectors (16.. selects from the second) for selectFrom, one vpermi2ps each
  private static final float[] LO8 = {0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23};
  private static final float[] HI8 = {8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31};
  private static final float[] LO4 = {0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27};
  private static final float[] HI4 = {4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31};
  private static final float[] LO2 = {0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29};
  private static final float[] HI2 = {2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31};
  private static final float[] EVEN = {0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30};
  private static final float[] ODD = {1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31};
  static final int[] FOLD_ORDER = {0, 4, 2, 6, 1, 5, 3, 7, 8, 12, 10, 14, 9, 13, 11, 15};

  /** Per-thread staging of slot sets awaiting the transposed fold. */
  private static final ThreadLocal<Batch> BATCH = ThreadLocal.withInitial(Batch::new);

  private static final class Batch {
    final float[] sets = new float[16 * 16];
    final float[] sums = new float[16];
    final int[] dest = new int[16];
    int count;
  }

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

  /**
   * All chunk partials of {@code rows} rows over the chunks {@code [c0, c1)} at 512 bits: slot sets are
   * staged sixteen at a time and folded together.
   */
  static void chunkDots16(MemorySegment w, long strideBytes, int rows, float[] x, int n, int c0, int c1,
      float[] partials) {
    int len = dev.vmlp.internal.kernel.Layout.chunkLength(n);
    int chunks = dev.vmlp.internal.kernel.Layout.chunkCount(n);
    Batch batch = BATCH.get();
    batch.count = 0;
    for (int c = c0; c < c1; c++) {
      int start = c * len;
      int end = Math.min(start + len, n);
      int r = 0;
      for (; r + 4 <= rows; r += 4) {
        if (batch.count > 12) {
          foldBatch(batch, partials);
        }
        sets4(w, r * strideBytes, strideBytes, x, start, end, batch.sets, batch.count);
        for (int i = 0; i < 4; i++) {
          batch.dest[batch.count++] = (r + i) * chunks + c;
        }
      }
      for (; r < rows; r++) {
        if (batch.count == 16) {
          foldBatch(batch, partials);
        }
        sets1(w, r * strideBytes, x, start, end, batch.sets, batch.count);
        batch.dest[batch.count++] = r * chunks + c;
      }
    }
    if (batch.count > 0) {
      foldBatch(batch, partials);
    }
  }

  /** Folds the staged sets (stale ones beyond {@code count} are computed and dropped). */
  private static void foldBatch(Batch batch, float[] partials) {
    float[] t = batch.sets;
    FloatVector lo = FloatVector.fromArray(S, LO8, 0);
    FloatVector hi = FloatVector.fromArray(S, HI8, 0);
    FloatVector u0 = pair(t, 0, lo, hi);
    FloatVector u1 = pair(t, 2, lo, hi);
    FloatVector u2 = pair(t, 4, lo, hi);
    FloatVector u3 = pair(t, 6, lo, hi);
    FloatVector u4 = pair(t, 8, lo, hi);
    FloatVector u5 = pair(t, 10, lo, hi);
    FloatVector u6 = pair(t, 12, lo, hi);
    FloatVector u7 = pair(t, 14, lo, hi);
    lo = FloatVector.fromArray(S, LO4, 0);
    hi = FloatVector.fromArray(S, HI4, 0);
    FloatVector v0 = lo.selectFrom(u0, u1).add(hi.selectFrom(u0, u1));
    FloatVector v1 = lo.selectFrom(u2, u3).add(hi.selectFrom(u2, u3));
    FloatVector v2 = lo.selectFrom(u4, u5).add(hi.selectFrom(u4, u5));
    FloatVector v3 = lo.selectFrom(u6, u7).add(hi.selectFrom(u6, u7));
    lo = FloatVector.fromArray(S, LO2, 0);
    hi = FloatVector.fromArray(S, HI2, 0);
    FloatVector w0 = lo.selectFrom(v0, v1).add(hi.selectFrom(v0, v1));
    FloatVector w1 = lo.selectFrom(v2, v3).add(hi.selectFrom(v2, v3));
    lo = FloatVector.fromArray(S, EVEN, 0);
    hi = FloatVector.fromArray(S, ODD, 0);
    lo.selectFrom(w0, w1).add(hi.selectFrom(w0, w1)).intoArray(batch.sums, 0);
    for (int i = 0; i < 16; i++) {
      int set = FOLD_ORDER[i];
      if (set < batch.count) {
        partials[batch.dest[set]] = batch.sums[i];
      }
    }
    batch.count = 0;
  }

  /** Distance-8 step of sets {@code i} and {@code i+1}: lanes 0-7 from the first, 8-15 from the second. */
  private static FloatVector pair(float[] t, int i, FloatVector lo, FloatVector hi) {
    FloatVector a = FloatVector.fromArray(S, t, i * 16);
    FloatVector b = FloatVector.fromArray(S, t, i * 16 + 16);
    return lo.selectFrom(a, b).add(hi.selectFrom(a, b));
  }

  /** Stages the slot set {@code A + B} of one row over a chunk at {@code sets[at * 16]} (512 bits). */
  private static void sets1(MemorySegment w, long row, float[] x, int start, int end, float[] sets, int at) {
    FloatVector a = FloatVector.zero(S);
    FloatVector b = a;
    int j = start;
    for (; j + 32 <= end; j += 32) {
      long off = row + (long) j * Float.BYTES;
      a = load(w, off).fma(FloatVector.fromArray(S, x, j), a);
      b = load(w, off + 64).fma(FloatVector.fromArray(S, x, j + 16), b);
    }
    if (j < end) {
      a = load(w, row + (long) j * Float.BYTES).fma(FloatVector.fromArray(S, x, j), a);
    }
    a.add(b).intoArray(sets, at * 16);
  }

  /** Stages the slot sets of four rows over a chunk, sharing the input loads (512 bits). */
  private static void sets4(MemorySegment w, long row0, long strideBytes, float[] x, int start, int end,
      float[] sets, int at) {
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
    a0.add(b0).intoArray(sets, at * 16);
    a1.add(b1).intoArray(sets, at * 16 + 16);
    a2.add(b2).intoArray(sets, at * 16 + 32);
    a3.add(b3).intoArray(sets, at * 16 + 48);
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

  /** All chunk partials at 256 or 128 bits: one row at a time, each folded on its own. */
  static void chunkDotsRows(MemorySegment w, long strideBytes, int rows, float[] x, int n, int c0, int c1,
      float[] partials) {
    int len = dev.vmlp.internal.kernel.Layout.chunkLength(n);
    int chunks = dev.vmlp.internal.kernel.Layout.chunkCount(n);
    for (int c = c0; c < c1; c++) {
      int start = c * len;
      int end = Math.min(start + len, n);
      for (int r = 0; r < rows; r++) {
        partials[r * chunks + c] = chunk1(w, r * strideBytes, x, start, end);
      }
    }
  }
}
