package dev.vmlp;

/**
 * Samples trained one at a time through {@link Trainer#trainSample}, counted as {@code fit} counts an
 * epoch: each sample's answer before its update, and the sum of its losses. The reference that the
 * tests of an epoch's statistics replay.
 *
 * @param lossSum the sum of the samples' losses
 * @param correct the samples whose class the model gave right before their update
 */
record OneAtATime(double lossSum, int correct) {
  /** Trains {@code t} on rows {@code [from, to)} of {@code data}, in order. */
  static OneAtATime train(Trainer t, Dataset data, int from, int to) {
    float[] row = new float[data.featureCount()];
    double lossSum = 0;
    int correct = 0;
    for (int i = from; i < to; i++) {
      data.copyRow(i, row, 0);
      if (t.snapshot().predict(row) == data.label(i)) {
        correct++;
      }
      lossSum += t.trainSample(row, data.label(i));
    }
    return new OneAtATime(lossSum, correct);
  }
}
