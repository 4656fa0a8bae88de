package dev.vmlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmlp.Activation;
import dev.vmlp.Architecture;
import dev.vmlp.Head;
import dev.vmlp.InputScaling;
import dev.vmlp.LayerWeights;
import dev.vmlp.Model;
import dev.vmlp.io.ModelFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the commands check before they spend time: inputs that do not fit, a model file that would
 * replace its own data, network sizes no file could hold; and what they name when they stop: the file
 * and row of an output that is not finite, the image size of an IDX file too wide for any network.
 */
@Timeout(120)
class InputChecksTest {
  @TempDir
  Path dir;

  @Test
  void trainRefusesATestFileOfAnotherWidthNamingBothFiles() throws IOException {
    Path train = Files.writeString(dir.resolve("train.csv"), "0,1,2\n1,3,4\n0,5,6\n");
    Path test = Files.writeString(dir.resolve("test.csv"), "0,1,2,3\n1,4,5,6\n");
    CliRun.of("train", "--train", train.toString(), "--test", test.toString(), "--epochs", "1")
        .assertError(1, test + ": rows have 4 columns (the label and 3 features), the training file " + train
            + " has 3");
  }

  @Test
  void trainRefusesToSaveOverItsOwnInput() throws IOException {
    Path train = Files.writeString(dir.resolve("train.csv"), "0,1,2\n1,3,4\n0,5,6\n");
    Path test = Files.writeString(dir.resolve("test.csv"), "0,1,2\n1,4,5\n");
    String before = Files.readString(train);
    CliRun.of("train", "--train", train.toString(), "--test", test.toString(), "--epochs", "1",
        "--save", dir.resolve(".").resolve("train.csv").toString())
        .assertError(2, "is the input file " + train + ", which the model would replace");
    assertEquals(before, Files.readString(train));
    Path mnist = MnistFiles.write(dir.resolve("mnist"), 30, 10, 3);
    Path labels = mnist.resolve("t10k-labels-idx1-ubyte");
    assertTrue(Files.exists(labels));
    CliRun.of("train", "--data", mnist.toString(), "--epochs", "1", "--save", labels.toString())
        .assertError(2, "is the input file");
    // the training images are gzipped: a plain file of their name would be read in their place next time
    Path plain = mnist.resolve("train-images-idx3-ubyte");
    assertTrue(Files.exists(mnist.resolve("train-images-idx3-ubyte.gz")) && !Files.exists(plain));
    CliRun.of("train", "--data", mnist.toString(), "--epochs", "1", "--save", plain.toString())
        .assertError(2, "would be read next time in place of the input file " + plain + ".gz");
    // links are followed, as the save follows them: a link to an input, or a plain name in a linked folder
    Path soft = Files.createSymbolicLink(dir.resolve("soft.csv"), train);
    CliRun.of("train", "--train", train.toString(), "--test", test.toString(), "--epochs", "1",
        "--save", soft.toString()).assertError(2, "is the input file " + train + ", which the model would replace");
    Path linkedFolder = Files.createSymbolicLink(dir.resolve("mnist-link"), mnist);
    CliRun.of("train", "--data", mnist.toString(), "--epochs", "1", "--save",
        linkedFolder.resolve("train-images-idx3-ubyte").toString())
        .assertError(2, "would be read next time in place of the input file " + plain + ".gz");
    // a .. after a linked folder is taken from the folder it names, as the system takes it: here the input's
    Path sub = Files.createDirectory(dir.resolve("sub"));
    Path models = Files.createDirectory(dir.resolve("models"));
    Path toSub = Files.createSymbolicLink(models.resolve("link"), sub);
    CliRun.of("train", "--train", train.toString(), "--test", test.toString(), "--epochs", "1",
        "--save", toSub + "/../train.csv")
        .assertError(2, "is the input file " + train + ", which the model would replace");
    assertEquals(before, Files.readString(train));
    // another hard link to an input is a name of its own: the save replaces that name, not the input
    Path link = Files.createLink(dir.resolve("hard.csv"), train);
    CliRun ok = CliRun.of("train", "--train", train.toString(), "--test", test.toString(), "--epochs", "1",
        "--save", link.toString());
    assertEquals(0, ok.exit(), ok::describe);
    assertEquals(before, Files.readString(train));
  }

