package dev.vmlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmlp.data.TrainTest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A trainer is used by one thread at a time: calls from a second thread while one runs are refused,
 * but {@code close()}, which stops the running call and waits for it; a listener may end {@code fit}
 * early by closing the trainer; worker threads outlive neither an interrupt nor an unclosed trainer.
 */
@Timeout(120)
class TrainerOwnershipTest {
  static final TrainTest digits = DigitsFixture.DIGITS;
  static final Architecture ARCH = DigitsFixture.NET_64_256_10;

  private static Trainer.Builder builder(int threads) {
    return Trainer.builder(ARCH).scaling(digits.scaling()).seed(5).threads(threads);
  }

  /** Waits up to 10 s for the threads to end; true when they all did. */
  private static boolean ended(Thread[] threads) throws InterruptedException {
    for (Thread th : threads) {
      th.join(10_000);
      if (th.isAlive()) {
        return false;
      }
    }
    return true;
  }

  @Test
  void closeFromAnotherThreadStopsARunningFitAndWaitsForIt() throws Exception {
    for (int threads : new int[] {1, 2, 4}) {
      for (int delayMs : new int[] {0, 3, 40}) {
        AtomicReference<Thread[]> workers = new AtomicReference<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch running = new CountDownLatch(1);
        Trainer[] self = new Trainer[1];
        Trainer t = builder(threads).listener(new EpochListener() {
          @Override
          public void epochEnd(EpochStats stats) {}

          @Override
          public void progress(int epoch, long done, long total) {
            workers.compareAndSet(null, self[0].workerThreads());
            running.countDown();
          }
        }).build();
        self[0] = t;
        Thread trainer = Thread.ofPlatform().name("owner").start(() -> {
          try {
            t.fit(digits.train(), null, 1000);
          } catch (Throwable e) {
            thrown.set(e);
          }
        });
        assertTrue(running.await(30, TimeUnit.SECONDS));
        Thread.sleep(delayMs);
        t.close(); // returns only when the fit has stopped
        trainer.join(10_000);
        assertFalse(trainer.isAlive(), "the fit did not stop");
        Throwable e = thrown.get();
        assertTrue(e instanceof IllegalStateException && e.getMessage().contains("by thread '"
            + Thread.currentThread().getName() + "'"), threads + " threads: " + e);
        assertTrue(ended(workers.get()), threads + " threads: a worker outlived close()");
        IllegalStateException after = assertThrows(IllegalStateException.class, t::snapshot);
        assertEquals("the trainer is closed", after.getMessage());
      }
    }
  }

