package dev.vmlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpinBarrierTest {
  /** Runs {@code body(t)} on {@code parties} threads and returns the first failure, if any. */
  private static Throwable runParties(int parties, IntConsumer body) throws InterruptedException {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread[] threads = new Thread[parties];
    for (int t = 0; t < parties; t++) {
      int id = t;
      threads[t] = new Thread(() -> {
        try {
          body.accept(id);
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "barrier-test-" + t);
      threads[t].setDaemon(true);
    }
    for (Thread th : threads) {
      th.start();
    }
    for (Thread th : threads) {
      th.join(60_000);
      assertTrue(!th.isAlive(), th.getName() + " is still waiting");
    }
    return failure.get();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 8})
  void nobodyLeavesBeforeEveryoneArrivedAndWritesBeforeAreSeenAfter(int parties) throws InterruptedException {
    int rounds = 20_000;
    SpinBarrier barrier = new SpinBarrier(parties);
    AtomicIntegerArray arrived = new AtomicIntegerArray(rounds);
    long[] written = new long[parties]; // plain fields: only the barrier orders them
    Throwable failure = runParties(parties, t -> {
      barrier.register(t, Thread.currentThread());
      for (int r = 0; r < rounds; r++) {
        written[t] = r;
        arrived.incrementAndGet(r);
        barrier.await();
        if (arrived.get(r) != parties) {
          throw new AssertionError("thread " + t + " left round " + r + " after " + arrived.get(r) + " arrivals");
        }
        for (int u = 0; u < parties; u++) {
          if (written[u] < r) {
            throw new AssertionError("thread " + t + " saw thread " + u + " at " + written[u] + " in round " + r);
          }
        }
        barrier.await(); // nobody writes round r + 1 before everyone has checked round r
      }
    });
    assertNull(failure);
  }

  @Test
  void aParkedWaiterIsWokenWhenTheLastPartyArrives() throws InterruptedException {
    // parks of a minute: only the last arrival's wake-up can let the waiter pass within the test's wait
    lastArrivalPassesAParkedWaiter(new SpinBarrier(2, 2, TimeUnit.MINUTES.toNanos(1)), true, 10,
        "the waiter was not woken");
  }

  @Test
  void aParkedWaiterThatNobodyUnparksStillPasses() throws InterruptedException {
    // no thread registered, so the last arrival unparks nobody: the waiter's park slices (200 µs,
    // doubling up to 20 ms) bound the lost wake-up, and it passes without one
    lastArrivalPassesAParkedWaiter(new SpinBarrier(2, 2, SpinBarrier.PARK_NANOS), false, 20,
        "a waiter that was not unparked never looked again");
  }

  /**
   * Starts a waiter on a two-party {@code barrier} (the parties registered as threads when
   * {@code register}), lets it park, arrives as the last party, and checks that it passes within
   * {@code seconds}.
   */
  private static void lastArrivalPassesAParkedWaiter(SpinBarrier barrier, boolean register, int seconds,
      String failure) throws InterruptedException {
    CountDownLatch passed = new CountDownLatch(1);
    Thread waiter = new Thread(() -> {
      barrier.await();
      passed.countDown();
    });
    if (register) {
      barrier.register(1, waiter);
    }
    waiter.setDaemon(true);
    waiter.start();
    if (register) {
      barrier.register(0, Thread.currentThread());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (barrier.sleepers() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertEquals(1, barrier.sleepers(), "the waiter parked");
    barrier.await();
    assertTrue(passed.await(seconds, TimeUnit.SECONDS), failure);
    waiter.join(10_000);
  }

  @Test
  void breakingReleasesWaitersAndStaysBroken() throws InterruptedException {
    SpinBarrier barrier = new SpinBarrier(3);
    AtomicReference<Throwable> seen = new AtomicReference<>();
    Thread waiter = startWaiter(barrier, seen);
    Thread.sleep(20);
    barrier.breakBarrier();
    waiter.join(10_000);
    assertEquals(SpinBarrier.Broken.class, seen.get() == null ? null : seen.get().getClass());
    assertTrue(barrier.isBroken());
    assertThrows(SpinBarrier.Broken.class, barrier::await);
    SpinBarrier alone = new SpinBarrier(1);
    alone.breakBarrier();
    assertThrows(SpinBarrier.Broken.class, alone::await, "the last party to arrive is refused too");
  }

  @Test
  void breakingWakesAParkedWaiterAtOnce() throws InterruptedException {
    // parks of a minute: only the break's wake-up can release the waiter within the test's wait
    SpinBarrier barrier = new SpinBarrier(2, 2, TimeUnit.MINUTES.toNanos(1));
    AtomicReference<Throwable> seen = new AtomicReference<>();
    Thread waiter = startWaiter(barrier, seen);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (barrier.sleepers() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertEquals(1, barrier.sleepers(), "the waiter parked");
    barrier.breakBarrier();
    waiter.join(10_000);
    assertTrue(!waiter.isAlive(), "the parked waiter was not woken");
    assertEquals(SpinBarrier.Broken.class, seen.get() == null ? null : seen.get().getClass());
  }

  /** Starts party 1 of {@code barrier} waiting; what its {@code await} throws lands in {@code seen}. */
  private static Thread startWaiter(SpinBarrier barrier, AtomicReference<Throwable> seen) {
    Thread waiter = new Thread(() -> {
      try {
        barrier.await();
      } catch (Throwable e) {
        seen.set(e);
      }
    });
    barrier.register(1, waiter);
    waiter.setDaemon(true);
    waiter.start();
    return waiter;
  }

  /**
   * Only a worker's wait clears its interrupt flag: the trainer's caller, interrupted while it waits (and
   * parks) for a slow worker, keeps its flag, which is how the pass learns of the interrupt.
   */
  @Test
  void aCallerThatParksKeepsItsInterruptFlag() throws InterruptedException {
    SpinBarrier b = new SpinBarrier(2, 2, SpinBarrier.PARK_NANOS);
    CountDownLatch waiting = new CountDownLatch(1);
    Thread slow = Thread.ofPlatform().start(() -> {
      try {
        waiting.await();
        Thread.sleep(200); // the caller spins past SPIN_NANOS and parks
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      b.awaitAsWorker();
    });
    b.register(1, slow);
    b.register(0, Thread.currentThread());
    Thread.currentThread().interrupt();
    try {
      waiting.countDown();
      b.await();
      assertTrue(Thread.currentThread().isInterrupted(), "the caller's interrupt was lost in the barrier");
    } finally {
      Thread.interrupted();
    }
    slow.join(30_000);
  }
}
