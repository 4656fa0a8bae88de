package dev.vmlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad command lines and bad files end with one {@code vmlp: error:} line and the right exit code. */
class ErrorsTest {
  @TempDir
  Path tmp;

  @Test
  void unknownFlag() {
    // picocli's capitalised message, in the lower case of the command line's own
    CliRun run = CliRun.of("train", "--frobnicate");
    run.assertError(2, "vmlp: error: unknown option: '--frobnicate'");
    // and where to look next
    assertEquals("Try 'vmlp train --help' for more information.", run.errLines().get(run.errLines().size() - 1));
  }

  @Test
  void anUnknownOptionIsNamedAloneWithTheOptionItMayBe() {
    // picocli called the value after it an unknown option too: "unknown options: '--epoch', '5'"
    assertEquals("vmlp: error: unknown option: '--epoch' (did you mean '--epochs'?)",
        CliRun.of("train", "--epoch", "5").assertError(2, "--epoch"));
    assertEquals("vmlp: error: unknown option: '--modle' (did you mean '--model'?)",
        CliRun.of("eval", "--modle", "m.safetensors").assertError(2, "--modle"));
    // without a near name, and two of them
    assertEquals("vmlp: error: unknown options: '--frobnicate', '--zork'",
        CliRun.of("train", "--frobnicate", "1", "--zork", "2").assertError(2, "--frobnicate"));
  }

  @Test
  void aCommandsOptionBeforeTheCommandIsSaidToBelongAfterIt() {
    // picocli said only "unknown option: '--json'"
    CliRun run = CliRun.of("--json", "train");
    assertEquals("vmlp: error: unknown option: '--json' (an option of 'vmlp train': put it after the command)",
        run.assertError(2, "--json"));
    assertEquals("Try 'vmlp --help' for more information.", run.errLines().get(run.errLines().size() - 1));
    assertEquals("vmlp: error: unknown option: '--epochs' (an option of 'vmlp train': put it after the command)",
        CliRun.of("--epochs=3", "train").assertError(2, "--epochs"));
    // without a command, or before one that lacks it: the commands that have it
    assertEquals("vmlp: error: unknown option: '--model' (an option of 'vmlp eval' and 'vmlp predict': put it after "
        + "the command)", CliRun.of("--model", "m", "bench").assertError(2, "--model"));
    assertEquals("vmlp: error: unknown options: '--json' (an option of 'vmlp train', 'vmlp eval' and 'vmlp predict': "
        + "put it after the command), '--zork'", CliRun.of("--json", "--zork").assertError(2, "--json"));
    // an option of no command is unknown alone, as after a command
    CliRun.of("--zork", "train").assertError(2, "vmlp: error: unknown option: '--zork'");
    assertEquals("vmlp: error: unknown option: '--json'", CliRun.of("bench", "--json").assertError(2, "--json"));
    // a required option of the command, given before it: picocli's "missing required option" came first
    CliRun model = CliRun.of("--model", "m.safetensors", "eval", "--test", "t.csv");
    assertEquals("vmlp: error: unknown option: '--model' (an option of 'vmlp eval': put it after the command)",
        model.assertError(2, "--model"));
    assertEquals("Try 'vmlp --help' for more information.", model.errLines().get(model.errLines().size() - 1));
    assertEquals("vmlp: error: unknown option: '--input' (an option of 'vmlp predict': put it after the command)",
        CliRun.of("--input=x.csv", "predict", "--model", "m.safetensors").assertError(2, "--input"));
  }

  @Test
  void anOptionIsNamedWithoutItsValueAndAnArgumentAfterTheEndOfOptionsIsNotAnOption() {
    // picocli named the value with the option: "unknown option: '--epoch=5'"
    assertEquals("vmlp: error: unknown option: '--epoch' (did you mean '--epochs'?)",
        CliRun.of("train", "--epoch=5").assertError(2, "--epoch"));
    // after "--" a word is an argument, whatever it looks like: said as an argument that looks like none is
    assertEquals("vmlp: error: unmatched argument at index 2: '--epoch'",
        CliRun.of("train", "--", "--epoch").assertError(2, "--epoch"));
    CliRun.of("train", "--", "x").assertError(2, "vmlp: error: unmatched argument at index 2: 'x'");
    assertEquals("vmlp: error: unmatched arguments from index 2: '--epoch', 'x'",
        CliRun.of("train", "--", "--epoch", "x").assertError(2, "--epoch"));
    // an unknown option before "--" is still one, named alone
    assertEquals("vmlp: error: unknown option: '--epoch' (did you mean '--epochs'?)",
        CliRun.of("train", "--epoch", "5", "--", "--x").assertError(2, "--epoch"));
  }

