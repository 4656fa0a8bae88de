package dev.vmlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmlp.data.Digits;
import dev.vmlp.data.TrainTest;
import dev.vmlp.internal.kernel.KernelProvider;
import dev.vmlp.internal.kernel.Kernels;
import dev.vmlp.io.ModelFiles;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The multithreaded trainer: the same bits for any thread count, and a clean lifecycle. */
@Timeout(120)
class ParallelTrainerTest {
  static TrainTest digits;

  @TempDir
  Path tmp;

  @BeforeAll
  static void load() {
    digits = Digits.load();
  }

  private static String sha(Architecture arch, int threads, Trainer.InputPath path, int epochs) {
    try (Trainer t = Trainer.builder(arch).seed(3).learningRate(0.02f).scaling(digits.scaling()).threads(threads)
        .inputPath(path).build()) {
      TrainingReport r = t.fit(digits.train(), digits.test(), epochs);
      assertEquals(Math.min(threads, ParallelEngine.maxThreads(arch)), r.threads(), "threads used");
      return r.model().weightsSha256();
    }
  }

  @Test
  void anyThreadCountGivesTheBitsOfOne() {
    Architecture wide = Architecture.of(64, new int[] {512}, Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY);
    assertEquals(8, ParallelEngine.maxThreads(wide));
    for (Trainer.InputPath path : new Trainer.InputPath[] {Trainer.InputPath.DENSE, Trainer.InputPath.SPARSE}) {
      String one = sha(wide, 1, path, 2);
      for (int threads : new int[] {2, 3, 4, 8}) {
        assertEquals(one, sha(wide, threads, path, 2), threads + " threads, " + path);
      }
    }
  }

  @Test
  void deepNetworksExchangeGradientsInTheSameOrder() {
    Architecture deep = Architecture.builder(64).hidden(256, Activation.TANH).hidden(192, Activation.SIGMOID)
        .hidden(130, Activation.LEAKY_RELU).output(10, Head.SOFTMAX_CROSS_ENTROPY);
    assertEquals(3, ParallelEngine.maxThreads(deep));
    String one = sha(deep, 1, Trainer.InputPath.AUTO, 1);
    assertEquals(one, sha(deep, 2, Trainer.InputPath.AUTO, 1));
    assertEquals(one, sha(deep, 3, Trainer.InputPath.AUTO, 1));
    assertEquals(one, sha(deep, 8, Trainer.InputPath.AUTO, 1), "more threads than chunks are capped");
  }

  /**
   * Sigmoid layers whose widths are no multiple of 16 (200 and 150 units, padded to 208 and 160): each
   * thread activates only the real units of its range, as one thread does. A padding unit's
   * {@code σ(0) = ½}, where every other activation gives 0, would move the next layer's padding weights,
   * which then enter its product; the networks above have padding only behind ReLU, tanh and leaky ReLU.
   */
  @Test
  void sigmoidLayersWithPaddingGiveTheBitsOfOneThread() {
    Architecture arch = Architecture.builder(64).hidden(200, Activation.SIGMOID).hidden(150, Activation.SIGMOID)
        .output(10, Head.SOFTMAX_CROSS_ENTROPY);
    assertEquals(3, ParallelEngine.maxThreads(arch));
    String one = sha(arch, 1, Trainer.InputPath.AUTO, 1);
    assertEquals(one, sha(arch, 2, Trainer.InputPath.AUTO, 1), "2 threads");
    assertEquals(one, sha(arch, 3, Trainer.InputPath.AUTO, 1), "3 threads");
  }

  @Test
  void regressionAndOnlineStepsAgreeAcrossThreadCounts() {
    Architecture arch = Architecture.builder(64).hidden(300, Activation.RELU).output(3, Head.SQUARED_ERROR);
    float[] target = {0.5f, -1f, 2f};
    String[] shas = new String[3];
    for (int threads = 1; threads <= 3; threads++) {
      try (Trainer t = Trainer.builder(arch).seed(1).learningRate(0.001f).threads(threads)
          .scaling(digits.scaling()).build()) {
        for (int i = 0; i < 200; i++) {
          float[] row = digits.train().row(i);
          target[0] = row[10] / 16f;
          t.trainSample(row, target);
        }
        shas[threads - 1] = t.snapshot().weightsSha256();
      }
    }
    assertEquals(shas[0], shas[1]);
    assertEquals(shas[0], shas[2]);
  }

