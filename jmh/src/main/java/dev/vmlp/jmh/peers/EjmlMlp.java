package dev.vmlp.jmh.peers;

import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.mult.VectorVectorMult_FDRM;

/**
 * The MLP written with EJML's single-precision dense row-major operations: {@code W} is an
 * {@code out x in} {@link FMatrixRMaj}, vectors are {@code n x 1} matrices.
 */
final class EjmlMlp implements PeerMlp {
  private final int layers;
  private final float negLr;
  private final FMatrixRMaj[] w;
  private final FMatrixRMaj[] b;
  private final FMatrixRMaj[] z;
  /** {@code a[0]} wraps the sample; {@code a[l]} for l >= 1 is relu(z[l-1]). */
  private final FMatrixRMaj[] a;
  private final FMatrixRMaj[] s;
  private final FMatrixRMaj[] d;

  EjmlMlp(int[] sizes, float[][] weights, float[][] biases, float learningRate) {
    layers = sizes.length - 1;
    negLr = -learningRate;
    w = new FMatrixRMaj[layers];
    b = new FMatrixRMaj[layers];
    z = new FMatrixRMaj[layers];
    a = new FMatrixRMaj[layers];
    s = new FMatrixRMaj[layers];
    d = new FMatrixRMaj[layers];
    for (int l = 0; l < layers; l++) {
      int in = sizes[l];
      int out = sizes[l + 1];
      w[l] = new FMatrixRMaj(out, in);
      System.arraycopy(weights[l], 0, w[l].data, 0, out * in);
      b[l] = new FMatrixRMaj(out, 1);
      System.arraycopy(biases[l], 0, b[l].data, 0, out);
      z[l] = new FMatrixRMaj(out, 1);
      a[l] = new FMatrixRMaj(in, 1);
      s[l] = new FMatrixRMaj(out, 1);
      d[l] = new FMatrixRMaj(out, 1);
    }
  }

  /** {@code z = W x + b}. */
  static void forward(FMatrixRMaj w, FMatrixRMaj x, FMatrixRMaj b, FMatrixRMaj z) {
    z.setTo(b);
    CommonOps_FDRM.multAdd(w, x, z);
  }

  /** {@code d = Wᵀ s}. */
  static void transposed(FMatrixRMaj w, FMatrixRMaj s, FMatrixRMaj d) {
    CommonOps_FDRM.multTransA(w, s, d);
  }

  /** {@code W += alpha s xᵀ}. */
  static void rank1(float alpha, FMatrixRMaj s, FMatrixRMaj x, FMatrixRMaj w) {
    VectorVectorMult_FDRM.addOuterProd(alpha, s, x, w);
  }

  @Override
  public double step(float[] x, int label) {
    a[0].data = x; // the sample itself, no copy
    for (int l = 0; l < layers; l++) {
      forward(w[l], a[l], b[l], z[l]);
      if (l + 1 < layers) {
        Activations.relu(z[l].data, a[l + 1].data, z[l].numRows);
      }
    }
    int last = layers - 1;
    double loss = Activations.softmaxXent(z[last].data, z[last].numRows, label, s[last].data);
    for (int l = last; l >= 0; l--) {
      if (l > 0) {
        transposed(w[l], s[l], d[l - 1]);
        Activations.reluGrad(d[l - 1].data, z[l - 1].data, s[l - 1].data, z[l - 1].numRows);
      }
      rank1(negLr, s[l], a[l], w[l]);
      CommonOps_FDRM.addEquals(b[l], negLr, s[l]);
    }
    return loss;
  }

  @Override
  public float[] weights(int l) {
    return w[l].data.clone();
  }

  @Override
  public float[] biases(int l) {
    return b[l].data.clone();
  }
}
