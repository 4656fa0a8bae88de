package dev.vmlp.jmh.peers;

import dev.vmlp.Dataset;
import dev.vmlp.data.Digits;
import dev.vmlp.jmh.MnistLike;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Shapes, seeded random data and the MNIST-like sample pool shared by every peer. */
final class PeerData {
  /** Samples in the training pool, cycled through by the step benchmarks. */
  static final int POOL = 1024;
  static final long SEED = 0x5EED_0F_9EE25L;

  private static float[][] poolX;
  private static int[] poolY;

  private PeerData() {}

  /** {@code "INxOUT"} as {@code {in, out}}. */
  static int[] shape(String shape) {
    String[] p = shape.split("x");
    if (p.length != 2) {
      throw new IllegalArgumentException("shape must be INxOUT, got " + shape);
    }
    return new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())};
  }

  /** {@code "784-256-10"} as layer sizes, input first. */
  static int[] net(String net) {
    int[] sizes = Arrays.stream(net.split("-")).mapToInt(t -> Integer.parseInt(t.trim())).toArray();
    if (sizes.length < 2) {
      throw new IllegalArgumentException("net must be IN-...-OUT, got " + net);
    }
    return sizes;
  }

  /** {@code n} floats uniform in {@code [lo, hi)}. */
  static float[] uniform(SplittableRandom rnd, int n, double lo, double hi) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (lo + (hi - lo) * rnd.nextDouble());
    }
    return a;
  }

  /** Glorot-uniform weights per layer, row-major {@code out x in}, from {@link #SEED}. */
  static float[][] glorot(int[] sizes) {
    SplittableRandom rnd = new SplittableRandom(SEED);
    float[][] w = new float[sizes.length - 1][];
    for (int l = 0; l < w.length; l++) {
      double r = Math.sqrt(6.0 / (sizes[l] + sizes[l + 1]));
      w[l] = uniform(rnd, sizes[l] * sizes[l + 1], -r, r);
    }
    return w;
  }

  /** Small random biases per layer, from a seed of their own. */
  static float[][] biases(int[] sizes) {
    SplittableRandom rnd = new SplittableRandom(SEED + 1);
    float[][] b = new float[sizes.length - 1][];
    for (int l = 0; l < b.length; l++) {
      b[l] = uniform(rnd, sizes[l + 1], -0.01, 0.01);
    }
    return b;
  }

  /** Row-major {@code rows x cols} to column-major (the transpose's row-major form). */
  static float[] transpose(float[] a, int rows, int cols) {
    float[] t = new float[a.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = a[r * cols + c];
      }
    }
    return t;
  }

  /**
   * {@link #POOL} MNIST-like 28x28 samples scaled to [0, 1] (about 19% non-zero pixels), each its own
   * array of 784 floats; the same for every caller.
   */
  static synchronized float[][] poolX() {
    makePool();
    return poolX;
  }

  /** The labels 0..9 of {@link #poolX()}. */
  static synchronized int[] poolY() {
    makePool();
    return poolY;
  }

  private static void makePool() {
    if (poolX != null) {
      return;
    }
    Dataset d = MnistLike.generate(Digits.load().train(), POOL, SEED, "peers");
    float[][] x = new float[POOL][];
    int[] y = new int[POOL];
    for (int i = 0; i < POOL; i++) {
      float[] row = d.row(i);
      for (int j = 0; j < row.length; j++) {
        row[j] /= 255f;
      }
      x[i] = row;
      y[i] = d.label(i);
    }
    poolX = x;
    poolY = y;
  }
}