  @Test
  void anUnknownCommandIsSaidToBeOneAndTheCommandsNamed() {
    // picocli said "unmatched argument at index 0: 'help'"
    CliRun help = CliRun.of("help");
    assertEquals("vmlp: error: unknown command: 'help'; the commands are train, eval, predict and bench",
        help.assertError(2, "help"));
    assertEquals("Try 'vmlp --help' for more information.", help.errLines().get(help.errLines().size() - 1));
    assertEquals("vmlp: error: unknown command: 'trian' (did you mean 'train'?); the commands are train, eval, "
        + "predict and bench", CliRun.of("trian", "--epochs", "1").assertError(2, "trian"));
    // a command's name after "--" is an argument, not an unknown command
    CliRun.of("--", "train").assertError(2, "vmlp: error: unmatched argument at index 1: 'train'");
    // an argument after a command's options is not a command
    CliRun.of("train", "extra").assertError(2, "vmlp: error: unmatched argument at index 1: 'extra'");
  }

  @Test
  void aMistypedRequiredOptionIsNamedRatherThanMissing() {
    // picocli checks the required options first: the error named the option not given, not the one typed
    CliRun.of("eval", "--modle", "m.safetensors").assertError(2, "vmlp: error: unknown option");
    String line = CliRun.of("predict", "--mdoel", "m.safetensors", "--input", "rows.csv").assertError(2, "'--mdoel'");
    assertTrue(!line.contains("missing required"), line);
    // a required option that is missing, with no typo to blame, is still said to be missing
    CliRun.of("predict", "--input", "rows.csv").assertError(2, "vmlp: error: missing required option: '--model=FILE'");
  }

  @Test
  void controlCharactersOfAFileNameOrArgumentAreEscaped() {
    // a name from a folder of uploads can hold a terminal's escape sequences: shown as escapes, never sent
    String name = "x\u001b[2Jname\u202e.csv";
    CliRun.of("predict", "--model", name, "--input", "rows.csv")
        .assertError(1, "vmlp: error: x\\u001B[2Jname\\u202E.csv: no such file or folder");
    CliRun.of("train", "--fro\u001bbnicate").assertError(2, "vmlp: error: unknown option: '--fro\\u001Bbnicate'");
  }

  @Test
  void nonPositiveEpochs() {
    CliRun.of("train", "--epochs", "0").assertError(2, "--epochs");
  }

  @Test
  void notANumber() {
    CliRun.of("train", "--lr", "fast").assertError(2, "fast");
    CliRun.of("train", "--lr", "-0.1").assertError(2, "--lr must be a positive finite number, got -0.1");
    CliRun.of("train", "--lr", "0").assertError(2, "--lr must be a positive finite number, got 0.0");
    CliRun.of("train", "--lr", "1e-50").assertError(2, "--lr 1.0E-50 is 0 in single precision");
    // finite as a double, infinite in single precision: refused before training, not left to diverge
    CliRun.of("train", "--lr", "1e39").assertError(2, "--lr must be a positive finite number, got 1.0E39");
  }

  @Test
  void nonPositiveHiddenWidth() {
    CliRun.of("train", "--hidden", "64,0").assertError(2, "--hidden widths must be in [1, 1048576], got 0 (0 alone "
        + "means no hidden layer)");
    CliRun.of("train", "--hidden", "256,").assertError(2, "--hidden '256,' ends with a comma: a width is missing");
    // one past the widest layer is refused by the same check, before any data is read
    CliRun.of("train", "--hidden", "1048577").assertError(2, "--hidden widths must be in [1, 1048576], got 1048577");
    // a width missing at the start or between commas is named as such, not as "'' is not an int"
    CliRun.of("train", "--hidden", ",16").assertError(2, "--hidden has an empty width: a comma at the start, or two together");
    CliRun.of("train", "--hidden", "16,,8").assertError(2, "--hidden has an empty width");
    CliRun.of("train", "--hidden", "16,x").assertError(2, "--hidden widths are whole numbers, got 'x'");
    // past int's range: the range message, not "not a whole number"
    CliRun.of("train", "--hidden", "99999999999").assertError(2, "--hidden widths must be in [1, 1048576], got 99999999999");
  }

