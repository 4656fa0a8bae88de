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
  /** Leaky ReLU's documented slope, written out rather than read from the code under test. */
  static final double LEAKY_SLOPE = 0.01f;

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
      case LEAKY_RELU -> z > 0 ? z : LEAKY_SLOPE * z;
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
      case LEAKY_RELU -> z > 0 ? 1 : LEAKY_SLOPE;
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
    return backward(x, label, target).gradients();
  }

  /**
   * Bounds, in units of float rounding, on the absolute error that cancellation alone puts into a
   * float computation of {@link #gradients}, laid out the same way. Two subtractions lose digits
   * however carefully the rest is rounded: {@code p - onehot(y)} (or {@code z - t}) when the sample is
   * nearly fit, and the derivative {@code 1 - o²} (tanh) or {@code o (1 - o)} (sigmoid) of a saturated
   * unit whose float output {@code o} is already rounded near 1. Each carries about one unit of
   * absolute error, which backpropagation then scales like any other gradient.
   */
  double[][][][] cancellationBounds(double[] x, int label, double[] target) {
    return backward(x, label, target).bounds();
  }

  /** Both of the above, from one pass. */
  private record Backward(double[][][][] gradients, double[][][][] bounds) {}

  private Backward backward(double[] x, int label, double[] target) {
    int layers = arch.layerCount();
    double[][] z = forward(x);
    double[][] o = new double[layers][];
    for (int l = 0; l < layers; l++) {
      o[l] = new double[z[l].length];
      for (int i = 0; i < z[l].length; i++) {
        o[l][i] = act(arch.activation(l), z[l][i]);
      }
    }
    double[] zl = z[layers - 1];
    double[] s = new double[zl.length];
    double[] e = new double[zl.length];
    if (arch.head().classifies()) {
      double lse = logSumExp(zl);
      for (int i = 0; i < s.length; i++) {
        s[i] = Math.exp(zl[i] - lse) - (i == label ? 1 : 0);
        e[i] = 1;
      }
    } else {
      for (int i = 0; i < s.length; i++) {
        s[i] = zl[i] - target[i];
        e[i] = 1 + Math.abs(zl[i]) + Math.abs(target[i]);
      }
    }
    double[][][][] g = {new double[layers][][], new double[layers][][]};
    double[][][][] bound = {new double[layers][][], new double[layers][][]};
    for (int l = layers - 1; l >= 0; l--) {
      double[] in = l == 0 ? x : o[l - 1];
      g[0][l] = new double[s.length][in.length];
      bound[0][l] = new double[s.length][in.length];
      g[1][l] = new double[][] {s.clone()};
      bound[1][l] = new double[][] {e.clone()};
      for (int r = 0; r < s.length; r++) {
        for (int i = 0; i < in.length; i++) {
          g[0][l][r][i] = s[r] * in[i];
          bound[0][l][r][i] = e[r] * Math.abs(in[i]);
        }
      }
      if (l > 0) {
        double[] delta = new double[in.length];
        double[] deltaBound = new double[in.length];
        for (int r = 0; r < s.length; r++) {
          for (int i = 0; i < in.length; i++) {
            delta[i] += w[l][r][i] * s[r];
            deltaBound[i] += Math.abs(w[l][r][i]) * e[r];
          }
        }
        Activation a = arch.activation(l - 1);
        boolean saturates = a == Activation.TANH || a == Activation.SIGMOID;
        double[] next = new double[in.length];
        double[] nextBound = new double[in.length];
        for (int i = 0; i < in.length; i++) {
          double d = deriv(a, z[l - 1][i]);
          next[i] = delta[i] * d;
          nextBound[i] = deltaBound[i] * Math.abs(d) + (saturates ? Math.abs(delta[i]) : 0);
        }
        s = next;
        e = nextBound;
      }
    }
    return new Backward(g, bound);
  }
}