  @Test
  void csvOptionsWithOtherDataSayWhatTheyAreFor() {
    CliRun.of("train", "--dataset", "digits", "--label-column", "1")
        .assertError(2, "--label-column is for CSV input, given with --train FILE --test FILE; it does not apply");
    CliRun.of("train", "--standardize")
        .assertError(2, "--standardize is for CSV input, given with --train FILE --test FILE");
    CliRun.of("eval", "--model", "m.safetensors", "--dataset", "digits", "--label-column=2")
        .assertError(2, "--label-column is for CSV input, given with --test FILE");
    // a CSV pair missing its other file is still said so
    CliRun.of("train", "--train", "a.csv", "--label-column", "1")
        .assertError(2, "missing required argument(s): --test=FILE");
  }

  @Test
  void everyCommandRefusesAnEmptyPathNamingItsOption() throws IOException {
    // Path reads '' (an unset variable) as the current folder: --resume '' was refused as ': is a folder,
    // not a model file', --data '' looked for MNIST files there and eval --data '' still did
    Path csv = Files.writeString(dir.resolve("a.csv"), "0,1,2\n1,3,4\n");
    String none = "'' names no file or folder";
    CliRun.of("train", "--resume", "", "--epochs", "1").assertError(2, "option '--resume': " + none);
    CliRun.of("train", "--data", "", "--epochs", "1").assertError(2, "option '--data': " + none);
    CliRun.of("train", "--train", "", "--test", csv.toString(), "--epochs", "1")
        .assertError(2, "option '--train': " + none);
    CliRun.of("train", "--train", csv.toString(), "--test", "", "--epochs", "1")
        .assertError(2, "option '--test': " + none);
    CliRun.of("train", "--epochs", "1", "--save", "").assertError(2, "option '--save': " + none);
    CliRun.of("eval", "--model", "").assertError(2, "option '--model': " + none);
    CliRun.of("eval", "--model", "m.safetensors", "--data", "").assertError(2, "option '--data': " + none);
    CliRun.of("eval", "--model", "m.safetensors", "--test", "").assertError(2, "option '--test': " + none);
    CliRun.of("predict", "--model", "m.safetensors", "--input", "").assertError(2, "option '--input': " + none);
  }

  @Test
  void networkSizesNoFileCouldHoldAreUsageErrorsBeforeTraining() {
    String widths = String.join(",", java.util.Collections.nCopies(Architecture.MAX_LAYERS, "2"));
    CliRun.of("train", "--hidden", widths, "--epochs", "1")
        .assertError(2, "--hidden gives 2048 hidden layers; a network has at most 2047");
    CliRun.of("train", "--hidden", "1048576,2048", "--epochs", "1")
        .assertError(2, "--hidden 1048576,2048 makes a layer of more than");
    // a width of 1 is the least a layer can have, and trains
    JsonNode narrow = CliRun.of("train", "--hidden", "8,1", "--epochs", "1", "--json").json();
    assertEquals(List.of(64, 8, 1, 10), TrainDigitsTest.ints(narrow.path("layers")), narrow::toString);
  }

  @Test
  void trainJsonIsAloneOnStandardOutput() {
    CliRun run = CliRun.of("train", "--epochs", "2", "--hidden", "16", "--json");
    assertEquals(1, run.outLines().size(), run::describe);
    assertTrue(run.json().path("weights_sha256").isTextual());
    assertEquals(2, run.errLines().stream().filter(l -> l.startsWith("epoch ")).count(), run::describe);
  }

