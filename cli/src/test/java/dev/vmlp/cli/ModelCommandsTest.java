package dev.vmlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vmlp.Activation;
import dev.vmlp.Architecture;
import dev.vmlp.Dataset;
import dev.vmlp.Head;
import dev.vmlp.LayerWeights;
import dev.vmlp.Model;
import dev.vmlp.Trainer;
import dev.vmlp.data.Digits;
import dev.vmlp.data.Mnist;
import dev.vmlp.io.ModelFiles;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code vmlp train --save}, {@code vmlp eval} and {@code vmlp predict}, with good and bad model files. */
class ModelCommandsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  static Path model;
  static JsonNode trained;
  static Dataset test;

  @BeforeAll
  static void trainOnce() {
    model = dir.resolve("digits.safetensors");
    trained = CliRun.of("train", "--epochs", "2", "--hidden", "32", "--save", model.toString(), "--json").json();
    test = Digits.load().test();
  }

  @Test
  void trainSavesTheModelAndSaysWhere() throws IOException {
    assertEquals(model.toString(), trained.path("model").asText());
    Model m = ModelFiles.load(model);
    assertEquals(trained.path("weights_sha256").asText(), m.weightsSha256());
    assertEquals("64-32(relu)-10(softmax)", m.architecture().toString());
    assertEquals("digits", m.metadata().get("dataset"));
    assertEquals("42", m.metadata().get("seed"));
    assertEquals("2", m.metadata().get("epochs"));

    Path other = dir.resolve("human.safetensors");
    CliRun run = CliRun.of("train", "--epochs", "1", "--hidden", "8", "--lr", "0.05", "--seed", "9",
        "--save", other.toString());
    assertEquals(0, run.exit(), run::describe);
    assertTrue(run.outLines().contains("saved the model to " + other), run::describe);
    assertTrue(Files.size(other) > 64 * 8 * 4);
    // the options reach the trainer: the library trained the same way gives the same weights
    Model saved = ModelFiles.load(other);
    assertEquals("0.05", saved.metadata().get("learning_rate"));
    assertEquals("9", saved.metadata().get("seed"));
    var digits = Digits.load();
    try (Trainer t = Trainer.builder(saved.architecture()).seed(9).learningRate(0.05f).scaling(digits.scaling())
        .build()) {
      t.fit(digits.train(), null, 1);
      assertEquals(t.snapshot().weightsSha256(), saved.weightsSha256());
    }
  }

  @Test
  void resumingTakesUpWhereTheSavedRunStopped() throws IOException {
    Path two = dir.resolve("resume-two.safetensors");
    CliRun.of("train", "--epochs", "2", "--hidden", "16", "--lr", "0.03", "--seed", "5", "--save", two.toString(),
        "--json").json();
    JsonNode four = CliRun.of("train", "--epochs", "4", "--hidden", "16", "--lr", "0.03", "--seed", "5", "--json")
        .json();
    // the seed, learning rate and epoch count come from the file; --save may name it
    CliRun run = CliRun.of("train", "--epochs", "2", "--resume", two.toString(), "--save", two.toString(), "--json");
    JsonNode resumed = run.json();
    assertEquals(four.path("weights_sha256").asText(), resumed.path("weights_sha256").asText(), run::describe);
    assertEquals(2, resumed.path("epochs").asInt());
    assertEquals(2, resumed.path("epochs_before").asInt());
    assertEquals(two.toString(), resumed.path("resumed_from").asText());
    assertEquals(5, resumed.path("seed").asLong());
    assertEquals(0.03, resumed.path("lr").asDouble(), 1e-7);
    assertEquals(List.of(3, 4), List.of(resumed.path("epochs_detail").get(0).path("epoch").asInt(),
        resumed.path("epochs_detail").get(1).path("epoch").asInt()));
    assertTrue(run.errLines().stream().anyMatch(l -> l.startsWith("epoch 4/4 ")), run::describe);
    Model saved = ModelFiles.load(two);
    assertEquals("4", saved.metadata().get("epochs"));
    assertEquals(four.path("weights_sha256").asText(), saved.weightsSha256());
    // an explicit seed overrides the file's
    JsonNode reseeded = CliRun.of("train", "--epochs", "1", "--resume", two.toString(), "--seed", "6", "--json")
        .json();
    assertEquals(6, reseeded.path("seed").asLong());

    CliRun.of("train", "--resume", two.toString(), "--hidden", "16").assertError(2, "--resume takes the layers");
    CliRun.of("train", "--resume", dir.resolve("missing.safetensors").toString()).assertError(1, "missing.safetensors");
    Path csv = Files.writeString(dir.resolve("resume-narrow.csv"), "1,0.5,0.25\n0,0.1,0.2\n");
    CliRun.of("train", "--resume", two.toString(), "--train", csv.toString(), "--test", csv.toString())
        .assertError(1, csv + ": rows have 2 features, the model in " + two + " takes 64 inputs");
    Path single = Files.writeString(dir.resolve("resume-single.csv"), "1,0.5\n0,0.1\n");
    CliRun.of("train", "--resume", two.toString(), "--train", single.toString(), "--test", single.toString())
        .assertError(1, single + ": rows have 1 feature, the model in " + two + " takes 64 inputs");
    Path mnist = MnistFiles.write(dir.resolve("mnist-784-for-resume"), 20, 10, 9);
    CliRun.of("train", "--resume", two.toString(), "--data", mnist.toString())
        .assertError(1, mnist.resolve("train-images-idx3-ubyte.gz") + ": rows have 784 features, the model in " + two
            + " takes 64 inputs");
    CliRun.of("train", "--resume", two.toString(), "--train", csv.toString(), "--test", csv.toString(),
        "--standardize").assertError(2, "--resume takes the input scaling");
  }

  @Test
  void resumingTakesTheLearningRateGivenAndRefusesWhatTheModelCannotTake() throws IOException {
    // an explicit learning rate overrides the file's (0.01), as --seed does
    JsonNode faster = CliRun.of("train", "--epochs", "1", "--resume", model.toString(), "--lr", "0.07", "--json")
        .json();
    assertEquals(0.07, faster.path("lr").asDouble(), 1e-7);
    assertEquals(42, faster.path("seed").asLong());
    // a class the model has no output for
    Path csv = Files.writeString(dir.resolve("eleven-classes.csv"), "0" + ",1".repeat(64) + "\n10" + ",2".repeat(64)
        + "\n");
    CliRun.of("train", "--resume", model.toString(), "--train", csv.toString(), "--test", csv.toString())
        .assertError(1, csv + ": line 2, column 1: label 10 is not one of the 10 classes expected (0 to 9)");
    // in the test file alone: it is the one named (the training file was blamed, "has 11 classes")
    Path ten = Files.writeString(dir.resolve("ten-classes.csv"), "0" + ",1".repeat(64) + "\n9" + ",2".repeat(64)
        + "\n");
    CliRun.of("train", "--resume", model.toString(), "--train", ten.toString(), "--test", csv.toString())
        .assertError(1, csv + ": line 2, column 1: label 10 is not one of the 10 classes expected (0 to 9)");
    // and in an MNIST folder, the labels file and the label
    Path mnist = MnistFiles.write(dir.resolve("mnist-eleven-classes"), 20, 10, 8);
    MnistFiles.writeIdx(mnist.resolve("t10k-images-idx3-ubyte"), false, new int[] {2, 8, 8}, new byte[128]);
    MnistFiles.writeIdx(mnist.resolve("t10k-labels-idx1-ubyte"), false, new int[] {2}, new byte[] {3, 10});
    MnistFiles.writeIdx(mnist.resolve("train-images-idx3-ubyte.gz"), true, new int[] {2, 8, 8}, new byte[128]);
    MnistFiles.writeIdx(mnist.resolve("train-labels-idx1-ubyte"), false, new int[] {2}, new byte[] {0, 9});
    CliRun.of("train", "--resume", model.toString(), "--data", mnist.toString())
        .assertError(1, mnist.resolve("t10k-labels-idx1-ubyte") + ": label 1 is 10, the model has 10 classes");
    // epochs past the count a file can record: a usage error before any training
    Path old = dir.resolve("old.safetensors");
    Model m = ModelFiles.load(model);
    java.util.Map<String, String> meta = new java.util.LinkedHashMap<>(m.metadata());
    meta.put("epochs", Integer.toString(Integer.MAX_VALUE - 1));
    ModelFiles.save(m.withMetadata(meta), old);
    CliRun.of("train", "--resume", old.toString(), "--epochs", "2")
        .assertError(2, "--epochs 2 after the 2147483646 of " + old + " would exceed 2147483647 in all");
    // up to that count is fine: the last epoch a file can record
    JsonNode last = CliRun.of("train", "--resume", old.toString(), "--epochs", "1", "--json").json();
    assertEquals(Integer.MAX_VALUE, last.path("epochs_detail").get(0).path("epoch").asInt(), last::toString);
  }

  @Test
  void aContinuedRunsFirstProgressBarIsNamedForItsFirstEpoch() throws Exception {
    // on a terminal (script's pseudo-terminal here) the first bar is drawn before training starts: after
    // the file's 2 epochs it is epoch 3's, of 3
    String command = CliRun.inNewJvm(List.of("--add-modules=jdk.incubator.vector"), "train", "--resume",
        model.toString(), "--epochs", "1").stream()
        .map(a -> "'" + a.replace("'", "'\\''") + "'").collect(java.util.stream.Collectors.joining(" "));
    Process p;
    try {
      p = new ProcessBuilder("script", "-qec", command, "/dev/null")
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      Assumptions.abort("no script here: " + e.getMessage());
      return;
    }
    String drawn = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
    Assumptions.assumeTrue(drawn.contains("weights sha256"), "no terminal under script: " + drawn);
    assertTrue(java.util.regex.Pattern.compile("epoch 3/3 +\\d+%").matcher(drawn).find(), drawn);
    assertFalse(drawn.contains("epoch 1/3"), drawn);
  }

  @Test
  void resumingAModelTrainedWithoutShufflingSaysSo() throws IOException {
    // the library can train without shuffling and the file records it; the command line, which has no
    // option for it, goes on that way, and says so rather than leaving it to be guessed
    var digits = Digits.load();
    dev.vmlp.Architecture arch = dev.vmlp.Architecture.of(64, new int[] {16}, dev.vmlp.Activation.RELU, 10,
        dev.vmlp.Head.SOFTMAX_CROSS_ENTROPY);
    Path one = dir.resolve("unshuffled.safetensors");
    String two;
    try (Trainer t = Trainer.builder(arch).shuffle(false).scaling(digits.scaling()).build()) {
      ModelFiles.save(t.fit(digits.train(), null, 1).model(), one);
      two = t.fit(digits.train(), null, 1).model().weightsSha256();
    }
    CliRun run = CliRun.of("train", "--resume", one.toString(), "--epochs", "1", "--json");
    JsonNode resumed = run.json();
    assertEquals(two, resumed.path("weights_sha256").asText(), run::describe);
    assertFalse(resumed.path("shuffle").asBoolean(true), run::describe);
    CliRun text = CliRun.of("train", "--resume", one.toString(), "--epochs", "1");
    assertTrue(text.outLines().contains("continued " + one + " after its 1 epoch: 2 in all, without shuffling "
        + "(as the model was trained)"), text::describe);
    assertTrue(CliRun.of("train", "--help").outLines().stream().anyMatch(l -> l.contains("shuffle")));
    // --seed does not override the order of a part-done epoch (Trainer.Builder.build refuses it)
    String help = String.join(" ", CliRun.of("train", "--help").outLines()).replaceAll("\\s+", " ");
    assertTrue(help.contains("but --seed not while its epoch is part-done"), help);
    // a model trained with shuffles says nothing of them
    JsonNode shuffled = CliRun.of("train", "--resume", model.toString(), "--epochs", "1", "--json").json();
    assertTrue(shuffled.path("shuffle").asBoolean(false));
  }

  @Test
  void resumingAModelWithoutHiddenLayersReportsNoActivation() throws IOException {
    var digits = Digits.load();
    dev.vmlp.Architecture arch = dev.vmlp.Architecture.of(64, new int[0], dev.vmlp.Activation.RELU, 10,
        dev.vmlp.Head.SOFTMAX_CROSS_ENTROPY);
    Path linear = dir.resolve("linear.safetensors");
    try (Trainer t = Trainer.builder(arch).scaling(digits.scaling()).build()) {
      ModelFiles.save(t.fit(digits.train(), null, 1).model(), linear);
    }
    CliRun run = CliRun.of("train", "--resume", linear.toString(), "--epochs", "1", "--json");
    JsonNode j = run.json();
    assertTrue(j.has("activation") && j.path("activation").isNull(), run::describe);
    assertEquals(List.of(64, 10), TrainDigitsTest.ints(j.path("layers")), run::describe);
  }

  @Test
  void evalOnTheDigitsGivesTheTestFiguresOfTraining() throws IOException {
    JsonNode e = CliRun.of("eval", "--model", model.toString(), "--json").json();
    assertEquals(model.toString(), e.path("model").asText());
    assertEquals("64-32(relu)-10(softmax)", e.path("architecture").asText());
    assertEquals(List.of(64, 32, 10), TrainDigitsTest.ints(e.path("layers")));
    assertEquals(trained.path("weights_sha256").asText(), e.path("weights_sha256").asText());
    assertEquals(359, e.path("samples").asLong());
    // the same model on the same test split, with the same kernels: the same numbers
    assertEquals(trained.path("test_accuracy").asDouble(), e.path("accuracy").asDouble());
    assertEquals(trained.path("test_loss").asDouble(), e.path("loss").asDouble());
    JsonNode cm = e.path("confusion_matrix");
    assertEquals(10, cm.size());
    long total = 0;
    long diagonal = 0;
    for (int t = 0; t < 10; t++) {
      assertEquals(10, cm.get(t).size());
      for (int p = 0; p < 10; p++) {
        total += cm.get(t).get(p).asLong();
      }
      diagonal += cm.get(t).get(t).asLong();
    }
    assertEquals(359, total);
    assertEquals(e.path("accuracy").asDouble(), diagonal / 359.0, 1e-12);
    // rows are true classes, columns predicted ones, as the layout says: counted here by hand
    assertEquals("rows: true class, columns: predicted class", e.path("confusion_matrix_layout").asText());
    Model m = ModelFiles.load(model);
    long[][] counts = new long[10][10];
    for (int i = 0; i < test.size(); i++) {
      counts[test.label(i)][m.predict(test.row(i))]++;
    }
    for (int t = 0; t < 10; t++) {
      for (int p = 0; p < 10; p++) {
        assertEquals(counts[t][p], cm.get(t).get(p).asLong(), "true " + t + ", predicted " + p);
      }
    }
  }

  @Test
  void evalOfManyClassesListsTheTruePredictedPairs() throws IOException {
    // past ConfusionMatrix.DENSE_MAX classes the JSON lists [true, predicted, samples]
    int classes = dev.vmlp.metrics.ConfusionMatrix.DENSE_MAX + 1;
    Model m = Model.initialize(Architecture.builder(4).output(classes, Head.SOFTMAX_CROSS_ENTROPY), 3);
    Path file = dir.resolve("many-classes.safetensors");
    ModelFiles.save(m, file);
    float[][] rows = {{1, 2, 3, 4}, {-4, 3, -2, 1}, {0.5f, 0, 0, 9}, {1, 2, 3, 4}};
    int[] labels = {1000, 3, 777, 1000};
    StringBuilder csv = new StringBuilder();
    java.util.TreeMap<String, Integer> expected = new java.util.TreeMap<>();
    for (int i = 0; i < rows.length; i++) {
      csv.append(labels[i]);
      for (float v : rows[i]) {
        csv.append(',').append(v);
      }
      csv.append('\n');
      int predicted = m.predict(rows[i]);
      assertTrue(predicted != labels[i], "a pair whose order shows");
      expected.merge(String.format(Locale.ROOT, "%04d %04d", labels[i], predicted), 1, Integer::sum);
    }
    Path data = Files.writeString(dir.resolve("many-classes.csv"), csv);
    JsonNode e = CliRun.of("eval", "--model", file.toString(), "--test", data.toString(), "--json").json();
    assertEquals("[true class, predicted class, samples] for every pair that occurs",
        e.path("confusion_matrix_layout").asText());
    List<String> pairs = new java.util.ArrayList<>();
    for (JsonNode pair : e.path("confusion_matrix")) {
      pairs.add(String.format(Locale.ROOT, "%04d %04d %d", pair.get(0).asInt(), pair.get(1).asInt(),
          pair.get(2).asInt()));
    }
    assertEquals(expected.entrySet().stream().map(x -> x.getKey() + " " + x.getValue()).toList(), pairs);
  }

  @Test
  void evalOfDenseMaxClassesGivesTheTable() throws IOException {
    // ConfusionMatrix.DENSE_MAX classes are the most the JSON gives as a table of rows and columns
    int classes = dev.vmlp.metrics.ConfusionMatrix.DENSE_MAX;
    Model m = Model.initialize(Architecture.builder(4).output(classes, Head.SOFTMAX_CROSS_ENTROPY), 3);
    Path file = dir.resolve("dense-max-classes.safetensors");
    ModelFiles.save(m, file);
    float[] row = {1, 2, 3, 4};
    Path data = Files.writeString(dir.resolve("dense-max-classes.csv"), (classes - 1) + ",1,2,3,4\n");
    JsonNode e = CliRun.of("eval", "--model", file.toString(), "--test", data.toString(), "--json").json();
    assertEquals("rows: true class, columns: predicted class", e.path("confusion_matrix_layout").asText());
    JsonNode cm = e.path("confusion_matrix");
    assertEquals(classes, cm.size());
    assertEquals(classes, cm.get(classes - 1).size());
    assertEquals(1, cm.get(classes - 1).get(m.predict(row)).asLong());
  }

  @Test
  void evalOnACsvFileTakesTheModelsClasses() throws IOException {
    // labels of some classes only are the model's classes all the same; a label past them is named
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      b.append(i % 3);
      for (float v : test.row(i)) {
        b.append(',').append((int) v);
      }
      b.append('\n');
    }
    Path some = Files.writeString(dir.resolve("three-classes.csv"), b);
    JsonNode e = CliRun.of("eval", "--model", model.toString(), "--test", some.toString(), "--json").json();
    assertEquals(6, e.path("samples").asLong());
    assertEquals(10, e.path("confusion_matrix").size());
    Path past = Files.writeString(dir.resolve("class-ten.csv"), "10" + ",1".repeat(64) + "\n");
    CliRun.of("eval", "--model", model.toString(), "--test", past.toString())
        .assertError(1, past + ": line 1, column 1: label 10 is not one of the 10 classes expected (0 to 9)");
  }

  @Test
  void evalNamesAMissingMnistFolderAsSuch() {
    Path missing = dir.resolve("no-mnist-here");
    CliRun.of("eval", "--model", model.toString(), "--data", missing.toString())
        .assertError(1, missing + ": not a folder holding the MNIST files");
  }

  @Test
  void evalNamesAFolderWhereAnMnistFileBelongsAsTrainDoes() throws IOException {
    Path data = MnistFiles.write(dir.resolve("mnist-with-a-folder"), 20, 10, 6);
    Files.delete(data.resolve(Mnist.TEST_IMAGES));
    Path folder = Files.createDirectory(data.resolve(Mnist.TEST_IMAGES));
    CliRun.of("train", "--data", data.toString()).assertError(1, folder + ": is a folder, not a file");
    CliRun.of("eval", "--model", model.toString(), "--data", data.toString())
        .assertError(1, folder + ": is a folder, not a file");
  }

  @Test
  void evalPrintsAccuracyLossAndTheConfusionMatrix() {
    CliRun run = CliRun.of("eval", "--model", model.toString(), "--dataset", "digits");
    assertEquals(0, run.exit(), run::describe);
    List<String> lines = run.outLines();
    assertTrue(lines.get(0).startsWith("evaluated 64-32(relu)-10(softmax) (" + model + ") on digits/test, 359 samples"),
        run::describe);
    assertEquals(String.format(Locale.ROOT, "accuracy %.2f%%  loss %.4f", 100 * trained.path("test_accuracy").asDouble(),
        trained.path("test_loss").asDouble()), lines.get(1), run::describe);
    assertTrue(lines.get(2).contains("predicted"), run::describe);
    assertEquals(2 + 2 + 10, lines.size(), run::describe); // two header lines and one row per class
  }

  @Test
  void evalOnACsvFile() throws IOException {
    Path csv = digitsCsv(dir.resolve("labelled.csv"), true);
    JsonNode e = CliRun.of("eval", "--model", model.toString(), "--test", csv.toString(), "--label-column", "-1",
        "--json").json();
    assertEquals("labelled.csv", e.path("dataset").asText());
    assertEquals(359, e.path("samples").asLong());
    assertEquals(trained.path("test_accuracy").asDouble(), e.path("accuracy").asDouble());
  }

  @Test
  void evalOfOneRowCountsOneSample() throws IOException {
    Path one = Files.writeString(dir.resolve("one-row.csv"), "3" + ",1".repeat(64) + "\n");
    CliRun run = CliRun.of("eval", "--model", model.toString(), "--test", one.toString());
    assertEquals(0, run.exit(), run::describe);
    assertEquals("evaluated 64-32(relu)-10(softmax) (" + model + ") on one-row.csv, 1 sample", run.outLines().getFirst(),
        run::describe);
  }

  @Test
  void evalsReportShowsTheNamesEscapeSequencesAsEscapes() throws IOException {
    // a name from a folder of uploads can hold a terminal's escape sequences, as train's summary shows them
    Path named = Files.copy(model, dir.resolve("m\u001b[2J.safetensors"));
    Path csv = digitsCsv(dir.resolve("t\u001b]0;title\u0007.csv"), true);
    CliRun run = CliRun.of("eval", "--model", named.toString(), "--test", csv.toString(), "--label-column", "-1");
    assertEquals(0, run.exit(), run::describe);
    assertEquals("evaluated 64-32(relu)-10(softmax) (" + dir.resolve("m\\u001B[2J.safetensors") + ") on "
        + "t\\u001B]0;title\\u0007.csv, 359 samples", run.outLines().getFirst(), run::describe);
    assertFalse(run.out().contains("\u001b") || run.out().contains("\u0007"), run::describe);
  }

  @Test
  void predictCsvRowsAsTextAndJson() throws IOException {
    Model m = ModelFiles.load(model);
    Path csv = digitsCsv(dir.resolve("features.csv"), false);
    CliRun text = CliRun.of("predict", "--model", model.toString(), "--input", csv.toString());
    assertEquals(0, text.exit(), text::describe);
    CliRun json = CliRun.of("predict", "--model", model.toString(), "--input", csv.toString(), "--json");
    assertEquals(0, json.exit(), json::describe);
    List<String> lines = text.outLines();
    List<String> objects = json.outLines();
    assertEquals(test.size(), lines.size(), text::describe);
    assertEquals(test.size(), objects.size(), json::describe);
    float[] p = new float[10];
    for (int i = 0; i < test.size(); i++) {
      int c = m.predict(test.row(i));
      m.predictProbabilities(test.row(i), p);
      assertEquals(String.format(Locale.ROOT, "%d %d %.6f", i, c, p[c]), lines.get(i));
      JsonNode o = JSON.readTree(objects.get(i));
      assertEquals(List.of("row", "class", "probability"), names(o));
      assertEquals(i, o.path("row").asInt());
      assertEquals(c, o.path("class").asInt());
      assertEquals(p[c], (float) o.path("probability").asDouble());
    }
  }

  @Test
  void predictPrintsEveryClasssProbabilityWhenAsked() throws IOException {
    Model m = ModelFiles.load(model);
    Path csv = digitsCsv(dir.resolve("all-classes.csv"), false);
    CliRun text = CliRun.of("predict", "--model", model.toString(), "--input", csv.toString(), "--probabilities");
    CliRun json = CliRun.of("predict", "--model", model.toString(), "--input", csv.toString(), "--json",
        "--probabilities");
    assertEquals(0, text.exit(), text::describe);
    assertEquals(0, json.exit(), json::describe);
    assertEquals(test.size(), text.outLines().size(), text::describe);
    assertEquals(test.size(), json.outLines().size(), json::describe);
    float[] p = new float[10];
    for (int i = 0; i < test.size(); i++) {
      int c = m.predictProbabilities(test.row(i), p);
      StringBuilder want = new StringBuilder(String.format(Locale.ROOT, "%d %d %.6f", i, c, p[c]));
      for (float f : p) {
        want.append(' ').append(f);
      }
      assertEquals(want.toString(), text.outLines().get(i));
      JsonNode o = JSON.readTree(json.outLines().get(i));
      assertEquals(List.of("row", "class", "probability", "probabilities"), names(o));
      assertEquals(c, o.path("class").asInt());
      assertEquals(10, o.path("probabilities").size());
      for (int k = 0; k < 10; k++) {
        assertEquals(p[k], (float) o.path("probabilities").get(k).asDouble(), "row " + i + " class " + k);
      }
    }
    // a regression model prints all its outputs anyway: the option is refused, naming the model
    Path regressor = dir.resolve("regressor-probabilities.safetensors");
    ModelFiles.save(Model.initialize(Architecture.of(4, new int[] {8}, Activation.TANH, 3, Head.SQUARED_ERROR), 1),
        regressor);
    Path rows = Files.writeString(dir.resolve("regressor-probabilities.csv"), "1,2,3,4\n");
    CliRun refused = CliRun.of("predict", "--model", regressor.toString(), "--input", rows.toString(),
        "--probabilities");
    assertEquals("vmlp: error: --probabilities is for a classifier; the model of " + regressor + " has head "
        + "squared_error (a regression model), whose outputs predict prints anyway",
        refused.assertError(1, "--probabilities"));
    assertEquals(List.of(), refused.outLines());
  }

  /** Makes the named pipe {@code fifo}, or skips the test where mkfifo is missing or fails. */
  private static void makeFifo(Path fifo) throws InterruptedException {
    Process mkfifo;
    try {
      mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    } catch (IOException e) {
      Assumptions.abort("no mkfifo here: " + e.getMessage());
      return;
    }
    Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a second open of the pipe would block
  void predictReadsItsInputOnceSoAPipeWorks() throws Exception {
    Path csv = digitsCsv(dir.resolve("piped.csv"), false);
    String expected = CliRun.of("predict", "--model", model.toString(), "--input", csv.toString()).out();
    Path fifo = dir.resolve("rows.fifo");
    makeFifo(fifo);
    Thread writer = Thread.ofPlatform().start(() -> {
      try {
        Files.write(fifo, Files.readAllBytes(csv)); // blocks until predict opens the pipe
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    CliRun piped = CliRun.of("predict", "--model", model.toString(), "--input", fifo.toString());
    writer.join(10_000);
    assertEquals(0, piped.exit(), piped::describe);
    assertEquals(expected, piped.out(), "every row, read once from the pipe");
  }

  @Test
  void predictReadsStandardInputAsDash() throws Exception {
    Path csv = digitsCsv(dir.resolve("stdin.csv"), false);
    String expected = CliRun.of("predict", "--model", model.toString(), "--input", csv.toString()).out();
    List<String> cmd = CliRun.inNewJvm(List.of(), "predict", "--model", model.toString(), "--input", "-");
    Process p = new ProcessBuilder(cmd).redirectInput(csv.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
    assertEquals(expected, out, "every row, as from the file");
    // an error names standard input
    Process bad = new ProcessBuilder(cmd).redirectInput(Files.writeString(dir.resolve("short.csv"), "1,2\n").toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String err = new String(bad.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(bad.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(1, bad.exitValue(), err);
    assertTrue(err.contains("vmlp: error: (standard input): rows have 2 columns, the model takes 64 inputs"), err);
  }

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void predictPrintsThePredictionsOfAPipeBeforeItWaitsForMoreRows() throws Exception {
    // tail -f rows.csv | vmlp predict --input -: the rows that have come are predicted and printed, not held
    // back until 64 KB of output or the end of the input; a client that sends one row and waits for its
    // answer gets it before it sends the next
    Path csv = digitsCsv(dir.resolve("rows.csv"), false);
    assertAnsweredWhileThePipeStaysOpen(model, Files.readAllLines(csv).get(0));
    // a one-input model's row is shorter than the 4 bytes that the CSV reader's encoding detection reads
    Path oneInput = dir.resolve("one-input.safetensors");
    ModelFiles.save(Model.initialize(Architecture.builder(1).output(3, Head.SOFTMAX_CROSS_ENTROPY), 5), oneInput);
    assertAnsweredWhileThePipeStaysOpen(oneInput, "5");
  }

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void predictAnswersARowEndedByABareCarriageReturnBeforeTheNextComes() throws Exception {
    // old Mac line ends: the CSV parser looks past a \r for a \n, so the row was answered only when the next came
    Path csv = digitsCsv(dir.resolve("rows-cr.csv"), false);
    assertAnsweredWhileThePipeStaysOpen(model, Files.readAllLines(csv).get(0), "\r");
    Path oneInput = dir.resolve("one-input-cr.safetensors");
    ModelFiles.save(Model.initialize(Architecture.builder(1).output(3, Head.SOFTMAX_CROSS_ENTROPY), 5), oneInput);
    assertAnsweredWhileThePipeStaysOpen(oneInput, "5", "\r");
  }

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a stuck pipe read ignores interrupts
  void predictPrintsThePredictionsOfANamedPipeBeforeItWaitsForMoreRows() throws Exception {
    // --input FIFO (or /dev/stdin, <(...)) is a pipe as --input - is: a row sent is answered while the pipe
    // stays open; its predictions were held back until 64 KB of output or the end of the input
    Path csv = digitsCsv(dir.resolve("named-pipe-rows.csv"), false);
    String row = Files.readAllLines(csv).get(0) + "\n";
    String expected = CliRun.of("predict", "--model", model.toString(), "--input",
        Files.writeString(dir.resolve("named-pipe-row.csv"), row).toString()).out();
    Path fifo = dir.resolve("rows-answered.fifo");
    makeFifo(fifo);
    var answered = new java.util.concurrent.CountDownLatch(1);
    var sent = new java.io.ByteArrayOutputStream() {
      @Override
      public synchronized void write(byte[] b, int off, int len) {
        super.write(b, off, len);
        if (toString(StandardCharsets.UTF_8).contains("\n")) {
          answered.countDown();
        }
      }
    };
    var open = new java.util.concurrent.CountDownLatch(1);
    Thread writer = Thread.ofPlatform().daemon().start(() -> {
      try (java.io.OutputStream w = Files.newOutputStream(fifo)) { // blocks until predict opens the pipe
        w.write(row.getBytes(StandardCharsets.US_ASCII));
        w.flush();
        open.await(); // the pipe stays open until the answer has come (or the test gives up)
      } catch (IOException | InterruptedException e) {
        throw new RuntimeException(e);
      }
    });
    int[] exit = {-1};
    Thread predict = Thread.ofPlatform().daemon().start(() -> {
      try (java.io.PrintStream out = new java.io.PrintStream(sent, false, StandardCharsets.UTF_8);
          java.io.PrintStream err = new java.io.PrintStream(java.io.OutputStream.nullOutputStream())) {
        exit[0] = Main.run(new String[] {"predict", "--model", model.toString(), "--input", fifo.toString()}, out, err);
      }
    });
    boolean inTime = answered.await(30, java.util.concurrent.TimeUnit.SECONDS);
    open.countDown();
    writer.join(10_000);
    predict.join(30_000);
    assertTrue(inTime, "no prediction in 30 s for the row sent, while the pipe stayed open");
    assertEquals(0, exit[0]);
    assertEquals(expected, sent.toString(StandardCharsets.UTF_8));
  }

  private static void assertAnsweredWhileThePipeStaysOpen(Path modelFile, String row) throws Exception {
    assertAnsweredWhileThePipeStaysOpen(modelFile, row, "\n");
  }

  /** {@code row} ended by {@code lineEnd} is answered as the same row of a file is. */
  private static void assertAnsweredWhileThePipeStaysOpen(Path modelFile, String row, String lineEnd)
      throws Exception {
    Path csv = Files.writeString(dir.resolve("row.csv"), row + "\n");
    String expected = CliRun.of("predict", "--model", modelFile.toString(), "--input", csv.toString()).outLines().get(0);
    List<String> cmd = CliRun.inNewJvm(List.of(), "predict", "--model", modelFile.toString(), "--input", "-");
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return out.readLine(); // null once the process is gone
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      p.getOutputStream().write((row + lineEnd).getBytes(StandardCharsets.US_ASCII));
      p.getOutputStream().flush(); // and the pipe stays open
      try {
        assertEquals(expected, first.get(30, java.util.concurrent.TimeUnit.SECONDS));
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError("no prediction in 30 s for the rows sent, while the pipe stayed open");
      }
      p.getOutputStream().close();
      assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
      assertEquals(0, p.exitValue());
    } finally {
      p.destroyForcibly(); // ends a read still waiting
    }
  }

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void predictFromAPipeStopsAtTheNextRowOnceItsOutputIsClosed() throws Exception {
    // tail -f rows.csv | vmlp predict --input - | head -1: once a print before a wait finds standard output
    // closed, the next row ends the run, rather than rows predicted for nothing while the pipe stays open
    Path csv = digitsCsv(dir.resolve("rows-closed.csv"), false);
    byte[] row = (Files.readAllLines(csv).get(0) + "\n").getBytes(StandardCharsets.US_ASCII);
    List<String> cmd = CliRun.inNewJvm(List.of(), "predict", "--model", model.toString(), "--input", "-");
    Process p = new ProcessBuilder(cmd).start();
    try {
      var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      p.getOutputStream().write(row);
      p.getOutputStream().flush();
      assertTrue(out.readLine().startsWith("0 "));
      out.close(); // as head does after its line
      long end = System.nanoTime() + 20_000_000_000L;
      while (p.isAlive() && System.nanoTime() < end) {
        try {
          p.getOutputStream().write(row); // a row at a time, the pipe kept open
          p.getOutputStream().flush();
        } catch (IOException e) {
          break; // it has stopped reading
        }
        p.waitFor(300, java.util.concurrent.TimeUnit.MILLISECONDS);
      }
      assertTrue(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "still running, its output closed");
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(1, p.exitValue(), err);
      assertTrue(err.contains("vmlp: error: cannot write to standard output"), err);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void predictRefusesInputThatIsNeitherCsvNorIdx() throws IOException {
    Path bad = Files.write(dir.resolve("bad-magic.idx"), new byte[] {1, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 8, 0, 0, 0, 8});
    CliRun.of("predict", "--model", model.toString(), "--input", bad.toString())
        .assertError(1, bad + ": is neither CSV text nor IDX images: it starts with bytes 01 00 08 03");
    // one zero byte is not the two an IDX file starts with
    Path oneZero = Files.write(dir.resolve("one-zero.idx"), new byte[] {0, 1, 8, 3, 0, 0, 0, 1, 0, 0, 0, 8});
    CliRun.of("predict", "--model", model.toString(), "--input", oneZero.toString())
        .assertError(1, oneZero + ": is neither CSV text nor IDX images: it starts with bytes 00 01 08 03");
    // a file compressed twice is said to be so
    Path csv = digitsCsv(dir.resolve("twice.csv"), false);
    Path twice = dir.resolve("twice.csv.gz.gz");
    Files.write(twice, gzip(gzip(Files.readAllBytes(csv))));
    CliRun.of("predict", "--model", model.toString(), "--input", twice.toString())
        .assertError(1, twice + ": is neither CSV text nor IDX images: it starts with bytes 1f 8b 08 00 once "
            + "decompressed, which is gzip again (compressed twice?)");
  }

  @Test
  void predictTellsCsvTextFromBinaryInputByItsFirstBytes() throws IOException {
    String row = String.join(",", java.util.Collections.nCopies(64, "1")) + "\n";
    String expected = CliRun.of("predict", "--model", model.toString(), "--input",
        Files.writeString(dir.resolve("first-bytes.csv"), row).toString()).out();
    // text may start with a tab, a space or a line break, which are no binary bytes
    for (String start : List.of("\t", " ", "\n", "\r\n")) {
      Path csv = Files.writeString(dir.resolve("first-bytes-" + (int) start.charAt(0) + ".csv"), start + row);
      CliRun run = CliRun.of("predict", "--model", model.toString(), "--input", csv.toString());
      assertEquals(0, run.exit(), run::describe);
      assertEquals(expected, run.out(), run::describe);
    }
    // a zero byte among the first ones is not text, though the first byte is
    Path zero = Files.write(dir.resolve("zero-third.csv"), "1,\u0000,1\n".getBytes(StandardCharsets.US_ASCII));
    CliRun.of("predict", "--model", model.toString(), "--input", zero.toString())
        .assertError(1, zero + ": is neither CSV text nor IDX images: it starts with bytes 31 2c 00 2c");
    // UTF-8 text may start with a byte past ASCII (its byte-order mark, as "CSV UTF-8" files have)
    Path bom = dir.resolve("first-bytes-bom.csv");
    Files.write(bom, concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, row.getBytes(StandardCharsets.US_ASCII)));
    CliRun withBom = CliRun.of("predict", "--model", model.toString(), "--input", bom.toString());
    assertEquals(0, withBom.exit(), withBom::describe);
    assertEquals(expected, withBom.out(), withBom::describe);
    // another control character is binary, without a zero byte, and in a file shorter than any mark
    for (byte[] bytes : List.of(new byte[] {0x1b}, new byte[] {0x1b, '1', ',', '2'})) {
      Path control = Files.write(dir.resolve("control-" + bytes.length + ".csv"), bytes);
      CliRun.of("predict", "--model", model.toString(), "--input", control.toString())
          .assertError(1, control + ": is neither CSV text nor IDX images: it starts with bytes 1b");
    }
  }

  /** A small gzip input with junk after it, or a bad CRC, is corrupt gzip data (it read "Skip count must be non-negative"). */
  @Test
  void predictNamesCorruptGzipInputThatItPeekedInto() throws IOException {
    byte[] gz = gzip(Files.readAllBytes(digitsCsv(dir.resolve("small.csv"), false)));
    Path junk = Files.write(dir.resolve("junk.csv.gz"), java.util.Arrays.copyOf(gz, gz.length + 1));
    CliRun.of("predict", "--model", model.toString(), "--input", junk.toString())
        .assertError(1, junk + ": corrupt gzip data: Unexpected data after a valid .gz stream");
    gz[gz.length - 8] ^= 1;
    Path crc = Files.write(dir.resolve("crc.csv.gz"), gz);
    CliRun.of("predict", "--model", model.toString(), "--input", crc.toString())
        .assertError(1, crc + ": corrupt gzip data: Gzip-compressed data is corrupt (CRC32 error)");
  }

  private static byte[] gzip(byte[] data) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(bytes)) {
      z.write(data);
    }
    return bytes.toByteArray();
  }

  @Test
  void predictSkipsALabelColumnWhenToldWhich() throws IOException {
    Path csv = digitsCsv(dir.resolve("with-label.csv"), true);
    CliRun unsaid = CliRun.of("predict", "--model", model.toString(), "--input", csv.toString());
    unsaid.assertError(1, "rows have 65 columns, the model takes 64 inputs; if one column is a label");
    CliRun run = CliRun.of("predict", "--model", model.toString(), "--input", csv.toString(), "--label-column", "-1");
    assertEquals(0, run.exit(), run::describe);
    Path plain = digitsCsv(dir.resolve("plain.csv"), false);
    String expected = CliRun.of("predict", "--model", model.toString(), "--input", plain.toString()).out();
    assertEquals(expected, run.out());
    // the label first, or among the features: the other columns, in their order, are the inputs
    for (int column : new int[] {0, 10}) {
      Path moved = dir.resolve("label-at-" + column + ".csv");
      Files.write(moved, Files.readAllLines(csv).stream().map(l -> {
        List<String> cells = new java.util.ArrayList<>(List.of(l.split(",")));
        cells.add(column, cells.remove(cells.size() - 1));
        return String.join(",", cells);
      }).toList());
      CliRun r = CliRun.of("predict", "--model", model.toString(), "--input", moved.toString(), "--label-column",
          Integer.toString(column));
      assertEquals(0, r.exit(), r::describe);
      assertEquals(expected, r.out(), "label in column " + column);
    }
    CliRun.of("predict", "--model", model.toString(), "--input", csv.toString(), "--label-column", "65")
        .assertError(1, csv + ": label column 65 does not exist: rows have 65 columns");
    CliRun.of("predict", "--model", model.toString(), "--input", csv.toString(), "--label-column", "-66")
        .assertError(1, csv + ": label column -66 does not exist: rows have 65 columns");
    CliRun.of("predict", "--model", model.toString(), "--input", plain.toString(), "--label-column", "0")
        .assertError(1, plain + ": rows have 64 columns, 63 without the label column, but the model takes 64 inputs");
    // the skipped column is not read: rows whose label is not known yet, or a name
    List<String> lines = Files.readAllLines(csv);
    Path unknown = dir.resolve("label-unknown.csv");
    Files.write(unknown, java.util.stream.IntStream.range(0, lines.size()).mapToObj(i -> {
      String l = lines.get(i);
      return l.substring(0, l.lastIndexOf(',') + 1) + (i % 2 == 0 ? "" : "cat");
    }).toList());
    CliRun r = CliRun.of("predict", "--model", model.toString(), "--input", unknown.toString(), "--label-column", "-1");
    assertEquals(0, r.exit(), r::describe);
    assertEquals(expected, r.out());
  }

  /**
   * UTF-16 and UTF-32 text with a byte-order mark (what Windows PowerShell's {@code >} writes) is CSV, as
   * train and eval read it: its zero bytes made predict refuse it as neither CSV nor IDX, and UTF-32's
   * big-endian mark, 00 00 FE FF, read as an IDX header.
   */
  @Test
  void predictReadsUtf16AndUtf32TextAsTrainAndEvalDo() throws IOException {
    Path plain = digitsCsv(dir.resolve("utf8.csv"), false);
    String text = Files.readString(plain);
    String expected = CliRun.of("predict", "--model", model.toString(), "--input", plain.toString()).out();
    Path labelled = digitsCsv(dir.resolve("utf8-labelled.csv"), true);
    Path wideLabelled = Files.write(dir.resolve("utf16-labelled.csv"),
        Files.readString(labelled).getBytes(StandardCharsets.UTF_16)); // big-endian, with its mark
    assertEquals(0, CliRun.of("eval", "--model", model.toString(), "--test", wideLabelled.toString(),
        "--label-column", "-1").exit());
    byte[] le = text.getBytes(StandardCharsets.UTF_16LE);
    byte[] be32 = text.getBytes(java.nio.charset.Charset.forName("UTF-32BE"));
    for (byte[] bytes : List.of(text.getBytes(StandardCharsets.UTF_16),
        concat(new byte[] {(byte) 0xff, (byte) 0xfe}, le), concat(new byte[] {0, 0, (byte) 0xfe, (byte) 0xff}, be32))) {
      Path wide = Files.write(dir.resolve("wide.csv"), bytes);
      CliRun run = CliRun.of("predict", "--model", model.toString(), "--input", wide.toString());
      assertEquals(0, run.exit(), run::describe);
      assertEquals(expected, run.out(), run::describe);
    }
  }

  /**
   * Bytes that are not UTF-16 in UTF-16 input (an unpaired surrogate) are named as such, from a file and
   * from standard input, once the rows before them are answered: the decoder replaced them with U+FFFD,
   * and the row was refused as "line 3, column 2: '\uFFFD' is not a number".
   */
  @Test
  void predictNamesBytesThatAreNotUtf16() throws Exception {
    List<String> rows = Files.readAllLines(digitsCsv(dir.resolve("utf8-rows.csv"), false));
    String two = rows.get(0) + "\n" + rows.get(1) + "\n";
    String expected = CliRun.of("predict", "--model", model.toString(), "--input",
        Files.writeString(dir.resolve("two-rows.csv"), two).toString()).out();
    String third = two + rows.get(2).substring(0, rows.get(2).indexOf(',') + 1); // its second cell is the bad one
    for (boolean bigEndian : new boolean[] {true, false}) {
      java.nio.charset.Charset cs = bigEndian ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_16LE;
      byte[] lone = bigEndian ? new byte[] {(byte) 0xdc, 0} : new byte[] {0, (byte) 0xdc};
      Path bad = Files.write(dir.resolve("not-" + cs.name() + ".csv"),
          concat(concat("\uFEFF".getBytes(cs), third.getBytes(cs)), concat(lone, "\n".getBytes(cs))));
      CliRun run = CliRun.of("predict", "--model", model.toString(), "--input", bad.toString());
      assertEquals(1, run.exit(), run::describe);
      assertEquals(expected, run.out(), run::describe);
      assertTrue(run.err().contains("vmlp: error: " + bad + ": not UTF-16 text at or after line 3: Invalid UTF-16 code"
          + " unit 0xdc00 (a low surrogate without a high one before it)"), run::describe);
      if (!bigEndian) {
        continue;
      }
      List<String> cmd = CliRun.inNewJvm(List.of(), "predict", "--model", model.toString(), "--input", "-");
      Process p = new ProcessBuilder(cmd).redirectInput(bad.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
      assertEquals(1, p.exitValue(), err);
      assertEquals(expected, out, err);
      assertTrue(err.contains("vmlp: error: (standard input): not UTF-16 text at or after line 3"), err);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  @Test
  void predictPrintsARegressorsOutputs() throws IOException {
    Model m = Model.initialize(Architecture.of(4, new int[] {8}, Activation.TANH, 3, Head.SQUARED_ERROR), 1);
    Path file = dir.resolve("regressor-outputs.safetensors");
    ModelFiles.save(m, file);
    Path rows = Files.writeString(dir.resolve("regressor-rows.csv"), "1,2,3,4\n-1,0.5,0,2\n");
    float[] v = new float[3];
    CliRun text = CliRun.of("predict", "--model", file.toString(), "--input", rows.toString());
    CliRun json = CliRun.of("predict", "--model", file.toString(), "--input", rows.toString(), "--json");
    assertEquals(0, text.exit(), text::describe);
    assertEquals(0, json.exit(), json::describe);
    float[][] x = {{1, 2, 3, 4}, {-1, 0.5f, 0, 2}};
    for (int i = 0; i < 2; i++) {
      assertEquals(-1, m.predictProbabilities(x[i], v));
      assertEquals(i + " " + v[0] + " " + v[1] + " " + v[2], text.outLines().get(i));
      JsonNode o = JSON.readTree(json.outLines().get(i));
      assertEquals(List.of("row", "values"), names(o));
      assertEquals(i, o.path("row").asInt());
      for (int k = 0; k < 3; k++) {
        assertEquals(v[k], (float) o.path("values").get(k).asDouble());
      }
    }
  }

  @Test
  void predictClosesItsInput() throws IOException {
    Path fds = Path.of("/proc/self/fd");
    Assumptions.assumeTrue(Files.isDirectory(fds), "no /proc/self/fd here");
    Path csv = digitsCsv(dir.resolve("closed.csv"), false);
    assertEquals(0, CliRun.of("predict", "--model", model.toString(), "--input", csv.toString()).exit());
    Path bad = Files.write(dir.resolve("closed-bad.idx"), new byte[] {1, 0, 8, 3, 0, 0, 0, 1});
    CliRun.of("predict", "--model", model.toString(), "--input", bad.toString()).assertError(1, "is neither CSV");
    // refused after it was opened and before it was read: images given a label column
    Path images = dir.resolve("closed-idx3-ubyte");
    MnistFiles.writeIdx(images, false, new int[] {1, 8, 8}, new byte[64]);
    CliRun.of("predict", "--model", model.toString(), "--input", images.toString(), "--label-column", "0")
        .assertError(1, "--label-column is for CSV input");
    List<Path> open = new java.util.ArrayList<>();
    try (var links = Files.list(fds)) {
      for (Path fd : links.toList()) {
        try {
          open.add(Files.readSymbolicLink(fd));
        } catch (IOException e) {
          // closed since it was listed
        }
      }
    }
    assertFalse(open.contains(csv.toRealPath()), "predict left " + csv + " open");
    assertFalse(open.contains(bad.toRealPath()), "predict left " + bad + " open");
    assertFalse(open.contains(images.toRealPath()), "predict left " + images + " open");
  }

  @Test
  void mnistFolderTrainEvalAndPredictImages() throws IOException {
    Path data = MnistFiles.write(dir.resolve("mnist"), 300, 40, 5);
    Path m = dir.resolve("mnist.safetensors");
    JsonNode t = CliRun.of("train", "--data", data.toString(), "--epochs", "3", "--hidden", "16", "--save",
        m.toString(), "--json").json();
    JsonNode e = CliRun.of("eval", "--model", m.toString(), "--data", data.toString(), "--json").json();
    assertEquals(40, e.path("samples").asLong());
    assertEquals(t.path("test_accuracy").asDouble(), e.path("accuracy").asDouble());
    CliRun images = CliRun.of("predict", "--model", m.toString(), "--input",
        data.resolve("t10k-images-idx3-ubyte").toString(), "--json");
    assertEquals(0, images.exit(), images::describe);
    assertEquals(40, images.outLines().size());
    // each image gets the model's own class and probability, in file order
    Model saved = ModelFiles.load(m);
    Dataset testImages = Mnist.loadPair(data.resolve("t10k-images-idx3-ubyte"),
        data.resolve("t10k-labels-idx1-ubyte"), 10);
    float[] p = new float[10];
    for (int i = 0; i < 40; i++) {
      int c = saved.predict(testImages.row(i));
      saved.predictProbabilities(testImages.row(i), p);
      JsonNode o = JSON.readTree(images.outLines().get(i));
      assertEquals(i, o.path("row").asInt());
      assertEquals(c, o.path("class").asInt(), "image " + i);
      assertEquals(p[c], (float) o.path("probability").asDouble(), "image " + i);
    }
    CliRun gz = CliRun.of("predict", "--model", m.toString(), "--input",
        data.resolve("train-images-idx3-ubyte.gz").toString());
    assertEquals(0, gz.exit(), gz::describe);
    assertEquals(300, gz.outLines().size());
    Dataset trainImages = Mnist.loadPair(data.resolve("train-images-idx3-ubyte.gz"),
        data.resolve("train-labels-idx1-ubyte"), 10);
    for (int i = 0; i < 300; i++) {
      int c = saved.predict(trainImages.row(i));
      saved.predictProbabilities(trainImages.row(i), p);
      assertEquals(String.format(Locale.ROOT, "%d %d %.6f", i, c, p[c]), gz.outLines().get(i));
    }
    CliRun wrongSize = CliRun.of("predict", "--model", model.toString(), "--input",
        data.resolve("t10k-images-idx3-ubyte").toString());
    wrongSize.assertError(1, "images are 28x28 = 784 values, the model takes 64 inputs");
    Path small = dir.resolve("small-idx3-ubyte");
    MnistFiles.writeIdx(small, false, new int[] {1, 8, 8}, new byte[64]);
    CliRun.of("predict", "--model", m.toString(), "--input", small.toString())
        .assertError(1, small + ": images are 8x8 = 64 values, the model takes 784 inputs");
    Path tiny = dir.resolve("tiny-idx3-ubyte");
    MnistFiles.writeIdx(tiny, false, new int[] {1, 1, 1}, new byte[1]);
    CliRun.of("predict", "--model", m.toString(), "--input", tiny.toString())
        .assertError(1, tiny + ": images are 1x1 = 1 value, the model takes 784 inputs");
    CliRun label = CliRun.of("predict", "--model", m.toString(), "--label-column", "0", "--input",
        data.resolve("t10k-images-idx3-ubyte").toString());
    label.assertError(1, "--label-column is for CSV input");
    CliRun.of("predict", "--model", m.toString(), "--input", data.toString())
        .assertError(1, data + ": is a folder, not a file");
    // with both a plain file and its .gz, eval reads the plain one, as train does
    MnistFiles.writeIdx(data.resolve("t10k-images-idx3-ubyte.gz"), true, new int[] {40, 28, 28}, new byte[40 * 784]);
    JsonNode again = CliRun.of("eval", "--model", m.toString(), "--data", data.toString(), "--json").json();
    assertEquals(t.path("test_accuracy").asDouble(), again.path("accuracy").asDouble());
    // with only the .gz files, eval reads those
    for (String name : List.of("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
      Path plain = data.resolve(name);
      Files.write(data.resolve(name + ".gz"), gzip(Files.readAllBytes(plain)));
      Files.delete(plain);
    }
    JsonNode gzOnly = CliRun.of("eval", "--model", m.toString(), "--data", data.toString(), "--json").json();
    assertEquals(40, gzOnly.path("samples").asLong());
    assertEquals(t.path("test_accuracy").asDouble(), gzOnly.path("accuracy").asDouble());
  }

  @Test
  void trainResumesOnlyClassifiers() throws IOException {
    Path reg = dir.resolve("resume-regressor.safetensors");
    ModelFiles.save(Model.initialize(Architecture.of(64, new int[] {8}, Activation.TANH, 10, Head.SQUARED_ERROR), 1),
        reg);
    CliRun.of("train", "--resume", reg.toString(), "--epochs", "1")
        .assertError(1, reg + ": a regressor (head squared_error); vmlp train trains classifiers");
  }

  @Test
  void trainResumesAFileWithoutMetadataWithTheActivationGiven() throws IOException {
    Path bare = stripMetadata(model, dir.resolve("resume-bare.safetensors"));
    CliRun.of("train", "--resume", bare.toString(), "--epochs", "1").assertError(1, "--activation");
    JsonNode j = CliRun.of("train", "--resume", bare.toString(), "--activation", "relu", "--epochs", "1", "--json")
        .json();
    assertEquals("relu", j.path("activation").asText());
    assertEquals(List.of(64, 32, 10), TrainDigitsTest.ints(j.path("layers")));
  }

  @Test
  void aFileWithoutMetadataNeedsAndTakesTheActivation() throws IOException {
    Path bare = stripMetadata(model, dir.resolve("bare.safetensors"));
    CliRun.of("eval", "--model", bare.toString()).assertError(1, "--activation");
    JsonNode e = CliRun.of("eval", "--model", bare.toString(), "--activation", "relu", "--head", "softmax",
        "--json").json();
    // without its scaling (÷16), the raw digits give other numbers, but the file loads and runs
    assertEquals(359, e.path("samples").asLong());
    CliRun p = CliRun.of("predict", "--model", bare.toString(), "--activation", "relu",
        "--input", digitsCsv(dir.resolve("p.csv"), false).toString());
    assertEquals(0, p.exit(), p::describe);
    assertEquals(359, p.outLines().size());
    // --head takes effect: the same tensors read as a regressor print their outputs, and cannot be
    // evaluated on class labels
    Path csv = digitsCsv(dir.resolve("p-head.csv"), false);
    CliRun values = CliRun.of("predict", "--model", bare.toString(), "--activation", "relu", "--head",
        "squared_error", "--input", csv.toString(), "--json");
    assertEquals(0, values.exit(), values::describe);
    Model regressor = ModelFiles.load(bare, dev.vmlp.io.LoadOptions.defaults().withActivation(Activation.RELU)
        .withHead(Head.SQUARED_ERROR));
    float[] v = new float[10];
    regressor.predictProbabilities(test.row(0), v);
    JsonNode first = JSON.readTree(values.outLines().get(0));
    assertEquals(List.of("row", "values"), names(first), values::describe);
    for (int k = 0; k < 10; k++) {
      assertEquals(v[k], (float) first.path("values").get(k).asDouble());
    }
    CliRun.of("eval", "--model", bare.toString(), "--activation", "relu", "--head", "squared_error")
        .assertError(1, "has class labels, the model's head is squared_error");
  }

  @Test
  void badModelFilesAreOneLineErrors() throws IOException {
    Path missing = dir.resolve("no-such.safetensors");
    CliRun.of("eval", "--model", missing.toString()).assertError(1, missing + ": no such file");
    Path text = Files.writeString(dir.resolve("text.safetensors"), "this is not a model file");
    CliRun.of("eval", "--model", text.toString()).assertError(1, text + ": header length");
    byte[] good = Files.readAllBytes(model);
    Path truncated = Files.write(dir.resolve("truncated.safetensors"), Arrays.copyOf(good, good.length - 10));
    CliRun.of("predict", "--model", truncated.toString(), "--input", "x.csv").assertError(1, "out of range");
    byte[] flipped = good.clone();
    flipped[flipped.length - 3] ^= 0x40;
    Path damaged = Files.write(dir.resolve("damaged.safetensors"), flipped);
    CliRun.of("eval", "--model", damaged.toString()).assertError(1, "weights_sha256");
    CliRun.of("eval", "--model", model.toString(), "--activation", "tanh").assertError(1, "vmlp.activations");
  }

  @Test
  void dataOfAnotherWidthNamesTheModelFile() throws IOException {
    Path data = MnistFiles.write(dir.resolve("mnist-784-for-64"), 20, 10, 6);
    // named by its path, as the readers name a file: the bare name said neither the folder nor which of two files
    CliRun.of("eval", "--model", model.toString(), "--data", data.toString())
        .assertError(1, data.resolve("t10k-images-idx3-ubyte") + ": rows have 784 features, the model in " + model
            + " takes 64 inputs");
    Path narrow = Files.writeString(dir.resolve("narrow-for-eval.csv"), "1,0.5,0.25\n0,0.1,0.2\n");
    CliRun.of("eval", "--model", model.toString(), "--test", narrow.toString())
        .assertError(1, narrow + ": rows have 2 features, the model in " + model + " takes 64 inputs");
  }

  @Test
  void aRegressorIsNotEvaluatedOnClassLabels() throws IOException {
    Path data = MnistFiles.write(dir.resolve("mnist-for-regressor"), 20, 10, 6);
    Path reg = dir.resolve("regressor.safetensors");
    ModelFiles.save(Model.initialize(dev.vmlp.Architecture.of(784, new int[] {8}, dev.vmlp.Activation.TANH, 1,
        dev.vmlp.Head.SQUARED_ERROR), 1), reg);
    CliRun.of("eval", "--model", reg.toString(), "--data", data.toString())
        .assertError(1, "the model is a regressor (head squared_error), and MNIST files hold class labels");
    // several outputs: a CSV row of vmlp eval holds one target, so it says so rather than miscount columns
    Path wide = dir.resolve("regressor3.safetensors");
    ModelFiles.save(Model.initialize(dev.vmlp.Architecture.of(4, new int[] {8}, dev.vmlp.Activation.TANH, 3,
        dev.vmlp.Head.SQUARED_ERROR), 1), wide);
    Path csv = Files.writeString(dir.resolve("targets.csv"), "1,2,3,4,5,6,7\n");
    CliRun.of("eval", "--model", wide.toString(), "--test", csv.toString())
        .assertError(1, "the model is a regressor of 3 outputs, and vmlp eval reads one target per CSV row");
  }

  @Test
  void aRegressorsTextReportGivesTheLossToSixDecimals() throws IOException {
    Path reg = dir.resolve("regressor-text.safetensors");
    ModelFiles.save(Model.initialize(dev.vmlp.Architecture.of(4, new int[] {8}, dev.vmlp.Activation.TANH, 1,
        dev.vmlp.Head.SQUARED_ERROR), 1), reg);
    Path csv = Files.writeString(dir.resolve("one-target.csv"), "0.5,1,2,3,4\n-1,0,1,0,1\n");
    JsonNode j = CliRun.of("eval", "--model", reg.toString(), "--test", csv.toString(), "--json").json();
    // a regressor has no accuracy and no confusion matrix: both null, not NaN or left out
    assertTrue(j.has("accuracy") && j.path("accuracy").isNull(), j::toString);
    assertTrue(j.has("confusion_matrix") && j.path("confusion_matrix").isNull(), j::toString);
    CliRun text = CliRun.of("eval", "--model", reg.toString(), "--test", csv.toString());
    assertEquals(String.format(Locale.ROOT, "loss %.6f (mean of half the squared error)", j.path("loss").asDouble()),
        text.outLines().get(text.outLines().size() - 1), text::describe);
  }

  @Test
  void nonFiniteWeightsLoadOnlyWhenAllowed() throws IOException {
    Model m = ModelFiles.load(model);
    List<LayerWeights> w = new java.util.ArrayList<>(m.weights());
    float[] bias = w.get(1).bias().clone();
    bias[3] = Float.POSITIVE_INFINITY;
    w.set(1, new LayerWeights(w.get(1).outputs(), w.get(1).inputs(), w.get(1).weights(), bias));
    Path inf = dir.resolve("infinite.safetensors");
    ModelFiles.save(Model.ofAllowingNonFinite(m.architecture(), w, m.scaling()), inf);
    String refused = CliRun.of("eval", "--model", inf.toString()).assertError(1,
        "tensor 'layers.1.bias': value [3] is Infinity");
    assertTrue(refused.contains("--allow-non-finite"), refused);
    // allowed, it loads; class 3's logit is then infinite for every row, which evaluation reports as such,
    // naming the bias rather than blaming the inputs
    String allowed = CliRun.of("eval", "--model", inf.toString(), "--allow-non-finite").assertError(1,
        "output z[3] is Infinity (the model's layer 1 bias [3] = Infinity)");
    assertFalse(allowed.contains("inputs far outside"), allowed);
    // predict names the image (0-based, as its row) whose output is not finite
    Path images = dir.resolve("inf-idx3-ubyte");
    MnistFiles.writeIdx(images, false, new int[] {2, 8, 8}, new byte[128]);
    CliRun.of("predict", "--model", inf.toString(), "--allow-non-finite", "--input", images.toString())
        .assertError(1, images + ": image 0 (row 0): output z[3] is Infinity");
  }

  @Test
  void theBundledDatasetIsNamedInAnyCase() {
    JsonNode t = CliRun.of("train", "--dataset", " Digits ", "--epochs", "1", "--hidden", "0", "--json").json();
    assertEquals("digits", t.path("dataset").asText());
    JsonNode e = CliRun.of("eval", "--model", model.toString(), "--dataset", "DIGITS", "--json").json();
    assertEquals(359, e.path("samples").asLong());
  }

  @Test
  void usageErrors() {
    CliRun.of("eval").assertError(2, "--model");
    CliRun.of("predict", "--model", model.toString()).assertError(2, "--input");
    CliRun.of("eval", "--model", model.toString(), "--head", "svm").assertError(2, "svm");
    CliRun.of("eval", "--model", model.toString(), "--activation", "swish").assertError(2, "swish");
    CliRun.of("eval", "--model", model.toString(), "--dataset", "cifar").assertError(2, "cifar");
    CliRun.of("eval", "--model", model.toString(), "--label-column", "1").assertError(2, "--test");
  }

  @Test
  void trainRefusesToStartWhenItCannotSave() {
    Path nowhere = dir.resolve("no/such/folder/m.safetensors");
    CliRun run = CliRun.of("train", "--save", nowhere.toString());
    run.assertError(1, "no folder to save m.safetensors in");
    assertFalse(run.out().contains("epoch"), run::describe);
    CliRun.of("train", "--epochs", "1", "--save", dir.toString()).assertError(1, "is a folder");
    // a link to nothing is named with where it leads, as bench names its --out, whether the file or its folder
    Path gone = dir.resolve("gone-models");
    Path link = dir.resolve("models-link");
    try {
      Files.createSymbolicLink(link, gone);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    CliRun.of("train", "--save", link.toString())
        .assertError(1, link + ": is a link to " + gone + ", which does not exist");
    CliRun.of("train", "--save", link.resolve("m.safetensors").toString())
        .assertError(1, "no folder to save m.safetensors in (" + link + " is a link to " + gone + ", which does not");
    assertFalse(Files.exists(gone, LinkOption.NOFOLLOW_LINKS));
    // a device, pipe or socket is not replaced by a file (a socket here: no special file of the system is touched)
    Path socket = dir.resolve("train.socket");
    try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.bind(UnixDomainSocketAddress.of(socket));
      CliRun s = CliRun.of("train", "--save", socket.toString());
      s.assertError(1, socket + ": is not a regular file");
      assertFalse(s.out().contains("epoch"), s::describe);
      assertFalse(Files.isRegularFile(socket, LinkOption.NOFOLLOW_LINKS));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    CliRun.of("train", "--save", "/").assertError(1, "/: is a folder; a model is saved to a file");
    // a folder that takes no new file though its permissions let root write (/proc): refused before training,
    // as a file made and removed there fails (a user other than root is refused by the permissions)
    Path proc = Path.of("/proc/vmlp-save.safetensors");
    if (Files.isDirectory(proc.getParent())) {
      CliRun p = CliRun.of("train", "--epochs", "1", "--hidden", "8", "--save", proc.toString());
      p.assertError(1, "vmlp-save.safetensors");
      assertFalse(p.out().contains("epoch") || p.err().contains("epoch 1"), p::describe);
    }
    // '-' is standard input for --input, and no file name for a save
    CliRun dash = CliRun.of("train", "--epochs", "1", "--hidden", "8", "--save", "-");
    dash.assertError(2, "--save - would make a file named '-': a model is saved to a file, not to standard output"
        + " (give ./- for a file of that name)");
    assertFalse(dash.out().contains("epoch"), dash::describe);
    assertFalse(Files.exists(Path.of("-"), LinkOption.NOFOLLOW_LINKS), "no file named '-' is made");
    // a trailing slash names a folder, even one that does not exist yet
    Path newFolder = dir.resolve("new-folder");
    CliRun slash = CliRun.of("train", "--save", newFolder + "/");
    slash.assertError(1, newFolder + "/: ends with a slash, so it names a folder; a model is saved to a file");
    assertFalse(slash.out().contains("epoch"), slash::describe);
    assertFalse(Files.exists(newFolder, LinkOption.NOFOLLOW_LINKS), "no file is made in its place");
  }

  @Test
  void helpListsTheCommands() {
    CliRun run = CliRun.of("--help");
    assertEquals(0, run.exit(), run::describe);
    for (String c : List.of("train", "eval", "predict")) {
      assertTrue(run.out().lines().anyMatch(l -> l.strip().startsWith(c)), run::describe);
    }
    CliRun predict = CliRun.of("predict", "--help");
    assertTrue(predict.out().contains("--label-column") && predict.out().contains("--activation"), predict::describe);
  }

  /** The digits test split as CSV: 64 features, and the label last when {@code labelled}. */
  @Test
  void predictPrintsEveryRowOnceWhenTheOutputComesInSeveralBlocks() throws IOException {
    // the rows are printed in blocks of 64 KB: 20 copies of the test set make several, each printed once
    Path csv = digitsCsv(dir.resolve("once.csv"), false);
    List<String> one = CliRun.of("predict", "--model", model.toString(), "--input", csv.toString(), "--json")
        .outLines();
    Path many = Files.writeString(dir.resolve("many.csv"), Files.readString(csv).repeat(20));
    CliRun run = CliRun.of("predict", "--model", model.toString(), "--input", many.toString(), "--json");
    assertEquals(0, run.exit(), run::describe);
    List<String> lines = run.outLines();
    assertTrue(run.out().length() > 3 << 16, "several blocks: " + run.out().length() + " characters");
    assertEquals(20 * test.size(), lines.size());
    for (int i = 0; i < lines.size(); i++) {
      assertEquals(one.get(i % test.size()).replaceFirst("^\\{\"row\":\\d+,", "{\"row\":" + i + ","), lines.get(i));
    }
  }

  static Path digitsCsv(Path file, boolean labelled) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < test.size(); i++) {
      float[] x = test.row(i);
      for (int j = 0; j < x.length; j++) {
        b.append(j == 0 ? "" : ",").append((int) x[j]);
      }
      if (labelled) {
        b.append(',').append(test.label(i));
      }
      b.append('\n');
    }
    return Files.writeString(file, b);
  }

  /** A copy of a model file without its __metadata__, like a PyTorch export. */
  static Path stripMetadata(Path from, Path to) throws IOException {
    byte[] b = Files.readAllBytes(from);
    long n = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    ObjectNode h = (ObjectNode) JSON.readTree(new String(b, 8, (int) n, StandardCharsets.UTF_8));
    h.remove("__metadata__");
    byte[] header = JSON.writeValueAsBytes(h);
    ByteBuffer out = ByteBuffer.allocate(8 + header.length + b.length - 8 - (int) n).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(header.length).put(header).put(b, 8 + (int) n, b.length - 8 - (int) n);
    return Files.write(to, out.array());
  }

  private static List<String> names(JsonNode o) {
    List<String> l = new java.util.ArrayList<>();
    o.fieldNames().forEachRemaining(l::add);
    return l;
  }
}
