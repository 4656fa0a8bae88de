package dev.vmlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vmlp train} on data files: an MNIST-format folder and CSV pairs. */
class TrainFilesTest {
  @TempDir
  Path tmp;

  @Test
  void trainsOnAnMnistFolderWithAGzippedFile() throws IOException {
    Path dir = MnistFiles.write(tmp.resolve("tiny-mnist"), 200, 50, 1);
    CliRun run = CliRun.of("train", "--data", dir.toString(), "--epochs", "3", "--hidden", "32", "--json");
    JsonNode j = run.json();
    String why = run.describe();
    assertEquals("tiny-mnist", j.path("dataset").asText(), why);
    assertEquals(List.of(784, 32, 10), TrainDigitsTest.ints(j.path("layers")), why);
    assertEquals(200, j.path("train_samples").asLong(), why);
    assertEquals(50, j.path("test_samples").asLong(), why);
    assertEquals(3, j.path("epochs_detail").size(), why);
    // --inputs auto: images that are mostly zero take the sparse first-layer kernels
    assertTrue(j.path("sparse_inputs").asBoolean(false), why);
    // --inputs dense overrides that choice, and gives the same weights
    CliRun dense = CliRun.of("train", "--data", dir.toString(), "--epochs", "3", "--hidden", "32", "--inputs", "dense",
        "--json");
    assertFalse(dense.json().path("sparse_inputs").asBoolean(true), dense::describe);
    assertEquals(j.path("weights_sha256").asText(), dense.json().path("weights_sha256").asText(), dense::describe);
    // The pattern is easy: far better than the 10% of guessing.
    assertTrue(j.path("test_accuracy").asDouble() >= 0.8, why);
    assertTrue(j.path("weights_sha256").asText().matches("[0-9a-f]{64}"), why);
  }

  @Test
  void aFolderReachedThroughALinkAndDotDotIsNamedAfterTheFolderRead() throws IOException {
    // other/link/.. is tiny-mnist, the link's target's parent; the path as written ends in "other"
    Path dir = MnistFiles.write(tmp.resolve("tiny-mnist"), 60, 20, 1);
    Files.createDirectories(dir.resolve("sub"));
    Files.createDirectories(tmp.resolve("other"));
    Path link = Files.createSymbolicLink(tmp.resolve("other/link"), dir.resolve("sub"));
    CliRun run = CliRun.of("train", "--data", link.resolve("..").toString(), "--epochs", "1", "--hidden", "8",
        "--json");
    assertEquals("tiny-mnist", run.json().path("dataset").asText(), run.describe());
  }

  @Test
  void trainsOnCsvFilesWithLabelInTheFirstColumn() throws IOException {
    Path train = writeCsv(tmp.resolve("train.csv"), 300, 0, true, 0, 11);
    Path test = writeCsv(tmp.resolve("test.csv"), 90, 0, false, 0, 12);
    CliRun run = CliRun.of("train", "--train", train.toString(), "--test", test.toString(), "--epochs", "5",
        "--hidden", "16", "--lr", "0.05", "--json");
    JsonNode j = run.json();
    String why = run.describe();
    assertEquals("train.csv", j.path("dataset").asText(), why);
    assertEquals(List.of(4, 16, 3), TrainDigitsTest.ints(j.path("layers")), why);
    assertEquals(300, j.path("train_samples").asLong(), why);
    assertEquals(90, j.path("test_samples").asLong(), why);
    assertTrue(j.path("test_accuracy").asDouble() >= 0.85, why);
  }

