package dev.vmlp.internal.kernel;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import dev.vmlp.Activation;
import java.lang.foreign.MemorySegment;

/**
 * The scalar reference kernels: plain loops that perform exactly the operation sequence each
 * {@link Kernels} method specifies. The vector kernels are tested bit for bit against these. The loops
 * over a row's columns go one column block at a time, whose part of the row is contiguous: the address
 * of its first column comes from {@link Layout#index}, the others are the next floats.
 */
public final class ScalarKernels implements Kernels {
  /** The one instance. */
  public static final ScalarKernels INSTANCE = new ScalarKernels();

  /** Per-thread slots for the fixed-order sums, so that no call allocates. */
  private static final ThreadLocal<float[]> SLOTS = ThreadLocal.withInitial(() -> new float[2 * Layout.LANES]);

  private ScalarKernels() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public int nonZeros(float[] x, int off, int n, int[] nz) {
    return appendNonZeros(x, off, 0, n, nz, 0);
  }

  /**
   * {@link #nonZeros} from input {@code from} on, appending to a list that already holds {@code count}
   * entries (the vector kernels' tail).
   *
   * @param nz modified at {@code [count, count + n - from)}
   * @return the new count
   */
  public static int appendNonZeros(float[] x, int off, int from, int n, int[] nz, int count) {
    int k = count;
    for (int j = from; j < n; j++) {
      // branch-free append: write always, advance when non-zero
      nz[k] = j;
      k += x[off + j] != 0f ? 1 : 0;
    }
    return k;
  }

  @Override
  public int zerosAt(int[] rows, int off, int len, float[] x, int xOff, int[] out) {
    return appendZerosAt(rows, off, off + len, x, xOff, out, 0);
  }

  /**
   * {@link #zerosAt} over {@code rows[from..to)}, appending to a list that already holds {@code count}
   * entries (the vector kernels' tail).
   *
   * @param out modified at {@code [count, count + to - from)}
   * @return the new count
   */
  public static int appendZerosAt(int[] rows, int from, int to, float[] x, int xOff, int[] out, int count) {
    int n = count;
    for (int k = from; k < to; k++) {
      // branch-free, as above: the pattern is the data's, which no predictor could learn
      int j = rows[k];
      out[n] = j;
      n += x[xOff + j] == 0f ? 1 : 0;
    }
    return n;
  }

  @Override
  public int vectorBits() {
    return 0;
  }

  private static float get(MemorySegment w, long index) {
    return w.getAtIndex(JAVA_FLOAT, index);
  }

  private static void set(MemorySegment w, long index, float v) {
    w.setAtIndex(JAVA_FLOAT, index, v);
  }

  @Override
  public void forwardInputMajor(
      MemorySegment wt, int block, float[] x, int xOff, int n, float[] b, float[] z, int o0, int o1) {
    java.util.Arrays.fill(z, o0, o1, 0f);
    for (int j = 0; j < n; j++) {
      axpyRow(wt, n, block, j, x[xOff + j], z, o0, o1);
    }
    addBias(b, z, o0, o1);
  }

  @Override
  public void forwardInputMajorSparse(
      MemorySegment wt, int block, int n, float[] x, int xOff, int[] nz, int nzOff, int nzLen, float[] b, float[] z,
      int o0, int o1) {
    java.util.Arrays.fill(z, o0, o1, 0f);
    for (int k = nzOff; k < nzOff + nzLen; k++) {
      int j = nz[k];
      axpyRow(wt, n, block, j, x[xOff + j], z, o0, o1);
    }
    addBias(b, z, o0, o1);
  }

  private static void axpyRow(MemorySegment wt, int n, int block, int j, float xj, float[] acc, int o0, int o1) {
    for (int o = o0; o < o1; ) {
      // Wt[j][o] is at base + o up to the end of o's column block: no division per weight
      long base = Layout.index(n, block, j, o) - o;
      for (int end = blockEnd(o, o1, block); o < end; o++) {
        acc[o] = Math.fma(xj, get(wt, base + o), acc[o]);
      }
    }
  }

  /** End of the column block of width {@code block} that holds column {@code c}, at most {@code to}. */
  private static int blockEnd(int c, int to, int block) {
    return c + Math.min(to - c, block - c % block);
  }

