package dev.vmlp;

/**
 * Runs passes of per-sample SGD over a network's parameters: {@link SingleEngine} on the calling
 * thread, {@link ParallelEngine} with the hidden units split over worker threads. Both give the same
 * bits. A pass ends with every update applied (nothing deferred).
 */
interface Engine extends AutoCloseable {
  /**
   * Every this many samples at most a pass reports progress and checks the caller's interrupt flag and
   * {@link #requestStop()} ({@link #checkEvery}).
   */
  int CHECK_EVERY = 1024;

  /**
   * Most multiply-adds of forward passes between two checks, about a second of training on one core
   * (784-256-10, MNIST's network, still checks every 1,024 samples).
   */
  long CHECK_WORK = 1L << 28;

  /**
   * Samples between a pass's checks for {@code arch}: {@link #CHECK_EVERY}, or fewer (a power of two, 1
   * at least) for a network whose {@code CHECK_EVERY} samples take more than {@link #CHECK_WORK}
   * multiply-adds of forward pass. With a fixed count, a wide network stopped long after it was asked
   * to: 1,024 samples of 784-100000-10 take a minute, and a signal's save waits 30 s.
   */
  static int checkEvery(Architecture arch) {
    return checkEvery(arch, CHECK_WORK);
  }

  /** {@link #checkEvery(Architecture)} with at most {@code work} multiply-adds between checks. */
  static int checkEvery(Architecture arch, long work) {
    long samples = work / Math.max(1, arch.forwardMultiplyAdds());
    return samples >= CHECK_EVERY ? CHECK_EVERY : Integer.highestOneBit((int) Math.max(1, samples));
  }

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
