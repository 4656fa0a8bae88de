package dev.vmlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmlp.data.TrainTest;
import dev.vmlp.io.ModelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training continued from a model takes up its epochs, seed, learning rate and shuffle setting. */
class ResumeTest {
  static final TrainTest digits = DigitsFixture.DIGITS;
  /** 128 hidden units are two chunks: a second thread has a share (48 gave one, and "two threads" ran on one). */
  static final Architecture NET = Architecture.of(64, new int[] {128}, Activation.TANH, 10, Head.SOFTMAX_CROSS_ENTROPY);
  static final Dataset TRAIN = digits.train().slice(0, 400);

  @TempDir
  Path tmp;

  private static Model straight(int epochs, long seed, float lr, boolean shuffle) {
    try (Trainer t = Trainer.builder(NET).seed(seed).learningRate(lr).shuffle(shuffle).scaling(digits.scaling())
        .build()) {
      return t.fit(TRAIN, null, epochs).model();
    }
  }

  private static Model more(Model start, int epochs, int threads) {
    try (Trainer t = Trainer.builder(start).threads(threads).build()) {
      TrainingReport r = t.fit(TRAIN, null, epochs);
      assertEquals(threads, r.threads(), "threads used");
      return r.model();
    }
  }

  @Test
  void twoAndTwoEpochsGiveTheBitsOfFourInOneRun() {
    for (boolean shuffle : List.of(true, false)) {
      Model four = straight(4, 7, 0.03f, shuffle);
      Model two = straight(2, 7, 0.03f, shuffle);
      Model resumed = more(two, 2, 1);
      assertEquals(four.weightsSha256(), resumed.weightsSha256(), "shuffle " + shuffle);
      assertEquals("4", resumed.metadata().get("epochs"));
      assertEquals("7", resumed.metadata().get("seed"));
      assertEquals(Float.toString(0.03f), resumed.metadata().get("learning_rate"));
      assertEquals(Boolean.toString(shuffle), resumed.metadata().get("shuffle"));
      // one epoch at a time, on two threads
      Model stepwise = more(more(straight(1, 7, 0.03f, shuffle), 1, 2), 2, 2);
      assertEquals(four.weightsSha256(), stepwise.weightsSha256(), "shuffle " + shuffle + ", stepwise");
    }
    // the shuffles of epochs 3 and 4, not those of 1 and 2 again
    Model two = straight(2, 7, 0.03f, true);
    Model restarted;
    try (Trainer t = Trainer.builder(two.withMetadata(Map.of())).seed(7).learningRate(0.03f).build()) {
      restarted = t.fit(TRAIN, null, 2).model();
    }
    assertNotEquals(straight(4, 7, 0.03f, true).weightsSha256(), restarted.weightsSha256());
    assertEquals("2", restarted.metadata().get("epochs"), "a model without metadata starts at epoch 0");
  }

  @Test
  void aSavedFileResumesAsTheModelDid() throws IOException {
    Model two = straight(2, 11, 0.02f, true);
    Path f = tmp.resolve("two.safetensors");
    ModelFiles.save(two, f);
    Model loaded = ModelFiles.load(f);
    assertEquals(more(two, 1, 1).weightsSha256(), more(loaded, 1, 1).weightsSha256());
    assertEquals(straight(3, 11, 0.02f, true).weightsSha256(), more(loaded, 1, 1).weightsSha256());
    assertTrue(Files.exists(f));
  }

  @Test
  void theBuildersSettersOverrideTheRecordedValues() {
    Model two = straight(2, 7, 0.03f, true);
    try (Trainer t = Trainer.builder(two).seed(8).learningRate(0.01f).shuffle(false).build()) {
      assertEquals(2, t.epochsDone());
      Model m = t.fit(TRAIN, null, 1).model();
      assertEquals("3", m.metadata().get("epochs"));
      assertEquals("8", m.metadata().get("seed"));
      assertEquals(Float.toString(0.01f), m.metadata().get("learning_rate"));
      assertEquals("false", m.metadata().get("shuffle"));
    }
  }

