package dev.vmlp;

import dev.vmlp.data.Digits;
import dev.vmlp.data.TrainTest;

/** The bundled digits, read once for the trainer tests, and the network they train most. */
final class DigitsFixture {
  static final TrainTest DIGITS = Digits.load();
  static final Architecture NET_64_256_10 =
      Architecture.of(64, new int[] {256}, Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY);

  private DigitsFixture() {}
}