  @Test
  void labelColumnAndStandardizeChangeHowCsvIsRead() throws IOException {
    // Features around 10 with a small spread: standardisation changes the result.
    Path train = writeCsv(tmp.resolve("a.csv"), 300, -1, false, 10, 21);
    Path test = writeCsv(tmp.resolve("b.csv"), 90, -1, false, 10, 22);
    String[] common = {"train", "--train", train.toString(), "--test", test.toString(), "--label-column", "-1",
        "--epochs", "3", "--hidden", "16", "--json"};
    CliRun plain = CliRun.of(common);
    CliRun standardized = CliRun.of(concat(common, "--standardize"));
    JsonNode p = plain.json();
    JsonNode s = standardized.json();
    assertEquals(List.of(4, 16, 3), TrainDigitsTest.ints(s.path("layers")), standardized.describe());
    assertEquals("a.csv", s.path("dataset").asText());
    assertNotEquals(p.path("weights_sha256").asText(), s.path("weights_sha256").asText());
    assertTrue(s.path("test_accuracy").asDouble() >= 0.85, standardized.describe());

    // the saved models hold the scaling each run used: none without --standardize, the training set's with it
    Path plainModel = tmp.resolve("plain.safetensors");
    Path standardizedModel = tmp.resolve("standardized.safetensors");
    assertEquals(0, CliRun.of(concat(common, "--save", plainModel.toString())).exit());
    assertEquals(0, CliRun.of(concat(common, "--standardize", "--save", standardizedModel.toString())).exit());
    assertEquals(dev.vmlp.InputScaling.none(), dev.vmlp.io.ModelFiles.load(plainModel).scaling());
    assertEquals(dev.vmlp.InputScaling.standardize(dev.vmlp.data.Csv.read(train,
        dev.vmlp.data.Csv.Options.defaults().withLabelColumn(-1))), dev.vmlp.io.ModelFiles.load(standardizedModel).scaling());

    // Without --label-column the first column, a real number, is taken as the label and rejected.
    CliRun wrongColumn = CliRun.of("train", "--train", train.toString(), "--test", test.toString(), "--epochs", "1");
    assertTrue(wrongColumn.assertError(1, "a.csv").contains("not a class index"), wrongColumn.describe());
  }

  @Test
  void rowsAsWideAsANetworkTakesAreTrained() throws IOException {
    // Architecture.MAX_WIDTH features, the most inputs a network may take (one more is refused by the reader)
    String zeros = ",0".repeat(dev.vmlp.Architecture.MAX_WIDTH);
    Path wide = Files.writeString(tmp.resolve("widest.csv"), "0" + zeros + "\n1" + zeros + "\n");
    CliRun run = CliRun.of("train", "--train", wide.toString(), "--test", wide.toString(), "--hidden", "0",
        "--epochs", "1", "--json");
    assertEquals(List.of(dev.vmlp.Architecture.MAX_WIDTH, 2), TrainDigitsTest.ints(run.json().path("layers")),
        run::describe);
  }

  @Test
  void aClassOnlyTheTestFileHasGetsAnOutput() throws IOException {
    // the training file has classes 0 and 1; the test file has a 2 as well, which the network must be able to name
    Path train = Files.writeString(tmp.resolve("two.csv"), "0,0,0\n1,1,1\n0,0,1\n1,1,0\n");
    Path test = Files.writeString(tmp.resolve("three.csv"), "0,0,0\n2,5,5\n");
    CliRun run = CliRun.of("train", "--train", train.toString(), "--test", test.toString(), "--epochs", "1",
        "--hidden", "4", "--json");
    assertEquals(List.of(2, 4, 3), TrainDigitsTest.ints(run.json().path("layers")), run.describe());
    assertEquals(2, run.json().path("test_samples").asLong(), run.describe());
  }

  /**
   * Three classes around well-separated centres in 4 dimensions, every feature shifted by
   * {@code offset}; label in column {@code labelColumn} (0 or -1), optionally with a header line.
   */
  private static Path writeCsv(Path file, int rows, int labelColumn, boolean header, double offset, long seed)
      throws IOException {
    Random rnd = new Random(seed);
    double[][] centres = {{0, 0, 0, 0}, {3, 3, 0, 0}, {0, 3, 3, 3}};
    StringBuilder sb = new StringBuilder();
    if (header) {
      sb.append(labelColumn == 0 ? "label,a,b,c,d\n" : "a,b,c,d,label\n");
    }
    for (int i = 0; i < rows; i++) {
      int k = i % 3;
      StringBuilder row = new StringBuilder();
      for (int f = 0; f < 4; f++) {
        if (f > 0) {
          row.append(',');
        }
        row.append(String.format(Locale.ROOT, "%.4f", offset + centres[k][f] + 0.5 * rnd.nextGaussian()));
      }
      sb.append(labelColumn == 0 ? k + "," + row : row + "," + k).append('\n');
    }
    Files.writeString(file, sb);
    return file;
  }

  private static String[] concat(String[] a, String... b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
