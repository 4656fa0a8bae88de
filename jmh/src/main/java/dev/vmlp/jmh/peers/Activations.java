package dev.vmlp.jmh.peers;

/**
 * The element-wise parts of a step, in plain Java loops, shared by every peer so that the peers differ
 * only in their linear algebra.
 */
final class Activations {
  private Activations() {}

  /** {@code h[i] = max(z[i], 0)}. */
  static void relu(float[] z, float[] h, int n) {
    for (int i = 0; i < n; i++) {
      h[i] = Math.max(z[i], 0f);
    }
  }

  /** {@code s[i] = z[i] > 0 ? d[i] : 0}: the backpropagated {@code d} times ReLU's derivative. */
  static void reluGrad(float[] d, float[] z, float[] s, int n) {
    for (int i = 0; i < n; i++) {
      s[i] = z[i] > 0f ? d[i] : 0f;
    }
  }

  /**
   * Softmax cross-entropy on the logits {@code z[0..n)}: writes {@code s = p - onehot(label)} and returns
   * the loss {@code max + log(sum exp(z - max)) - z[label]}, stable for any logits.
   */
  static double softmaxXent(float[] z, int n, int label, float[] s) {
    float max = z[0];
    for (int i = 1; i < n; i++) {
      max = Math.max(max, z[i]);
    }
    float sum = 0f;
    for (int i = 0; i < n; i++) {
      float e = (float) Math.exp(z[i] - max);
      s[i] = e;
      sum += e;
    }
    float inv = 1f / sum;
    for (int i = 0; i < n; i++) {
      s[i] *= inv;
    }
    s[label] -= 1f;
    return max + Math.log(sum) - z[label];
  }
}
