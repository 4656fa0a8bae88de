package dev.vmlp;

/** Receives progress from {@link Trainer#fit}, on the calling thread. */
@FunctionalInterface
public interface EpochListener {
  /** Called after each epoch, with its statistics. */
  void epochEnd(EpochStats stats);

  /**
   * Called during an epoch about every thousand samples, and once at its end; for progress bars.
   * Keep it cheap: it runs inside the training loop.
   */
  default void progress(int epoch, long done, long total) {}
}
