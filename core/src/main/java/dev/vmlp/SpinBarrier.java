package dev.vmlp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A reusable barrier for a fixed set of threads that hands off in about 0.1 µs: arrivals count on an
 * atomic and the last one advances a generation that the others spin on. A waiter spins with
 * {@link Thread#onSpinWait()}, then also yields (at once when there are more parties than processors,
 * so an oversubscribed machine runs the thread it waits for), and after {@link #SPIN_NANOS} parks in
 * short slices, so an idle pool burns no CPU. Parking or
 * an executor would cost 13-50 µs per hand-off here, more than a whole training step.
 *
 * <p>{@link #breakBarrier()} releases every waiter with {@link Broken}; the barrier stays broken.
 */
final class SpinBarrier {
  /** How long a waiter spins before it parks. */
  static final long SPIN_NANOS = 50_000;
  private static final int YIELD_AFTER = 256;

  /** Thrown to waiters of a broken barrier. */
  static final class Broken extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Broken() {
      super("the barrier was broken by another thread's failure", null, false, false);
    }
  }

  private final int parties;
  /** Spins between yields: one when there are more parties than processors, whose waits need the CPU. */
  private final int yieldAfter;
  private final Thread[] threads;
  // each hot counter on its own cache line
  private final PaddedInt arrived = new PaddedInt();
  private final PaddedInt generation = new PaddedInt();
  private final PaddedInt sleepers = new PaddedInt();
  private volatile boolean broken;

  SpinBarrier(int parties) {
    this.parties = parties;
    this.yieldAfter = parties > Runtime.getRuntime().availableProcessors() ? 1 : YIELD_AFTER;
    this.threads = new Thread[parties];
  }

  /** Records the thread that takes part as {@code index}, for unparking. */
  void register(int index, Thread t) {
    threads[index] = t;
  }

  int parties() {
    return parties;
  }

  /**
   * Waits until all parties have arrived.
   *
   * @throws Broken when the barrier is or becomes broken
   */
  void await() {
    if (broken) {
      throw new Broken();
    }
    int gen = generation.value;
    if (arrived.incrementAndGet() == parties) {
      arrived.value = 0;
      generation.value = gen + 1;
      if (sleepers.value > 0) {
        wakeAll();
      }
      return;
    }
    int spins = 0;
    long parkAfter = 0;
    while (generation.value == gen) {
      if (broken) {
        throw new Broken();
      }
      Thread.onSpinWait();
      if (++spins >= yieldAfter) {
        spins = 0;
        Thread.yield();
        long now = System.nanoTime();
        if (parkAfter == 0) {
          parkAfter = now + SPIN_NANOS;
        } else if (now > parkAfter) {
          sleepers.incrementAndGet();
          if (generation.value == gen && !broken) {
            LockSupport.parkNanos(this, 200_000);
          }
          sleepers.decrementAndGet();
        }
      }
    }
  }

  /** Releases all waiters with {@link Broken}, now and in the future. */
  void breakBarrier() {
    broken = true;
    wakeAll();
  }

  boolean isBroken() {
    return broken;
  }

  private void wakeAll() {
    for (Thread t : threads) {
      if (t != null) {
        LockSupport.unpark(t);
      }
    }
  }

  /** A volatile int with a cache line of padding on both sides, and atomic increments. */
  @SuppressWarnings("unused")
  static final class PaddedInt {
    private static final VarHandle VALUE;

    static {
      try {
        VALUE = MethodHandles.lookup().findVarHandle(PaddedInt.class, "value", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    long p0, p1, p2, p3, p4, p5, p6, p7;
    volatile int value;
    long q0, q1, q2, q3, q4, q5, q6, q7;

    int incrementAndGet() {
      return (int) VALUE.getAndAdd(this, 1) + 1;
    }

    int decrementAndGet() {
      return (int) VALUE.getAndAdd(this, -1) - 1;
    }
  }
}
