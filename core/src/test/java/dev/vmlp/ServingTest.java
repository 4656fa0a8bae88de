package dev.vmlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmlp.data.Digits;
import dev.vmlp.data.TrainTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Serving while learning: threads predict with the latest snapshot that a trainer publishes, and each
 * prediction is what that snapshot gives alone.
 */
class ServingTest {
  static final int READERS = 3;
  static final int SNAPSHOTS = 150;
  static final int SAMPLES_PER_SNAPSHOT = 20;
  /** Predictions each reader records per snapshot (it goes on predicting without recording). */
  static final int RECORDS_PER_SNAPSHOT = 100;
  static final int MAX_RECORDS = (SNAPSHOTS + 1) * RECORDS_PER_SNAPSHOT;
  static TrainTest digits;

  @BeforeAll
  static void load() {
    digits = Digits.load();
  }

  record Published(int id, Model model) {}

  /** What one reader saw: which snapshot, which test row, and the bits of the probabilities. */
  static final class Records {
    final int[] snapshot = new int[MAX_RECORDS];
    final int[] row = new int[MAX_RECORDS];
    final int[] predicted = new int[MAX_RECORDS];
    final float[] probabilities = new float[MAX_RECORDS * 10];
    int count;
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void predictionsWhileATrainerPublishesSnapshotsAreThoseOfOnePublishedSnapshot() throws InterruptedException {
    Architecture arch = Architecture.builder(64).hidden(32, Activation.RELU).output(10, Head.SOFTMAX_CROSS_ENTROPY);
    Dataset train = digits.train();
    Dataset test = digits.test();
    Model[] published = new Model[SNAPSHOTS + 1];
    AtomicReference<Published> latest = new AtomicReference<>();
    Trainer trainer = Trainer.builder(arch).scaling(digits.scaling()).learningRate(0.05f).seed(3).build();
    published[0] = trainer.snapshot();
    latest.set(new Published(0, published[0]));
    CountDownLatch started = new CountDownLatch(READERS);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    // The newest snapshot a reader has predicted with: the trainer waits for it before training on, so
    // that the readers see every snapshot however fast training is, while training runs beside them.
    AtomicInteger seenUpTo = new AtomicInteger(-1);
    Records[] records = new Records[READERS];
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < READERS; t++) {
      Records rec = records[t] = new Records();
      int seed = t;
      threads.add(Thread.ofPlatform().name("reader-" + t).start(() -> {
        try {
          started.countDown();
          Workspace ws = published[0].newWorkspace();
          float[] p = new float[10];
          int k = seed;
          int i = 0;
          int lastId = -1;
          int recordedForId = 0;
          while (true) {
            Published now = latest.get();
            int r = (k = k * 31 + 7 & 0x7fffffff) % test.size();
            float[] x = test.row(r);
            // both kinds of workspace: the caller's and the model's own per-thread one
            int c = (i++ & 1) == 0 ? now.model().predict(x, 0, ws) : now.model().predict(x);
            now.model().predictProbabilities(x, 0, p, 0, ws);
            recordedForId = now.id() == lastId ? recordedForId : 0;
            lastId = now.id();
            if (recordedForId++ < RECORDS_PER_SNAPSHOT) {
              int n = rec.count++;
              rec.snapshot[n] = now.id();
              rec.row[n] = r;
              rec.predicted[n] = c;
              System.arraycopy(p, 0, rec.probabilities, n * 10, 10);
            }
            seenUpTo.accumulateAndGet(now.id(), Math::max);
            if (now.id() == SNAPSHOTS) {
              break; // the last snapshot is out: training is over
            }
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }));
    }
    assertTrue(started.await(30, TimeUnit.SECONDS));
    int sample = 0;
    for (int s = 1; s <= SNAPSHOTS; s++) {
      for (int i = 0; i < SAMPLES_PER_SNAPSHOT; i++, sample++) {
        int r = sample % train.size();
        trainer.trainSample(train.row(r), train.label(r));
      }
      published[s] = trainer.snapshot();
      latest.set(new Published(s, published[s]));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (seenUpTo.get() < s && failure.get() == null) {
        assertTrue(System.nanoTime() < deadline, "no reader predicted with snapshot " + s + " within 20 s");
        Thread.yield();
      }
    }
    for (Thread t : threads) {
      t.join(60_000);
      assertTrue(!t.isAlive(), t.getName() + " did not finish");
    }
    if (failure.get() != null) {
      throw new AssertionError("a reader failed", failure.get());
    }

    // Every snapshot still has the weights it was published with, training went on after it.
    for (Model m : published) {
      assertEquals(m.metadata().get("weights_sha256"), m.weightsSha256());
    }
    assertNotEquals(published[0].weightsSha256(), published[SNAPSHOTS].weightsSha256());

    // Each prediction is what its snapshot gives, predicted alone afterwards.
    Set<Integer> seen = new HashSet<>();
    long checked = 0;
    float[] p = new float[10];
    Workspace ws = published[0].newWorkspace();
    for (Records rec : records) {
      for (int n = 0; n < rec.count; n++) {
        Model m = published[rec.snapshot[n]];
        float[] x = test.row(rec.row[n]);
        int c = m.predictProbabilities(x, 0, p, 0, ws);
        for (int k = 0; k < 10; k++) {
          if (Float.floatToRawIntBits(p[k]) != Float.floatToRawIntBits(rec.probabilities[n * 10 + k])) {
            throw new AssertionError("snapshot " + rec.snapshot[n] + ", row " + rec.row[n] + ": probability " + k
                + " was " + rec.probabilities[n * 10 + k] + " while training, " + p[k] + " alone");
          }
        }
        assertEquals(rec.predicted[n], m.predict(x, 0, ws));
        assertEquals(rec.predicted[n], c);
        seen.add(rec.snapshot[n]);
        checked++;
      }
    }
    // Not vacuous: the readers saw many snapshots, and those predict differently.
    assertTrue(seen.size() >= SNAPSHOTS, "the readers saw only snapshots " + seen);
    assertTrue(checked >= 1000, "only " + checked + " predictions");
    float[] first = new float[10];
    float[] last = new float[10];
    published[0].predictProbabilities(test.row(0), first);
    published[SNAPSHOTS].predictProbabilities(test.row(0), last);
    assertNotEquals(first[0], last[0]);
    trainer.close();
  }

  /**
   * A pooled thread that served a stream of snapshots through the per-thread workspace keeps none of
   * them reachable once they are replaced: its cached workspaces hold the architecture, not the model.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void thePerThreadWorkspaceKeepsNoReplacedSnapshotReachable() throws Exception {
    Architecture arch = Architecture.builder(64).hidden(32, Activation.RELU).output(10, Head.SOFTMAX_CROSS_ENTROPY);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    List<java.lang.ref.WeakReference<Model>> replaced = new ArrayList<>();
    try (Trainer t = Trainer.builder(arch).scaling(digits.scaling()).seed(3).build()) {
      float[] x = digits.test().row(0);
      for (int s = 0; s < 20; s++) {
        t.trainSample(digits.train().row(s), digits.train().label(s));
        Model m = t.snapshot();
        pool.submit(() -> m.predictProbabilities(x, new float[10])).get();
        pool.submit(() -> m.predict(x)).get();
        replaced.add(new java.lang.ref.WeakReference<>(m));
      }
    }
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (replaced.stream().anyMatch(r -> r.get() != null)) {
        assertTrue(System.nanoTime() < deadline, "replaced snapshots still reachable after 30 s of collections");
        System.gc();
        Thread.sleep(10);
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void singleRowCallsNeedExactLengths() {
    Model m = Model.initialize(Architecture.of(4, new int[] {3}, Activation.RELU, 2, Head.SOFTMAX_CROSS_ENTROPY), 1);
    IllegalArgumentException longer = assertThrows(IllegalArgumentException.class, () -> m.predict(new float[5]));
    assertEquals("input has 5 values, the model expects 4", longer.getMessage());
    IllegalArgumentException out = assertThrows(IllegalArgumentException.class,
        () -> m.predictProbabilities(new float[4], new float[3]));
    assertEquals("output array has 3 values, the model has 2 outputs", out.getMessage());
    // A row inside a longer array is what the offset forms are for.
    float[] rows = {9, 9, 1, 2, 3, 4};
    assertEquals(m.predict(new float[] {1, 2, 3, 4}), m.predict(rows, 2, m.newWorkspace()));
    IllegalArgumentException past = assertThrows(IllegalArgumentException.class,
        () -> m.predict(rows, 3, m.newWorkspace()));
    assertTrue(past.getMessage().contains("offset 3 needs 4 values, the array has 6"), past.getMessage());
  }

  @Test
  void offsetsOutsideTheirArraysAreNamedByTheModel() {
    Model m = Model.initialize(Architecture.of(4, new int[] {3}, Activation.RELU, 2, Head.SOFTMAX_CROSS_ENTROPY), 1);
    Workspace ws = m.newWorkspace();
    float[] rows = {9, 9, 1, 2, 3, 4};
    // a negative input offset is the model's error, not the input scaling's
    IllegalArgumentException before = assertThrows(IllegalArgumentException.class, () -> m.predict(rows, -1, ws));
    assertEquals("input row at offset -1 needs 4 values, the array has 6", before.getMessage());
    // the output range counts from its offset: an array long enough from 0 is too short from 2
    IllegalArgumentException past = assertThrows(IllegalArgumentException.class,
        () -> m.predictProbabilities(rows, 2, new float[3], 2, ws));
    assertEquals("output needs 2 values at offset 2, the array has 3", past.getMessage());
    IllegalArgumentException logits = assertThrows(IllegalArgumentException.class,
        () -> m.predictLogits(rows, 2, new float[3], 2, ws));
    assertEquals("output needs 2 values at offset 2, the array has 3", logits.getMessage());
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> m.predictLogits(rows, 2, new float[3], -1, ws));
    assertEquals("output needs 2 values at offset -1, the array has 3", negative.getMessage());
  }

  @Test
  void logitsAreTheOutputLayersValuesAndProbabilitiesTheirSoftmax() {
    Architecture arch = Architecture.of(2, new int[0], Activation.RELU, 2, Head.SOFTMAX_CROSS_ENTROPY);
    Model m = Model.of(arch, List.of(new LayerWeights(2, 2, new float[] {1, 0, 0, 1}, new float[] {0, 1})),
        InputScaling.none());
    Workspace ws = m.newWorkspace();
    float[] x = {2, -1};
    float[] z = new float[2];
    m.predictLogits(x, 0, z, 0, ws);
    assertEquals("[2.0, 0.0]", java.util.Arrays.toString(z));
    float[] p = new float[2];
    assertEquals(0, m.predictProbabilities(x, 0, p, 0, ws));
    double p0 = 1 / (1 + Math.exp(-2)); // softmax of (2, 0)
    assertEquals(p0, p[0], 1e-6);
    assertEquals(1 - p0, p[1], 1e-6);
  }

  @Test
  void theFiniteCheckNamesTheIndexAndTheValue() {
    Model m = Model.initialize(Architecture.of(4, new int[] {3}, Activation.RELU, 2, Head.SOFTMAX_CROSS_ENTROPY), 1);
    Workspace checking = m.newWorkspace().checkFinite(true);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> m.predict(new float[] {0, 1, Float.NEGATIVE_INFINITY, 2}, 0, checking));
    assertEquals("input [2] is -Infinity, not finite", e.getMessage());
    // the check turns off again: the NaN then reaches the outputs
    Workspace off = m.newWorkspace().checkFinite(true).checkFinite(false);
    assertThrows(NonFiniteException.class, () -> m.predict(new float[] {0, 1, Float.NaN, 2}, 0, off));
    // in a batch, the row is named too
    float[] batch = {0, 1, 2, 3, 4, 5, Float.NaN, 7};
    IllegalArgumentException inBatch = assertThrows(IllegalArgumentException.class,
        () -> m.predictBatch(batch, 2, new int[2], checking));
    assertEquals("row 1, input [2] is NaN, not finite", inBatch.getMessage());
    IllegalArgumentException classes = assertThrows(IllegalArgumentException.class,
        () -> m.predictBatch(new float[8], 2, new int[1], m.newWorkspace()));
    assertEquals("2 rows need 2 classes, the array has 1", classes.getMessage());
    // a negative count is said to be one (it said "-1 rows of 4 inputs need -4 values")
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> m.predictBatchProbabilities(new float[8], -1, new float[4], m.newWorkspace()));
    assertEquals("a batch of -1 rows; the count cannot be negative", negative.getMessage());
  }

  @Test
  void probabilitiesComeWithTheClassThatPredictGives() {
    Model m = Model.initialize(Architecture.of(20, new int[] {16}, Activation.TANH, 5, Head.SOFTMAX_CROSS_ENTROPY), 3);
    Workspace ws = m.newWorkspace();
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
    float[] x = new float[20];
    float[] p = new float[5];
    Set<Integer> classes = new HashSet<>();
    for (int r = 0; r < 2000; r++) {
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) rnd.nextGaussian() * 3;
      }
      int c = m.predictProbabilities(x, 0, p, 0, ws);
      assertEquals(m.predict(x, 0, ws), c);
      for (int k = 0; k < p.length; k++) {
        assertTrue(p[k] <= p[c], "class " + c + " has p " + p[c] + ", class " + k + " has " + p[k]);
      }
      classes.add(c);
    }
    assertTrue(classes.size() >= 3, "the rows reached only classes " + classes);
    // equal logits: the first class, as predict gives it
    Architecture tied = Architecture.of(2, new int[0], Activation.RELU, 3, Head.SOFTMAX_CROSS_ENTROPY);
    Model flat = Model.of(tied, List.of(new LayerWeights(3, 2, new float[] {0, 0, 1, 1, 1, 1},
        new float[] {0, 0, 0})), InputScaling.none());
    assertEquals(1, flat.predictProbabilities(new float[] {1, 2}, new float[3]));
    assertEquals(1, flat.predict(new float[] {1, 2}));
    // a regressor has no class; its outputs are still written
    Model reg = Model.of(Architecture.of(2, new int[0], Activation.RELU, 1, Head.SQUARED_ERROR),
        List.of(new LayerWeights(1, 2, new float[] {2, 3}, new float[] {1})), InputScaling.none());
    float[] out = new float[1];
    assertEquals(-1, reg.predictProbabilities(new float[] {1, 1}, out));
    assertEquals(6f, out[0]);
    // its loss is half the squared error: outputs 6 and 4 against targets 4 and 3 give (4 / 2 + 1 / 2) / 2
    var e = reg.evaluate(Dataset.ofTargets("t", new float[] {1, 1, 0, 1}, 2, new float[] {4, 3}, 1));
    assertEquals(1.25, e.meanLoss(), 1e-12);
  }

  /**
   * A model picks the sparse path from the zeros of its scaled input, not of the raw row: standardising
   * maps a raw 0 to {@code -mean / sd}, so a row of raw zeros is a dense input, and the model predicts it
   * as the same model without scaling predicts the scaled row. Every other test's scaling keeps zeros
   * zero (none, divideBy), where a list of the raw row's non-zeros gave the same logits.
   */
  @Test
  void aStandardisedModelPicksTheSparsePathFromTheScaledRow() {
    Architecture arch = Architecture.builder(64).hidden(20, Activation.TANH).output(10, Head.SOFTMAX_CROSS_ENTROPY);
    InputScaling standardize = InputScaling.standardize(digits.train());
    Model m = Model.initialize(arch, 5).withScaling(standardize);
    Model unscaled = m.withScaling(InputScaling.none());
    float[] raw = new float[64];
    raw[10] = 12;
    raw[20] = 3; // 2 raw values in 64: a row the sparse path would take, were it not scaled
    float[] scaled = new float[64];
    standardize.apply(raw, 0, scaled, 0, 64);
    float[] logits = new float[10];
    float[] expected = new float[10];
    m.predictLogits(raw, 0, logits, 0, m.newWorkspace());
    unscaled.predictLogits(scaled, 0, expected, 0, unscaled.newWorkspace());
    for (int o = 0; o < 10; o++) {
      assertEquals(Float.floatToRawIntBits(expected[o]), Float.floatToRawIntBits(logits[o]), "logit " + o);
    }
  }

  /**
   * A model with an infinite weight predicts on the dense path even for a sparse row: the zero input
   * facing the infinite weight makes the dense product NaN ({@code 0 · ∞}), which the sparse path,
   * skipping that row, would hide behind a finite logit (Kernels#forwardInputMajorSparse).
   */
  @Test
  void anInfiniteWeightFacingAZeroInputIsNaNEvenForASparseRow() {
    Architecture arch = Architecture.of(20, new int[0], Activation.RELU, 2, Head.SOFTMAX_CROSS_ENTROPY);
    float[] w = new float[2 * 20];
    java.util.Arrays.fill(w, 0.1f);
    w[5] = Float.POSITIVE_INFINITY; // unit 0, input 5
    Model m = Model.ofAllowingNonFinite(arch, List.of(new LayerWeights(2, 20, w, new float[2])), InputScaling.none());
    float[] x = new float[20];
    x[0] = 1; // one non-zero input in 20: a row the sparse path would take
    NonFiniteException e = assertThrows(NonFiniteException.class, () -> m.predict(x));
    assertTrue(e.getMessage().contains("z[0] is NaN"), e.getMessage());
    // another scaling keeps the model what it is: not finite, so dense
    NonFiniteException scaled = assertThrows(NonFiniteException.class,
        () -> m.withScaling(InputScaling.divideBy(2)).predict(x));
    assertTrue(scaled.getMessage().contains("z[0] is NaN"), scaled.getMessage());
    // and so do other metadata
    NonFiniteException described = assertThrows(NonFiniteException.class,
        () -> m.withMetadata(java.util.Map.of("note", "diverged")).predict(x));
    assertTrue(described.getMessage().contains("z[0] is NaN"), described.getMessage());
  }

  /**
   * A parameter that is not finite makes every output NaN or infinite, whatever the input: the error
   * names that parameter rather than suggesting inputs far outside the trained range.
   */
  @Test
  void aNonFiniteOutputOfANonFiniteModelNamesItsParameter() {
    Architecture arch = Architecture.of(2, new int[] {3}, Activation.RELU, 2, Head.SOFTMAX_CROSS_ENTROPY);
    float[] w0 = {1, 0, 0, 1, 1, 1};
    w0[3] = Float.NaN; // unit 1, input 1
    Model m = Model.ofAllowingNonFinite(arch, List.of(new LayerWeights(3, 2, w0, new float[3]),
        new LayerWeights(2, 3, new float[] {1, 1, 1, 1, 1, 1}, new float[2])), InputScaling.none());
    NonFiniteException e = assertThrows(NonFiniteException.class, () -> m.predict(new float[] {1, 1}));
    assertEquals("output z[0] is NaN (the model's layer 0 weight [1, 1] = NaN)", e.getMessage());
    NonFiniteException eval = assertThrows(NonFiniteException.class,
        () -> m.evaluate(Dataset.ofClasses("d", new float[] {1, 1}, 2, new int[] {0}, 2)));
    assertEquals("row 0 of 'd': output z[0] is NaN (the model's layer 0 weight [1, 1] = NaN)", eval.getMessage());
    // the row and the problem apart, for a caller that knows where the row came from
    assertEquals(0, eval.row());
    assertEquals("output z[0] is NaN (the model's layer 0 weight [1, 1] = NaN)", eval.problem());
    assertEquals(-1, e.row());
    assertEquals(e.getMessage(), e.problem());
  }

  @Test
  void anInfiniteLogitIsAnErrorInEveryPredictionForm() {
    Architecture arch = Architecture.of(2, new int[0], Activation.RELU, 2, Head.SOFTMAX_CROSS_ENTROPY);
    Model m = Model.ofAllowingNonFinite(arch, List.of(new LayerWeights(2, 2, new float[] {1, 0, 0, 1},
        new float[] {Float.NEGATIVE_INFINITY, 0})), InputScaling.none());
    float[] x = {1, 1};
    Workspace ws = m.newWorkspace();
    float[] out = new float[2];
    assertThrows(NonFiniteException.class, () -> m.predict(x, 0, ws));
    java.util.Arrays.fill(out, 7f);
    assertThrows(NonFiniteException.class, () -> m.predictLogits(x, 0, out, 0, ws));
    NonFiniteException e = assertThrows(NonFiniteException.class, () -> m.predictProbabilities(x, 0, out, 0, ws));
    assertTrue(e.getMessage().contains("z[0] is -Infinity"), e.getMessage());
    assertEquals("[7.0, 7.0]", java.util.Arrays.toString(out), "out is unchanged when a prediction throws");
    // the last output is checked too: +∞ there would otherwise be the predicted class
    Model last = Model.ofAllowingNonFinite(arch, List.of(new LayerWeights(2, 2, new float[] {1, 0, 0, 1},
        new float[] {0, Float.POSITIVE_INFINITY})), InputScaling.none());
    assertThrows(NonFiniteException.class, () -> last.predict(x, 0, ws));
    assertThrows(NonFiniteException.class, () -> last.predictLogits(x, 0, out, 0, ws));
    e = assertThrows(NonFiniteException.class, () -> last.predictProbabilities(x, 0, out, 0, ws));
    assertTrue(e.getMessage().contains("z[1] is Infinity"), e.getMessage());
  }

  @Test
  void aBatchWritesOverItsInputsOnlyWhereThatGivesEachRowsOwnOutputs() {
    float[] rows = {1, -2, 3, 0.5f, 4, -1};
    // 2 inputs, 3 outputs: in place, row 0's outputs would overwrite row 1 before it is read
    Model wide = Model.initialize(Architecture.of(2, new int[] {4}, Activation.TANH, 3, Head.SQUARED_ERROR), 5);
    float[] inPlace = rows.clone();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> wide.predictBatchProbabilities(inPlace, 2, inPlace, wide.newWorkspace()));
    assertEquals("out is the input array, and each row's 3 outputs would overwrite the next row's 2 inputs",
        e.getMessage());
    // 3 inputs, 2 outputs: each row is read before its outputs land on it
    Model narrow = Model.initialize(Architecture.of(3, new int[] {4}, Activation.TANH, 2, Head.SOFTMAX_CROSS_ENTROPY), 5);
    assertInPlaceIsApart(narrow, rows, 2);
    // 2 inputs, 2 outputs: each row's outputs land on its own inputs only, so in place is allowed
    assertInPlaceIsApart(
        Model.initialize(Architecture.of(2, new int[] {4}, Activation.TANH, 2, Head.SQUARED_ERROR), 5), rows, 3);
  }

