package dev.vmlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmlp.data.Digits;
import dev.vmlp.data.TrainTest;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a trainer does when a pass goes wrong: an exception from a listener (checked ones included),
 * an interrupt on a small dataset, a nested fit from epochEnd, and inputs it must refuse.
 */
@Timeout(120)
class TrainerFailureTest {
  static TrainTest digits;
  static final Architecture ARCH =
      Architecture.of(64, new int[] {256}, Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY);

  @BeforeAll
  static void load() {
    digits = Digits.load();
  }

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

  @Test
  void inputsATrainerMustRefuse() {
    IllegalArgumentException scaling = assertThrows(IllegalArgumentException.class,
        () -> Trainer.builder(ARCH).scaling(InputScaling.perFeature(new float[3], new float[] {1, 1, 1})).build());
    assertEquals("input scaling is for 3 features, the network has 64 inputs", scaling.getMessage());
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
}