  /**
   * A regression fit, shuffled, on 1, 2 and 3 threads, dense and sparse: every thread reads the targets
   * of the row at hand. The online steps above are passes of one sample, always row 0, so a thread that
   * read row 0's targets for every sample of a fit passed them.
   */
  @Test
  void regressionFitsAgreeAcrossThreadCounts() {
    Architecture arch = Architecture.builder(64).hidden(300, Activation.RELU).output(3, Head.SQUARED_ERROR);
    Dataset train = digits.train();
    int n = 400;
    float[] features = new float[n * 64];
    float[] targets = new float[n * 3];
    for (int i = 0; i < n; i++) {
      train.copyRow(i, features, i * 64);
      targets[3 * i] = train.label(i) / 9f;
      targets[3 * i + 1] = features[i * 64 + 10] / 16f;
      targets[3 * i + 2] = train.label(i) % 2;
    }
    Dataset regression = Dataset.ofTargets("digits-regression", features, 64, targets, 3);
    for (Trainer.InputPath path : new Trainer.InputPath[] {Trainer.InputPath.DENSE, Trainer.InputPath.SPARSE}) {
      String[] shas = new String[3];
      for (int threads = 1; threads <= 3; threads++) {
        try (Trainer t = Trainer.builder(arch).seed(1).learningRate(0.001f).threads(threads).inputPath(path)
            .scaling(digits.scaling()).build()) {
          TrainingReport r = t.fit(regression, null, 2);
          assertEquals(threads, r.threads(), "threads used");
          shas[threads - 1] = r.model().weightsSha256();
        }
      }
      assertEquals(shas[0], shas[1], "2 threads, " + path);
      assertEquals(shas[0], shas[2], "3 threads, " + path);
    }
  }

  @Test
  void workersAreNamedDaemonsAndNoneOutlivesClose() {
    Architecture arch = Architecture.of(64, new int[] {256}, Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY);
    Trainer t = Trainer.builder(arch).threads(4).scaling(digits.scaling()).build();
    t.fit(digits.train(), null, 1);
    Thread[] workers = t.workerThreads();
    assertEquals(3, workers.length);
    for (Thread w : workers) {
      assertTrue(w.isDaemon(), w.getName());
      assertTrue(w.getName().startsWith("vmlp-trainer-"), w.getName());
      assertTrue(w.isAlive(), "workers wait between passes");
    }
    t.close();
    for (Thread w : workers) {
      assertFalse(w.isAlive(), w.getName() + " is still alive after close()");
    }
    assertThrows(IllegalStateException.class, () -> t.fit(digits.train(), null, 1));
  }

  @Test
  void twoTrainersWorkersAreToldApartByName() {
    Architecture arch = Architecture.of(64, new int[] {256}, Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY);
    try (Trainer a = Trainer.builder(arch).threads(2).scaling(digits.scaling()).build();
        Trainer b = Trainer.builder(arch).threads(2).scaling(digits.scaling()).build()) {
      a.fit(digits.train().slice(0, 100), null, 1);
      b.fit(digits.train().slice(0, 100), null, 1);
      String nameA = a.workerThreads()[0].getName();
      String nameB = b.workerThreads()[0].getName();
      assertTrue(nameA.matches("vmlp-trainer-\\d+-worker-1"), nameA);
      assertTrue(nameB.matches("vmlp-trainer-\\d+-worker-1"), nameB);
      assertNotEquals(nameA, nameB, "a thread dump tells the two trainers' workers apart");
    }
  }

  @Test
  void closeWithTheInterruptFlagSetStillEndsEveryWorker() {
    Architecture arch = Architecture.of(64, new int[] {256}, Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY);
    for (int round = 0; round < 10; round++) { // workers wake from their park at their own pace
      Trainer t = Trainer.builder(arch).threads(2).scaling(digits.scaling()).build();
      t.fit(digits.train().slice(0, 100), null, 1);
      Thread[] workers = t.workerThreads();
      Thread.currentThread().interrupt(); // as after a TrainingInterruptedException
      boolean flagKept;
      try {
        t.close();
      } finally {
        flagKept = Thread.interrupted();
      }
      for (Thread w : workers) {
        assertFalse(w.isAlive(), w.getName() + " is still alive after close()");
      }
      assertTrue(flagKept, "close() keeps the interrupt flag");
    }
  }

