package dev.vmlp;

/** Receives progress from {@link Trainer#fit}, on the calling thread. */
@FunctionalInterface
public interface EpochListener {
  /**
   * Called after each epoch, with its statistics; the trainer may be used here (e.g.
   * {@link Trainer#snapshot()}), and closing it stops training early: {@code fit} then returns the
   * report of the epochs done.
   */
  void epochEnd(EpochStats stats);

  /**
   * Called during an epoch every 1,024 samples (more often for a network so wide that 1,024 samples
   * take seconds), and once at its end; for progress bars.
   * Keep it cheap: but for the call at the epoch's end, it runs inside the training loop, where the
   * weights are mid-update, so the trainer refuses calls from there ({@link Trainer#snapshot()}
   * included) with an {@link IllegalStateException}; take snapshots in {@link #epochEnd}.
   */
  default void progress(int epoch, long done, long total) {}
}