  private static void addBias(float[] b, float[] z, int o0, int o1) {
    for (int o = o0; o < o1; o++) {
      z[o] = z[o] + b[o];
    }
  }

  @Override
  public void updateInputMajor(MemorySegment wt, int block, float[] x, int xOff, int n, float[] g, int o0, int o1) {
    for (int j = 0; j < n; j++) {
      updateRow(wt, n, block, j, x[xOff + j], g, o0, o1);
    }
  }

  @Override
  public void updateInputMajorSparse(
      MemorySegment wt, int block, int n, float[] x, int xOff, int[] nz, int nzOff, int nzLen, float[] g, int o0,
      int o1) {
    for (int k = nzOff; k < nzOff + nzLen; k++) {
      int j = nz[k];
      updateRow(wt, n, block, j, x[xOff + j], g, o0, o1);
    }
  }

  private static void updateRow(MemorySegment wt, int n, int block, int j, float xj, float[] g, int o0, int o1) {
    if (xj == 0f) {
      return; // a zero input changes no weight
    }
    for (int o = o0; o < o1; ) {
      long base = Layout.index(n, block, j, o) - o; // as in axpyRow
      for (int end = blockEnd(o, o1, block); o < end; o++) {
        set(wt, base + o, Math.fma(g[o], xj, get(wt, base + o)));
      }
    }
  }

  @Override
  public void updateForwardInputMajor(
      MemorySegment wt, int block, float[] xPrev, int prevOff, float[] g, float[] xNext, int nextOff, int n,
      float[] b, float[] z, int o0, int o1) {
    java.util.Arrays.fill(z, o0, o1, 0f);
    for (int j = 0; j < n; j++) {
      float xp = xPrev[prevOff + j];
      float xn = xNext[nextOff + j];
      for (int o = o0; o < o1; ) {
        long base = Layout.index(n, block, j, o) - o; // as in axpyRow
        for (int end = blockEnd(o, o1, block); o < end; o++) {
          float w = get(wt, base + o);
          if (xp != 0f) {
            w = Math.fma(g[o], xp, w);
            set(wt, base + o, w);
          }
          z[o] = Math.fma(xn, w, z[o]);
        }
      }
    }
    addBias(b, z, o0, o1);
  }

  @Override
  public void updateForwardInputMajorSparse(
      MemorySegment wt, int block, int n, float[] xPrev, int prevOff, float[] g, float[] xNext, int nextOff,
      int[] nz, int nzOff, int nzLen, float[] b, float[] z, int o0, int o1) {
    java.util.Arrays.fill(z, o0, o1, 0f);
    for (int k = nzOff; k < nzOff + nzLen; k++) {
      int j = nz[k];
      updateRow(wt, n, block, j, xPrev[prevOff + j], g, o0, o1);
      axpyRow(wt, n, block, j, xNext[nextOff + j], z, o0, o1);
    }
    addBias(b, z, o0, o1);
  }

  @Override
  public void chunkDots(MemorySegment w, int rows, float[] x, int n, int c0, int c1, float[] partials) {
    int len = Layout.chunkLength(n);
    int chunks = Layout.chunkCount(n);
    float[] slots = SLOTS.get(); // [0, 16): A (even groups), [16, 32): B (odd groups)
    for (int r = 0; r < rows; r++) {
      for (int c = c0; c < c1; c++) {
        java.util.Arrays.fill(slots, 0f);
        int start = c * len;
        int end = Math.min(start + len, n);
        // the blocks are the chunks, so W[r][j] is at row + j across the whole chunk
        long row = Layout.index(rows, len, r, start) - start;
        for (int j = start, group = 0; j < end; j += Layout.LANES, group++) {
          int base = (group & 1) * Layout.LANES;
          for (int k = 0; k < Layout.LANES; k++) {
            slots[base + k] = Math.fma(get(w, row + j + k), x[j + k], slots[base + k]);
          }
        }
        for (int k = 0; k < Layout.LANES; k++) {
          slots[k] = slots[k] + slots[Layout.LANES + k];
        }
        partials[r * chunks + c] = fold16(slots);
      }
    }
  }

