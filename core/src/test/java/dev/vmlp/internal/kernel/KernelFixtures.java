package dev.vmlp.internal.kernel;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

/** Random kernel inputs with the zeros, signed zeros and padding that real layers have. */
public final class KernelFixtures {
  private KernelFixtures() {}

  /**
   * An aligned {@code rows x cols} matrix in column blocks of {@code block} floats
   * ({@link Layout#index}; {@code cols} padded to 16, the last block whole), filled from {@code rnd};
   * padding stays 0.
   */
  public static MemorySegment weights(Random rnd, int rows, int cols, int block) {
    long floats = Layout.blockedSize(rows, Layout.pad(cols), block);
    MemorySegment w = Arena.ofAuto().allocate(floats * Float.BYTES, Layout.ALIGN_BYTES);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        // some exact zeros of both signs, as after ReLU-sparse training
        int kind = rnd.nextInt(20);
        float v = kind == 0 ? 0f : kind == 1 ? -0f : (float) (rnd.nextGaussian() * 0.1);
        w.setAtIndex(JAVA_FLOAT, Layout.index(rows, block, r, c), v);
      }
    }
    return w;
  }

  /** The block width of a first layer of {@code out} units followed by another layer. */
  public static int firstBlock(int out) {
    return Layout.chunkLength(Layout.pad(out));
  }

  /** A copy of a segment (same alignment). */
  public static MemorySegment copy(MemorySegment w) {
    MemorySegment c = Arena.ofAuto().allocate(w.byteSize(), Layout.ALIGN_BYTES);
    c.copyFrom(w);
    return c;
  }

  /**
   * A vector of {@code n} values (zero-padded to {@code pad}) with about {@code zeroShare} zeros, some
   * of them -0.
   */
  public static float[] vector(Random rnd, int n, int pad, double zeroShare) {
    float[] v = new float[pad];
    for (int i = 0; i < n; i++) {
      double u = rnd.nextDouble();
      v[i] = u < zeroShare / 2 ? 0f : u < zeroShare ? -0f : (float) rnd.nextGaussian();
    }
    return v;
  }

  /** The entries of {@code a} (ascending) that {@code b} lacks, in order. */
  public static int[] without(int[] a, int[] b) {
    return java.util.Arrays.stream(a).filter(j -> java.util.Arrays.binarySearch(b, j) < 0).toArray();
  }

  /** Raw bits of every float, so that -0 and +0 (and NaN payloads) differ. */
  public static int[] bits(float[] v) {
    int[] r = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      r[i] = Float.floatToRawIntBits(v[i]);
    }
    return r;
  }

  /** Indices of the non-zero values of {@code x[0..n)} (either sign of zero counts as zero). */
  public static int[] nonZeros(float[] x, int n) {
    return java.util.stream.IntStream.range(0, n).filter(i -> x[i] != 0f).toArray();
  }

  public static float[] toArray(MemorySegment w) {
    return w.toArray(JAVA_FLOAT);
  }

  /**
   * The {@link Kernels#chunkDots} partial of row {@code r} and chunk {@code c} as its javadoc spells it
   * out, one weight at a time at {@link Layout#index}: 16 slots for the even groups of 16 inputs in the
   * chunk and 16 for the odd ones, added slot-wise, then folded in the fixed tree.
   */
  public static float chunkDot(MemorySegment w, int rows, int len, float[] x, int n, int r, int c) {
    float[] t = new float[2 * Layout.LANES];
    for (int j = c * len, group = 0; j < Math.min((c + 1) * len, n); j += Layout.LANES, group++) {
      for (int k = 0; k < Layout.LANES; k++) {
        int slot = (group % 2) * Layout.LANES + k;
        t[slot] = Math.fma(w.getAtIndex(JAVA_FLOAT, Layout.index(rows, len, r, j + k)), x[j + k], t[slot]);
      }
    }
    for (int k = 0; k < Layout.LANES; k++) {
      t[k] = t[k] + t[Layout.LANES + k];
    }
    for (int half = 8; half >= 1; half /= 2) {
      for (int k = 0; k < half; k++) {
        t[k] = t[k] + t[k + half];
      }
    }
    return t[0];
  }
}
