package dev.vmlp;

/**
 * Training stopped because the calling thread was interrupted. It stopped after a whole sample, with
 * every update applied, so {@link Trainer#snapshot()} gives a consistent network (recording, as
 * {@code epoch_samples}, how far the epoch got); the thread's interrupt flag is still set. A later
 * {@code fit} goes on with the epoch's next sample. An interrupt seen as an epoch ends lets that epoch finish: then
 * {@link #samplesDone()} is the epoch's size and {@link Trainer#epochsDone()} counts it, so a later
 * {@code fit} goes on with the next epoch.
 */
public final class TrainingInterruptedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int epoch;
  private final long samplesDone;

  TrainingInterruptedException(int epoch, long samplesDone) {
    super("training was interrupted in epoch " + epoch + " after " + samplesDone + " samples");
    this.epoch = epoch;
    this.samplesDone = samplesDone;
  }

  public int epoch() {
    return epoch;
  }

  /** Samples of the epoch that were trained on, counting those of an earlier stop in the same epoch. */
  public long samplesDone() {
    return samplesDone;
  }
}
