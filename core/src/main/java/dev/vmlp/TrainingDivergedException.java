package dev.vmlp;

/**
 * Training produced a loss or parameter that is NaN or infinite. The message names the epoch, the
 * sample (its position in the epoch and its row in the dataset) and what was not finite; a typical
 * cause is a learning rate that is too high.
 */
public final class TrainingDivergedException extends NonFiniteException {
  private static final long serialVersionUID = 1L;
  private final int epoch;
  private final long position;

  TrainingDivergedException(int epoch, long position, long row, String what) {
    this("training diverged in epoch " + epoch
        + (position >= 0 ? " at sample " + position + " (dataset row " + row + ")" : " (found after the epoch)")
        + ": " + what + "; try a lower learning rate", epoch, position, row);
  }

  private TrainingDivergedException(String message, int epoch, long position, long row) {
    super(message, row, message);
    this.epoch = epoch;
    this.position = position;
  }

  /**
   * A divergence at the first sample a {@code fit} ran: no step of that fit came before it, so its
   * learning rate had no part in the loss, which the weights it started from (or the sample's inputs) gave.
   */
  static TrainingDivergedException beforeAnyStep(int epoch, long position, long row, String what) {
    return new TrainingDivergedException("training diverged in epoch " + epoch + " at sample " + position
        + " (dataset row " + row + "): " + what + ", before any step of this fit, so no learning rate changes it:"
        + " the weights it started from, or the sample's inputs, give that loss", epoch, position, row);
  }

  /** Divergence in {@link Trainer#trainSample}: {@code sample} counts the online samples, from 0. */
  static TrainingDivergedException online(long sample, String what) {
    return new TrainingDivergedException("training diverged at online sample " + sample + ": " + what
        + "; try a lower learning rate, or check the input's scale", 0, sample, -1);
  }

  /**
   * Weights found not finite by {@link Trainer#snapshot()} after {@code onlineSamples} online samples:
   * a step whose loss was finite can still overflow the update, and online steps scan no weights.
   */
  static TrainingDivergedException atSnapshot(long onlineSamples, String what) {
    return new TrainingDivergedException("training diverged"
        + (onlineSamples > 0 ? " at online sample " + (onlineSamples - 1) : "")
        + " (found by snapshot): " + what + "; try a lower learning rate, or check the input's scale", 0,
        onlineSamples - 1, -1);
  }

  /**
   * Weights found not finite by {@link Trainer#snapshot()} after a {@code fit} that stopped in epoch
   * {@code epoch} (its own exception named the sample): position -1.
   */
  static TrainingDivergedException atSnapshotAfterFit(int epoch, String what) {
    return new TrainingDivergedException("training diverged in epoch " + epoch + " (found by snapshot): " + what
        + "; try a lower learning rate", epoch, -1, -1);
  }

  /** 1-based epoch, or 0 for an online sample. */
  public int epoch() {
    return epoch;
  }

  /**
   * 0-based position of the sample within its epoch (among the online samples for an online one), or
   * -1 when found by the check after an epoch or by a snapshot after a {@code fit}.
   */
  public long position() {
    return position;
  }
}