  @Test
  void anInterruptAsTheEpochEndsCountsTheEpoch() {
    Architecture arch = Architecture.of(64, new int[] {256}, Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY);
    for (int threads : new int[] {1, 2}) {
      // set in epoch 1's end, the flag is seen at epoch 2's check after sample 1,024; one thread stops
      // there, two finish the next sample: with these sizes, both at the epoch's last sample
      Dataset data = digits.train().slice(0, threads == 1 ? 1024 : 1025);
      String interrupted;
      try (Trainer t = Trainer.builder(arch).threads(threads).seed(9).scaling(digits.scaling())
          .listener(stats -> {
            if (stats.epoch() == 1) {
              Thread.currentThread().interrupt();
            }
          }).build()) {
        TrainingInterruptedException e =
            assertThrows(TrainingInterruptedException.class, () -> t.fit(data, null, 4));
        assertTrue(Thread.interrupted(), "the interrupt flag stays set");
        assertEquals(2, e.epoch());
        assertEquals(data.size(), e.samplesDone(), threads + " threads");
        assertEquals(2, t.epochsDone(), "the finished epoch counts");
        t.fit(data, null, 1); // epoch 3, with epoch 3's shuffle
        interrupted = t.snapshot().weightsSha256();
      }
      try (Trainer t = Trainer.builder(arch).seed(9).scaling(digits.scaling()).build()) {
        t.fit(data, null, 3);
        assertEquals(t.snapshot().weightsSha256(), interrupted, threads + " threads");
      }
    }
  }

  @Test
  void aWorkersFailureReachesTheCallerWithItsCause() throws InterruptedException {
    Architecture arch = Architecture.of(64, new int[] {256}, Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY);
    RuntimeException boom = new RuntimeException("injected failure");
    Kernels failing = new FailingKernels(KernelProvider.get(), "-worker-2", 500, boom);
    Trainer t = Trainer.builder(arch).threads(3).scaling(digits.scaling()).kernels(failing).build();
    // on a thread of its own: a failure that a worker lost would leave the caller waiting in the barrier,
    // which ignores interrupts (and so @Timeout), for good
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller = Thread.ofPlatform().daemon(true).start(() -> {
      try {
        t.fit(digits.train(), null, 1);
      } catch (Throwable e) {
        thrown.set(e);
      }
    });
    caller.join(30_000);
    assertFalse(caller.isAlive(), "fit still waits 30 s after a worker failed");
    IllegalStateException e = assertInstanceOf(IllegalStateException.class, thrown.get());
    assertSame(boom, e.getCause());
    Thread[] workers = t.workerThreads();
    // before close(): the failure broke the barrier, and the other workers leave rather than spin or wait
    long deadline = System.nanoTime() + 10_000_000_000L;
    for (Thread w : workers) {
      w.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      assertFalse(w.isAlive(), () -> w.getName() + " is still " + w.getState() + " 10 s after the failure");
    }
    t.close();
    for (Thread w : workers) {
      assertFalse(w.isAlive(), w.getName() + " survived a failure and close()");
    }
  }

