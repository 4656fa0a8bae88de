package dev.vmlp.jmh.peers;

import dev.ludovic.netlib.blas.BLAS;

/**
 * The MLP written with dev.ludovic.netlib's BLAS ({@code sgemv}, {@code sger}, {@code saxpy}), whichever
 * implementation is passed in: the pure-Java {@code JavaBLAS} or the JNI {@code NativeBLAS}.
 *
 * <p>BLAS is column-major, so a layer's {@code out x in} weight matrix can be stored two ways, both
 * natural for a BLAS caller; {@link Layout} picks one, and each product then takes the other
 * {@code trans} flag.
 */
final class NetlibMlp implements PeerMlp {
  /** How {@code W} ({@code out x in}) lies in the {@code float[]}. */
  enum Layout {
    /**
     * {@code W} row-major ({@code W[o*in + i]}), as EJML and vmlp keep it: to BLAS this is the
     * column-major {@code in x out} matrix {@code Wᵀ} with {@code lda = in}; {@code Wx} is
     * {@code sgemv("T")}, {@code Wᵀs} is {@code sgemv("N")}, and contiguous runs are {@code in} long.
     */
    ROW_MAJOR,
    /**
     * {@code W} column-major ({@code W[i*out + o]}, {@code lda = out}), the Fortran convention:
     * {@code Wx} is {@code sgemv("N")}, {@code Wᵀs} is {@code sgemv("T")}, runs are {@code out} long.
     */
    COL_MAJOR;

    static Layout parse(String s) {
      return switch (s) {
        case "rowMajor" -> ROW_MAJOR;
        case "colMajor" -> COL_MAJOR;
        default -> throw new IllegalArgumentException("layout must be rowMajor or colMajor, got " + s);
      };
    }

    /** The {@code out x in} row-major {@code w} in this layout. */
    float[] store(float[] w, int in, int out) {
      return this == ROW_MAJOR ? w.clone() : PeerData.transpose(w, out, in);
    }

    /** This layout's {@code w} back to {@code out x in} row-major. */
    float[] rowMajor(float[] w, int in, int out) {
      return this == ROW_MAJOR ? w.clone() : PeerData.transpose(w, in, out);
    }
  }

  private final BLAS blas;
  private final Layout layout;
  private final int layers;
  private final int[] sizes;
  private final float negLr;
  private final float[][] w;
  private final float[][] b;
  private final float[][] z;
  /** {@code a[0]} is the sample; {@code a[l]} for l >= 1 is relu(z[l-1]). */
  private final float[][] a;
  private final float[][] s;
  private final float[][] d;

  NetlibMlp(BLAS blas, Layout layout, int[] sizes, float[][] weights, float[][] biases, float learningRate) {
    this.blas = blas;
    this.layout = layout;
    this.sizes = sizes.clone();
    layers = sizes.length - 1;
    negLr = -learningRate;
    w = new float[layers][];
    b = new float[layers][];
    z = new float[layers][];
    a = new float[layers][];
    s = new float[layers][];
    d = new float[layers][];
    for (int l = 0; l < layers; l++) {
      int in = sizes[l];
      int out = sizes[l + 1];
      w[l] = layout.store(weights[l], in, out);
      b[l] = biases[l].clone();
      z[l] = new float[out];
      a[l] = new float[in];
      s[l] = new float[out];
      d[l] = new float[out];
    }
  }

  /** {@code z = W x + b}: the bias copied in, then {@code sgemv} with {@code beta = 1}. */
  static void forward(BLAS blas, Layout layout, int in, int out, float[] w, float[] x, float[] b, float[] z) {
    System.arraycopy(b, 0, z, 0, out);
    if (layout == Layout.ROW_MAJOR) {
      blas.sgemv("T", in, out, 1f, w, in, x, 1, 1f, z, 1);
    } else {
      blas.sgemv("N", out, in, 1f, w, out, x, 1, 1f, z, 1);
    }
  }

  /** {@code d = Wᵀ s}. */
  static void transposed(BLAS blas, Layout layout, int in, int out, float[] w, float[] s, float[] d) {
    if (layout == Layout.ROW_MAJOR) {
      blas.sgemv("N", in, out, 1f, w, in, s, 1, 0f, d, 1);
    } else {
      blas.sgemv("T", out, in, 1f, w, out, s, 1, 0f, d, 1);
    }
  }

  /** {@code W += alpha s xᵀ} ({@code sger}). */
  static void rank1(BLAS blas, Layout layout, int in, int out, float alpha, float[] s, float[] x, float[] w) {
    if (layout == Layout.ROW_MAJOR) {
      blas.sger(in, out, alpha, x, 1, s, 1, w, in);
    } else {
      blas.sger(out, in, alpha, s, 1, x, 1, w, out);
    }
  }

  @Override
  public double step(float[] x, int label) {
    a[0] = x; // the sample itself, no copy
    for (int l = 0; l < layers; l++) {
      forward(blas, layout, sizes[l], sizes[l + 1], w[l], a[l], b[l], z[l]);
      if (l + 1 < layers) {
        Activations.relu(z[l], a[l + 1], sizes[l + 1]);
      }
    }
    int last = layers - 1;
    double loss = Activations.softmaxXent(z[last], sizes[layers], label, s[last]);
    for (int l = last; l >= 0; l--) {
      int in = sizes[l];
      int out = sizes[l + 1];
      if (l > 0) {
        transposed(blas, layout, in, out, w[l], s[l], d[l - 1]);
        Activations.reluGrad(d[l - 1], z[l - 1], s[l - 1], in);
      }
      rank1(blas, layout, in, out, negLr, s[l], a[l], w[l]);
      blas.saxpy(out, negLr, s[l], 1, b[l], 1);
    }
    return loss;
  }

  @Override
  public float[] weights(int l) {
    return layout.rowMajor(w[l], sizes[l], sizes[l + 1]);
  }

  @Override
  public float[] biases(int l) {
    return b[l].clone();
  }
}