  /**
   * The fixed reduction tree of 16 slots: {@code t[k] += t[k+8]}, then {@code +4}, {@code +2},
   * {@code +1}. Modifies {@code t}.
   */
  public static float fold16(float[] t) {
    for (int half = Layout.LANES / 2; half >= 1; half >>= 1) {
      for (int k = 0; k < half; k++) {
        t[k] = t[k] + t[k + half];
      }
    }
    return t[0];
  }

  @Override
  public void backwardUpdateOutputMajor(
      MemorySegment w, int block, int rows, float[] s, float[] g, float[] x, float[] delta, int j0, int j1) {
    if (delta != null) {
      java.util.Arrays.fill(delta, j0, j1, 0f);
    }
    for (int r = 0; r < rows; r++) {
      float sr = s[r];
      float gr = g[r];
      for (int j = j0; j < j1; ) {
        long base = Layout.index(rows, block, r, j) - j; // as in axpyRow
        for (int end = blockEnd(j, j1, block); j < end; j++) {
          float old = get(w, base + j);
          if (delta != null) {
            delta[j] = Math.fma(sr, old, delta[j]);
          }
          set(w, base + j, Math.fma(gr, x[j], old));
        }
      }
    }
  }

  @Override
  public void activate(Activation a, float[] z, float[] o, int from, int to) {
    switch (a) {
      case IDENTITY -> System.arraycopy(z, from, o, from, to - from);
      case RELU -> {
        for (int i = from; i < to; i++) {
          o[i] = Math.max(z[i], 0f);
        }
      }
      case LEAKY_RELU -> {
        for (int i = from; i < to; i++) {
          o[i] = z[i] > 0f ? z[i] : Activation.LEAKY_SLOPE * z[i];
        }
      }
      case SIGMOID -> {
        for (int i = from; i < to; i++) {
          o[i] = ExpMath.sigmoid(z[i]);
        }
      }
      case TANH -> {
        for (int i = from; i < to; i++) {
          o[i] = ExpMath.tanh(z[i]);
        }
      }
    }
  }

  @Override
  public void activationGradient(Activation a, float[] z, float[] o, float[] delta, float[] s, int from, int to) {
    switch (a) {
      case IDENTITY -> System.arraycopy(delta, from, s, from, to - from);
      case RELU -> {
        for (int i = from; i < to; i++) {
          s[i] = z[i] > 0f ? delta[i] : 0f;
        }
      }
      case LEAKY_RELU -> {
        for (int i = from; i < to; i++) {
          s[i] = z[i] > 0f ? delta[i] : delta[i] * Activation.LEAKY_SLOPE;
        }
      }
      case SIGMOID -> {
        for (int i = from; i < to; i++) {
          s[i] = delta[i] * (o[i] * (1f - o[i]));
        }
      }
      case TANH -> {
        for (int i = from; i < to; i++) {
          s[i] = delta[i] * Math.fma(-o[i], o[i], 1f);
        }
      }
    }
  }

  @Override
  public double softmax(float[] z, int n, int label, float[] p, float[] s) {
    float m = z[0];
    for (int i = 1; i < n; i++) {
      m = Math.max(m, z[i]);
    }
    float[] slots = SLOTS.get();
    java.util.Arrays.fill(slots, 0, Layout.LANES, 0f);
    for (int i = 0; i < n; i++) {
      float e = ExpMath.expNonPositive(z[i] - m);
      p[i] = e;
      slots[i & (Layout.LANES - 1)] = slots[i & (Layout.LANES - 1)] + e;
    }
    float sum = fold16(slots);
    for (int i = 0; i < n; i++) {
      p[i] = p[i] / sum;
    }
    if (s != null) {
      for (int i = 0; i < n; i++) {
        s[i] = i == label ? p[i] - 1f : p[i];
      }
    }
    return logLoss(m, sum, z, label);
  }

  /**
   * The log loss {@code -z[label] + max + log S} from the softmax's {@code max} and
   * {@code S = sum exp(z - max)}, in double from {@link ExpMath#log}; with {@code label < 0}, the
   * log-sum-exp alone.
   */
  public static double logLoss(float max, float sum, float[] z, int label) {
    double logSum = ExpMath.log(sum);
    return label >= 0 ? ((double) max - (double) z[label]) + logSum : (double) max + logSum;
  }
}