  @Test
  void hiddenWidthsMayHaveSpacesAroundThem() {
    JsonNode json = CliRun.of("train", "--hidden", " 16, 8", "--epochs", "1", "--json").json();
    assertEquals("[64,16,8,10]", json.get("layers").toString());
  }

  @Test
  void unknownActivation() {
    String line = CliRun.of("train", "--activation", "foo").assertError(2, "foo");
    assertTrue(line.contains("relu"), line); // names the accepted ones
  }

  @Test
  void unknownDataset() {
    CliRun.of("train", "--dataset", "cifar").assertError(2, "cifar");
  }

  @Test
  void trainWithoutTest() {
    CliRun.of("train", "--train", tmp.resolve("a.csv").toString()).assertError(2, "--test");
  }

  @Test
  void conflictingSources() {
    CliRun.of("train", "--dataset", "digits", "--data", tmp.toString()).assertError(2, "mutually exclusive");
    CliRun.of("train", "--train", "a.csv", "--test", "b.csv", "--data", tmp.toString()).assertError(2,
        "give one data source: --dataset NAME, --data DIR or --train FILE --test FILE; they are mutually exclusive");
    CliRun.of("eval", "--model", "m", "--test", "b.csv", "--data", tmp.toString()).assertError(2,
        "give one data source: --dataset NAME, --data DIR or --test FILE; they are mutually exclusive");
  }

  @Test
  void repeatedDataOption() {
    // one data source, with an option given twice: said as of any other repeated option, not as two sources
    CliRun.of("train", "--data", tmp.toString(), "--data", tmp.toString()).assertError(2,
        "vmlp: error: option '--data' (DIR) should be specified only once");
    CliRun.of("train", "--dataset=digits", "--dataset", "digits").assertError(2,
        "vmlp: error: option '--dataset' (NAME) should be specified only once");
    CliRun.of("train", "--train", "a.csv", "--train", "a.csv", "--test", "b.csv").assertError(2,
        "vmlp: error: option '--train' (FILE) should be specified only once");
    CliRun.of("train", "--train", "a.csv", "--test", "b.csv", "--standardize", "--standardize").assertError(2,
        "vmlp: error: option '--standardize' should be specified only once");
    CliRun.of("eval", "--model", "m", "--test", "a.csv", "--label-column", "1", "--label-column", "2").assertError(2,
        "vmlp: error: option '--label-column' (N) should be specified only once");
  }

  @Test
  void noCommand() {
    CliRun.of().assertError(2, "train");
  }

  @Test
  void missingDataFolder() {
    Path missing = tmp.resolve("no-such-folder");
    CliRun.of("train", "--data", missing.toString()).assertError(1, missing.toString());
  }

  @Test
  void missingMnistFile() throws IOException {
    Path dir = MnistFiles.write(tmp.resolve("m"), 20, 10, 3);
    Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
    CliRun.of("train", "--data", dir.toString()).assertError(1, "t10k-labels-idx1-ubyte");
  }

  @Test
  void malformedIdxFile() throws IOException {
    Path dir = MnistFiles.write(tmp.resolve("m"), 20, 10, 3);
    Path labels = dir.resolve("t10k-labels-idx1-ubyte");
    byte[] b = Files.readAllBytes(labels);
    b[2] = 0x0d; // element type: not unsigned bytes
    Files.write(labels, b);
    CliRun.of("train", "--data", dir.toString()).assertError(1, labels.toString());
  }

  @Test
  void truncatedGzippedIdxFile() throws IOException {
    Path dir = MnistFiles.write(tmp.resolve("m"), 20, 10, 3);
    Path images = dir.resolve("train-images-idx3-ubyte.gz");
    byte[] b = Files.readAllBytes(images);
    Files.write(images, java.util.Arrays.copyOf(b, b.length / 2));
    CliRun.of("train", "--data", dir.toString()).assertError(1, images.toString());
  }

