package dev.vmlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmlp.data.TrainTest;
import dev.vmlp.metrics.Evaluation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrainerTest {
  static final TrainTest digits = DigitsFixture.DIGITS;
  static final Architecture DIGITS_256 = DigitsFixture.NET_64_256_10;

  private static TrainingReport train(Architecture arch, long seed, int epochs, Trainer.InputPath path) {
    try (Trainer t = Trainer.builder(arch).seed(seed).learningRate(0.01f).scaling(digits.scaling())
        .inputPath(path).build()) {
      return t.fit(digits.train(), digits.test(), epochs);
    }
  }

  @Test
  void defaultSettingsReachNinetySixPercentOnTheBundledDigits() {
    List<EpochStats> seen = new ArrayList<>();
    TrainingReport r;
    try (Trainer t = Trainer.builder(DIGITS_256).scaling(digits.scaling()).listener(seen::add).build()) {
      r = t.fit(digits.train(), digits.test(), 10);
    }
    assertTrue(r.test().accuracy() >= 0.96, "test accuracy " + r.test().accuracy());
    assertEquals(10, seen.size());
    assertEquals(r.epochs(), seen);
    assertEquals(359, r.test().samples());
    assertTrue(seen.get(9).trainLoss() < seen.get(0).trainLoss(), "the training loss falls");
    assertTrue(r.samplesPerSecond() > 0);
    assertEquals(r.test().confusion().correct(), Math.round(r.test().accuracy() * 359));
  }

  /** README's early stopping: a listener that snapshots the best epoch and closes the trainer after 5 worse ones. */
  static final class KeepBest implements EpochListener {
    Trainer trainer;
    Model best;
    double bestLoss = Double.POSITIVE_INFINITY;
    int worse;

    @Override
    public void epochEnd(EpochStats s) {
      if (s.testLoss() < bestLoss) {
        bestLoss = s.testLoss();
        best = trainer.snapshot();
        worse = 0;
      } else if (++worse == 5) {
        trainer.close();
      }
    }
  }

  @Test
  void earlyStoppingAsTheReadmeShowsKeepsTheBestModel() {
    KeepBest keep = new KeepBest();
    TrainingReport r;
    try (Trainer trainer = Trainer.builder(DIGITS_256).learningRate(0.05f).scaling(digits.scaling())
        .listener(keep).build()) {
      keep.trainer = trainer;
      r = trainer.fit(digits.train(), digits.test(), 500);
    }
    List<EpochStats> epochs = r.epochs();
    int bestEpoch = 0;
    for (int e = 1; e < epochs.size(); e++) {
      if (epochs.get(e).testLoss() < epochs.get(bestEpoch).testLoss()) {
        bestEpoch = e;
      }
    }
    assertTrue(epochs.size() < 500, "stopped early: " + epochs.size() + " epochs");
    assertEquals(bestEpoch + 1 + 5, epochs.size(), "stopped 5 epochs after the best");
    assertEquals(epochs.get(bestEpoch).testLoss(), keep.bestLoss);
    // the kept model is the best epoch's, not the last one's
    assertEquals(keep.bestLoss, keep.best.evaluate(digits.test()).meanLoss());
    assertTrue(r.model().evaluate(digits.test()).meanLoss() > keep.bestLoss);
  }

  /** An empty test set is evaluated as no test set is: 0 samples, NaN accuracy and loss, training unchanged. */
  @Test
  void anEmptyTestSetGivesNaNTestFiguresAndTheSameWeights() {
    Architecture arch = Architecture.builder(3).hidden(4, Activation.RELU).output(2, Head.SOFTMAX_CROSS_ENTROPY);
    Dataset train = Dataset.ofClasses("t", new float[] {1, 0, 2, 0, 3, 1, 2, 2, 0}, 3, new int[] {0, 1, 1}, 2);
    Dataset empty = Dataset.ofClasses("e", new float[0], 3, new int[0], 2);
    TrainingReport withEmpty;
    TrainingReport without;
    try (Trainer t = Trainer.builder(arch).seed(3).build()) {
      withEmpty = t.fit(train, empty, 2);
    }
    try (Trainer t = Trainer.builder(arch).seed(3).build()) {
      without = t.fit(train, null, 2);
    }
    for (EpochStats e : withEmpty.epochs()) {
      assertTrue(Double.isNaN(e.testLoss()) && Double.isNaN(e.testAccuracy()), e.toString());
    }
    assertEquals(0, withEmpty.test().samples());
    assertTrue(Double.isNaN(withEmpty.test().accuracy()) && Double.isNaN(withEmpty.test().meanLoss()));
    assertEquals(without.model().weightsSha256(), withEmpty.model().weightsSha256());
    Evaluation e = withEmpty.model().evaluate(empty);
    assertEquals(0, e.samples());
    assertTrue(Double.isNaN(e.accuracy()) && Double.isNaN(e.meanLoss()));
    assertEquals(0, e.confusion().total());
  }

  @Test
  void theSameSeedGivesTheSameBitsAndAnotherSeedOthers() {
    String a = train(DIGITS_256, 5, 2, Trainer.InputPath.AUTO).model().weightsSha256();
    String b = train(DIGITS_256, 5, 2, Trainer.InputPath.AUTO).model().weightsSha256();
    String c = train(DIGITS_256, 6, 2, Trainer.InputPath.AUTO).model().weightsSha256();
    assertEquals(a, b);
    assertNotEquals(a, c);
  }

  @Test
  void sparseAndDenseInputPathsGiveTheSameBits() {
    Architecture deep = Architecture.builder(64).hidden(40, Activation.TANH).hidden(17, Activation.LEAKY_RELU)
        .output(10, Head.SOFTMAX_CROSS_ENTROPY);
    for (Architecture arch : List.of(DIGITS_256, deep)) {
      TrainingReport dense = train(arch, 9, 2, Trainer.InputPath.DENSE);
      TrainingReport sparse = train(arch, 9, 2, Trainer.InputPath.SPARSE);
      assertTrue(sparse.sparseInputs());
      assertTrue(!dense.sparseInputs());
      assertEquals(dense.model().weightsSha256(), sparse.model().weightsSha256(), arch.toString());
    }
  }

  @Test
  void theAutomaticInputPathIsSparseUpToHalfTheInputsNonZero() {
    // the trainer picks the path itself: rows of 16 inputs with 8, 9 or 2 non-zero values
    Architecture arch = Architecture.builder(16).hidden(8, Activation.RELU).output(2, Head.SOFTMAX_CROSS_ENTROPY);
    for (int nonZero : new int[] {8, 9, 2}) {
      int rows = 20;
      float[] x = new float[rows * 16];
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < nonZero; j++) {
          x[r * 16 + (j * 5 + r) % 16] = 1 + j;
        }
      }
      Dataset data = Dataset.ofClasses("nz" + nonZero, x, 16, new int[rows], 2);
      try (Trainer t = Trainer.builder(arch).seed(1).build()) {
        assertEquals(nonZero <= 8, t.fit(data, null, 1).sparseInputs(), nonZero + " of 16 inputs non-zero");
      }
    }
    // the bundled digits (about half their pixels non-zero) train on the path their density gives
    assertEquals(digits.train().density() <= 0.5, train(DIGITS_256, 1, 1, Trainer.InputPath.AUTO).sparseInputs());
  }

  /**
   * A report keeps the last epochs' statistics, not all of them: millions of epochs over a small dataset
   * (an XOR demo, say) kept one record each, about 70 bytes, until the heap was full. The listener still
   * hears of every epoch.
   */
  @Test
  void aReportKeepsTheLastEpochsAndTheListenerHearsOfEvery() {
    Architecture arch = Architecture.builder(2).hidden(4, Activation.TANH).output(2, Head.SOFTMAX_CROSS_ENTROPY);
    Dataset xor = Dataset.ofClasses("xor", new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 2, new int[] {0, 1, 1, 0}, 2);
    List<EpochStats> seen = new ArrayList<>();
    TrainingReport r;
    try (Trainer t = Trainer.builder(arch).seed(3).listener(seen::add).keptEpochs(3).build()) {
      r = t.fit(xor, null, 7);
    }
    assertEquals(7, seen.size());
    assertEquals(seen.subList(4, 7), r.epochs(), "the last three epochs, in order");
    assertEquals(List.of(5, 6, 7), r.epochs().stream().map(EpochStats::epoch).toList());
    // the speed leaves out the first kept epoch, as its javadoc says, though the fit's first was not kept
    double rate = (seen.get(5).samples() + seen.get(6).samples())
        / (seen.get(5).trainSeconds() + seen.get(6).trainSeconds());
    assertEquals(rate, r.samplesPerSecond(), "epochs 6 and 7");
    try (Trainer t = Trainer.builder(arch).seed(3).keptEpochs(3).build()) {
      assertEquals(List.of(1, 2), t.fit(xor, null, 2).epochs().stream().map(EpochStats::epoch).toList(),
          "a shorter fit keeps every epoch");
    }
    assertEquals(100_000, TrainingReport.KEPT_EPOCHS);
  }

  @Test
  void fusedEpochsEqualOnlineStepsInTheSameOrder() {
    Architecture arch = Architecture.builder(64).hidden(33, Activation.SIGMOID).output(10, Head.SOFTMAX_CROSS_ENTROPY);
    Model start = Model.initialize(arch, 3).withScaling(digits.scaling());
    String fused;
    try (Trainer t = Trainer.builder(start).shuffle(false).inputPath(Trainer.InputPath.DENSE).build()) {
      fused = t.fit(digits.train(), null, 1).model().weightsSha256();
    }
    try (Trainer t = Trainer.builder(start).build()) {
      for (int i = 0; i < digits.train().size(); i++) {
        t.trainSample(digits.train().row(i), digits.train().label(i));
      }
      assertEquals(fused, t.snapshot().weightsSha256());
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void aDivergingRunStopsWithTheEpochAndSample(int threads) {
    try (Trainer t = Trainer.builder(DIGITS_256).learningRate(1e30f).threads(threads).scaling(digits.scaling())
        .build()) {
      TrainingDivergedException e =
          assertThrows(TrainingDivergedException.class, () -> t.fit(digits.train(), digits.test(), 3));
      assertEquals(1, e.epoch());
      assertTrue(e.position() >= 1, "the first sample cannot diverge yet: " + e.position());
      assertTrue(e.getMessage().contains("epoch 1 at sample " + e.position()), e.getMessage());
      assertTrue(e.getMessage().contains("dataset row " + e.row()), e.getMessage());
      assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
      // the diverged sample's step changed nothing: the weights are finite, and they are those of the
      // samples before it, which the snapshot counts as an interrupt's would
      Model after = t.snapshot();
      assertEquals("0", after.metadata().get("epochs"));
      assertEquals(String.valueOf(e.position()), after.metadata().get("epoch_samples"));
      assertEquals(String.valueOf(digits.train().size()), after.metadata().get("epoch_size"));
      // so the next fit goes on from the diverged sample, with the same weights: it diverges there again,
      // rather than training the samples before it a second time
      TrainingDivergedException again =
          assertThrows(TrainingDivergedException.class, () -> t.fit(digits.train(), digits.test(), 3));
      assertEquals(1, again.epoch());
      assertEquals(e.position(), again.position());
      assertEquals(e.row(), again.row());
      assertEquals(after.weightsSha256(), t.snapshot().weightsSha256(), "the diverged step changes nothing");
    }
  }

  @Test
  void snapshotsDoNotChangeWhileTrainingGoesOn() {
    try (Trainer t = Trainer.builder(DIGITS_256).scaling(digits.scaling()).build()) {
      t.fit(digits.train(), null, 1);
      Model m = t.snapshot();
      String before = m.weightsSha256();
      assertEquals(before, m.metadata().get("weights_sha256"));
      assertEquals("1", m.metadata().get("epochs"));
      t.fit(digits.train(), null, 1);
      assertEquals(before, m.weightsSha256());
      assertNotEquals(before, t.snapshot().weightsSha256());
      assertEquals(2, t.epochsDone());
    }
  }

  @Test
  void regressionLearnsALinearFunction() {
    Random rnd = new Random(1);
    int n = 2000;
    float[] x = new float[n * 3];
    float[] y = new float[n * 2];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < 3; f++) {
        x[i * 3 + f] = (float) rnd.nextGaussian();
      }
      y[i * 2] = 2 * x[i * 3] - x[i * 3 + 1] + 0.5f;
      y[i * 2 + 1] = x[i * 3 + 2] * 3;
    }
    Dataset data = Dataset.ofTargets("linear", x, 3, y, 2);
    Architecture arch = Architecture.builder(3).hidden(16, Activation.TANH).output(2, Head.SQUARED_ERROR);
    try (Trainer t = Trainer.builder(arch).learningRate(0.01f).seed(2).build()) {
      TrainingReport r = t.fit(data, data, 20);
      assertTrue(r.test().meanLoss() < 0.01, "mean squared error " + r.test().meanLoss());
      assertTrue(Double.isNaN(r.test().accuracy()));
    }
  }

  @Test
  void badOptionsAndDataAreRejectedWithClearMessages() {
    IllegalArgumentException lr = assertThrows(IllegalArgumentException.class,
        () -> Trainer.builder(DIGITS_256).learningRate(Float.NaN));
    assertTrue(lr.getMessage().contains("learning rate"), lr.getMessage());
    for (float bad : new float[] {0f, -0.01f, Float.POSITIVE_INFINITY}) {
      assertThrows(IllegalArgumentException.class, () -> Trainer.builder(DIGITS_256).learningRate(bad), "" + bad);
    }
    assertThrows(IllegalArgumentException.class, () -> Trainer.builder(DIGITS_256).threads(-1));
    try (Trainer t = Trainer.builder(Architecture.of(63, new int[] {8}, Activation.RELU, 10,
        Head.SOFTMAX_CROSS_ENTROPY)).build()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> t.fit(digits.train(), null, 1));
      assertTrue(e.getMessage().contains("64 features") && e.getMessage().contains("expects 63"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> t.fit(digits.train(), null, 0));
      assertThrows(IllegalArgumentException.class, () -> t.trainSample(new float[62], 1));
      assertThrows(IllegalArgumentException.class, () -> t.trainSample(new float[63], 10));
    }
    Trainer closed = Trainer.builder(DIGITS_256).build();
    closed.close();
    assertThrows(IllegalStateException.class, () -> closed.fit(digits.train(), null, 1));
  }

  @Test
  void initialisationIsSeededHeOrGlorotUniform() {
    Architecture arch = Architecture.builder(100).hidden(50, Activation.RELU).hidden(30, Activation.TANH)
        .output(10, Head.SOFTMAX_CROSS_ENTROPY);
    Model a = Model.initialize(arch, 11);
    assertEquals(a.weightsSha256(), Model.initialize(arch, 11).weightsSha256());
    double[] limits = {Math.sqrt(6.0 / 100), Math.sqrt(6.0 / (50 + 30)), Math.sqrt(6.0 / (30 + 10))};
    for (int l = 0; l < 3; l++) {
      LayerWeights w = a.layer(l);
      double max = 0;
      for (float v : w.weights()) {
        max = Math.max(max, Math.abs(v));
        assertTrue(Math.abs(v) <= limits[l], "layer " + l + " weight " + v + " beyond " + limits[l]);
      }
      assertTrue(max > 0.9 * limits[l], "layer " + l + " uses its range: " + max);
      for (float v : w.bias()) {
        assertEquals(0f, v, 0f);
      }
    }
  }

  @Test
  void everyActivationOfTheReluFamilyAndOnlyThoseGetsHeInitialisation() {
    for (Activation act : Activation.values()) {
      boolean he = act == Activation.RELU || act == Activation.LEAKY_RELU; // written out, not reluFamily()
      double limit = he ? Math.sqrt(6.0 / 100) : Math.sqrt(6.0 / (100 + 50));
      LayerWeights w = Model.initialize(Architecture.builder(100).hidden(50, act)
          .output(10, Head.SOFTMAX_CROSS_ENTROPY), 5).layer(0);
      double max = 0;
      for (float v : w.weights()) {
        max = Math.max(max, Math.abs(v));
      }
      // Glorot's limit here is 0.82 of He's, so the top of the range tells the two apart
      assertTrue(max <= limit && max > 0.9 * limit, act + ": largest weight " + max + ", limit " + limit);
    }
  }

  /**
   * A seed's streams (0 for the initial weights, e for epoch e's shuffle) are fixed as well: stream
   * {@code s} of {@code seed} starts from {@code mix(seed ^ mix(0x632BE59BD9B4E019 + s))}, SplitMix64's
   * own mix. The values were computed outside Java from that formula; any other derivation changes
   * every seed's network and sample order.
   */
  @Test
  void aSeedsStreamsAreDerivedByTheDocumentedFormula() {
    long[][] expected = {
        {0x7FF8548E300EE305L, 0x5948AF949880BEF7L}, // seed 20261128, stream 0
        {0x1FB60E809EA56FF6L, 0x9C98D61F84A44ABAL}, // seed 20261128, stream 1
        {0x83318A9282400131L, 0xD247D3921DF91BD3L}}; // seed 0, stream 0
    long[][] seedAndStream = {{20_261_128, 0}, {20_261_128, 1}, {0, 0}};
    for (int k = 0; k < expected.length; k++) {
      SplitMix64 rng = SplitMix64.forStream(seedAndStream[k][0], seedAndStream[k][1]);
      for (long draw : expected[k]) {
        assertEquals(draw, rng.nextLong(), "seed " + seedAndStream[k][0] + ", stream " + seedAndStream[k][1]);
      }
    }
  }

  /**
   * Each initial weight is the documented draw, not only somewhere in its range: layer by layer, unit
   * by unit ({@code [out][in]}, row-major), {@code (2u - 1) * limit} from one SplitMix64 stream of the
   * seed (stream 0), with the limit written out here. The range checks above pass for weights drawn
   * from {@code [0, limit)} only, in {@code [in][out]} order, or from another stream, all of which
   * change every seed's network. The generator itself is checked against SplitMix64's published
   * outputs for seed 0.
   */
  @Test
  void initialWeightsAreTheSeededDrawsInRowMajorOrder() {
    SplitMix64 published = new SplitMix64(0);
    assertEquals(0xE220A8397B1DCDAFL, published.nextLong());
    assertEquals(0x6E789E6AA1B965F4L, published.nextLong());
    assertEquals(0x06C45D188009454FL, published.nextLong());

    Architecture arch = Architecture.builder(7).hidden(5, Activation.LEAKY_RELU).hidden(4, Activation.SIGMOID)
        .output(3, Head.SOFTMAX_CROSS_ENTROPY);
    double[] limits = {Math.sqrt(6.0 / 7), Math.sqrt(6.0 / (5 + 4)), Math.sqrt(6.0 / (4 + 3))};
    long seed = 20_261_128;
    Model m = Model.initialize(arch, seed);
    SplitMix64 rng = SplitMix64.forStream(seed, 0);
    boolean negative = false;
    for (int l = 0; l < 3; l++) {
      LayerWeights w = m.layer(l);
      for (int o = 0; o < w.outputs(); o++) {
        for (int i = 0; i < w.inputs(); i++) {
          double u = (rng.nextLong() >>> 11) * 0x1p-53; // [0, 1) from the top 53 bits
          float expected = (float) ((2 * u - 1) * limits[l]);
          assertEquals(expected, w.weight(o, i), 0f, "layer " + l + " weight [" + o + ", " + i + "]");
          negative |= expected < 0;
        }
        assertEquals(0f, w.bias()[o], 0f);
      }
    }
    assertTrue(negative, "the draws cover both signs");
  }

  @Test
  void theTrainerRefusesCallsFromInsideAPassAndAllowsThemAtEpochEnd() {
    // 128 hidden units: two chunks, so that two threads run the parallel engine (32 ran one thread)
    Architecture arch = Architecture.of(64, new int[] {128}, Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY);
    for (int threads : new int[] {1, 2}) {
      for (int size : new int[] {1438, 1024}) { // 1,024: the engines' last check falls on the epoch's end
        Dataset data = digits.train().slice(0, size);
        List<RuntimeException> refused = new ArrayList<>();
        List<String> atEnd = new ArrayList<>();
        Trainer[] self = new Trainer[1];
        try (Trainer t = Trainer.builder(arch).threads(threads).scaling(digits.scaling()).listener(new EpochListener() {
          @Override
          public void epochEnd(EpochStats stats) {
            atEnd.add("epochEnd " + self[0].snapshot().weightsSha256());
          }

          @Override
          public void progress(int epoch, long done, long total) {
            if (done < total) { // inside the pass
              refused.add(assertThrows(IllegalStateException.class, () -> self[0].snapshot()));
              refused.add(assertThrows(IllegalStateException.class, () -> self[0].trainSample(new float[64], 0)));
              refused.add(assertThrows(IllegalStateException.class, () -> self[0].fit(data, null, 1)));
              refused.add(assertThrows(IllegalStateException.class, self[0]::close));
            } else { // the epoch's end, reported by fit after the pass
              atEnd.add("progress " + self[0].snapshot().weightsSha256());
            }
          }
        }).build()) {
          self[0] = t;
          t.fit(data, null, 1);
          String where = threads + " threads, " + size + " samples";
          assertEquals(size > 1024 ? 4 : 0, refused.size(), where + ": progress calls inside the pass");
          for (RuntimeException e : refused) {
            assertTrue(e.getMessage().contains("middle of a pass"), e.getMessage());
          }
          String sha = t.snapshot().weightsSha256();
          assertEquals(List.of("progress " + sha, "epochEnd " + sha), atEnd, where + ": the end sees the finished epoch");
          assertEquals(Integer.toString(threads), t.snapshot().metadata().get("threads"), where + ": the threads that ran");
        }
      }
    }
  }

  /**
   * A pass reports progress as the count of samples done: with a check after every sample, an epoch of
   * five reports 1 to 4 of 5 from the pass and 5 of 5 from fit, on one thread as on two.
   */
  @Test
  void progressCountsTheSamplesDone() {
    // 128 hidden units: two chunks, so that two threads run the parallel engine
    Architecture arch = Architecture.of(64, new int[] {128}, Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY);
    Dataset data = digits.train().slice(0, 5);
    for (int threads : new int[] {1, 2}) {
      List<String> heard = new ArrayList<>();
      try (Trainer t = Trainer.builder(arch).threads(threads).scaling(digits.scaling())
          .checkWork(arch.forwardMultiplyAdds()).listener(new EpochListener() {
            @Override
            public void epochEnd(EpochStats stats) {}

            @Override
            public void progress(int epoch, long done, long total) {
              heard.add(epoch + ":" + done + "/" + total);
            }
          }).build()) {
        t.fit(data, null, 2);
      }
      assertEquals(List.of("1:1/5", "1:2/5", "1:3/5", "1:4/5", "1:5/5", "2:1/5", "2:2/5", "2:3/5", "2:4/5", "2:5/5"),
          heard, threads + " threads");
    }
  }

  @Test
  void epochStatisticsAreEachSamplesLossAndAnswerBeforeItsUpdate() {
    Dataset train = digits.train().slice(0, 150);
    int n = train.size();
    OneAtATime one;
    String replayed;
    try (Trainer replay = Trainer.builder(DIGITS_256).scaling(digits.scaling()).seed(4).shuffle(false).build()) {
      one = OneAtATime.train(replay, train, 0, n);
      replayed = replay.snapshot().weightsSha256();
    }
    double lossSum = one.lossSum();
    int correct = one.correct();
    assertTrue(correct > 0 && correct < n, "a mix of right and wrong answers: " + correct);
    for (int threads : new int[] {1, 2, 4}) {
      for (Trainer.InputPath path : new Trainer.InputPath[] {Trainer.InputPath.DENSE, Trainer.InputPath.SPARSE}) {
        try (Trainer t = Trainer.builder(DIGITS_256).scaling(digits.scaling()).seed(4).shuffle(false)
            .threads(threads).inputPath(path).build()) {
          EpochStats s = t.fit(train, null, 1).epochs().get(0);
          String what = threads + " threads, " + path;
          assertEquals(lossSum / n, s.trainLoss(), 1e-12 * lossSum / n, what);
          assertEquals((double) correct / n, s.trainAccuracy(), 0, what);
          assertEquals(replayed, t.snapshot().weightsSha256(), what);
        }
      }
    }
  }

  /** Each epoch's loss and accuracy count that epoch's samples only, not those of the epochs before. */
  @Test
  void everyEpochsStatisticsAreItsOwn() {
    Dataset train = digits.train().slice(0, 150);
    int n = train.size();
    int epochs = 3;
    double[] lossSum = new double[epochs];
    int[] correct = new int[epochs];
    try (Trainer replay = Trainer.builder(DIGITS_256).scaling(digits.scaling()).seed(4).shuffle(false).build()) {
      for (int e = 0; e < epochs; e++) {
        OneAtATime one = OneAtATime.train(replay, train, 0, n);
        lossSum[e] = one.lossSum();
        correct[e] = one.correct();
      }
    }
    for (int threads : new int[] {1, 2}) {
      try (Trainer t = Trainer.builder(DIGITS_256).scaling(digits.scaling()).seed(4).shuffle(false)
          .threads(threads).build()) {
        List<EpochStats> stats = t.fit(train, null, epochs).epochs();
        for (int e = 0; e < epochs; e++) {
          String what = threads + " threads, epoch " + (e + 1);
          assertEquals(lossSum[e] / n, stats.get(e).trainLoss(), 1e-12 * lossSum[e] / n, what);
          assertEquals((double) correct[e] / n, stats.get(e).trainAccuracy(), 0, what);
        }
      }
    }
  }

  @Test
  void eachEpochVisitsTheSamplesInTheOrderOfItsOwnSeededStream() {
    Dataset train = digits.train().slice(0, 100);
    String fitted;
    try (Trainer t = Trainer.builder(DIGITS_256).scaling(digits.scaling()).seed(11).build()) {
      t.fit(train, null, 2);
      fitted = t.snapshot().weightsSha256();
    }
    try (Trainer replay = Trainer.builder(DIGITS_256).scaling(digits.scaling()).seed(11).shuffle(false).build()) {
      int[][] orders = new int[2][];
      float[] row = new float[64];
      for (int epoch = 1; epoch <= 2; epoch++) {
        int[] order = new int[train.size()];
        for (int i = 0; i < order.length; i++) {
          order[i] = i;
        }
        SplitMix64.forStream(11, epoch).shuffle(order);
        orders[epoch - 1] = order;
        for (int i : order) {
          train.copyRow(i, row, 0);
          replay.trainSample(row, train.label(i));
        }
      }
      assertNotEquals(java.util.Arrays.toString(orders[0]), java.util.Arrays.toString(orders[1]));
      assertEquals(fitted, replay.snapshot().weightsSha256(), "fit follows epoch e's stream in epoch e");
    }
  }
}