  /**
   * A worker that fails while the caller, whose own failure ended the pass first, closes the trainer:
   * the worker recorded its failure under the engine's monitor, which close() held while it joined the
   * workers, so close() waited out its 10-second limit and returned with that worker alive (BLOCKED).
   */
  @Test
  void aWorkerFailingWhileTheCallerClosesDoesNotHoldUpClose() throws InterruptedException {
    Architecture arch = Architecture.of(64, new int[] {256}, Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY);
    RuntimeException callerFailure = new RuntimeException("the caller's failure");
    RuntimeException workerFailure = new RuntimeException("the worker's failure");
    // each thread's first kernel call of the pass fails: the caller's after 50 ms, the worker's after 500 ms,
    // by which time the caller is in close()
    Kernels failing = new FailingKernels(new FailingKernels(KernelProvider.get(), "-worker-1", 1, workerFailure,
        500), "failing-caller", 1, callerFailure, 50);
    Trainer t = Trainer.builder(arch).threads(2).scaling(digits.scaling()).kernels(failing)
        .inputPath(Trainer.InputPath.DENSE).build();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Thread[]> workers = new AtomicReference<>();
    long[] closeNanos = new long[1];
    Thread caller = Thread.ofPlatform().name("failing-caller").daemon(true).start(() -> {
      try {
        t.fit(digits.train(), null, 1);
      } catch (Throwable e) {
        thrown.set(e);
      }
      workers.set(t.workerThreads());
      long start = System.nanoTime();
      t.close();
      closeNanos[0] = System.nanoTime() - start;
    });
    caller.join(30_000);
    assertFalse(caller.isAlive(), "close() still runs 30 s after the failures");
    assertSame(callerFailure, thrown.get());
    assertTrue(closeNanos[0] < 5_000_000_000L, "close() took " + closeNanos[0] / 1_000_000 + " ms");
    for (Thread w : workers.get()) {
      assertFalse(w.isAlive(), () -> w.getName() + " is still " + w.getState() + " after close()");
    }
  }

  @Test
  void interruptingTheCallerStopsAfterAWholeSample() throws Exception {
    Architecture arch = Architecture.of(64, new int[] {512}, Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY);
    AtomicReference<TrainingInterruptedException> caught = new AtomicReference<>();
    AtomicReference<String> sha = new AtomicReference<>();
    AtomicInteger progressCalls = new AtomicInteger();
    Thread caller = new Thread(() -> {
      try (Trainer t = Trainer.builder(arch).threads(2).seed(5).scaling(digits.scaling()).shuffle(false)
          .listener(new EpochListener() {
            @Override
            public void epochEnd(EpochStats stats) {}

            @Override
            public void progress(int epoch, long done, long total) {
              if (progressCalls.incrementAndGet() == 3) {
                Thread.currentThread().interrupt();
              }
            }
          }).build()) {
        try {
          t.fit(digits.train(), null, 5);
        } catch (TrainingInterruptedException e) {
          caught.set(e);
          assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag stays set");
          Thread.interrupted();
          sha.set(t.snapshot().weightsSha256());
        }
      }
    });
    caller.start();
    caller.join(60_000);
    assertFalse(caller.isAlive());
    TrainingInterruptedException e = caught.get();
    assertTrue(e != null, "fit was not interrupted");
    // progress calls: sample 1024 of epoch 1, its end, then sample 1024 of epoch 2, which interrupts;
    // the threads stop together one sample later
    assertEquals(2, e.epoch());
    assertEquals(1025, e.samplesDone());
    // the weights are those of exactly samplesDone whole samples of the epoch's order
    int done = (int) e.samplesDone();
    int epochsBefore = e.epoch() - 1;
    try (Trainer one = Trainer.builder(arch).seed(5).scaling(digits.scaling()).shuffle(false).build()) {
      if (epochsBefore > 0) {
        one.fit(digits.train(), null, epochsBefore);
      }
      one.fit(digits.train().slice(0, done), null, 1);
      assertEquals(one.snapshot().weightsSha256(), sha.get());
    }
  }

  @Test
  void oversubscribedThreadsFinishWithTheSameBits() {
    Architecture wide = Architecture.of(64, new int[] {512}, Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY);
    // 8 threads, as on a machine of 2 processors however many this one has (and truly more threads
    // than processors wherever there are fewer than 8)
    String many;
    try (Trainer t = Trainer.builder(wide).seed(3).learningRate(0.02f).scaling(digits.scaling()).threads(8)
        .processors(2).inputPath(Trainer.InputPath.DENSE).build()) {
      TrainingReport r = t.fit(digits.train(), digits.test(), 1);
      assertEquals(8, r.threads());
      assertTrue(t.oversubscribed(), "the hand-offs yield after every spin");
      many = r.model().weightsSha256();
    }
    assertEquals(sha(wide, 1, Trainer.InputPath.DENSE, 1), many);
    try (Trainer t = Trainer.builder(wide).threads(2).processors(2).scaling(digits.scaling()).build()) {
      t.fit(digits.train().slice(0, 10), null, 1);
      assertFalse(t.oversubscribed(), "as many threads as processors spin between yields");
    }
  }

