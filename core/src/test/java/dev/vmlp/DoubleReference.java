package dev.vmlp;

import java.util.List;

/**
 * A straightforward double-precision MLP with hand-written backpropagation, independent of the
 * library's kernels and layouts: the oracle for gradient checks.
 */
final class DoubleReference {
  final Architecture arch;
  final double[][][] w; // [layer][out][in]
  final double[][] b; // [layer][out]

  DoubleReference(Architecture arch, List<LayerWeights> weights) {
    this.arch = arch;
    int layers = arch.layerCount();
    w = new double[layers][][];
    b = new double[layers][];
    for (int l = 0; l < layers; l++) {
      LayerWeights lw = weights.get(l);
      w[l] = new double[lw.outputs()][lw.inputs()];
      b[l] = new double[lw.outputs()];
      for (int o = 0; o < lw.outputs(); o++) {
        for (int i = 0; i < lw.inputs(); i++) {
          w[l][o][i] = lw.weight(o, i);
        }
        b[l][o] = lw.bias()[o];
      }
    }
  }

  static double act(Activation a, double z) {
    return switch (a) {
      case IDENTITY -> z;
      case SIGMOID -> 1 / (1 + Math.exp(-z));
      case TANH -> Math.tanh(z);
      case RELU -> z > 0 ? z : 0;
      case LEAKY_RELU -> z > 0 ? z : Activation.LEAKY_SLOPE * z;
    };
  }

  static double deriv(Activation a, double z) {
    return switch (a) {
      case IDENTITY -> 1;
      case SIGMOID -> {
        double s = 1 / (1 + Math.exp(-z));
        yield s * (1 - s);
      }
      case TANH -> {
        double t = Math.tanh(z);
        yield 1 - t * t;
      }
      case RELU -> z > 0 ? 1 : 0;
      case LEAKY_RELU -> z > 0 ? 1 : Activation.LEAKY_SLOPE;
    };
  }

  /** Pre-activations of every layer. */
  double[][] forward(double[] x) {
    int layers = arch.layerCount();
    double[][] z = new double[layers][];
    double[] in = x;
    for (int l = 0; l < layers; l++) {
      z[l] = new double[w[l].length];
      double[] out = new double[w[l].length];
      for (int o = 0; o < w[l].length; o++) {
        double s = b[l][o];
        for (int i = 0; i < in.length; i++) {
          s += w[l][o][i] * in[i];
        }
        z[l][o] = s;
        out[o] = act(arch.activation(l), s);
      }
      in = out;
    }
    return z;
  }

  /** The loss of one sample: softmax cross-entropy from a stable log-sum-exp, or half squared error. */
  double loss(double[] x, int label, double[] target) {
    double[] z = forward(x)[arch.layerCount() - 1];
    if (arch.head().classifies()) {
      return logSumExp(z) - z[label];
    }
    double s = 0;
    for (int i = 0; i < z.length; i++) {
      s += (z[i] - target[i]) * (z[i] - target[i]);
    }
    return 0.5 * s;
  }

  static double logSumExp(double[] z) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      m = Math.max(m, v);
    }
    double s = 0;
    for (double v : z) {
      s += Math.exp(v - m);
    }
    return m + Math.log(s);
  }

  /** Gradients of the loss: {@code [0]} weights {@code [layer][out][in]}, {@code [1]} biases. */
  double[][][][] gradients(double[] x, int label, double[] target) {
    int layers = arch.layerCount();
    double[][] z = forward(x);
    double[][] o = new double[layers][];
    for (int l = 0; l < layers; l++) {
      o[l] = new double[z[l].length];
      for (int i = 0; i < z[l].length; i++) {
        o[l][i] = act(arch.activation(l), z[l][i]);
      }
    }
    double[] s = new double[z[layers - 1].length];
    double[] zl = z[layers - 1];
    if (arch.head().classifies()) {
      double lse = logSumExp(zl);
      for (int i = 0; i < s.length; i++) {
        s[i] = Math.exp(zl[i] - lse) - (i == label ? 1 : 0);
      }
    } else {
      for (int i = 0; i < s.length; i++) {
        s[i] = zl[i] - target[i];
      }
    }
    double[][][] gw = new double[layers][][];
    double[][][] gb = new double[layers][][];
    for (int l = layers - 1; l >= 0; l--) {
      double[] in = l == 0 ? x : o[l - 1];
      gw[l] = new double[s.length][in.length];
      gb[l] = new double[][] {s.clone()};
      for (int r = 0; r < s.length; r++) {
        for (int i = 0; i < in.length; i++) {
          gw[l][r][i] = s[r] * in[i];
        }
      }
      if (l > 0) {
        double[] delta = new double[in.length];
        for (int r = 0; r < s.length; r++) {
          for (int i = 0; i < in.length; i++) {
            delta[i] += w[l][r][i] * s[r];
          }
        }
        double[] next = new double[in.length];
        for (int i = 0; i < in.length; i++) {
          next[i] = delta[i] * deriv(arch.activation(l - 1), z[l - 1][i]);
        }
        s = next;
      }
    }
    double[][][][] result = new double[2][][][];
    result[0] = gw;
    result[1] = new double[layers][][];
    for (int l = 0; l < layers; l++) {
      result[1][l] = gb[l];
    }
    return result;
  }
}