  @Test
  void missingCsvFile() {
    Path a = tmp.resolve("a.csv");
    CliRun.of("train", "--train", a.toString(), "--test", a.toString()).assertError(1, a.toString());
  }

  @Test
  void malformedCsvFile() throws IOException {
    Path a = Files.writeString(tmp.resolve("a.csv"), "0,1,2\n1,3,x\n");
    CliRun.of("train", "--train", a.toString(), "--test", a.toString()).assertError(1, "'x' is not a number");
  }

  @Test
  void csvFilesOfDifferentWidths() throws IOException {
    Path a = Files.writeString(tmp.resolve("a.csv"), "0,1,2\n1,3,4\n");
    Path b = Files.writeString(tmp.resolve("b.csv"), "0,1,2,5\n1,3,4,5\n");
    CliRun.of("train", "--train", a.toString(), "--test", b.toString()).assertError(1, "features");
  }

  @Test
  void zeroThreadsIsAUsageError() {
    CliRun.of("train", "--threads", "0").assertError(2, "--threads");
  }

  @Test
  void aThreadCountThatIsNotANumberIsAUsageError() {
    CliRun.of("train", "--threads", "many").assertError(2, "--threads must be auto or a whole number, got 'many'");
    // a whole number past int's range is told so, not called something other than a whole number
    CliRun.of("train", "--threads", "99999999999").assertError(2, "--threads must be auto or a count up to 2147483647");
    // and one below int's range is a whole number too, below 1 as -1 is
    CliRun.of("train", "--threads", "-99999999999").assertError(2, "--threads must be auto or at least 1, got -99999999999");
  }

  @Test
  void divergenceIsAnErrorNamingTheEpoch() {
    CliRun.of("train", "--epochs", "1", "--hidden", "16", "--lr", "1e30").assertError(1, "diverged in epoch 1");
  }

  @Test
  void helpIsNotAnError() {
    CliRun run = CliRun.of("train", "--help");
    assertEquals(0, run.exit(), run::describe);
    assertTrue(run.out().contains("--hidden"), run::describe);
    assertTrue(run.out().contains("--label-column"), run::describe);
    assertEquals("", run.err(), run::describe);
  }

  @Test
  void aFolderWhereAFileBelongsIsNamed() {
    String dir = tmp.toString();
    CliRun.of("train", "--train", dir, "--test", dir).assertError(1, dir + ": is a folder, not a file");
    CliRun.of("bench", "--from", dir, "--markdown").assertError(1, dir + ": is a folder, not a JMH JSON file");
    CliRun.of("bench", "--from", "/", "--markdown").assertError(1, "/: is a folder");
  }

  @Test
  void compareTakesOnePair() {
    CliRun.of("bench", "--compare", "a.json", "b.json", "--compare", "c.json", "d.json", "--markdown")
        .assertError(2, "--compare takes one BASELINE.json and one CURRENT.json");
  }

