package dev.vmlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmlp.data.TrainTest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a trainer does when a pass goes wrong: an exception from a listener (checked ones included),
 * an interrupt on a small dataset, a nested fit from epochEnd, and inputs it must refuse.
 */
@Timeout(120)
class TrainerFailureTest {
  static final TrainTest digits = DigitsFixture.DIGITS;
  static final Architecture ARCH = DigitsFixture.NET_64_256_10;

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
    throw (T) t; // what a Kotlin listener can do: a checked exception from a method that declares none
  }

  /** A listener that throws {@code e} at its first progress call. */
  private static EpochListener throwingOnce(Throwable e) {
    return new EpochListener() {
      boolean thrown;

      @Override
      public void epochEnd(EpochStats stats) {}

      @Override
      public void progress(int epoch, long done, long total) {
        if (!thrown) {
          thrown = true;
          sneakyThrow(e);
        }
      }
    };
  }

  @Test
  void anExceptionFromTheListenerStopsTheTrainerTheSameWayForAnyThreadCount() {
    for (Throwable thrown : new Throwable[] {new IOException("disk gone"), new IllegalStateException("listener bug")}) {
      for (int threads : new int[] {1, 2, 4}) {
        Trainer t = Trainer.builder(ARCH).scaling(digits.scaling()).threads(threads)
            .listener(throwingOnce(thrown)).build();
        Throwable e = assertThrows(Throwable.class, () -> t.fit(digits.train(), null, 1));
        assertSame(thrown, e, threads + " threads");
        // the weights are part-updated: nothing more is answered from them, but close() works at once
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> t.fit(digits.train(), null, 1));
        assertSame(thrown, again.getCause());
        assertThrows(IllegalStateException.class, t::snapshot);
        assertThrows(IllegalStateException.class, () -> t.trainSample(new float[64], 1));
        long start = System.nanoTime();
        t.close();
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "close() does not wait for a stuck worker");
        for (Thread w : t.workerThreads()) {
          assertFalse(w.isAlive(), w.getName() + " after close()");
        }
      }
    }
  }

  /** 1024-16384-2: 16.8 million multiply-adds a sample, so it checks for a stop every 8 samples. */
  private static final Architecture WIDE = Architecture.builder(1024).hidden(16_384, Activation.RELU).output(2,
      Head.SOFTMAX_CROSS_ENTROPY);

  /** {@code rows} rows of {@link #WIDE}'s width, uniform in [0, 1) from {@code seed}, all of class 0. */
  private static Dataset wideRows(String name, int rows, long seed) {
    java.util.Random rnd = new java.util.Random(seed);
    float[] x = new float[rows * WIDE.inputs()];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextFloat();
    }
    return Dataset.ofClasses(name, x, WIDE.inputs(), new int[rows], 2);
  }

  /**
   * A wide network looks at an interrupt after fewer samples: every 1,024, as small ones do, 784-100000-10
   * stopped about a minute after a Ctrl-C, and vmlp train --save, whose hook waits 30 s for the save,
   * exited with nothing saved. 1024-16384-2 (16.8 million multiply-adds a sample) checks every 8.
   */
  @Test
  void aWideNetworkStopsWithinAFewSamplesOfAnInterrupt() {
    Dataset data = wideRows("wide", 32, 5);
    for (int threads : new int[] {1, 2}) {
      try (Trainer t = Trainer.builder(WIDE).learningRate(1e-4f).threads(threads).build()) {
        Thread.currentThread().interrupt();
        TrainingInterruptedException e = assertThrows(TrainingInterruptedException.class, () -> t.fit(data, null, 1));
        assertTrue(Thread.interrupted(), "the interrupt flag stays set");
        assertEquals(threads == 1 ? 8 : 9, e.samplesDone(), threads + " threads");
      }
    }
    assertEquals(8, Engine.checkEvery(WIDE));
    assertEquals(Engine.CHECK_EVERY, Engine.checkEvery(Architecture.builder(784).hidden(256, Activation.RELU)
        .output(10, Head.SOFTMAX_CROSS_ENTROPY)), "MNIST's network, as before");
  }

  /**
   * A network that checks after every sample (over 2^27 multiply-adds a sample) stops two samples after
   * an interrupt on two threads, as at any other interval: thread 0 moved the stop position on at each
   * later check, so the threads disagreed on where the pass ended, and thread 0 ran on alone.
   */
  @Test
  void twoThreadsThatCheckEverySampleStopTogether() {
    // a small network given the check interval of one over 2^27 multiply-adds a sample (such as
    // 2^20-129-2), which needs a gigabyte of weights and inputs
    Architecture small = Architecture.builder(64).hidden(256, Activation.RELU).output(2,
        Head.SOFTMAX_CROSS_ENTROPY);
    assertEquals(1, Engine.checkEvery(small, small.forwardMultiplyAdds()));
    assertEquals(1, Engine.checkEvery(Architecture.builder(Architecture.MAX_WIDTH).hidden(129, Activation.RELU)
        .output(2, Head.SOFTMAX_CROSS_ENTROPY)));
    int inputs = small.inputs();
    int samples = 64;
    float[] x = new float[samples * inputs];
    int[] labels = new int[samples];
    java.util.Random rnd = new java.util.Random(7);
    for (int s = 0; s < samples; s++) {
      for (int k = 0; k < 8; k++) {
        x[s * inputs + rnd.nextInt(inputs)] = rnd.nextFloat();
      }
      labels[s] = s & 1;
    }
    Dataset data = Dataset.ofClasses("small", x, inputs, labels, 2);
    try (Trainer t = Trainer.builder(small).learningRate(1e-3f).threads(2)
        .checkWork(small.forwardMultiplyAdds()).build()) {
      Thread.currentThread().interrupt();
      TrainingInterruptedException e = assertThrows(TrainingInterruptedException.class, () -> t.fit(data, null, 1));
      assertTrue(Thread.interrupted(), "the interrupt flag stays set");
      assertEquals(2, e.samplesDone(), "thread 0 stopped where the workers did");
      assertEquals(0, t.epochsDone());
      // the workers wait for the next pass where thread 0 starts it: the rest of the epoch runs on both
      assertEquals(2, t.fit(data, null, 1).threads());
      assertEquals(1, t.epochsDone());
    }
  }

  /**
   * close() from another thread that two threads see at the sample before a pass's last stops the pass
   * at its end: the epoch is whole, and fit says the trainer was closed, not that the thread, whose flag
   * is clear, was interrupted.
   */
  @Test
  void closeSeenAtThePassesLastCheckIsNoInterrupt() throws InterruptedException {
    Architecture small = Architecture.builder(64).hidden(256, Activation.RELU).output(2,
        Head.SOFTMAX_CROSS_ENTROPY);
    int inputs = small.inputs();
    int samples = 8;
    float[] x = new float[samples * inputs];
    int[] labels = new int[samples];
    for (int s = 0; s < samples; s++) {
      x[s * inputs + s] = 1f;
      labels[s] = s & 1;
    }
    Dataset data = Dataset.ofClasses("small", x, inputs, labels, 2);
    Thread[] closing = new Thread[1];
    Trainer[] running = new Trainer[1];
    List<Integer> ended = new ArrayList<>();
    EpochListener closeBeforeTheLast = new EpochListener() {
      @Override
      public void progress(int epoch, long done, long total) {
        if (done == total - 1) { // thread 0's check after this sample stops the pass two samples on: at its end
          closing[0] = new Thread(running[0]::close, "closer");
          closing[0].start();
          while (closing[0].getState() != Thread.State.TIMED_WAITING && closing[0].isAlive()) {
            Thread.onSpinWait(); // until close() waits for the running call
          }
        }
      }

      @Override
      public void epochEnd(EpochStats stats) {
        ended.add(stats.epoch());
      }
    };
    running[0] = Trainer.builder(small).learningRate(1e-3f).threads(2).checkWork(small.forwardMultiplyAdds())
        .listener(closeBeforeTheLast).build();
    RuntimeException e = assertThrows(RuntimeException.class, () -> running[0].fit(data, null, 3));
    assertFalse(Thread.currentThread().isInterrupted());
    assertEquals(IllegalStateException.class, e.getClass(), e.toString());
    assertTrue(e.getMessage().contains("closed by thread 'closer'"), e.getMessage());
    // the stop fell at the pass's end: the epoch counts, its epochEnd comes, and fit stops after it
    assertEquals("the trainer was closed by thread 'closer' as epoch 1 ended (the epoch counts)", e.getMessage());
    assertEquals(List.of(1), ended);
    assertEquals(1, running[0].epochsDone());
    closing[0].join(60_000);
    assertFalse(closing[0].isAlive(), "close() returned");
  }

  /**
   * An interrupt that a pass shorter than the check interval finds only at its end (it came before the
   * pass, from the previous epoch's epochEnd) stops fit after that epoch, which counts: its epochEnd
   * comes, and the exception names it with all of its samples done.
   */
  @Test
  void anInterruptFoundAtThePassesEndNamesTheEpochThatCounted() {
    // 128 hidden units: two chunks, so that two threads run the parallel engine
    Architecture arch = Architecture.of(64, new int[] {128}, Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY);
    Dataset data = digits.train().slice(0, 5); // fewer than Engine.CHECK_EVERY: the pass never looks
    for (int threads : new int[] {1, 2}) {
      List<Integer> ended = new ArrayList<>();
      try (Trainer t = Trainer.builder(arch).threads(threads).scaling(digits.scaling()).listener(new EpochListener() {
            @Override
            public void progress(int epoch, long done, long total) {}

            @Override
            public void epochEnd(EpochStats stats) {
              ended.add(stats.epoch());
              if (stats.epoch() == 1) {
                Thread.currentThread().interrupt();
              }
            }
          }).build()) {
        TrainingInterruptedException e = assertThrows(TrainingInterruptedException.class, () -> t.fit(data, null, 3));
        assertTrue(Thread.interrupted(), "the flag stays set");
        assertEquals(2, e.epoch(), threads + " threads: " + e.getMessage());
        assertEquals(5, e.samplesDone());
        assertEquals(List.of(1, 2), ended);
        assertEquals(2, t.epochsDone());
      }
    }
  }

  /** Interrupts the calling thread as a pass ends, before the test set's evaluation; adds each ended epoch to {@code ended}. */
  private static EpochListener interruptWhenThePassEnds(List<Integer> ended) {
    return new EpochListener() {
      @Override
      public void progress(int epoch, long done, long total) {
        if (done == total) {
          Thread.currentThread().interrupt(); // the pass is over: the evaluation comes next
        }
      }

      @Override
      public void epochEnd(EpochStats stats) {
        ended.add(stats.epoch());
      }
    };
  }

  /**
   * The test set's evaluation after an epoch looks at an interrupt too: on a wide network it can take
   * minutes (10,000 rows of 784-100000-10), and an interrupt that came during it was seen only by the
   * next epoch's pass, or not at all after the last one, where fit returned as if none had come.
   */
  @Test
  void anInterruptStopsTheTestSetsEvaluation() {
    Dataset test = wideRows("test", 64, 6);
    Dataset train = test.slice(0, 1);
    List<Integer> ended = new ArrayList<>();
    EpochListener interruptAtTheEnd = interruptWhenThePassEnds(ended);
    try (Trainer t = Trainer.builder(WIDE).learningRate(1e-4f).listener(interruptAtTheEnd).build()) {
      TrainingInterruptedException e = assertThrows(TrainingInterruptedException.class, () -> t.fit(train, test, 1));
      assertTrue(Thread.interrupted(), "the interrupt flag stays set");
      assertEquals(1, e.epoch());
      assertEquals(1, e.samplesDone(), "the epoch is whole, and counts");
      assertEquals(1, t.epochsDone());
      assertEquals(List.of(), ended, "no statistics of a test set evaluated in part");
    }
  }

  /**
   * An interrupt that comes after the evaluation's last check (a test set shorter than the check
   * interval, or its last rows) stops fit as one seen at a check does: fit returned as if none had come.
   */
  @Test
  void anInterruptDuringATestSetShorterThanTheCheckIntervalStopsFit() {
    List<Integer> ended = new ArrayList<>();
    EpochListener interruptAtTheEnd = interruptWhenThePassEnds(ended);
    Dataset test = digits.test().slice(0, 100); // 100 < Engine.checkEvery(ARCH) rows
    try (Trainer t = Trainer.builder(ARCH).scaling(digits.scaling()).listener(interruptAtTheEnd).build()) {
      TrainingInterruptedException e = assertThrows(TrainingInterruptedException.class,
          () -> t.fit(digits.train().slice(0, 200), test, 1));
      assertTrue(Thread.interrupted(), "the interrupt flag stays set");
      assertEquals(200, e.samplesDone(), "the epoch is whole, and counts");
      assertEquals(1, t.epochsDone());
      assertEquals(List.of(), ended, "as when the evaluation saw it at a check");
    }
  }

  /**
   * close() from another thread stops the test set's evaluation at its next check, as it stops a pass:
   * it waited for the whole evaluation (about a minute for 1,500 rows of 1024-16384-2 on the scalar
   * kernels), longer than a signal's save waits, and fit then returned as if it had not been closed.
   */
  @Test
  void closeFromAnotherThreadStopsTheTestSetsEvaluation() throws InterruptedException {
    Dataset test = digits.test();
    Thread[] closing = new Thread[1];
    List<Integer> ended = new ArrayList<>();
    Trainer[] running = new Trainer[1];
    EpochListener closeAtTheEnd = new EpochListener() {
      @Override
      public void progress(int epoch, long done, long total) {
        if (done == total) { // the pass is over: the evaluation comes next
          closing[0] = new Thread(running[0]::close, "closer");
          closing[0].start();
          while (closing[0].getState() != Thread.State.TIMED_WAITING && closing[0].isAlive()) {
            Thread.onSpinWait(); // until close() waits for the running call
          }
        }
      }

      @Override
      public void epochEnd(EpochStats stats) {
        ended.add(stats.epoch());
      }
    };
    running[0] = Trainer.builder(ARCH).scaling(digits.scaling()).listener(closeAtTheEnd).build();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> running[0].fit(digits.train().slice(0, 200), test, 3));
    assertTrue(e.getMessage().contains("closed by thread 'closer' while it evaluated the test set after epoch 1"),
        e.getMessage());
    closing[0].join(60_000);
    assertFalse(closing[0].isAlive(), "close() returned");
    assertEquals(List.of(), ended, "no statistics of a test set evaluated in part");
  }

  @Test
  void anInterruptStopsAPassShorterThanTheCheckInterval() throws InterruptedException {
    for (int threads : new int[] {1, 2}) {
      AtomicReference<Throwable> outcome = new AtomicReference<>();
      AtomicReference<Boolean> flagAfter = new AtomicReference<>();
      try (Trainer t = Trainer.builder(ARCH).scaling(digits.scaling()).threads(threads).build()) {
        Thread runner = new Thread(() -> {
          try {
            t.fit(digits.train().slice(0, 500), null, 100_000); // 500 < Engine.CHECK_EVERY samples a pass
          } catch (Throwable e) {
            outcome.set(e);
          }
          flagAfter.set(Thread.currentThread().isInterrupted());
        });
        runner.start();
        Thread.sleep(300);
        runner.interrupt();
        runner.join(60_000);
        assertFalse(runner.isAlive(), "fit returned");
        assertTrue(outcome.get() instanceof TrainingInterruptedException, threads + " threads: " + outcome.get());
        assertTrue(flagAfter.get(), "the interrupt flag stays set");
        assertTrue(t.epochsDone() > 0 && t.epochsDone() < 100_000);
      }
    }
  }

  @Test
  void aFitFromEpochEndKeepsTheRunningFitsThreads() {
    // with two or more processors, automatic thread counts differ: 2 for the digits (over 200,000
    // multiply-adds a sample at their density), 1 for rows of one non-zero input each (about 88,000)
    Architecture wide = Architecture.of(64, new int[] {8000}, Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY);
    float[] oneHot = new float[64 * 64];
    int[] labels = new int[64];
    for (int i = 0; i < 64; i++) {
      oneHot[i * 64 + i] = 16;
      labels[i] = i % 10;
    }
    Dataset sparseData = Dataset.ofClasses("one-hot", oneHot, 64, labels, 10);
    AtomicReference<TrainingReport> nested = new AtomicReference<>();
    Trainer[] holder = {null};
    try (Trainer t = Trainer.builder(wide).scaling(digits.scaling()).threads(Trainer.AUTO_THREADS)
        .listener(new EpochListener() {
          boolean started;

          @Override
          public void epochEnd(EpochStats stats) {
            if (!started) { // the nested fit's own epochEnd comes here too
              started = true;
              nested.set(holder[0].fit(sparseData, null, 1));
            }
          }
        }).build()) {
      holder[0] = t;
      if (Runtime.getRuntime().availableProcessors() >= 2) {
        assertEquals(2, Trainer.autoThreads(wide, digits.train().density()));
        assertEquals(1, Trainer.autoThreads(wide, sparseData.density()));
      }
      TrainingReport outer = t.fit(digits.train().slice(0, 100), null, 2);
      assertEquals(2, outer.epochs().size(), "the outer fit ran on after the nested one");
      assertEquals(1, nested.get().epochs().size());
      assertEquals(outer.threads(), nested.get().threads(), "the nested fit used the running fit's threads");
    }
  }

  /**
   * A test set that the model cannot take (another width, another head's data) is refused before the
   * first epoch, naming the test set: without that check it trained a whole epoch and failed only when
   * the epoch's evaluation reached the test set, with the weights already changed.
   */
  @Test
  void aTestSetTheModelCannotTakeIsRefusedBeforeAnyTraining() {
    Architecture arch = Architecture.of(2, new int[] {3}, Activation.RELU, 2, Head.SOFTMAX_CROSS_ENTROPY);
    Dataset train = Dataset.ofClasses("train", new float[] {1, 0, 0, 1}, 2, new int[] {0, 1}, 2);
    Dataset wide = Dataset.ofClasses("wide", new float[] {1, 0, 0}, 3, new int[] {0}, 2);
    Dataset targets = Dataset.ofTargets("targets", new float[] {1, 0}, 2, new float[] {1, 2}, 2);
    try (Trainer t = Trainer.builder(arch).seed(3).build()) {
      String before = t.snapshot().weightsSha256();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.fit(train, wide, 1));
      assertEquals("dataset 'wide' has 3 features, the model expects 2", e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> t.fit(train, targets, 1));
      assertEquals("dataset 'targets' has real targets, the model's head is softmax", e.getMessage());
      assertEquals(before, t.snapshot().weightsSha256(), "no epoch ran");
    }
  }

  /**
   * An epoch's time is in seconds, no more than the fit took, and a closed regressor refuses a single
   * sample as a closed classifier does: mutation testing found neither checked.
   */
  @Test
  void anEpochsTimeIsInSecondsAndAClosedRegressorRefusesASample() {
    Architecture arch = Architecture.of(2, new int[] {3}, Activation.RELU, 1, Head.SQUARED_ERROR);
    Dataset train = Dataset.ofTargets("train", new float[] {1, 0, 0, 1}, 2, new float[] {1, 2}, 1);
    Trainer t = Trainer.builder(arch).seed(3).build();
    long t0 = System.nanoTime();
    EpochStats stats = t.fit(train, null, 1).epochs().get(0);
    double took = (System.nanoTime() - t0) * 1e-9;
    assertTrue(stats.trainSeconds() >= 0 && stats.trainSeconds() <= took, stats.trainSeconds() + " s of " + took);
    t.close();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> t.trainSample(new float[2], new float[] {1}));
    assertEquals("the trainer is closed", e.getMessage());
  }

  @Test
  void inputsATrainerMustRefuse() {
    // refused by the setter, as learningRate and threads refuse theirs (it was accepted, and build() threw)
    Trainer.Builder builder = Trainer.builder(ARCH);
    IllegalArgumentException scaling = assertThrows(IllegalArgumentException.class,
        () -> builder.scaling(InputScaling.perFeature(new float[3], new float[] {1, 1, 1})));
    assertEquals("input scaling is for 3 features, the network has 64 inputs", scaling.getMessage());
    try (Trainer unscaled = builder.build()) {
      assertEquals(InputScaling.none(), unscaled.snapshot().scaling(), "a refused call leaves the builder as it was");
    }
    IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class, () -> InputScaling.divideBy(1e-39f));
    assertTrue(tiny.getMessage().contains("1 / divisor overflows"), tiny.getMessage());
    try (Trainer t = Trainer.builder(ARCH).scaling(digits.scaling()).build()) {
      IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
          () -> t.fit(digits.train().slice(0, 0), null, 1));
      assertTrue(empty.getMessage().contains("has no samples to train on"), empty.getMessage());
      float[] x = new float[64];
      x[5] = Float.NaN;
      IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> t.trainSample(x, 3));
      assertEquals("input [5] is NaN; the weights are unchanged", nan.getMessage());
      String before = t.snapshot().weightsSha256();
      t.trainSample(new float[64], 3); // and the trainer goes on
      assertFalse(before.equals(t.snapshot().weightsSha256()));
    }
  }

  @Test
  void aSaturatingNetworkRefusesAnInfiniteOnlineInputBeforeTheStep() {
    // tanh and sigmoid map an infinite input to a finite loss, so only a check before the step keeps
    // fma(g, inf, w) from writing NaN into the weights
    for (Activation a : new Activation[] {Activation.TANH, Activation.SIGMOID}) {
      for (int threads : new int[] {1, 2}) {
        Architecture arch = Architecture.of(2, new int[] {128}, a, 2, Head.SOFTMAX_CROSS_ENTROPY);
        try (Trainer t = Trainer.builder(arch).threads(threads).build()) {
          String before = t.snapshot().weightsSha256();
          IllegalArgumentException inf = assertThrows(IllegalArgumentException.class,
              () -> t.trainSample(new float[] {Float.POSITIVE_INFINITY, 1f}, 0));
          assertEquals("input [0] is Infinity; the weights are unchanged", inf.getMessage());
          assertEquals(before, t.snapshot().weightsSha256(), a + ", " + threads + " threads");
          t.trainSample(new float[] {0.5f, 1f}, 0); // and it goes on training
          assertFalse(before.equals(t.snapshot().weightsSha256()));
        }
      }
    }
  }

  @Test
  void aSnapshotRefusesWeightsThatAnOnlineUpdateOverflowed() {
    // the loss of this step is finite (about 1.5e30), but its update g * 1e30 with g near 1e9 is not:
    // the step cannot tell, and the snapshot must not publish the infinite weights with a hash
    Architecture arch = Architecture.builder(3).output(2, Head.SOFTMAX_CROSS_ENTROPY);
    try (Trainer t = Trainer.builder(arch).learningRate(1e9f).build()) {
      double loss = t.trainSample(new float[] {1e30f, 0f, 0f}, 0);
      assertTrue(Double.isFinite(loss), "loss " + loss);
      TrainingDivergedException e = assertThrows(TrainingDivergedException.class, t::snapshot);
      assertTrue(e.getMessage().startsWith("training diverged at online sample 0 (found by snapshot): layer 0 "),
          e.getMessage());
      assertEquals(0, e.position());
      assertThrows(TrainingDivergedException.class, () -> t.trainSample(new float[] {0f, 1f, 0f}, 1));
    }
  }

  /**
   * A snapshot that finds the weights a fit overflowed names that fit's epoch: it blamed the last online
   * sample before the fit ("training diverged at online sample 0"), which a snapshot had published
   * finite, and said epoch 0, an online sample's.
   */
  @Test
  void aSnapshotRefusingWeightsThatAFitOverflowedNamesTheFitsEpoch() {
    Architecture arch = Architecture.builder(3).output(2, Head.SOFTMAX_CROSS_ENTROPY);
    Dataset one = Dataset.ofClasses("one", new float[] {1e30f, 0f, 0f}, 3, new int[] {0}, 2);
    for (boolean online : new boolean[] {false, true}) {
      try (Trainer t = Trainer.builder(arch).learningRate(1e9f).build()) {
        if (online) {
          t.trainSample(new float[] {0f, 1f, 0f}, 1);
          t.snapshot(); // finite
        }
        assertThrows(TrainingDivergedException.class, () -> t.fit(one, null, 1));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, t::snapshot);
        assertTrue(e.getMessage().startsWith("training diverged in epoch 1 (found by snapshot): layer 0 "),
            e.getMessage());
        assertEquals(1, e.epoch());
        assertEquals(-1, e.position());
        assertEquals(-1, e.row());
      }
    }
    // and a fit that diverges before any step, on weights an online step overflowed, leaves the blame there
    try (Trainer t = Trainer.builder(arch).learningRate(1e9f).build()) {
      t.trainSample(new float[] {1e30f, 0f, 0f}, 0);
      TrainingDivergedException fit = assertThrows(TrainingDivergedException.class, () -> t.fit(one, null, 1));
      assertEquals(0, fit.position(), fit.getMessage());
      TrainingDivergedException e = assertThrows(TrainingDivergedException.class, t::snapshot);
      assertTrue(e.getMessage().startsWith("training diverged at online sample 0 (found by snapshot): layer 0 "),
          e.getMessage());
      assertEquals(0, e.epoch());
    }
  }

  /**
   * An epoch whose every loss is finite can still leave a weight infinite: the last sample's update
   * overflows (its loss, about 1e30, is finite; its update, near 1e9 * 1e30, is not), and no later
   * sample's loss shows it. fit scans the weights after each epoch and says so, counting no epoch.
   */
  @Test
  void anEpochWhoseLastUpdateOverflowsIsFoundByTheScanAfterIt() {
    Architecture arch = Architecture.builder(3).output(2, Head.SOFTMAX_CROSS_ENTROPY);
    Dataset one = Dataset.ofClasses("one", new float[] {1e30f, 0f, 0f}, 3, new int[] {0}, 2);
    try (Trainer t = Trainer.builder(arch).learningRate(1e9f).build()) {
      TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.fit(one, null, 1));
      assertEquals(1, e.epoch());
      assertEquals(-1, e.position());
      assertEquals(-1, e.row());
      assertTrue(e.getMessage().startsWith("training diverged in epoch 1 (found after the epoch): layer 0 "),
          e.getMessage());
      assertEquals(0, t.epochsDone());
      // nor is any of it part-done: the next fit starts epoch 1 over, at its first sample, whose loss the
      // infinite weight makes NaN
      TrainingDivergedException again = assertThrows(TrainingDivergedException.class, () -> t.fit(one, null, 1));
      assertEquals(1, again.epoch());
      assertEquals(0, again.position(), again.getMessage());
      assertEquals(0, t.epochsDone());
    }
  }

  @Test
  void aModelWhoseWeightsAreNotFiniteIsRefusedAsAStart() {
    // a model kept by Model.ofAllowingNonFinite (to inspect a diverged network) was trained from: the
    // snapshot then said "training diverged (found by snapshot) ... try a lower learning rate" before any
    // step, and fit blamed its first sample
    Architecture arch = Architecture.of(2, new int[0], Activation.RELU, 2, Head.SOFTMAX_CROSS_ENTROPY);
    Model inf = Model.ofAllowingNonFinite(arch,
        List.of(new LayerWeights(2, 2, new float[] {Float.POSITIVE_INFINITY, 0, 0, 1}, new float[] {0, 0})),
        InputScaling.none());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder(inf));
    assertEquals("the model to continue from has a parameter that is not finite (layer 0 weight [0, 0] = "
        + "Infinity); training cannot start from it", e.getMessage());
  }

  @Test
  void aFiniteInputThatTheScalingOverflowsIsRefusedOnlineAndInFit() {
    Architecture arch = Architecture.of(2, new int[] {16}, Activation.TANH, 2, Head.SOFTMAX_CROSS_ENTROPY);
    try (Trainer t = Trainer.builder(arch).scaling(InputScaling.multiplyBy(1e10f)).build()) {
      String before = t.snapshot().weightsSha256();
      IllegalArgumentException online = assertThrows(IllegalArgumentException.class,
          () -> t.trainSample(new float[] {1f, 1e30f}, 1));
      assertEquals("input [1] is 1.0E30, which the input scaling (" + InputScaling.multiplyBy(1e10f)
          + ") maps to Infinity; the weights are unchanged", online.getMessage());
      Dataset huge = Dataset.ofClasses("huge", new float[] {1f, 2f, 3f, -1e30f}, 2, new int[] {0, 1}, 2);
      IllegalArgumentException fit = assertThrows(IllegalArgumentException.class, () -> t.fit(huge, null, 1));
      assertTrue(fit.getMessage().startsWith("feature 1 of row 1 of 'huge' is -1.0E30, which the input scaling"),
          fit.getMessage());
      assertEquals(before, t.snapshot().weightsSha256());
      assertEquals(0, t.epochsDone());
    }
  }

  /**
   * An online step whose loss is not finite throws and changes no weight, and the trainer's next step
   * trains as if that sample had not been given.
   */
  @Test
  void anOnlineStepThatDivergesChangesNothingAndTheNextStepTrains() {
    Architecture arch = Architecture.of(4, new int[] {16}, Activation.RELU, 3, Head.SOFTMAX_CROSS_ENTROPY);
    float[] sane = {0.1f, 0.2f, 0.3f, 0.4f};
    try (Trainer t = Trainer.builder(arch).seed(3).build(); Trainer same = Trainer.builder(arch).seed(3).build()) {
      assertEquals(same.trainSample(sane, 1), t.trainSample(sane, 1));
      TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
          () -> t.trainSample(new float[] {3e38f, -3e38f, 3e38f, 0f}, 0));
      assertEquals(0, e.epoch());
      assertEquals(1, e.position(), e.getMessage()); // the second online sample, counted from 0
      assertTrue(e.getMessage().startsWith("training diverged at online sample 1: the loss is "), e.getMessage());
      assertEquals(same.snapshot().weightsSha256(), t.snapshot().weightsSha256());
      // nor does it count as trained: the snapshot's provenance is the other trainer's, and the next
      // divergence takes the same number
      assertEquals("1", t.snapshot().metadata().get("online_samples"));
      assertEquals(1, assertThrows(TrainingDivergedException.class,
          () -> t.trainSample(new float[] {3e38f, -3e38f, 3e38f, 0f}, 0)).position());
      assertEquals(same.trainSample(sane, 2), t.trainSample(sane, 2));
      assertEquals(same.snapshot().weightsSha256(), t.snapshot().weightsSha256());
      assertEquals(same.snapshot().metadata(), t.snapshot().metadata());
    }
  }

  /**
   * An epoch whose first sample diverges trained nothing: its snapshot records no part-done epoch, and a
   * trainer continues from it. (A record of the epoch's size without a count of its samples is refused.)
   */
  @Test
  void anEpochThatDivergesAtItsFirstSampleLeavesNoPartDoneEpoch() {
    Architecture arch = Architecture.of(4, new int[] {16}, Activation.RELU, 3, Head.SOFTMAX_CROSS_ENTROPY);
    Dataset wild = Dataset.ofClasses("wild", new float[] {3e38f, -3e38f, 3e38f, 0f, 0.1f, 0.2f, 0.3f, 0.4f}, 4,
        new int[] {0, 1}, 3);
    try (Trainer t = Trainer.builder(arch).seed(3).shuffle(false).build()) {
      String before = t.snapshot().weightsSha256();
      TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.fit(wild, null, 1));
      assertEquals(0, e.position(), e.getMessage());
      Model after = t.snapshot();
      assertEquals(before, after.weightsSha256());
      assertFalse(after.metadata().containsKey("epoch_samples"), after.metadata().toString());
      assertFalse(after.metadata().containsKey("epoch_size"), after.metadata().toString());
      try (Trainer again = Trainer.builder(after).build()) {
        assertEquals(0, again.epochsDone());
      }
    }
  }

  @Test
  void aTestRowWhoseOutputsOverflowCountsWithAnInfiniteLossAndTrainingGoesOn() {
    Architecture arch = Architecture.of(4, new int[] {16}, Activation.RELU, 3, Head.SOFTMAX_CROSS_ENTROPY);
    float[] f = new float[40 * 4];
    int[] y = new int[40];
    for (int i = 0; i < f.length; i++) {
      f[i] = (i * 37 % 11) / 11f;
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = i % 3;
    }
    Dataset train = Dataset.ofClasses("sane", f, 4, y, 3);
    Dataset test = Dataset.ofClasses("extreme", new float[] {3e38f, -3e38f, 3e38f, 0f, 0.5f, 0.5f, 0.5f, 0.5f}, 4,
        new int[] {0, 1}, 3);
    List<EpochStats> seen = new ArrayList<>();
    try (Trainer t = Trainer.builder(arch).seed(3).listener(seen::add).build();
        Trainer same = Trainer.builder(arch).seed(3).build()) {
      TrainingReport r = t.fit(train, test, 2);
      assertEquals(2, seen.size(), "the test set watches; it does not stop training");
      assertEquals(Double.POSITIVE_INFINITY, r.epochs().get(1).testLoss());
      assertEquals(2, r.test().samples());
      // the overflowing row (label 0) is a wrong answer in no cell; the other row is in its cell
      long inCells = 0;
      for (int truth = 0; truth < 3; truth++) {
        for (int predicted = 0; predicted < 3; predicted++) {
          inCells += r.test().confusion().count(truth, predicted);
        }
      }
      assertEquals(1, inCells);
      assertTrue(r.test().accuracy() <= 0.5, "accuracy " + r.test().accuracy());
      assertEquals(2, t.epochsDone());
      // strict where a caller evaluates: the same row throws, naming it
      NonFiniteException e = assertThrows(NonFiniteException.class, () -> t.snapshot().evaluate(test));
      assertTrue(e.getMessage().startsWith("row 0 of 'extreme': output z["), e.getMessage());
      same.fit(train, null, 2);
      assertEquals(same.snapshot().weightsSha256(), t.snapshot().weightsSha256(), "the test set changed nothing");
    }
  }

  @Test
  void valuesThatTheScalingOverflowsAreRefusedInTheTestSetAndByTheFiniteCheck() {
    Architecture arch = Architecture.of(2, new int[] {16}, Activation.TANH, 2, Head.SOFTMAX_CROSS_ENTROPY);
    Dataset sane = Dataset.ofClasses("sane", new float[] {1f, 2f, 3f, 4f}, 2, new int[] {0, 1}, 2);
    Dataset huge = Dataset.ofClasses("huge", new float[] {1f, 2f, 3f, -1e30f}, 2, new int[] {0, 1}, 2);
    try (Trainer t = Trainer.builder(arch).scaling(InputScaling.multiplyBy(1e10f)).build()) {
      IllegalArgumentException test = assertThrows(IllegalArgumentException.class, () -> t.fit(sane, huge, 1));
      assertTrue(test.getMessage().startsWith("feature 1 of row 1 of 'huge' is -1.0E30, which the input scaling"),
          test.getMessage());
      assertEquals(0, t.epochsDone());
      Model m = t.snapshot();
      Workspace checking = m.newWorkspace().checkFinite(true);
      IllegalArgumentException predict = assertThrows(IllegalArgumentException.class,
          () -> m.predict(new float[] {1f, 1e30f}, 0, checking));
      assertEquals("input [1] is 1.0E30, which the input scaling (" + InputScaling.multiplyBy(1e10f)
          + ") maps to Infinity", predict.getMessage());
    }
  }

  @Test
  void aRegressorRefusesATargetThatIsNotFinite() {
    Architecture arch = Architecture.of(2, new int[] {8}, Activation.RELU, 1, Head.SQUARED_ERROR);
    try (Trainer t = Trainer.builder(arch).build()) {
      String before = t.snapshot().weightsSha256();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> t.trainSample(new float[] {1f, 2f}, new float[] {Float.NaN}));
      assertEquals("target [0] is NaN; the weights are unchanged", e.getMessage());
      assertEquals(before, t.snapshot().weightsSha256());
    }
  }

  @Test
  void evaluationReportsNonFiniteOutputsAsPredictionDoes() {
    Architecture reg = Architecture.of(2, new int[] {8}, Activation.RELU, 1, Head.SQUARED_ERROR);
    Model m = Model.initialize(reg, 5);
    Dataset far = Dataset.ofTargets("far", new float[] {0.5f, 0.5f, 3e38f, 3e38f}, 2, new float[] {0f, 0f}, 1);
    NonFiniteException regressed = assertThrows(NonFiniteException.class, () -> m.evaluate(far));
    assertTrue(regressed.getMessage().startsWith("row 1 of 'far': output z[0] is "), regressed.getMessage());
    assertThrows(NonFiniteException.class, () -> m.predictProbabilities(new float[] {3e38f, 3e38f}, new float[1]));

    // a logit of -inf away from the label gave a loss of 0 and was counted as a good answer
    Architecture cls = Architecture.of(2, new int[] {8}, Activation.RELU, 3, Head.SOFTMAX_CROSS_ENTROPY);
    java.util.List<LayerWeights> w = Model.initialize(cls, 5).weights();
    float[] bias = w.get(1).bias().clone();
    bias[1] = Float.NEGATIVE_INFINITY;
    Model minusInf = Model.ofAllowingNonFinite(cls,
        java.util.List.of(w.get(0), new LayerWeights(3, 8, w.get(1).weights(), bias)), InputScaling.none());
    Dataset one = Dataset.ofClasses("one", new float[] {0.5f, 0.25f}, 2, new int[] {0}, 3);
    NonFiniteException classified = assertThrows(NonFiniteException.class, () -> minusInf.evaluate(one));
    assertTrue(classified.getMessage().startsWith("row 0 of 'one': output z[1] is -Infinity"), classified.getMessage());
  }

  @Test
  void aModelWithAnInfiniteWeightGivesNaNForAZeroInputOnAnyPath() {
    // 0 * inf is NaN on the dense path; the sparse path, which skips zero inputs, must not be taken
    Architecture arch = Architecture.of(20, new int[] {16}, Activation.RELU, 2, Head.SOFTMAX_CROSS_ENTROPY);
    java.util.List<LayerWeights> w = Model.initialize(arch, 9).weights();
    float[] first = w.get(0).weights().clone();
    first[3] = Float.POSITIVE_INFINITY; // output 0, input 3
    Model m = Model.ofAllowingNonFinite(arch,
        java.util.List.of(new LayerWeights(16, 20, first, w.get(0).bias()), w.get(1)), InputScaling.none());
    float[] sparse = new float[20];
    sparse[7] = 1f; // one input of 20: the density that picks the sparse path for a finite model
    float[] dense = new float[20];
    java.util.Arrays.fill(dense, 1f);
    dense[3] = 0f;
    assertThrows(NonFiniteException.class, () -> m.predict(sparse));
    assertThrows(NonFiniteException.class, () -> m.predict(dense));
  }
}
