package dev.vmlp;

/**
 * Runs passes of per-sample SGD over a network's parameters: {@link SingleEngine} on the calling
 * thread, {@link ParallelEngine} with the hidden units split over worker threads. Both give the same
 * bits. A pass ends with every update applied (nothing deferred).
 */
interface Engine extends AutoCloseable {
  /**
   * Every this many samples a pass reports progress and checks the caller's interrupt flag and
   * {@link #requestStop()}.
   */
  int CHECK_EVERY = 1024;

  /** Runs {@code pass}; the result is the engine's own, valid until its next run. */
  Pass.Result run(Pass pass);

  /**
   * Asks the running pass, from any thread, to stop at its next check, as an interrupt of its caller
   * would; this and every later pass then stop there. For {@link Trainer#close()} from another thread.
   */
  void requestStop();

  /** Threads doing the work. */
  int threads();

  /** Stops the workers, if any; the parameters stay as the last pass left them. */
  @Override
  void close();
}