  @Test
  void autoThreadsStayOnOneForSmallNetworks() {
    Architecture small = Architecture.of(64, new int[] {256}, Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY);
    assertEquals(1, Trainer.autoThreads(small, 1.0));
    Architecture big = Architecture.of(784, new int[] {4096}, Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY);
    int cores = Runtime.getRuntime().availableProcessors();
    assertEquals(Math.min(cores, 16), Trainer.autoThreads(big, 1.0));
    assertTrue(Trainer.autoThreads(big, 0.01) < Trainer.autoThreads(big, 1.0) || cores == 1);
    // one thread per whole 100,000 multiply-adds: 784-160-10 has 127,040, 784-256-10 has 203,264
    assertEquals(1, Trainer.autoThreads(Architecture.of(784, new int[] {160}, Activation.RELU, 10,
        Head.SOFTMAX_CROSS_ENTROPY), 1.0));
    assertEquals(Math.min(cores, 2), Trainer.autoThreads(Architecture.of(784, new int[] {256}, Activation.RELU, 10,
        Head.SOFTMAX_CROSS_ENTROPY), 1.0));
    // the break-even exactly: 196,000 + 3,920 multiply-adds stay on one thread, 196,000 + 4,000 take two
    assertEquals(1, Trainer.autoThreads(Architecture.of(1000, new int[] {196}, Activation.RELU, 20,
        Head.SOFTMAX_CROSS_ENTROPY), 1.0));
    assertEquals(Math.min(cores, 2), Trainer.autoThreads(Architecture.of(980, new int[] {200}, Activation.RELU, 20,
        Head.SOFTMAX_CROSS_ENTROPY), 1.0));
  }

  @Test
  void aNetworkWithoutHiddenLayersTrainsOnOneThread() {
    // its output layer is updated by the calling thread alone: there are no hidden units to split
    Architecture flat = Architecture.of(64, new int[0], Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY);
    assertEquals(1, ParallelEngine.maxThreads(flat));
    try (Trainer t = Trainer.builder(flat).threads(4).scaling(digits.scaling()).build()) {
      assertEquals("1", t.snapshot().metadata().get("threads"), "before any pass");
      assertEquals(1, t.fit(digits.train().slice(0, 10), null, 1).threads());
      assertEquals(0, t.workerThreads().length);
    }
  }

  @Test
  void aSnapshotBeforeAnyPassRecordsNoMoreThreadsThanTheNetworkCanUse() {
    // 16 hidden units are one chunk: whatever is asked for, one thread trains it
    Architecture narrow = Architecture.of(64, new int[] {16}, Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY);
    try (Trainer t = Trainer.builder(narrow).threads(8).scaling(digits.scaling()).build()) {
      assertEquals("1", t.snapshot().metadata().get("threads"), "before any pass");
      t.fit(digits.train().slice(0, 10), null, 1);
      assertEquals("1", t.snapshot().metadata().get("threads"), "after a pass");
    }
  }

