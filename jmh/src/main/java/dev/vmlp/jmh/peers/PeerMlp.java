package dev.vmlp.jmh.peers;

/** A peer's multilayer perceptron: ReLU hidden layers, softmax cross-entropy head, per-sample SGD. */
interface PeerMlp {
  /**
   * One SGD step on the sample {@code x} (length = inputs) with class {@code label}: forward, backward, and
   * the update of every weight and bias.
   *
   * @return the sample's loss before the update
   */
  double step(float[] x, int label);

  /** Layer {@code l}'s weights as a row-major {@code out x in} copy. */
  float[] weights(int l);

  /** Layer {@code l}'s biases, a copy. */
  float[] biases(int l);
}
