package dev.vmlp;

/**
 * What one epoch of {@link Trainer#fit} did.
 *
 * @param epoch 1-based
 * @param samples training samples seen in the epoch
 * @param trainLoss mean loss of the training samples, each measured just before its own update
 * @param trainAccuracy fraction of training samples classified correctly just before their update (NaN
 *     for regression)
 * @param testLoss mean loss on the test set after the epoch (NaN without one, or with an empty one)
 * @param testAccuracy accuracy on the test set after the epoch (NaN without one, with an empty one, or for
 *     regression)
 * @param trainSeconds wall time of the training loop alone (no data loading, no evaluation)
 */
public record EpochStats(
    int epoch, long samples, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
    double trainSeconds) {

  /** Training samples per second of this epoch; NaN when no training time was measured. */
  public double samplesPerSecond() {
    return trainSeconds > 0 ? samples / trainSeconds : Double.NaN;
  }
}