  @Test
  void aSnapshotBeforeAnAutoPassRecordsACountOnlyWhenTheNetworkDecidesIt() throws IOException {
    // 64-256-10 stays on one thread at any density of the data: the network decides, and 1 is recorded
    Architecture small = Architecture.of(64, new int[] {256}, Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY);
    try (Trainer t = Trainer.builder(small).threads(Trainer.AUTO_THREADS).scaling(digits.scaling()).build()) {
      assertEquals("1", t.snapshot().metadata().get("threads"));
    }
    // 64-4096-10: its first layer is most of the work, so the data's density decides, unless the dense
    // path is forced
    Architecture wide = Architecture.of(64, new int[] {4096}, Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY);
    int dense = Trainer.autoThreads(wide, 1.0);
    try (Trainer t = Trainer.builder(wide).threads(Trainer.AUTO_THREADS).inputPath(Trainer.InputPath.DENSE)
        .scaling(digits.scaling()).build()) {
      assertEquals(Integer.toString(dense), t.snapshot().metadata().get("threads"), "the dense path forced");
      assertEquals(dense, t.fit(digits.train().slice(0, 10), null, 1).threads(), "the count recorded is used");
    }
    Assumptions.assumeTrue(Trainer.autoThreads(wide, 0.0) != dense, "one processor: one thread at any density");
    try (Trainer t = Trainer.builder(wide).threads(Trainer.AUTO_THREADS).scaling(digits.scaling()).build()) {
      Model before = t.snapshot();
      assertFalse(before.metadata().containsKey("threads"), "no count before the pass that decides it: "
          + before.metadata());
      Path f = tmp.resolve("before.safetensors");
      ModelFiles.save(before, f);
      assertFalse(ModelFiles.load(f).metadata().containsKey("threads"), "saved and loaded without it");
      TrainingReport r = t.fit(digits.train().slice(0, 10), null, 1);
      assertEquals(Integer.toString(r.threads()), t.snapshot().metadata().get("threads"), "after the pass");
    }
    // a continued model's count is its own run's: not published as this trainer's before its first pass
    Model recorded = Model.initialize(wide, 5).withMetadata(Map.of("threads", "9"));
    try (Trainer t = Trainer.builder(recorded).threads(Trainer.AUTO_THREADS).build()) {
      assertFalse(t.snapshot().metadata().containsKey("threads"), t.snapshot().metadata().toString());
    }
  }