  @Test
  void outputThatCannotBeWrittenIsAnError() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream broken = new PrintStream(OutputStream.nullOutputStream()) {
      @Override
      public boolean checkError() {
        return true; // as System.out does after a write to a full disk or a closed pipe failed
      }
    };
    int exit = Main.run(new String[] {"train", "--epochs", "1", "--hidden", "8"}, broken,
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(1, exit);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("vmlp: error: cannot write to standard output"),
        err.toString(StandardCharsets.UTF_8));
  }

  /** Standard output as {@code | head -1} leaves it: the write that took a line fails the checks after it. */
  private static PrintStream closedAfterFirstWrite(ByteArrayOutputStream printed) {
    return new PrintStream(printed, true, StandardCharsets.UTF_8) {
      @Override
      public boolean checkError() {
        return printed.size() > 0;
      }
    };
  }

  @Test
  void trainingStopsWhenItsOutputIsClosed() {
    // | head -1: the first epoch line is read, then the pipe closes; without --save nothing else is kept
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream closedAfterOneLine = closedAfterFirstWrite(printed);
    int exit = Main.run(new String[] {"train", "--epochs", "50", "--hidden", "8"}, closedAfterOneLine,
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(1, exit);
    assertEquals(List.of("vmlp: error: cannot write to standard output"), err.toString(StandardCharsets.UTF_8)
        .lines().filter(l -> l.startsWith("vmlp: error:")).toList());
    List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(1, lines.size(), () -> "trained on after its output closed, to " + lines.get(lines.size() - 1));
    assertTrue(lines.get(0).startsWith("epoch 1/50 "), lines.get(0));
  }

  @Test
  void trainingWithSaveGoesOnWhenItsOutputIsClosed() throws IOException {
    // | head -1 with --save: the model is what the run gives, so training ends and saves; the exit still says
    // that standard output could not be written
    Path model = tmp.resolve("closed-out.safetensors");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream closedAfterOneLine = closedAfterFirstWrite(printed);
    int exit = Main.run(new String[] {"train", "--epochs", "3", "--hidden", "8", "--save", model.toString()},
        closedAfterOneLine, new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(1, exit);
    assertEquals(List.of("vmlp: error: cannot write to standard output"), err.toString(StandardCharsets.UTF_8)
        .lines().filter(l -> l.startsWith("vmlp: error:")).toList());
    assertEquals("3", dev.vmlp.io.ModelFiles.load(model).metadata().get("epochs"), "every epoch, then saved");
  }

  @Test
  void aRuntimeWithoutJavaLoggingIsOneErrorLine() throws Exception {
    // as in a jlinked image of java.base alone: the command line routes the library's log through java.logging
    assertOneErrorLineWithModules("java.base", List.of("train", "--epochs", "1", "--hidden", "8"),
        "vmlp: error: vmlp needs the java.logging module, which this Java runtime lacks; use a full "
        + "JDK or add it to the image (jlink --add-modules java.logging)");
  }

  @Test
  void aRuntimeWithoutJavaDesktopIsOneErrorLineForBench() throws Exception {
    // as in a jlinked image without it: the report's charts need java.awt
    assertOneErrorLineWithModules("java.base,java.logging,java.management,jdk.management,jdk.unsupported",
        List.of("bench", "--from", BenchCommandTest.sample("quick.json"), "--markdown"),
        "vmlp: error: vmlp bench draws its report with java.desktop, which this Java runtime lacks; "
        + "use a full JDK or add the module to the image (jlink --add-modules java.desktop)");
  }

  /** Runs the command line in a JVM limited to {@code modules}: it exits 1 with {@code line} alone. */
  private static void assertOneErrorLineWithModules(String modules, List<String> args, String line) throws Exception {
    List<String> cmd = CliRun.inNewJvm(List.of("--limit-modules", modules), args.toArray(String[]::new));
    Process p = new ProcessBuilder(cmd).start();
    String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(1, p.exitValue(), stderr);
    assertEquals("", stdout);
    assertEquals(List.of(line), stderr.lines().toList(), "no NoClassDefFoundError and no stack trace");
  }

  @Test
  void aSettingTheLibraryRefusesIsOneErrorLine() throws Exception {
    // in a JVM of its own: the kernel choice is made once per JVM
    List<String> cmd = CliRun.inNewJvm(List.of("-Dvmlp.kernels=fast"), "train", "--epochs", "1", "--hidden", "8");
    Process p = new ProcessBuilder(cmd).start();
    p.getInputStream().transferTo(OutputStream.nullOutputStream());
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(1, p.exitValue(), stderr);
    assertEquals(List.of("vmlp: error: -Dvmlp.kernels=fast is not one of auto, scalar, vector"),
        stderr.lines().filter(l -> !l.startsWith("WARNING:")).toList());
    // vector forced where it cannot run (no --add-modules here): the user's setting, not an internal error
    List<String> forced = List.of(cmd.get(0), "-Dvmlp.kernels=vector", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "train", "--epochs", "1", "--hidden", "8", "--verbose");
    Process q = new ProcessBuilder(forced).start();
    q.getInputStream().transferTo(OutputStream.nullOutputStream());
    String err = new String(q.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(q.waitFor(60, TimeUnit.SECONDS));
    assertEquals(1, q.exitValue(), err);
    assertEquals(List.of("vmlp: error: -Dvmlp.kernels=vector, but the vector kernels cannot run: jdk.incubator.vector "
        + "is not readable; run with --add-modules jdk.incubator.vector"),
        err.lines().filter(l -> !l.startsWith("WARNING:")).toList(), "no class name, no stack trace");
  }
}