  @Test
  void theModelsOtherMetadataIsKept() {
    Model two = straight(2, 7, 0.03f, true);
    Map<String, String> meta = new HashMap<>(two.metadata());
    meta.put("dataset", "digits");
    meta.put("owner", "team a");
    meta.put("threads", "9");
    meta.put("vmlp.activation", "tanh"); // the file format's own keys, which a save writes and refuses in metadata
    Model m = more(two.withMetadata(meta), 1, 1);
    assertFalse(m.metadata().containsKey("vmlp.activation"), m.metadata().toString());
    assertEquals("digits", m.metadata().get("dataset"));
    assertEquals("team a", m.metadata().get("owner"));
    assertEquals("1", m.metadata().get("threads"), "provenance is this trainer's");
    assertEquals("3", m.metadata().get("epochs"));
    assertEquals(m.weightsSha256(), m.metadata().get("weights_sha256"));
  }

  @Test
  void aRecordedValueThatDoesNotParseIsNamed() {
    Model m = straight(1, 7, 0.03f, true);
    for (String[] bad : new String[][] {{"epochs", "-2"}, {"epochs", "x"}, {"seed", "1.5"},
        {"learning_rate", "0"}, {"learning_rate", "NaN"}, {"learning_rate", "Infinity"}, {"shuffle", "yes"},
        // what Java's parsers take but no saved file may hold: a sign, other scripts' digits, hex, suffixes
        {"epochs", "+3"}, {"epochs", "\u0663"}, {"seed", "+7"}, {"learning_rate", "0x1p-5"},
        {"learning_rate", "0.01f"}, {"learning_rate", " 0.01"}, {"epoch_samples", "+1"}, {"epoch_size", "0"},
        {"online_samples", "-1"}}) {
      Map<String, String> meta = new HashMap<>(m.metadata());
      meta.put(bad[0], bad[1]);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Trainer.builder(m.withMetadata(meta)));
      assertTrue(e.getMessage().contains("'" + bad[0] + "' is '" + bad[1] + "'"), e.getMessage());
    }
  }

  /** A trainer's snapshot before its first epoch records 0 epochs, which is a count to continue from. */
  @Test
  void aModelOfNoEpochsYetContinuesFromTheStart() {
    try (Trainer fresh = Trainer.builder(NET).seed(7).learningRate(0.03f).scaling(digits.scaling()).build()) {
      Model zero = fresh.snapshot();
      assertEquals("0", zero.metadata().get("epochs"));
      assertEquals(straight(2, 7, 0.03f, true).weightsSha256(), more(zero, 2, 1).weightsSha256());
    }
  }

  @Test
  void aContinuedModelKeepsItsOwnInputScaling() {
    Model two = straight(2, 7, 0.03f, true);
    Trainer.Builder b = Trainer.builder(two);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.scaling(InputScaling.none()));
    assertEquals("the trainer continues from a model and uses its input scaling", e.getMessage());
  }

  @Test
  void theEpochCountCannotOverflow() {
    Model m = straight(1, 7, 0.03f, true);
    Map<String, String> meta = new HashMap<>(m.metadata());
    meta.put("epochs", Integer.toString(Integer.MAX_VALUE - 1));
    try (Trainer t = Trainer.builder(m.withMetadata(meta)).build()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.fit(TRAIN, null, 2));
      assertTrue(e.getMessage().contains("2 more epochs after 2147483646"), e.getMessage());
      assertEquals(Integer.toString(Integer.MAX_VALUE), t.fit(TRAIN, null, 1).model().metadata().get("epochs"));
    }
  }

  /**
   * A model snapshot after an interrupt in the middle of an epoch records how far that epoch got, and
   * training goes on from the next sample, in the same trainer or from the saved file: the snapshot
   * claimed "2 epochs", and epoch 3 started over, training its first 1,024 samples twice under a
   * metadata of "4 epochs, seed 7" whose weights no run of 4 epochs has.
   */
  @Test
  void anEpochStoppedByAnInterruptGoesOnFromItsNextSample() throws IOException {
    Dataset all = digits.train(); // past Engine.CHECK_EVERY samples, where a pass looks at the interrupt
    for (int threads : new int[] {1, 2}) {
      for (Trainer.InputPath path : List.of(Trainer.InputPath.DENSE, Trainer.InputPath.SPARSE)) {
        String what = threads + " threads, " + path;
        Model four;
        try (Trainer t = Trainer.builder(NET).seed(7).learningRate(0.03f).scaling(digits.scaling()).build()) {
          four = t.fit(all, null, 4).model();
        }
        EpochListener interruptInEpoch3 = new EpochListener() {
          @Override
          public void epochEnd(EpochStats stats) {}

          @Override
          public void progress(int epoch, long done, long total) {
            if (epoch == 3 && done < total) {
              Thread.currentThread().interrupt();
            }
          }
        };
        try (Trainer t = Trainer.builder(NET).seed(7).learningRate(0.03f).scaling(digits.scaling()).threads(threads)
            .inputPath(path).listener(interruptInEpoch3).build()) {
          TrainingInterruptedException e = assertThrows(TrainingInterruptedException.class, () -> t.fit(all, null, 4));
          assertTrue(Thread.interrupted());
          assertEquals(3, e.epoch());
          assertTrue(e.samplesDone() > 0 && e.samplesDone() < all.size(), what + ": " + e.samplesDone());
          Model stopped = t.snapshot();
          assertEquals("2", stopped.metadata().get("epochs"), what);
          assertEquals(Long.toString(e.samplesDone()), stopped.metadata().get("epoch_samples"), what);
          Path f = tmp.resolve("stopped.safetensors");
          ModelFiles.save(stopped, f);
          Model resumed;
          try (Trainer r = Trainer.builder(ModelFiles.load(f)).threads(3 - threads).inputPath(path).build()) {
            TrainingReport report = r.fit(all, null, 2);
            assertEquals(all.size() - e.samplesDone(), report.epochs().get(0).samples(), what);
            resumed = report.model();
          }
          assertEquals(four.weightsSha256(), resumed.weightsSha256(), what + ", from the file");
          assertEquals("4", resumed.metadata().get("epochs"), what);
          assertEquals(null, resumed.metadata().get("epoch_samples"), what);
          // the same trainer goes on as well
          assertEquals(four.weightsSha256(), t.fit(all, null, 2).model().weightsSha256(), what + ", same trainer");
        }
      }
    }
    Map<String, String> meta = new HashMap<>(straight(1, 7, 0.03f, true).metadata());
    meta.put("epoch_samples", "400");
    meta.put("epoch_size", "1000");
    try (Trainer t = Trainer.builder(straight(1, 7, 0.03f, true).withMetadata(meta)).build()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.fit(TRAIN, null, 1));
      assertTrue(e.getMessage().contains("epoch 2 stopped after 400 of 1000 samples, and dataset '" + TRAIN.name()
          + "' has 400"), e.getMessage());
    }
  }

  /**
   * The rest of a part-done epoch is the rest of a shuffle of its training set: a fit on a set of
   * another size, in the same trainer or continued from its snapshot, is refused naming both sizes (it
   * skipped the first samples of the new set's order and counted what was left as a whole epoch).
   */
  @Test
  void aPartDoneEpochGoesOnOnlyOnATrainingSetOfItsSize() throws IOException {
    Dataset all = digits.train();
    Dataset other = all.slice(0, all.size() - 100); // larger than the samples done, so the old check passed it
    EpochListener interruptInEpoch2 = new EpochListener() {
      @Override
      public void epochEnd(EpochStats stats) {}

      @Override
      public void progress(int epoch, long done, long total) {
        if (epoch == 2 && done < total) {
          Thread.currentThread().interrupt();
        }
      }
    };
    try (Trainer t = Trainer.builder(NET).seed(7).learningRate(0.03f).scaling(digits.scaling())
        .listener(interruptInEpoch2).build()) {
      assertThrows(TrainingInterruptedException.class, () -> t.fit(all, null, 2));
      assertTrue(Thread.interrupted());
      Model stopped = t.snapshot();
      assertEquals(Integer.toString(all.size()), stopped.metadata().get("epoch_size"));
      String expected = "epoch 2 stopped after 1024 of " + all.size() + " samples, and dataset '" + other.name()
          + "' has " + other.size();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.fit(other, null, 1));
      assertTrue(e.getMessage().startsWith(expected), e.getMessage());
      Path f = tmp.resolve("stopped.safetensors");
      ModelFiles.save(stopped, f);
      try (Trainer r = Trainer.builder(ModelFiles.load(f)).build()) {
        e = assertThrows(IllegalArgumentException.class, () -> r.fit(other, null, 1));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
        Model done = r.fit(all, null, 1).model();
        assertEquals(null, done.metadata().get("epoch_size"), "no epoch is part-done");
      }
      assertEquals("2", t.fit(all, null, 1).model().metadata().get("epochs"), "the same set goes on");
    }
    Map<String, String> meta = new HashMap<>(straight(1, 7, 0.03f, true).metadata());
    meta.put("epoch_samples", "100");
    meta.put("epoch_size", "0");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.builder(straight(1, 7, 0.03f, true).withMetadata(meta)));
    assertTrue(e.getMessage().contains("epoch_size"), e.getMessage());
    // each value parses, but together they describe no part-done epoch
    for (String[] pair : new String[][] {{"100", null, "epoch_samples"}, {null, "100", "epoch_size"},
        {"0", "100", "epoch_size"}, {"100", "100", "epoch_samples"}, {"101", "100", "epoch_samples"}}) {
      Map<String, String> m = new HashMap<>(straight(1, 7, 0.03f, true).metadata());
      m.keySet().removeAll(List.of("epoch_samples", "epoch_size"));
      if (pair[0] != null) {
        m.put("epoch_samples", pair[0]);
      }
      if (pair[1] != null) {
        m.put("epoch_size", pair[1]);
      }
      e = assertThrows(IllegalArgumentException.class,
          () -> Trainer.builder(straight(1, 7, 0.03f, true).withMetadata(m)), Arrays.toString(pair));
      assertTrue(e.getMessage().startsWith("the model's metadata '" + pair[2] + "': "), e.getMessage());
    }
  }

  /**
   * The rest of a part-done epoch follows the order its start followed: a continued model whose seed or
   * shuffle setting is changed while an epoch is part-done is refused (the rest of another seed's order
   * trained some samples twice and others never, under metadata that named the new seed), and the
   * learning rate, which changes no order, may still be changed. With no epoch part-done, any seed goes.
   */
  @Test
  void aPartDoneEpochGoesOnOnlyInTheOrderItStartedIn() {
    Map<String, String> meta = new HashMap<>(straight(1, 7, 0.03f, true).metadata());
    meta.put("epoch_samples", "150");
    meta.put("epoch_size", "400");
    Model partDone = straight(1, 7, 0.03f, true).withMetadata(meta);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.builder(partDone).seed(99).build());
    assertEquals("epoch 2 of the model stopped after 150 samples in the order of the shuffle of seed 7; the "
        + "shuffle of seed 99 would finish it in another order: keep the model's seed and shuffle setting for "
        + "the rest of that epoch", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder(partDone).shuffle(false).build());
    assertTrue(e.getMessage().contains("the data's own order (no shuffle) would finish it"), e.getMessage());
    try (Trainer t = Trainer.builder(partDone).seed(7).learningRate(0.01f).build()) {
      assertEquals("2", t.fit(TRAIN, null, 1).model().metadata().get("epochs"), "the rest of epoch 2");
    }
    // without a shuffle the seed orders nothing, and a model with no part-done epoch takes any seed
    Map<String, String> inOrder = new HashMap<>(straight(1, 7, 0.03f, false).metadata());
    inOrder.put("epoch_samples", "150");
    inOrder.put("epoch_size", "400");
    Trainer.builder(straight(1, 7, 0.03f, false).withMetadata(inOrder)).seed(99).build().close();
    Trainer.builder(straight(1, 7, 0.03f, true)).seed(99).shuffle(false).build().close();
  }

  /**
   * Only the seed and shuffle setting the metadata records bind a part-done epoch: hand-made metadata
   * without them was refused the seed its epoch followed, as if the builder's default (42) were recorded.
   */
  @Test
  void aPartDoneEpochWithoutARecordedSeedOrShuffleTakesTheCallers() {
    Map<String, String> meta = new HashMap<>(straight(1, 7, 0.03f, true).metadata());
    meta.put("epoch_samples", "150");
    meta.put("epoch_size", "400");
    Model recorded = straight(1, 7, 0.03f, true).withMetadata(meta);
    meta.remove("seed");
    meta.remove("shuffle");
    Model unrecorded = straight(1, 7, 0.03f, true).withMetadata(meta);
    String want;
    try (Trainer t = Trainer.builder(recorded).build()) {
      want = t.fit(TRAIN, null, 1).model().weightsSha256();
    }
    try (Trainer t = Trainer.builder(unrecorded).seed(7).learningRate(0.03f).build()) {
      assertEquals(want, t.fit(TRAIN, null, 1).model().weightsSha256(), "the rest of seed 7's epoch");
    }
    Trainer.builder(unrecorded).shuffle(false).build().close();
    // a recorded one still binds
    meta.put("shuffle", "true");
    assertThrows(IllegalArgumentException.class,
        () -> Trainer.builder(straight(1, 7, 0.03f, true).withMetadata(meta)).shuffle(false).build());
  }

  @Test
  void aDivergenceInAPartDoneEpochNamesItsPlaceInTheWholeEpoch() {
    // weights so large that every sample's loss is NaN: the first sample trained diverges
    Architecture relu = Architecture.of(64, new int[] {16}, Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY);
    float[] w1 = new float[16 * 64];
    java.util.Arrays.fill(w1, 1e38f);
    float[] w2 = new float[10 * 16];
    for (int i = 0; i < w2.length; i++) {
      w2[i] = i % 2 == 0 ? 1f : -1f;
    }
    Model huge = Model.of(relu, List.of(new LayerWeights(16, 64, w1, new float[16]),
        new LayerWeights(10, 16, w2, new float[10])), digits.scaling());
    Map<String, String> meta = Map.of("epochs", "1", "epoch_samples", "150", "epoch_size", "400", "seed", "7",
        "shuffle", "false", "learning_rate", "0.01");
    try (Trainer t = Trainer.builder(huge.withMetadata(meta)).build()) {
      TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.fit(TRAIN, null, 1));
      assertEquals(2, e.epoch());
      assertEquals(150, e.position(), e.getMessage()); // sample 150 of epoch 2, not the first of this pass
      assertEquals(150, e.row(), e.getMessage()); // in file order, without shuffling
    }
  }

  @Test
  void aFitGoingOnFromADivergenceIsNotToldToLowerTheRate() throws IOException {
    // a divergence's snapshot goes on from the diverged sample, whose loss its weights make NaN whatever
    // the rate: the saved model, continued with a far lower one, diverges there again before any step,
    // and the message said "try a lower learning rate"
    Architecture relu = Architecture.of(64, new int[] {128}, Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY);
    TrainingDivergedException first;
    Model stopped;
    try (Trainer t = Trainer.builder(relu).learningRate(1e30f).scaling(digits.scaling()).build()) {
      first = assertThrows(TrainingDivergedException.class, () -> t.fit(TRAIN, null, 1));
      assertTrue(first.position() > 0, first.getMessage());
      assertTrue(first.getMessage().endsWith("; try a lower learning rate"), first.getMessage());
      stopped = t.snapshot();
    }
    Path f = tmp.resolve("diverged.safetensors");
    ModelFiles.save(stopped, f);
    Model loaded = ModelFiles.load(f);
    assertEquals(String.valueOf(first.position()), loaded.metadata().get("epoch_samples"));
    for (int threads : new int[] {1, 2}) {
      try (Trainer t = Trainer.builder(loaded).learningRate(1e-6f).threads(threads).build()) {
        TrainingDivergedException again = assertThrows(TrainingDivergedException.class, () -> t.fit(TRAIN, null, 1));
        assertEquals(1, again.epoch());
        assertEquals(first.position(), again.position(), again.getMessage());
        assertEquals(first.row(), again.row(), again.getMessage());
        assertEquals("training diverged in epoch 1 at sample " + first.position() + " (dataset row " + first.row()
            + "): the loss is NaN, before any step of this fit, so no learning rate changes it: the weights it"
            + " started from, or the sample's inputs, give that loss", again.getMessage());
        assertEquals(loaded.weightsSha256(), t.snapshot().weightsSha256(), "nothing was trained");
      }
    }
  }

  /**
   * The first epoch of a fit that goes on with a part-done epoch counts the samples it trained: its
   * loss and accuracy are the means over those samples (each before its own update), and the listener's
   * progress ends with that count as done and total, as the pass's own calls give it.
   */
  @Test
  void theRestOfAPartDoneEpochHasStatisticsOfItsOwnSamples() {
    for (int skip : new int[] {1, 150}) { // 1: a single sample done is skipped too
      restOfAPartDoneEpoch(skip);
    }
  }

  private static void restOfAPartDoneEpoch(int skip) {
    Model start = Model.initialize(NET, 7).withScaling(digits.scaling());
    Map<String, String> meta = Map.of("epochs", "1", "epoch_samples", Integer.toString(skip), "epoch_size",
        Integer.toString(TRAIN.size()), "seed", "7", "shuffle", "false", "learning_rate", "0.03");
    int rest = TRAIN.size() - skip;
    OneAtATime one;
    String replayed;
    try (Trainer replay = Trainer.builder(start).learningRate(0.03f).shuffle(false).build()) {
      one = OneAtATime.train(replay, TRAIN, skip, TRAIN.size());
      replayed = replay.snapshot().weightsSha256();
    }
    double lossSum = one.lossSum();
    int correct = one.correct();
    assertTrue(correct > 0 && correct < rest, "a mix of right and wrong answers: " + correct);
    List<long[]> progress = new java.util.ArrayList<>();
    EpochListener listener = new EpochListener() {
      @Override
      public void epochEnd(EpochStats stats) {}

      @Override
      public void progress(int epoch, long done, long total) {
        progress.add(new long[] {epoch, done, total});
      }
    };
    try (Trainer t = Trainer.builder(start.withMetadata(meta)).listener(listener).build()) {
      TrainingReport r = t.fit(TRAIN, null, 1);
      EpochStats s = r.epochs().get(0);
      String what = skip + " samples done before";
      assertEquals(2, s.epoch(), what);
      assertEquals(rest, s.samples(), what);
      assertEquals(lossSum / rest, s.trainLoss(), 1e-12 * lossSum / rest, what);
      assertEquals((double) correct / rest, s.trainAccuracy(), 0, what);
      assertEquals(replayed, r.model().weightsSha256(), what);
    }
    assertEquals("[2, " + rest + ", " + rest + "]", Arrays.toString(progress.get(progress.size() - 1)),
        skip + " samples done before: the epoch's end, as done and total of this pass");
  }

  @Test
  void samplesTrainedOneAtATimeAreCountedInTheProvenance() throws IOException {
    Model after;
    try (Trainer t = Trainer.builder(NET).seed(7).learningRate(0.03f).scaling(digits.scaling()).build()) {
      t.fit(TRAIN, null, 1);
      assertEquals(null, t.snapshot().metadata().get("online_samples"), "none yet");
      for (int i = 0; i < 5; i++) {
        t.trainSample(TRAIN.row(i), TRAIN.label(i));
      }
      after = t.snapshot();
    }
    assertEquals("1", after.metadata().get("epochs"));
    assertEquals("5", after.metadata().get("online_samples"));
    Path f = tmp.resolve("online.safetensors");
    ModelFiles.save(after, f);
    // the count goes on in a trainer continued from the file, and travels through its fits
    try (Trainer t = Trainer.builder(ModelFiles.load(f)).build()) {
      t.trainSample(TRAIN.row(5), TRAIN.label(5));
      t.fit(TRAIN, null, 1);
      Model m = t.snapshot();
      assertEquals("6", m.metadata().get("online_samples"));
      assertEquals("2", m.metadata().get("epochs"));
    }
    Map<String, String> meta = new HashMap<>(after.metadata());
    meta.put("online_samples", "-1");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.builder(after.withMetadata(meta)));
    assertTrue(e.getMessage().contains("online_samples"), e.getMessage());
  }

  /**
   * A file may record {@code online_samples} up to {@link Long#MAX_VALUE}. One more single sample
   * wrapped the count to a negative one, which the snapshot then left out, so the continued model kept
   * the file's count for weights one step past it; the step is refused now, before it changes them.
   */
  @Test
  void aSingleSamplePastTheLargestCountIsRefusedAndTheModelStillSaves() throws IOException {
    Model start;
    try (Trainer t = Trainer.builder(NET).seed(7).scaling(digits.scaling()).build()) {
      start = t.snapshot();
    }
    Map<String, String> meta = new HashMap<>(start.metadata());
    meta.put("online_samples", Long.toString(Long.MAX_VALUE));
    Path f = tmp.resolve("most.safetensors");
    ModelFiles.save(start.withMetadata(meta), f);
    Model loaded = ModelFiles.load(f);
    try (Trainer t = Trainer.builder(loaded).build()) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> t.trainSample(TRAIN.row(0), TRAIN.label(0)));
      assertTrue(e.getMessage().contains(Long.toString(Long.MAX_VALUE)), e.getMessage());
      Model after = t.snapshot();
      assertEquals(loaded.weightsSha256(), after.weightsSha256(), "the weights are unchanged");
      assertEquals(Long.toString(Long.MAX_VALUE), after.metadata().get("online_samples"));
      ModelFiles.save(after, tmp.resolve("after.safetensors"));
      t.fit(TRAIN, null, 1); // epochs still train
    }
  }

  /**
   * An epoch stopped twice goes on after the second stop: the count of its samples done adds up over
   * both stopped passes (a count set to the second pass's alone ran the samples between again, and
   * reported the second pass's count as the epoch's).
   */
  @Test
  void anEpochStoppedTwiceGoesOnAfterBothStops() {
    Dataset all = digits.train(); // more than two check intervals
    String three;
    try (Trainer t = Trainer.builder(NET).seed(7).learningRate(0.03f).scaling(digits.scaling()).build()) {
      three = t.fit(all, null, 3).model().weightsSha256();
    }
    int every = 256;
    assertTrue(all.size() > 2 * every + 2, "the set has room for two stops in one epoch");
    for (int threads : new int[] {1, 2}) {
      int[] stops = {0};
      EpochListener twiceInEpoch2 = new EpochListener() {
        @Override
        public void epochEnd(EpochStats stats) {}

        @Override
        public void progress(int epoch, long done, long total) {
          if (epoch == 2 && done < total && stops[0] < 2) {
            stops[0]++;
            Thread.currentThread().interrupt();
          }
        }
      };
      try (Trainer t = Trainer.builder(NET).seed(7).learningRate(0.03f).scaling(digits.scaling()).threads(threads)
          .checkWork(NET.forwardMultiplyAdds() * every).listener(twiceInEpoch2).build()) {
        TrainingInterruptedException first = assertThrows(TrainingInterruptedException.class,
            () -> t.fit(all, null, 3));
        assertTrue(Thread.interrupted());
        TrainingInterruptedException second = assertThrows(TrainingInterruptedException.class,
            () -> t.fit(all, null, 2));
        assertTrue(Thread.interrupted());
        assertEquals(2, first.epoch(), threads + " threads");
        assertEquals(2, second.epoch(), threads + " threads");
        // each stop comes after the pass's first check (plus a sample with two threads)
        assertEquals(2 * first.samplesDone(), second.samplesDone(), threads + " threads: samples of epoch 2 done");
        assertEquals(Long.toString(second.samplesDone()), t.snapshot().metadata().get("epoch_samples"),
            threads + " threads");
        assertEquals(three, t.fit(all, null, 2).model().weightsSha256(), threads + " threads");
        assertEquals(3, t.epochsDone());
      }
    }
  }
}
