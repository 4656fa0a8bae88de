package dev.vmlp.cli;

import dev.vmlp.internal.io.AtomicFiles;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns Ctrl-C (SIGINT), SIGTERM and SIGHUP during a command's work into a stop of that work, so that
 * the command can write what it has before the JVM exits: {@code vmlp train --save} saves the model
 * the trainer stopped with, {@code vmlp bench} the report of the benchmarks that finished.
 *
 * <p>The JVM runs its shutdown hooks on those signals and exits with 128 + the signal's number once
 * they return; this hook stops the work while it goes on (train: interrupts the training thread), then
 * waits until the command has written ({@link #close}), for at most {@link #SAVE_WAIT_SECONDS}. An
 * interrupt that came after training would make the save's file channel throw, so the command marks
 * the end of its work ({@link #workEnded}) and the hook stops only before it.
 */
final class SignalStop implements AutoCloseable {
  /**
   * How long the JVM waits for the save after a signal (a save takes milliseconds, a bench report about
   * a second): as long as {@link AtomicFiles} waits before it removes the temporary file of a write
   * under way.
   */
  static final int SAVE_WAIT_SECONDS = AtomicFiles.EXIT_WAIT_SECONDS;

  /** How often a stop that {@link #repeat}s is made again while the hook waits for the work to end. */
  static final long REPEAT_MILLIS = 100;

  private final Runnable stopWork;
  private final boolean repeat;
  private final Thread hook;
  private final CountDownLatch saved = new CountDownLatch(1);
  private boolean working = true; // guarded by this
  private boolean requested; // guarded by this

  private SignalStop(Runnable stopWork, boolean repeat) {
    this.stopWork = stopWork;
    this.repeat = repeat;
    this.hook = new Thread(this::onSignal, "vmlp-stop-on-signal");
  }

  /** Installs the hook for training on the calling thread: a signal interrupts it. */
  static SignalStop install() {
    return install(new SignalStop(Thread.currentThread()::interrupt, false));
  }

  /**
   * Installs a hook that runs {@code stopWork} on a signal while the work goes on, and again every
   * {@link #REPEAT_MILLIS} until the command says it has ended ({@link #workEnded}): {@code vmlp bench}
   * stops its benchmark forks so, and one that starts as the signal comes is stopped too.
   */
  static SignalStop install(Runnable stopWork) {
    return install(new SignalStop(stopWork, true));
  }

  private static SignalStop install(SignalStop stop) {
    AtomicFiles.watchExit(); // the save after a signal is the first, when no hook can be added
    Runtime.getRuntime().addShutdownHook(stop.hook);
    return stop;
  }

  /**
   * What the hook runs: stops the work while it goes on, then waits for {@link #close} (stopping the
   * work again meanwhile when it {@link #repeat}s).
   */
  void onSignal() {
    synchronized (this) {
      requested = true;
      if (working) {
        stopWork.run();
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SAVE_WAIT_SECONDS);
    try {
      for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
        if (saved.await(repeat ? Math.min(left, TimeUnit.MILLISECONDS.toNanos(REPEAT_MILLIS)) : left,
            TimeUnit.NANOSECONDS)) {
          return;
        }
        synchronized (this) {
          if (repeat && working) {
            stopWork.run();
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Marks the end of the work on the thread that does it, and clears an interrupt that a signal sent
   * during it, so that the write that follows runs uninterrupted.
   *
   * @return whether a signal asked the work to stop
   */
  boolean workEnded() {
    synchronized (this) {
      working = false;
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