  @Test
  void predictNamesTheFileAndLineOfAnOutputThatIsNotFinite() throws IOException {
    Architecture arch = Architecture.builder(2).output(2, Head.SOFTMAX_CROSS_ENTROPY);
    Model m = Model.of(arch, List.of(new LayerWeights(2, 2, new float[] {1e30f, 0, 0, 1}, new float[] {0, 0})),
        InputScaling.none());
    Path model = dir.resolve("m.safetensors");
    ModelFiles.save(m, model);
    Path rows = Files.writeString(dir.resolve("rows.csv"), "x,y\n1,2\n1e10,0\n3,4\n");
    CliRun run = CliRun.of("predict", "--model", model.toString(), "--input", rows.toString());
    run.assertError(1, rows + ": line 3 (row 1): output z[0] is Infinity");
    assertEquals(1, run.outLines().size(), "the row before is printed: " + run.describe());
  }

  @Test
  void evalNamesTheFileAndLineOfAnOutputThatIsNotFinite() throws IOException {
    Architecture arch = Architecture.builder(4).output(2, Head.SOFTMAX_CROSS_ENTROPY);
    Model m = Model.of(arch, List.of(new LayerWeights(2, 4, new float[] {3e38f, 0, 0, 0, 0, 0, 0, 1},
        new float[] {0, 0})), InputScaling.none());
    Path model = dir.resolve("m.safetensors");
    ModelFiles.save(m, model);
    // a header and a blank line: row 2 is on line 5, which only the file's own lines tell
    Path rows = Files.writeString(dir.resolve("rows.csv"), "a,b,c,d,label\n1,0,0,0,0\n\n0,1,0,0,1\n2,0,0,0,0\n");
    CliRun.of("eval", "--model", model.toString(), "--test", rows.toString(), "--label-column", "-1")
        .assertError(1, rows + ": line 5 (row 2): output z[0] is Infinity (inputs far outside the trained range?)");
    // the first row is named as any other: its file and line, not the bare row index
    Path first = Files.writeString(dir.resolve("first.csv"), "a,b,c,d,label\n2,0,0,0,0\n0,1,0,0,1\n");
    CliRun.of("eval", "--model", model.toString(), "--test", first.toString(), "--label-column", "-1")
        .assertError(1, first + ": line 2 (row 0): output z[0] is Infinity");
    // gzip too, through the same reader
    Path gz = dir.resolve("rows.csv.gz");
    try (OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(rows));
    }
    CliRun.of("eval", "--model", model.toString(), "--test", gz.toString(), "--label-column", "-1")
        .assertError(1, gz + ": line 5 (row 2): output z[0] is Infinity");
    // MNIST files: the images file and the image, as predict names them
    Path mnist = Files.createDirectory(dir.resolve("mnist"));
    Path images = mnist.resolve("t10k-images-idx3-ubyte");
    MnistFiles.writeIdx(images, false, new int[] {3, 2, 2}, new byte[] {0, 0, 0, 0, 0, 1, 0, 0, 2, 0, 0, 0});
    MnistFiles.writeIdx(mnist.resolve("t10k-labels-idx1-ubyte"), false, new int[] {3}, new byte[] {0, 1, 0});
    CliRun.of("eval", "--model", model.toString(), "--data", mnist.toString())
        .assertError(1, images + ": image 2 (row 2): output z[0] is Infinity");
  }

  /**
   * The line of a row that is not finite is found by reading the file again: one rewritten since its
   * rows were read has another row there, and its line was named all the same.
   */
  @Test
  void evalNamesNoLineOfAFileThatChangedSinceItWasRead() throws IOException {
    Architecture arch = Architecture.builder(4).output(2, Head.SOFTMAX_CROSS_ENTROPY);
    Model m = Model.of(arch, List.of(new LayerWeights(2, 4, new float[] {3e38f, 0, 0, 0, 0, 0, 0, 1},
        new float[] {0, 0})), InputScaling.none());
    Path rows = Files.writeString(dir.resolve("rows.csv"), "a,b,c,d,label\n1,0,0,0,0\n\n0,1,0,0,1\n2,0,0,0,0\n");
    dev.vmlp.Dataset data = dev.vmlp.data.Csv.read(rows, dev.vmlp.data.Csv.Options.defaults().withLabelColumn(-1));
    dev.vmlp.NonFiniteException e = org.junit.jupiter.api.Assertions.assertThrows(
        dev.vmlp.NonFiniteException.class, () -> m.evaluate(data));
    assertEquals(2, e.row());
    TestData.Loaded loaded = new TestData.Loaded(data, rows, false, -1);
    assertEquals(rows + ": line 5 (row 2): output z[0] is Infinity (inputs far outside the trained range?)",
        loaded.located(e).getMessage());
    // rewritten: row 2 is now on line 4, and holds other values
    Files.writeString(rows, "a,b,c,d,label\n1,0,0,0,0\n0,1,0,0,1\n0,0,1,0,1\n2,0,0,0,0\n");
    assertEquals(rows + ": row 2: output z[0] is Infinity (inputs far outside the trained range?)",
        loaded.located(e).getMessage());
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a second open of the pipe would block
  void evalOnAPipeNamesTheRowWithoutReadingThePipeAgain() throws Exception {
    Architecture arch = Architecture.builder(1).output(2, Head.SOFTMAX_CROSS_ENTROPY);
    Model m = Model.of(arch, List.of(new LayerWeights(2, 1, new float[] {3e38f, 0}, new float[] {0, 0})),
        InputScaling.none());
    Path model = dir.resolve("m.safetensors");
    ModelFiles.save(m, model);
    Path fifo = dir.resolve("rows.fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
    Thread writer = Thread.ofPlatform().daemon().start(() -> {
      try {
        Files.writeString(fifo, "0,1\n1,2\n"); // blocks until eval opens the pipe
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    CliRun.of("eval", "--model", model.toString(), "--test", fifo.toString())
        .assertError(1, fifo + ": row 1: output z[0] is Infinity");
    writer.join(10_000);
  }

  @Test
  void anIdxFileOfImagesWiderThanAnyNetworkIsRefusedByItsHeader() throws IOException {
    // 1 image of 2048 x 1024: refused before its 2 MB of pixels are looked for (there are none)
    byte[] header = {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 8, 0, 0, 0, 4, 0};
    Path images = Files.write(dir.resolve("wide-idx3-ubyte"), header);
    Architecture arch = Architecture.builder(4).output(2, Head.SOFTMAX_CROSS_ENTROPY);
    Path model = dir.resolve("small.safetensors");
    ModelFiles.save(Model.initialize(arch, 1), model);
    CliRun.of("predict", "--model", model.toString(), "--input", images.toString())
        .assertError(1, images + ": images of 2048x1024 = 2097152 values are wider than the 1048576 inputs");
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a stuck pipe read ignores interrupts
  void predictStopsWhenItsOutputIsClosed() throws Exception {
    // `vmlp predict ... | head -1` on endless input: the closed pipe must end the run
    Path model = dir.resolve("digits.safetensors");
    ModelFiles.save(Model.initialize(Architecture.of(64, new int[] {8}, Activation.RELU, 10,
        Head.SOFTMAX_CROSS_ENTROPY), 1), model);
    Path fifo = dir.resolve("rows.fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
    String row = "1" + ",0".repeat(63) + "\n";
    Thread writer = Thread.ofPlatform().daemon().start(() -> {
      try (OutputStream out = Files.newOutputStream(fifo)) {
        byte[] block = row.repeat(1000).getBytes(StandardCharsets.US_ASCII);
        while (true) {
          out.write(block); // until the reader has gone: a broken pipe
        }
      } catch (IOException e) {
        // the reader closed the pipe
      }
    });
    OutputStream closedAfterFirstBlock = new OutputStream() {
      long written;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (written > 0) {
          throw new IOException("Broken pipe");
        }
        written += len;
      }
    };
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream out = new PrintStream(closedAfterFirstBlock, false, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = Main.run(new String[] {"predict", "--model", model.toString(), "--input", fifo.toString()}, out, e);
    }
    assertEquals(1, exit);
    List<String> errors = err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("vmlp: error:"))
        .toList();
    assertEquals(List.of("vmlp: error: cannot write to standard output"), errors);
    writer.join(10_000);
    assertFalse(writer.isAlive(), "predict left the pipe open");
  }
}
