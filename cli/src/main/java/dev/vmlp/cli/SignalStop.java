package dev.vmlp.cli;

import dev.vmlp.internal.io.AtomicFiles;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns Ctrl-C (SIGINT), SIGTERM and SIGHUP during training into an interrupt of the training thread,
 * so that {@code vmlp train --save} can save the model the trainer stopped with before the JVM exits.
 *
 * <p>The JVM runs its shutdown hooks on those signals and exits with 128 + the signal's number once
 * they return; this hook interrupts the training thread while it trains, then waits until the command
 * has saved ({@link #close}), for at most {@link #SAVE_WAIT_SECONDS}. An interrupt that came after
 * training would make the save's file channel throw, so the command marks the end of training
 * ({@link #trainingEnded}) and the hook interrupts only before it.
 */
final class SignalStop implements AutoCloseable {
  /**
   * How long the JVM waits for the save after a signal (a save takes milliseconds): as long as
   * {@link AtomicFiles} waits before it removes the temporary file of a write under way.
   */
  static final int SAVE_WAIT_SECONDS = AtomicFiles.EXIT_WAIT_SECONDS;

  private final Thread trainer;
  private final Thread hook;
  private final CountDownLatch saved = new CountDownLatch(1);
  private boolean training = true; // guarded by this
  private boolean requested; // guarded by this

  private SignalStop(Thread trainer) {
    this.trainer = trainer;
    this.hook = new Thread(this::onSignal, "vmlp-stop-on-signal");
  }

  /** Installs the hook for training on the calling thread. */
  static SignalStop install() {
    SignalStop stop = new SignalStop(Thread.currentThread());
    AtomicFiles.watchExit(); // the save after a signal is the first, when no hook can be added
    Runtime.getRuntime().addShutdownHook(stop.hook);
    return stop;
  }

  /** What the hook runs: interrupts the training thread while it trains, then waits for {@link #close}. */
  void onSignal() {
    synchronized (this) {
      requested = true;
      if (training) {
        trainer.interrupt();
      }
    }
    try {
      saved.await(SAVE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Marks the end of training on the training thread, and clears an interrupt that a signal sent
   * during it, so that the save that follows runs uninterrupted.
   *
   * @return whether a signal asked the run to stop
   */
  boolean trainingEnded() {
    synchronized (this) {
      training = false;
      if (requested) {
        Thread.interrupted(); // sent inside this lock, so it has arrived by now
      }
      return requested;
    }
  }

  /** Lets the JVM exit if a signal came, or removes the hook if none did. */
  @Override
  public void close() {
    saved.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // a signal came: the hook is running, and returns now that the save is done
    }
  }
}
