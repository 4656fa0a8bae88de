package dev.vmlp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A reusable barrier for a fixed set of threads that hands off in about 0.1 µs: each arrival draws the
 * next ticket from a counter that is never reset, the ticket says which round it belongs to and whether
 * it is the round's last, and the last one publishes the count of released rounds that the others spin
 * on. A waiter spins with
 * {@link Thread#onSpinWait()}, then also yields (at once when there are more parties than processors,
 * so an oversubscribed machine runs the thread it waits for), and after {@link #SPIN_NANOS} parks in
 * slices that double from {@code parkNanos} up to {@link #MAX_PARK_NANOS}, so an idle pool costs under
 * 1% of a core per waiter (the last arrival unparks sleepers at once, so the slices only bound a lost
 * wake-up). Parking or
 * an executor would cost 13-50 µs per hand-off here, more than a whole training step.
 *
 * <p>{@link #breakBarrier()} releases every waiter with {@link Broken}; the barrier stays broken.
 */
final class SpinBarrier {
  /** How long a waiter spins before it parks. */
  static final long SPIN_NANOS = 50_000;
  /** How long one park lasts before the waiter looks again (a lost wake-up costs at most this). */
  static final long PARK_NANOS = 200_000;
  /** The longest park slice: an idle waiter looks about 50 times a second. */
  static final long MAX_PARK_NANOS = 20_000_000;
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
  private final long parkNanos;
  private final Thread[] threads;
  // each hot counter on its own cache line; 2^63 arrivals never wrap
  private final PaddedLong arrivals = new PaddedLong();
  private final PaddedLong released = new PaddedLong();
  private final PaddedLong sleepers = new PaddedLong();
  private volatile boolean broken;

  SpinBarrier(int parties) {
    this(parties, Runtime.getRuntime().availableProcessors(), PARK_NANOS);
  }

  /**
   * A barrier that behaves as on a machine of {@code processors} processors (the trainer passes the
   * count it was built with) and parks for {@code parkNanos} at a time (tests park longer).
   */
  SpinBarrier(int parties, int processors, long parkNanos) {
    this.parties = parties;
    this.yieldAfter = parties > processors ? 1 : YIELD_AFTER;
    this.parkNanos = parkNanos;
    this.threads = new Thread[parties];
  }

  /** Records the thread that takes part as {@code index}, for unparking. */
  void register(int index, Thread t) {
    threads[index] = t;
  }

  int parties() {
    return parties;
  }

  /** Whether waiters yield after every spin, as they do with more parties than processors. */
  boolean oversubscribed() {
    return yieldAfter == 1;
  }

  /** For tests: the number of waiters parked now. */
  int sleepers() {
    return (int) sleepers.value;
  }

  /**
   * Waits until all parties have arrived.
   *
   * @throws Broken when the barrier is or becomes broken
   */
  void await() {
    await(false);
  }

  /**
   * {@link #await()} for a thread of the pool, which nobody should interrupt: an interrupt flag left
   * set would make every park return at once, and the idle waiter would spin a whole core.
   */
  void awaitAsWorker() {
    await(true);
  }

  private void await(boolean clearInterrupts) {
    if (broken) {
      throw new Broken();
    }
    // the round comes from the ticket alone: no counter to reset, no generation read before arriving
    long ticket = arrivals.getAndIncrement();
    long round = ticket / parties;
    if (ticket - round * parties == parties - 1) {
      released.value = round + 1;
      if (sleepers.value > 0) {
        wakeAll();
      }
      return;
    }
    int spins = 0;
    long parkAfter = 0;
    long slice = parkNanos;
    while (released.value <= round) {
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
          sleepers.getAndIncrement();
          // the count before the check and the release before the sleepers' read: one side sees the other
          if (released.value <= round && !broken) {
            LockSupport.parkNanos(this, slice);
            if (clearInterrupts) {
              Thread.interrupted();
            }
            slice = Math.min(2 * slice, Math.max(parkNanos, MAX_PARK_NANOS));
          }
          sleepers.getAndDecrement();
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

  /**
   * A volatile long with a cache line of padding on both sides, and atomic increments. The padding is
   * in a superclass and a subclass because HotSpot lays out a class's own fields as it likes but puts a
   * superclass's fields first; the superclass also fills the 4-byte gap after the header, where an int
   * value once went, ahead of all the padding (seen with {@code Unsafe.objectFieldOffset}: the value at
   * 12 then; at 80 now, with 64 bytes on each side).
   */
  static final class PaddedLong extends PaddedLongValue {
    @SuppressWarnings("unused")
    long q0, q1, q2, q3, q4, q5, q6, q7;
  }

  /** The value of a {@link PaddedLong}, after a cache line of padding. */
  abstract static class PaddedLongValue extends PaddedLongBefore {
    private static final VarHandle VALUE;

    static {
      try {
        VALUE = MethodHandles.lookup().findVarHandle(PaddedLongValue.class, "value", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    volatile long value;

    long getAndIncrement() {
      return (long) VALUE.getAndAdd(this, 1L);
    }

    long getAndDecrement() {
      return (long) VALUE.getAndAdd(this, -1L);
    }
  }

  /**
   * The padding before a {@link PaddedLong}'s value. The int fills the gap after a 12-byte object
   * header, where HotSpot would otherwise put a field of a subclass, ahead of the longs.
   */
  abstract static class PaddedLongBefore {
    @SuppressWarnings("unused")
    int gap;
    @SuppressWarnings("unused")
    long p0, p1, p2, p3, p4, p5, p6, p7;
  }
}
