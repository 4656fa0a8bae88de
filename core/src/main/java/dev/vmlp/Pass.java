package dev.vmlp;

/**
 * One pass of per-sample SGD over a dataset: rows {@code order[0..count)} of the scaled features, with
 * their labels (classifiers) or targets (regressors), dense or over the non-zero index lists.
 *
 * @param x the dense rows; null for a sparse pass, which reads {@code rows}' values instead
 * @param rows the non-zero features, or null for the dense kernels
 * @param epoch 1-based, for progress and error messages
 * @param listener receives progress on the calling thread; may be null
 */
record Pass(float[] x, int d, int[] labels, float[] targets, int tc, SparseRows rows, int[] order, int count,
    int epoch, EpochListener listener) {

  /** What a pass did. */
  static final class Result {
    double lossSum;
    long correct;
    /** Samples completed. */
    int done;
    /** Position whose loss was not finite, or -1. */
    int divergedAt = -1;
    double divergedLoss;
    /** Whether the calling thread's interrupt stopped the pass early (after a whole sample). */
    boolean interrupted;

    /** Back to a pass that has not started: each engine reuses one, so an online step allocates nothing. */
    Result reset() {
      lossSum = 0;
      correct = 0;
      done = 0;
      divergedAt = -1;
      divergedLoss = 0;
      interrupted = false;
      return this;
    }
  }
}