  /**
   * Under AUTO_THREADS each call takes the count its data gives, and a change of count replaces the
   * engine, whose workers end; but a call from a listener's epochEnd keeps the running fit's engine.
   * 64-4096-10 trains dense rows on every processor and rows of density 1/8 on one.
   */
  @Test
  void autoThreadsReplaceTheEngineWhenTheCountChangesButNotUnderARunningFit() throws InterruptedException {
    Architecture wide = Architecture.of(64, new int[] {4096}, Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY);
    int dense = Trainer.autoThreads(wide, 1.0);
    Assumptions.assumeTrue(dense > 1 && Trainer.autoThreads(wide, 0.125) == 1, "one processor: one thread always");
    int rows = 20;
    float[] x = new float[rows * 64];
    int[] labels = new int[rows];
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < 8; k++) {
        x[r * 64 + (r * 8 + k * 5) % 64] = 0.25f * (k + 1);
      }
      labels[r] = r % 10;
    }
    Dataset sparse = Dataset.ofClasses("sparse", x, 64, labels, 10);
    assertEquals(0.125, sparse.density(), 1e-9);
    float[] row = sparse.row(3);
    AtomicInteger nested = new AtomicInteger();
    Trainer[] self = new Trainer[1];
    try (Trainer t = Trainer.builder(wide).threads(Trainer.AUTO_THREADS).learningRate(0.01f)
        .listener(new EpochListener() {
          @Override
          public void epochEnd(EpochStats stats) {
            self[0].trainSample(row, 3); // dense: alone it would take every processor
            assertEquals(1, self[0].currentEngine().threads(), "the running fit's engine stays");
            nested.incrementAndGet();
          }
        }).build()) {
      self[0] = t;
      t.trainSample(row, 3);
      assertEquals(dense, t.currentEngine().threads());
      Thread[] workers = t.workerThreads();
      assertEquals(dense - 1, workers.length);
      TrainingReport r = t.fit(sparse, null, 2);
      assertEquals(1, r.threads());
      assertEquals(2, nested.get());
      for (Thread w : workers) {
        w.join(10_000);
        assertFalse(w.isAlive(), w.getName() + " outlived the engine it worked for");
      }
      assertEquals("1", r.model().metadata().get("threads"));
      t.trainSample(row, 3);
      assertEquals(dense, t.currentEngine().threads());
      assertEquals(Integer.toString(dense), t.snapshot().metadata().get("threads"));
    }
  }

  /** Delegates to real kernels, and throws once from one named thread after some calls. */
  static final class FailingKernels implements Kernels {
    final Kernels k;
    final String thread;
    final AtomicInteger left;
    final RuntimeException failure;

    /** Milliseconds the failing call sleeps before it throws. */
    final long sleepMs;

    FailingKernels(Kernels k, String thread, int after, RuntimeException failure) {
      this(k, thread, after, failure, 0);
    }

    FailingKernels(Kernels k, String thread, int after, RuntimeException failure, long sleepMs) {
      this.k = k;
      this.thread = thread;
      this.left = new AtomicInteger(after);
      this.failure = failure;
      this.sleepMs = sleepMs;
    }

    private void maybeFail() {
      if (Thread.currentThread().getName().endsWith(thread) && left.decrementAndGet() == 0) {
        if (sleepMs > 0) {
          try {
            Thread.sleep(sleepMs);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        throw failure;
      }
    }

    @Override
    public String name() {
      return k.name();
    }

    @Override
    public int vectorBits() {
      return k.vectorBits();
    }

    @Override
    public int nonZeros(float[] x, int off, int n, int[] nz) {
      return k.nonZeros(x, off, n, nz);
    }

    @Override
    public int zerosAt(int[] rows, int off, int len, float[] x, int xOff, int[] out) {
      return k.zerosAt(rows, off, len, x, xOff, out);
    }

    @Override
    public void forwardInputMajor(MemorySegment wt, int block, float[] x, int xOff, int n, float[] b, float[] z,
        int o0, int o1) {
      maybeFail();
      k.forwardInputMajor(wt, block, x, xOff, n, b, z, o0, o1);
    }

    @Override
    public void forwardInputMajorSparse(MemorySegment wt, int block, int n, float[] x, int xOff, int[] nz,
        int nzOff, int nzLen, float[] b, float[] z, int o0, int o1) {
      maybeFail();
      k.forwardInputMajorSparse(wt, block, n, x, xOff, nz, nzOff, nzLen, b, z, o0, o1);
    }

    @Override
    public void updateInputMajor(MemorySegment wt, int block, float[] x, int xOff, int n, float[] g, int o0,
        int o1) {
      k.updateInputMajor(wt, block, x, xOff, n, g, o0, o1);
    }

    @Override
    public void updateInputMajorSparse(MemorySegment wt, int block, int n, float[] x, int xOff, int[] nz,
        int nzOff, int nzLen, float[] g, int o0, int o1) {
      k.updateInputMajorSparse(wt, block, n, x, xOff, nz, nzOff, nzLen, g, o0, o1);
    }

    @Override
    public void updateForwardInputMajor(MemorySegment wt, int block, float[] xPrev, int prevOff, float[] g,
        float[] xNext, int nextOff, int n, float[] b, float[] z, int o0, int o1) {
      maybeFail();
      k.updateForwardInputMajor(wt, block, xPrev, prevOff, g, xNext, nextOff, n, b, z, o0, o1);
    }

    @Override
    public void updateForwardInputMajorSparse(MemorySegment wt, int block, int n, float[] xPrev, int prevOff,
        float[] g, float[] xNext, int nextOff, int[] nz, int nzOff, int nzLen, float[] b, float[] z, int o0, int o1) {
      maybeFail();
      k.updateForwardInputMajorSparse(wt, block, n, xPrev, prevOff, g, xNext, nextOff, nz, nzOff, nzLen, b, z, o0,
          o1);
    }

    @Override
    public void chunkDots(MemorySegment w, int rows, float[] x, int n, int c0, int c1, float[] partials) {
      k.chunkDots(w, rows, x, n, c0, c1, partials);
    }

    @Override
    public void backwardUpdateOutputMajor(MemorySegment w, int block, int rows, float[] s, float[] g, float[] x,
        float[] delta, int j0, int j1) {
      k.backwardUpdateOutputMajor(w, block, rows, s, g, x, delta, j0, j1);
    }

    @Override
    public void activate(Activation a, float[] z, float[] o, int from, int to) {
      k.activate(a, z, o, from, to);
    }

    @Override
    public void activationGradient(Activation a, float[] z, float[] o, float[] delta, float[] s, int from, int to) {
      k.activationGradient(a, z, o, delta, s, from, to);
    }

    @Override
    public double softmax(float[] z, int n, int label, float[] p, float[] s) {
      return k.softmax(z, n, label, p, s);
    }

    @Override
    public String toString() {
      return "FailingKernels" + Arrays.asList(thread, left);
    }
  }
}