  /**
   * A close from another thread stops the pass at the next check, one sample later on several threads,
   * not at the epoch's end: the listener holds the pass at sample 1,024 until the close has been asked
   * for (a call from the listener then says the trainer is being closed, and the closing thread then
   * waits parked on the trainer).
   */
  @Test
  void closeFromAnotherThreadStopsThePassAtItsNextCheck() throws Exception {
    for (int threads : new int[] {1, 2}) {
      Trainer[] self = new Trainer[1];
      AtomicReference<Thread> closer = new AtomicReference<>();
      Trainer t = builder(threads).listener(new EpochListener() {
        @Override
        public void epochEnd(EpochStats stats) {}

        @Override
        public void progress(int epoch, long done, long total) {
          if (closer.get() != null) {
            return;
          }
          closer.set(Thread.ofPlatform().name("closer").start(self[0]::close));
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          while (System.nanoTime() < deadline) {
            try {
              self[0].snapshot();
            } catch (IllegalStateException e) {
              if (e.getMessage().startsWith("the trainer is being closed")) {
                break;
              }
            }
            LockSupport.parkNanos(1_000_000);
          }
          // close() asks the engine to stop just after it says so, then parks on the trainer until the pass
          // ends: seeing it parked there (not a fixed wait, which a busy machine can outlast) the stop is asked
          while (LockSupport.getBlocker(closer.get()) != self[0] && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
          }
        }
      }).build();
      self[0] = t;
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.fit(digits.train(), null, 3));
      assertEquals("the trainer was closed by thread 'closer' in epoch 1, after " + (threads == 1 ? 1024 : 1025)
          + " of its samples (their updates are in)", e.getMessage(), threads + " threads");
      closer.get().join(10_000);
      assertEquals(0, t.epochsDone(), "the stopped epoch does not count");
    }
  }

  @Test
  void closeFromAnotherThreadStopsOnlineTrainingWithoutAHang() throws Exception {
    float[] x = digits.train().row(0);
    for (int round = 0; round < 30; round++) {
      Trainer t = builder(round % 2 == 0 ? 2 : 4).build();
      t.trainSample(x, 1);
      Thread[] workers = t.workerThreads();
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      Thread online = Thread.ofPlatform().start(() -> {
        try {
          while (true) {
            t.trainSample(x, 1);
          }
        } catch (Throwable e) {
          thrown.set(e);
        }
      });
      Thread.sleep(round % 3);
      t.close();
      online.join(10_000);
      assertFalse(online.isAlive(), "round " + round + ": the online loop hangs");
      assertTrue(thrown.get() instanceof IllegalStateException, "round " + round + ": " + thrown.get());
      assertTrue(ended(workers), "round " + round + ": a worker outlived close()");
    }
  }

  @Test
  void callsFromASecondThreadAreRefusedWhileOneRuns() throws Exception {
    CountDownLatch inPass = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (Trainer t = builder(2).listener(new EpochListener() {
      @Override
      public void epochEnd(EpochStats stats) {}

      @Override
      public void progress(int epoch, long done, long total) {
        inPass.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
    }).build()) {
      AtomicReference<TrainingReport> report = new AtomicReference<>();
      Thread owner = Thread.ofPlatform().name("owner-thread").start(() -> report.set(t.fit(digits.train(), null, 1)));
      assertTrue(inPass.await(30, TimeUnit.SECONDS));
      String inUse = "the trainer is in use by thread 'owner-thread'";
      assertTrue(assertThrows(IllegalStateException.class, t::snapshot).getMessage().startsWith(inUse));
      assertTrue(assertThrows(IllegalStateException.class, () -> t.trainSample(digits.train().row(0), 0))
          .getMessage().startsWith(inUse));
      assertTrue(assertThrows(IllegalStateException.class, () -> t.fit(digits.train(), null, 1))
          .getMessage().startsWith(inUse));
      release.countDown();
      owner.join(30_000);
      assertNotNull(report.get(), "the owner's fit did not finish");
      // once it has, another thread may use the trainer, and sees what the fit left
      assertEquals(report.get().model().weightsSha256(), t.snapshot().weightsSha256());
      assertEquals(1, t.epochsDone());
    }
  }

  @Test
  void anEpochCountsBeforeTheListenerHearsOfItsEnd() {
    String uninterrupted;
    try (Trainer t = builder(1).build()) {
      uninterrupted = t.fit(digits.train(), null, 2).model().weightsSha256();
    }
    boolean[] armed = {true};
    try (Trainer t = builder(1).listener(new EpochListener() {
      @Override
      public void epochEnd(EpochStats stats) {}

      @Override
      public void progress(int epoch, long done, long total) {
        if (done == total && armed[0]) {
          armed[0] = false;
          throw new IllegalStateException("progress bar gone");
        }
      }
    }).build()) {
      assertThrows(IllegalStateException.class, () -> t.fit(digits.train(), null, 2));
      assertEquals(1, t.epochsDone(), "the epoch's updates are in, so it counts");
      TrainingReport r = t.fit(digits.train(), null, 1); // epoch 2, with its own shuffle
      assertEquals(uninterrupted, r.model().weightsSha256());
      assertEquals("2", r.model().metadata().get("epochs"));
    }
  }

  @Test
  void closingFromEpochEndEndsFitWithTheEpochsDone() throws Exception {
    String twoEpochs;
    try (Trainer t = builder(2).build()) {
      twoEpochs = t.fit(digits.train(), null, 2).model().weightsSha256();
    }
    AtomicReference<Thread[]> workers = new AtomicReference<>();
    Trainer[] self = new Trainer[1];
    Trainer t = builder(8).listener(stats -> { // 8 asked, 4 used: 256 hidden units are 4 chunks
      if (stats.epoch() == 2) {
        workers.set(self[0].workerThreads());
        self[0].close();
      }
    }).build();
    self[0] = t;
    TrainingReport r = t.fit(digits.train(), null, 5);
    assertEquals(2, r.epochs().size());
    assertEquals(twoEpochs, r.model().weightsSha256());
    assertEquals("2", r.model().metadata().get("epochs"));
    assertEquals("4", r.model().metadata().get("threads"), "the threads that trained it, not those asked for");
    assertTrue(ended(workers.get()));
    assertThrows(IllegalStateException.class, () -> t.fit(digits.train(), null, 1));
  }

  @Test
  void anInterruptedWorkerGoesBackToSleep() throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(mx.isThreadCpuTimeSupported());
    try (Trainer t = builder(2).build()) {
      t.trainSample(digits.train().row(0), 3);
      Thread worker = t.workerThreads()[0];
      worker.interrupt();
      Thread.sleep(200); // past the spinning, into the parked slices
      long cpu0 = mx.getThreadCpuTime(worker.threadId());
      Thread.sleep(1000);
      long cpuMs = (mx.getThreadCpuTime(worker.threadId()) - cpu0) / 1_000_000;
      // parked, an idle worker takes about 1% of a core; with its interrupt flag left set it took 94%
      assertTrue(cpuMs < 300, "the idle worker used " + cpuMs + " ms of CPU in a second");
      assertEquals(t.fit(digits.train().slice(0, 50), null, 1).epochs().size(), 1); // and still works
    }
  }

  @Test
  void aTrainerWhoseUserThreadDiedCanStillBeClosed() throws Exception {
    Thread dead = Thread.ofPlatform().name("gone").start(() -> { });
    dead.join();
    Trainer t = builder(2).build();
    t.trainSample(digits.train().row(0), 3);
    Thread[] workers = t.workerThreads();
    t.holdFor(dead); // as a StackOverflowError between a call and its exit would leave it
    IllegalStateException e = assertThrows(IllegalStateException.class, t::snapshot);
    assertTrue(e.getMessage().startsWith("thread 'gone' ended inside a call of the trainer"), e.getMessage());
    // on a thread of its own: a close() that waited for the dead thread would wait for good, and it
    // takes each interrupt (@Timeout's too) as a reason to park again
    Thread closer = Thread.ofPlatform().daemon(true).start(t::close);
    closer.join(30_000);
    assertFalse(closer.isAlive(), "close() still waits 30 s for a thread that is gone");
    assertTrue(ended(workers));
  }

  /**
   * A regressor's online step is a call like any other: refused while another thread's call runs, and
   * once it returns, the trainer is free for another thread.
   */
  @Test
  void aRegressorsOnlineStepTakesAndGivesBackTheTrainer() throws Exception {
    Architecture reg = Architecture.of(4, new int[] {16}, Activation.TANH, 2, Head.SQUARED_ERROR);
    float[] x = {0.5f, -1f, 0.25f, 2f};
    float[] target = {1f, -0.5f};
    try (Trainer t = Trainer.builder(reg).seed(5).build()) {
      t.trainSample(x, target);
      AtomicReference<Object> other = new AtomicReference<>();
      Thread th = Thread.ofPlatform().name("other-thread").start(() -> {
        try {
          other.set(t.trainSample(x, target));
        } catch (RuntimeException e) {
          other.set(e);
        }
      });
      th.join(30_000);
      assertTrue(other.get() instanceof Double, "the step's return gave the trainer back: " + other.get());
      assertEquals("2", t.snapshot().metadata().get("online_samples"));
    }
    CountDownLatch release = new CountDownLatch(1);
    Thread holder = Thread.ofPlatform().name("holder").start(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Trainer t = Trainer.builder(reg).seed(5).build();
    t.holdFor(holder); // as if the holder's call were running
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.trainSample(x, target));
    assertTrue(e.getMessage().startsWith("the trainer is in use by thread 'holder'"), e.getMessage());
    release.countDown();
    holder.join(30_000);
    t.close(); // does not wait for a thread that is gone
  }

  /**
   * A second close() while another thread's close() stops the workers waits for it: it returned at
   * once when it saw the trainer marked closed, with the workers still running.
   */
  @Test
  void aSecondCloseWaitsForTheWorkersToStop() throws Exception {
    Trainer t = builder(2).build();
    t.trainSample(digits.train().row(0), 3);
    Thread[] workers = t.workerThreads();
    Object engine = t.currentEngine();
    boolean[] aliveAfterSecond = new boolean[1];
    Thread first;
    Thread second;
    synchronized (engine) { // holds the first close() inside the engine's close
      first = Thread.ofPlatform().name("first-closer").start(t::close);
      while (!blockedOn(first, engine)) {
        Thread.onSpinWait();
      }
      second = Thread.ofPlatform().name("second-closer").start(() -> {
        t.close();
        for (Thread w : workers) {
          aliveAfterSecond[0] |= w.isAlive();
        }
      });
      while (second.getState() != Thread.State.BLOCKED && second.getState() != Thread.State.TERMINATED) {
        Thread.onSpinWait();
      }
    }
    first.join(30_000);
    second.join(30_000);
    assertFalse(aliveAfterSecond[0], "the second close() returned while a worker was alive");
    assertTrue(ended(workers));
  }

  /**
   * A call while another thread closes the trainer is refused saying so: it said that the trainer was
   * in use by the closing thread and to give other threads its snapshots.
   */
  @Test
  void aCallWhileAnotherThreadClosesSaysSo() throws Exception {
    Trainer t = builder(2).build();
    t.trainSample(digits.train().row(0), 3);
    Object engine = t.currentEngine();
    Thread closer;
    synchronized (engine) { // holds the close() inside the engine's close, the trainer taken for it
      closer = Thread.ofPlatform().name("closing").start(t::close);
      while (!blockedOn(closer, engine)) {
        Thread.onSpinWait();
      }
      IllegalStateException e = assertThrows(IllegalStateException.class, t::snapshot);
      assertEquals("the trainer is being closed by thread 'closing'", e.getMessage());
    }
    closer.join(30_000);
    assertEquals("the trainer is closed", assertThrows(IllegalStateException.class, t::snapshot).getMessage());
  }

  /** Whether {@code th} waits to enter {@code lock}'s monitor. */
  private static boolean blockedOn(Thread th, Object lock) {
    java.lang.management.ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(th.threadId());
    return info != null && info.getThreadState() == Thread.State.BLOCKED && info.getLockInfo() != null
        && info.getLockInfo().getIdentityHashCode() == System.identityHashCode(lock);
  }

  @Test
  void anInterruptedThreadWaitsInCloseWithoutSpinning() throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(mx.isThreadCpuTimeSupported());
    CountDownLatch inEpochEnd = new CountDownLatch(1);
    Trainer t = builder(1).listener(stats -> {
      inEpochEnd.countDown();
      try {
        Thread.sleep(1000); // the owner is busy here while another thread closes
      } catch (InterruptedException ex) {
        throw new IllegalStateException(ex);
      }
    }).build();
    Thread owner = Thread.ofPlatform().start(() -> t.fit(digits.train().slice(0, 100), null, 1));
    assertTrue(inEpochEnd.await(30, TimeUnit.SECONDS));
    long[] cpu = new long[1];
    boolean[] flagKept = new boolean[1];
    Thread closer = Thread.ofPlatform().start(() -> {
      Thread.currentThread().interrupt();
      long c0 = mx.getCurrentThreadCpuTime();
      t.close();
      cpu[0] = (mx.getCurrentThreadCpuTime() - c0) / 1_000_000;
      flagKept[0] = Thread.currentThread().isInterrupted();
    });
    closer.join(30_000);
    owner.join(30_000);
    assertTrue(cpu[0] < 300, "close() used " + cpu[0] + " ms of CPU waiting about a second");
    assertTrue(flagKept[0], "the closing thread's interrupt is kept");
  }

  /** Collects garbage until the three workers have stopped, for at most 30 s; fails with {@code why}. */
  private static void assertStopOnceCollected(Thread[] workers, String why) throws InterruptedException {
    assertEquals(3, workers.length);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    boolean alive = true;
    while (alive && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(50);
      alive = false;
      for (Thread th : workers) {
        alive |= th.isAlive();
      }
    }
    assertFalse(alive, why);
  }

  /**
   * Trains on a trainer that is then dropped without close(); returns its workers. Its listener can
   * reach the trainer, as one that takes snapshots must: the workers must not keep the listener.
   */
  private static Thread[] abandonedTrainerWorkers() {
    Trainer[] self = new Trainer[1];
    Trainer t = builder(4).listener(stats -> self[0].snapshot()).build();
    self[0] = t;
    t.fit(digits.train().slice(0, 100), null, 1);
    return t.workerThreads();
  }

  @Test
  void theWorkersOfATrainerNeverClosedStopOnceItIsUnreachable() throws Exception {
    assertStopOnceCollected(abandonedTrainerWorkers(), "the workers of an unreachable trainer still run");
  }

  /**
   * The workers of a trainer trained on a thread whose task holds the trainer (a {@code Thread} keeps
   * its task after it ends), and never closed: the trainer is unreachable but through that thread.
   */
  private static Thread[] workersOfATrainerTrainedOnAnotherThread() throws InterruptedException {
    Trainer t = builder(4).build();
    Thread trainer = new Thread(() -> t.fit(digits.train().slice(0, 100), null, 1), "trains");
    trainer.start();
    trainer.join();
    return t.workerThreads();
  }

  @Test
  void theWorkersOfATrainerNeverClosedStopThoughAnotherThreadTrainedIt() throws Exception {
    assertStopOnceCollected(workersOfATrainerTrainedOnAnotherThread(),
        "the workers keep the thread that trained last, and through its task the trainer");
  }

  /** A value that threads started by a thread inherit, as an application's context of a job may be. */
  private static final InheritableThreadLocal<Object> JOB = new InheritableThreadLocal<>();

  /** The workers of a trainer started on a thread whose inheritable context holds the trainer. */
  private static Thread[] workersOfATrainerInAnInheritedContext() throws InterruptedException {
    Thread[][] workers = new Thread[1][];
    Thread caller = new Thread(() -> {
      Trainer t = builder(4).build();
      JOB.set(t);
      t.fit(digits.train().slice(0, 100), null, 1);
      workers[0] = t.workerThreads();
    });
    caller.start();
    caller.join();
    return workers[0];
  }

  @Test
  void theWorkersOfATrainerNeverClosedInheritNoContextThatHoldsIt() throws Exception {
    assertStopOnceCollected(workersOfATrainerInAnInheritedContext(),
        "the workers inherited the caller's inheritable thread-locals, and through them the trainer");
  }

  /**
   * Virtual threads have no name unless given one: the messages that name the thread in use, or the
   * closing one, name such a thread by its id ("thread ''" said nothing).
   */
  @Test
  void messagesNameAnUnnamedThreadByItsId() throws Exception {
    CountDownLatch inEpochEnd = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Trainer t = builder(1).listener(stats -> {
      inEpochEnd.countDown();
      try {
        release.await();
      } catch (InterruptedException ex) {
        throw new IllegalStateException(ex);
      }
    }).build();
    Thread owner = Thread.ofVirtual().start(() -> t.fit(digits.train().slice(0, 100), null, 1));
    Thread closer = null;
    try {
      assertTrue(inEpochEnd.await(30, TimeUnit.SECONDS));
      IllegalStateException inUse = assertThrows(IllegalStateException.class, t::snapshot);
      assertTrue(inUse.getMessage().startsWith("the trainer is in use by unnamed thread #" + owner.threadId() + ";"),
          inUse.getMessage());
      closer = Thread.ofVirtual().start(t::close);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (LockSupport.getBlocker(closer) != t && System.nanoTime() < deadline) {
        Thread.sleep(1); // until close() waits for the owner's call
      }
      IllegalStateException closing = assertThrows(IllegalStateException.class, t::snapshot);
      assertEquals("the trainer is being closed by unnamed thread #" + closer.threadId(), closing.getMessage());
    } finally {
      release.countDown();
    }
    owner.join(30_000);
    closer.join(30_000);
    assertFalse(closer.isAlive());
    assertEquals("the trainer is closed", assertThrows(IllegalStateException.class, t::snapshot).getMessage());
  }
}