  /** {@code m}'s batch outputs of {@code count} rows written over the rows themselves equal those written apart. */
  private static void assertInPlaceIsApart(Model m, float[] rows, int count) {
    float[] apart = new float[count * m.architecture().outputs()];
    m.predictBatchProbabilities(rows, count, apart, m.newWorkspace());
    float[] same = rows.clone();
    m.predictBatchProbabilities(same, count, same, m.newWorkspace());
    for (int i = 0; i < apart.length; i++) {
      assertEquals(Float.floatToRawIntBits(apart[i]), Float.floatToRawIntBits(same[i]), "value " + i);
    }
  }

  @Test
  void aNonFiniteOutputInABatchNamesItsRow() {
    Architecture arch = Architecture.of(2, new int[0], Activation.RELU, 2, Head.SOFTMAX_CROSS_ENTROPY);
    Model m = Model.of(arch, List.of(new LayerWeights(2, 2, new float[] {1e30f, 0, 0, 1}, new float[] {0, 0})),
        InputScaling.none());
    float[] batch = {1, 1, 1e10f, 1, 2, 2}; // row 1 gives z[0] = 1e40, which overflows
    Workspace ws = m.newWorkspace();
    NonFiniteException classes = assertThrows(NonFiniteException.class,
        () -> m.predictBatch(batch, 3, new int[3], ws));
    assertEquals("row 1, output z[0] is Infinity (inputs far outside the trained range?)", classes.getMessage());
    assertEquals(1, classes.row(), "the row, apart, for a caller that knows where it came from");
    assertEquals("output z[0] is Infinity (inputs far outside the trained range?)", classes.problem());
    NonFiniteException probabilities = assertThrows(NonFiniteException.class,
        () -> m.predictBatchProbabilities(batch, 3, new float[6], ws));
    assertTrue(probabilities.getMessage().startsWith("row 1, output z[0] is Infinity"), probabilities.getMessage());
    NonFiniteException logits = assertThrows(NonFiniteException.class,
        () -> m.predictLogits(batch, 2, new float[2], 0, ws));
    assertTrue(logits.getMessage().startsWith("row 1, output z[0]"), logits.getMessage());
    assertEquals(1, logits.row());
    // a regressor's evaluation throws too, naming the row
    Model reg = Model.of(Architecture.of(2, new int[0], Activation.RELU, 1, Head.SQUARED_ERROR),
        List.of(new LayerWeights(1, 2, new float[] {1e30f, 0}, new float[] {0})), InputScaling.none());
    NonFiniteException eval = assertThrows(NonFiniteException.class,
        () -> reg.evaluate(Dataset.ofTargets("t", new float[] {1, 1, 1e10f, 1}, 2, new float[] {0, 0}, 1)));
    assertEquals("row 1 of 't': output z[0] is Infinity (inputs far outside the trained range?)", eval.getMessage());
    // a row alone is not numbered
    NonFiniteException alone = assertThrows(NonFiniteException.class, () -> m.predict(new float[] {1e10f, 1}));
    assertEquals("output z[0] is Infinity (inputs far outside the trained range?)", alone.getMessage());
    assertEquals(-1, alone.row());
    // a batch of one row is still a batch: its row is named as in any other (it read as a row alone, -1)
    float[] one = {1e10f, 1};
    NonFiniteException oneClass = assertThrows(NonFiniteException.class, () -> m.predictBatch(one, 1, new int[1], ws));
    assertEquals("row 0, output z[0] is Infinity (inputs far outside the trained range?)", oneClass.getMessage());
    assertEquals(0, oneClass.row());
    NonFiniteException oneProbabilities = assertThrows(NonFiniteException.class,
        () -> m.predictBatchProbabilities(one, 1, new float[2], ws));
    assertEquals(0, oneProbabilities.row());
    IllegalArgumentException oneInput = assertThrows(IllegalArgumentException.class,
        () -> m.predictBatch(new float[] {Float.NaN, 1}, 1, new int[1], m.newWorkspace().checkFinite(true)));
    assertEquals("row 0, input [0] is NaN, not finite", oneInput.getMessage());
    // finite inputs that overflow into inf - inf give NaN too: no input is blamed that is finite, checked
    // by the workspace or held by a dataset (whose values are all finite)
    Model cancels = Model.of(Architecture.of(1, new int[] {2}, Activation.RELU, 1, Head.SQUARED_ERROR),
        List.of(new LayerWeights(2, 1, new float[] {1e30f, 1e30f}, new float[2]),
            new LayerWeights(1, 2, new float[] {1, -1}, new float[1])), InputScaling.none());
    NonFiniteException checked = assertThrows(NonFiniteException.class,
        () -> cancels.predictLogits(new float[] {1e10f}, 0, new float[1], 0, cancels.newWorkspace().checkFinite(true)));
    assertEquals("output z[0] is NaN (inputs far outside the trained range?)", checked.getMessage());
    NonFiniteException inData = assertThrows(NonFiniteException.class,
        () -> cancels.evaluate(Dataset.ofTargets("t", new float[] {1e10f}, 1, new float[] {0}, 1)));
    assertEquals("row 0 of 't': output z[0] is NaN (inputs far outside the trained range?)", inData.getMessage());
    // without the check, a NaN input reaches the output as NaN, and the hint names that input
    NonFiniteException nanInput = assertThrows(NonFiniteException.class, () -> m.predict(new float[] {Float.NaN, 1}));
    assertEquals("output z[0] is NaN (input [0] is NaN)", nanInput.getMessage());
    NonFiniteException infInput =
        assertThrows(NonFiniteException.class, () -> m.predict(new float[] {1, Float.NEGATIVE_INFINITY}));
    assertEquals("output z[0] is NaN (input [1] is -Infinity)", infInput.getMessage());
  }
}
