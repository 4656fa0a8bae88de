package dev.vmlp.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vmlp.Activation;
import dev.vmlp.Architecture;
import dev.vmlp.Dataset;
import dev.vmlp.Head;
import dev.vmlp.Trainer;
import dev.vmlp.data.Digits;
import dev.vmlp.data.TrainTest;
import dev.vmlp.internal.kernel.KernelProvider;
import org.junit.jupiter.api.Test;

/**
 * Training on the bundled digits gives one {@code weights_sha256} whatever kernels run: the build runs
 * this class with the scalar kernels and with the vector kernels at 128 and 256 bits and at the
 * preferred width (512 bits on a CPU with AVX-512), and every run must produce the hashes recorded here.
 */
class ReproducibilityTest {
  /** 64-256(relu)-10, seed 42, lr 0.01, 3 epochs, shuffled: the CLI's default network. */
  static final String RELU_SHA = "7843b9ed169dd8c68614ef9b30c1a932214386f715c0bf305a6d79d9c3580c53";
  /** 64-40(tanh)-24(sigmoid)-17(leaky_relu)-10, seed 7, lr 0.02, 2 epochs: every exp path and a deep net. */
  static final String DEEP_SHA = "dfb63ca87154dcabc7ae6a954e79b7c44b91e9b557af9ba40735751430b5eb1a";
  /**
   * 64-32(identity)-16(tanh)-2(squared_error), seed 11, lr 0.01, 2 epochs on the digits' training rows
   * with the targets {@code label / 9} and {@code label % 2}: the regression head and the identity
   * activation, which the two networks above do not run.
   */
  static final String REGRESSION_SHA = "819d375ca434e1479c602f4686357ecd46960175b609d703cfde2753f38bf893";

  static String train(Architecture arch, long seed, float lr, int epochs) {
    TrainTest d = Digits.load();
    try (Trainer t = Trainer.builder(arch).seed(seed).learningRate(lr).scaling(d.scaling()).build()) {
      return t.fit(d.train(), d.test(), epochs).model().weightsSha256();
    }
  }

  @Test
  void reluNetworkHash() {
    String sha = train(Architecture.of(64, new int[] {256}, Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY), 42,
        0.01f, 3);
    assertEquals(RELU_SHA, sha, "kernels " + KernelProvider.get().name());
  }

  @Test
  void deepNetworkHash() {
    Architecture arch = Architecture.builder(64).hidden(40, Activation.TANH).hidden(24, Activation.SIGMOID)
        .hidden(17, Activation.LEAKY_RELU).output(10, Head.SOFTMAX_CROSS_ENTROPY);
    String sha = train(arch, 7, 0.02f, 2);
    assertEquals(DEEP_SHA, sha, "kernels " + KernelProvider.get().name());
  }

  @Test
  void regressionNetworkHash() {
    TrainTest d = Digits.load();
    Dataset train = d.train();
    float[] features = new float[train.size() * 64];
    float[] targets = new float[train.size() * 2];
    for (int i = 0; i < train.size(); i++) {
      train.copyRow(i, features, i * 64);
      targets[2 * i] = train.label(i) / 9f;
      targets[2 * i + 1] = train.label(i) % 2;
    }
    Dataset regression = Dataset.ofTargets("digits-regression", features, 64, targets, 2);
    Architecture arch = Architecture.builder(64).hidden(32, Activation.IDENTITY).hidden(16, Activation.TANH)
        .output(2, Head.SQUARED_ERROR);
    try (Trainer t = Trainer.builder(arch).seed(11).learningRate(0.01f).scaling(d.scaling()).build()) {
      assertEquals(REGRESSION_SHA, t.fit(regression, null, 2).model().weightsSha256(),
          "kernels " + KernelProvider.get().name());
    }
  }
}
