package dev.vmlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vmlp bench}: its command line, planning, rendering and comparing (the benchmarks themselves are not run here). */
class BenchCommandTest {
  @TempDir
  Path tmp;

  static String sample(String name) {
    try {
      return Path.of(BenchCommandTest.class.getResource("bench/" + name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void dryRunListsTheQuickPresetFromTheBenchmarkList() {
    CliRun run = CliRun.of("bench", "--quick", "--dry-run");
    assertEquals(0, run.exit(), run::describe);
    List<String> items = run.outLines().stream().filter(l -> l.startsWith("  [")).toList();
    assertTrue(items.size() >= 34, run::describe); // 34 without the peers
    assertTrue(items.get(0).contains("/" + items.size() + "] MachineProbeBenchmark.fmaPeak"), run::describe);
    assertTrue(run.out().contains("KernelBenchmark.forwardInputMajor impl=vector shape=784x256"), run::describe);
    assertTrue(run.out().contains("TrainStepBenchmark.step impl=scalar net=784-256-10 path=dense"), run::describe);
    assertTrue(run.out().contains("-f 1 -wi 4 -w 500ms -i 3 -r 500ms"), run::describe);
    assertTrue(run.out().contains("-prof gc"), run::describe);
  }

  @Test
  void aCollectorOfTheUsersSaysThatTheAppendedFlagsWereReplaced() {
    CliRun run = CliRun.of("bench", "--include", "ThreadScaling", "--jvm-arg=-XX:+UseG1GC", "--dry-run");
    assertEquals(0, run.exit(), run::describe);
    assertTrue(run.out().contains(" -jvmArgs '-XX:+UseG1GC' -jvmArgsAppend '--add-modules=jdk.incubator.vector'\n"),
        run::describe);
    CliRun plain = CliRun.of("bench", "--include", "ThreadScaling", "--jvm-arg=-Xmx2g", "--dry-run");
    assertTrue(plain.out().contains(" -jvmArgs '-Xmx2g'\n"), plain::describe); // the annotations' flags still apply
  }

  /**
   * A real run whose vector forks fail (vectors of 64 bits, narrower than any kernel) and scalar forks
   * succeed: the report of those is written, and the exit status and one error line say how many
   * failed. Its folder's name holds an escape sequence, which every line that names it shows escaped, as
   * vmlp train does. About 15 s.
   */
  @Test
  void aRunWithFailedBenchmarksWritesTheRestAndFails() throws IOException {
    String ignoreLock = System.setProperty("jmh.ignoreLock", "true"); // another JMH run on this machine is no matter
    try {
      Path out = tmp.resolve("run\u001B[31m");
      String shown = tmp.resolve("run\\u001B[31m").toString();
      CliRun run = CliRun.of("bench", "--include", "KernelBenchmark\\.forwardOutputMajor", "--jvm-arg=-XX:MaxVectorSize=8",
          "--out", out.toString());
      run.assertError(1, "2 of 4 benchmarks failed; their errors are in " + shown + "/jmh.log");
      assertTrue(run.outLines().get(0).endsWith("; report in " + shown), run::describe);
      assertTrue(run.out().contains("\nwrote " + shown + "/index.html (and results.json"), run::describe);
      assertFalse(run.out().contains("\u001B") || run.err().contains("\u001B"), run::describe);
      assertEquals(2, dev.vmlp.cli.bench.JmhJson.read(out.resolve("results.json")).size(), run::describe);
      assertTrue(Files.readString(out.resolve("summary.md")).contains("| 2 results of 4 planned, 2 failed |"), run::describe);
      assertTrue(Files.readString(out.resolve("machine.json")).contains("the preferred vector width is 64 bits"),
          "the forks' kernels, not this JVM's");
    } finally {
      if (ignoreLock == null) {
        System.clearProperty("jmh.ignoreLock");
      } else {
        System.setProperty("jmh.ignoreLock", ignoreLock);
      }
    }
  }

  @Test
  void aSettingTheForksRefuseStopsTheRunBeforeItStarts() {
    // the benchmarks would run, ignoring it, and the report would say "unknown" kernels after the run
    Path out = tmp.resolve("refused");
    CliRun.of("bench", "--include", "KernelBenchmark\\.forwardOutputMajor", "--jvm-arg=-Dvmlp.kernels=foo",
        "--out", out.toString())
        .assertError(1, "the benchmark forks cannot start with these JVM options: -Dvmlp.kernels=foo is not one of "
            + "auto, scalar, vector");
    assertFalse(Files.exists(out.resolve("results.json")));
  }

  @Test
  void aFolderNamedAsAReportFileStopsTheRunBeforeItStarts() throws IOException {
    // the run left it (it removes files and links of those names only), ran to the end, then could not
    // write its results.json there: every result lost
    Path out = Files.createDirectories(tmp.resolve("report"));
    Path kept = Files.writeString(Files.createDirectory(out.resolve("summary.md")).resolve("kept"), "mine");
    CliRun.of("bench", "--include", "KernelBenchmark\\.forwardOutputMajor", "--out", out.toString())
        .assertError(2, "--out " + out + " holds a folder named summary.md, where the run's report would go; move it "
            + "or use another --out");
    assertEquals("mine", Files.readString(kept));
    assertFalse(Files.exists(out.resolve("jmh.log")), "no benchmark ran");
  }

  @Test
  void includeNarrowsThePreset() {
    CliRun run = CliRun.of("bench", "--include", "ThreadScaling", "--dry-run");
    assertEquals(0, run.exit(), run::describe);
    assertEquals(List.of("  [1/2] ThreadScalingBenchmark.pass net=784-256-10 path=dense threads=1",
        "  [2/2] ThreadScalingBenchmark.pass net=784-256-10 path=dense threads=2"),
        run.outLines().stream().filter(l -> l.startsWith("  [")).toList());
    // 1 fork of 8 + 3 x 0.5 s and its start-up (1.5 s), twice
    assertEquals("2 benchmarks, about 0:14", run.outLines().getLast(), run::describe);
    CliRun one = CliRun.of("bench", "--include", "PredictBenchmark.predictBatch", "--dry-run");
    assertEquals(0, one.exit(), one::describe);
    assertEquals("1 benchmark, about 0:07", one.outLines().getLast(), one::describe);
  }

  @Test
  void theFullPresetKeepsTheAnnotations() {
    CliRun run = CliRun.of("bench", "--full", "--include", "\\.KernelBenchmark\\.", "--dry-run");
    assertEquals(0, run.exit(), run::describe);
    assertEquals(40, run.outLines().stream().filter(l -> l.startsWith("  [")).count(), run::describe); // 5 x 2 x 4 shapes
    assertTrue(run.out().contains("shape=1024x1024"), run::describe);
    assertTrue(!run.out().contains(" -f 1 "), run::describe);
    // 3 forks of 5 + 5 x 1 s and a fork's start-up (1.5 s) each, 40 times
    assertEquals("40 benchmarks, about 23:00", run.outLines().getLast(), run::describe);
  }

  @Test
  void rendersAReportFromJsonWrittenEarlier() throws IOException {
    Path out = tmp.resolve("report");
    CliRun run = CliRun.of("bench", "--from", sample("quick.json"), "--out", out.toString());
    assertEquals(0, run.exit(), run::describe);
    assertTrue(Files.readString(out.resolve("index.html")).contains("<svg"));
    assertTrue(Files.readString(out.resolve("summary.md")).contains("## Kernels"));
  }

  /** A folder's name with control characters is printed escaped, as vmlp train and the error lines print names. */
  @Test
  void theReportFolderIsNamedWithItsControlCharactersEscaped() {
    Path out = tmp.resolve("report\u001B[31m\nred");
    String shown = tmp.resolve("report\\u001B[31m\\u000Ared").toString();
    CliRun from = CliRun.of("bench", "--from", sample("quick.json"), "--out", out.toString());
    assertEquals(0, from.exit(), from::describe);
    assertEquals("wrote " + shown + "/index.html and summary.md (34 results)", from.out().strip(), from::describe);
    CliRun compare = CliRun.of("bench", "--compare", sample("quick.json"), sample("quick.json"), "--out", out.toString());
    assertEquals(0, compare.exit(), compare::describe);
    assertEquals("wrote " + shown + "/index.html and summary.md", compare.outLines().getLast(), compare::describe);
  }

  @Test
  void anotherRunsFolderIsRefusedButARunReRendersInItsOwn() throws IOException {
    // --from or --compare into a run's folder replaced its page and summary beside its results.json and
    // machine.json, which then read as the report of those
    Path run = Files.createDirectories(tmp.resolve("run"));
    Path results = Files.copy(Path.of(sample("quick.json")), run.resolve("results.json"));
    Files.copy(Path.of(sample("quick.machine.json")), run.resolve("machine.json"));
    Files.writeString(run.resolve("jmh.log"), "log\n");
    Files.writeString(run.resolve("index.html"), "the run's page");
    Files.writeString(run.resolve("summary.md"), "the run's summary");
    String held = "--out " + run + " holds a run (results.json, machine.json, jmh.log): ";
    CliRun.of("bench", "--from", sample("peers.json"), "--out", run.toString()).assertError(2, held
        + "the report of " + sample("peers.json") + " would replace its report; use another --out, or --from "
        + results + " to re-render it");
    CliRun.of("bench", "--compare", sample("quick.json"), results.toString(), "--out", run.toString())
        .assertError(2, held + "the comparison would replace its report; use another --out");
    assertEquals("the run's page", Files.readString(run.resolve("index.html")));
    assertEquals("the run's summary", Files.readString(run.resolve("summary.md")));
    Files.delete(run.resolve("results.json")); // a run that gave no result leaves its log alone
    Files.delete(run.resolve("machine.json"));
    CliRun.of("bench", "--from", sample("quick.json"), "--out", run.toString()).assertError(2, "--out " + run
        + " holds a run (jmh.log): ");
    Files.copy(Path.of(sample("quick.json")), results);
    Files.copy(Path.of(sample("quick.machine.json")), run.resolve("machine.json"));
    CliRun again = CliRun.of("bench", "--from", results.toString(), "--out", run.toString());
    assertEquals(0, again.exit(), again::describe);
    assertTrue(Files.readString(run.resolve("summary.md")).startsWith("# vmlp benchmarks (quick run)"), "re-rendered");
    assertEquals(0, CliRun.of("bench", "--from", sample("peers.json"), "--markdown").exit(), "--markdown writes nothing");
    Path cmp = tmp.resolve("cmp"); // an earlier comparison's folder is written over, as before
    for (int i = 0; i < 2; i++) {
      CliRun c = CliRun.of("bench", "--compare", sample("quick.json"), results.toString(), "--out", cmp.toString());
      assertEquals(0, c.exit(), c::describe);
    }
  }

  @Test
  void aReportOfOneResultSaysResult() throws IOException {
    Path json = Files.writeString(tmp.resolve("one.json"), """
        [{"benchmark": "dev.vmlp.jmh.SoftmaxBenchmark.softmax", "mode": "avgt",
          "primaryMetric": {"score": 12.5, "scoreError": 0.5, "scoreUnit": "ns/op"}}]""");
    CliRun run = CliRun.of("bench", "--from", json.toString(), "--out", tmp.resolve("report").toString());
    assertEquals(0, run.exit(), run::describe);
    assertTrue(run.out().contains("summary.md (1 result)"), run::describe);
  }

  @Test
  void theNotesBesideTheRunEndThePageAndTheSummary() throws IOException {
    Path json = Files.copy(Path.of(sample("quick.json")), tmp.resolve("run.json"));
    Files.copy(Path.of(sample("quick.machine.json")), tmp.resolve("run.machine.json"));
    Files.writeString(tmp.resolve("run.notes.md"), "## Targets\n\nforward < 5 µs: met & <kept>\n");
    Path out = tmp.resolve("report");
    CliRun run = CliRun.of("bench", "--from", json.toString(), "--out", out.toString());
    assertEquals(0, run.exit(), run::describe);
    assertTrue(Files.readString(out.resolve("summary.md")).endsWith("\n## Targets\n\nforward < 5 µs: met & <kept>\n"));
    String html = Files.readString(out.resolve("index.html"));
    assertTrue(html.contains("<section id=\"notes\">\n<h2>Notes</h2>\n<div class=\"notes\">## Targets\n\n"
        + "forward &lt; 5 µs: met &amp; &lt;kept&gt;</div>"), html);
    assertTrue(html.contains("<a href=\"#notes\">Notes</a>"));
    assertTrue(CliRun.of("bench", "--from", json.toString(), "--markdown").out().endsWith("met & <kept>\n"));
  }

  @Test
  void printsTheMarkdownSummary() {
    CliRun run = CliRun.of("bench", "--from", sample("quick.json"), "--markdown");
    assertEquals(0, run.exit(), run::describe);
    assertTrue(run.out().startsWith("# vmlp benchmarks"), run::describe);
    assertTrue(run.out().contains("| kernel | shape | impl |"), run::describe);
  }

  @Test
  void comparesTwoRuns() throws IOException {
    Path out = tmp.resolve("cmp");
    CliRun run = CliRun.of("bench", "--compare", sample("quick.json"), sample("quick-256.json"), "--out", out.toString());
    assertEquals(0, run.exit(), run::describe);
    assertTrue(run.outLines().get(0).matches("\\d+ regression\\(s\\), \\d+ improvement\\(s\\), \\d+ within noise, \\d+ without error margin.*"),
        run::describe);
    // quick-256 left out the probe, prediction and scaling: 23 of quick's 34 results are in the baseline alone
    assertTrue(run.outLines().get(0).endsWith(", 23 only in baseline"), run::describe);
    // every unit converts: no count of those that do not
    assertFalse(run.outLines().get(0).contains("units"), run::describe);
    assertEquals("wrote " + out.resolve("index.html") + " and summary.md", run.outLines().get(run.outLines().size() - 1));
    assertTrue(Files.readString(out.resolve("summary.md")).contains("within noise, 23 only in baseline. A change"));
    String html = Files.readString(out.resolve("index.html"));
    assertTrue(html.contains("Comparison: baseline → current"));
  }

  @Test
  void compareWithMarkdownPrintsTheSummaryItWouldWrite() throws IOException {
    Path out = tmp.resolve("cmp");
    CliRun written = CliRun.of("bench", "--compare", sample("quick.json"), sample("quick-256.json"), "--out",
        out.toString());
    assertEquals(0, written.exit(), written::describe);
    CliRun md = CliRun.of("bench", "--compare", sample("quick.json"), sample("quick-256.json"), "--markdown");
    assertEquals(0, md.exit(), md::describe);
    assertEquals(Files.readString(out.resolve("summary.md")), md.out());
  }

  @Test
  void usageErrors() {
    CliRun.of("bench", "--quick", "--full").assertError(2, "mutually exclusive");
    CliRun.of("bench", "--compare", "a.json").assertError(2, "--compare");
    CliRun.of("bench", "--from", "a.json", "--quick").assertError(2, "--from");
    CliRun.of("bench", "--from", "a.json", "--dry-run").assertError(2, "--from renders existing results");
    CliRun.of("bench", "--compare", "a.json", "b.json", "--from", "a.json").assertError(2,
        "--compare and --from are mutually exclusive");
    CliRun.of("bench", "--from", "a.json", "--markdown", "--out", tmp.resolve("r").toString()).assertError(2,
        "--markdown prints the summary");
    CliRun.of("bench", "--markdown").assertError(2, "--markdown");
    CliRun.of("bench", "--include", "(unclosed").assertError(2, "--include");
    CliRun.of("bench", "--include", "NoSuchBenchmark", "--dry-run").assertError(2, "NoSuchBenchmark");
    CliRun.of("bench", "--quick", "--dry-run", "--out", tmp.resolve("r").toString()).assertError(2, "--dry-run only lists");
    CliRun.of("bench", "--frobnicate").assertError(2, "--frobnicate");
    String file = sample("quick.json");
    CliRun.of("bench", "--from", file, "--out", file).assertError(2, "--out names the report folder, but " + file
        + " is a file");
  }

  @Test
  void anOutBehindAFolderThisUserCannotSearchIsNamedAsSuch() throws IOException {
    Path reports = Files.createDirectories(tmp.resolve("closed/reports"));
    Path closed = reports.getParent();
    Path link = Files.createSymbolicLink(tmp.resolve("reports-link"), reports);
    Files.setPosixFilePermissions(closed, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
    try {
      Assumptions.assumeFalse(Files.isDirectory(link), "this user searches any folder (root)");
      // the link said "already exists"
      CliRun.of("bench", "--from", sample("quick.json"), "--out", link.toString())
          .assertError(2, "--out " + link + ": a folder on the way to it cannot be searched by this user");
    } finally {
      Files.setPosixFilePermissions(closed, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void anOutThatIsALinkToNothingIsNamedAsSuchNotAsAFileThatExists() throws IOException {
    Path gone = tmp.resolve("gone");
    Path link = Files.createSymbolicLink(tmp.resolve("report"), gone);
    String from = sample("quick.json");
    // creating the folder failed with "report: already exists"
    CliRun.of("bench", "--from", from, "--out", link.toString())
        .assertError(2, "--out " + link + " is a link to " + gone + ", which does not exist");
    CliRun.of("bench", "--compare", from, from, "--out", link.resolve("cmp").toString())
        .assertError(2, "--out " + link.resolve("cmp") + " is inside " + link + ", a link to " + gone + ", which");
    Path loop = Files.createSymbolicLink(tmp.resolve("loop"), tmp.resolve("loop"));
    CliRun.of("bench", "--from", from, "--out", loop.toString())
        .assertError(2, "--out " + loop + " is a loop of links");
    assertFalse(Files.exists(gone, java.nio.file.LinkOption.NOFOLLOW_LINKS), "nothing is made where the link leads");
    assertTrue(Files.isSymbolicLink(link));
    // a link to a folder that exists is a report folder as any other
    Files.createDirectory(gone);
    assertEquals(0, CliRun.of("bench", "--from", from, "--out", link.toString()).exit());
    assertTrue(Files.exists(gone.resolve("index.html")));
  }

  @Test
  void unreadableResultsAreRuntimeErrors() throws IOException {
    Path missing = tmp.resolve("missing.json");
    CliRun.of("bench", "--from", missing.toString(), "--markdown").assertError(1, missing.toString());
    Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"not\": \"jmh\"}");
    CliRun.of("bench", "--from", bad.toString(), "--markdown").assertError(1, bad + ": not a JMH JSON result file");
    Path machine = Files.writeString(tmp.resolve("machine.json"), "[1, 2]");
    Files.copy(Path.of(sample("quick.json")), tmp.resolve("run.json"));
    CliRun.of("bench", "--from", tmp.resolve("run.json").toString(), "--markdown").assertError(1, machine.toString());
  }

  static final String KERNEL = """
      {"benchmark": "dev.vmlp.jmh.KernelBenchmark.forwardInputMajor", "mode": "avgt",
       "params": {"impl": "vector", "shape": "%s"},
       "primaryMetric": {"score": %s, "scoreError": 80, "scoreUnit": "ns/op"}}""";

  /** {@code json} as a results file, rendered as Markdown: it must fail with one line naming the file and {@code what}. */
  void refused(String json, String what) throws IOException {
    Path f = Files.writeString(tmp.resolve("run.json"), json);
    String line = CliRun.of("bench", "--from", f.toString(), "--markdown").assertError(1, f + ": ");
    assertTrue(line.contains(what), line);
  }

  @Test
  void resultsTheReportCannotReadAreNamedWithTheirFile() throws IOException {
    refused("[" + KERNEL.formatted("784", "4760") + "]", "KernelBenchmark.forwardInputMajor impl=vector shape=784: "
        + "shape '784' is not INxOUT");
    refused("[" + KERNEL.formatted("784x256", "4760").replace(", \"scoreUnit\": \"ns/op\"", "") + "]",
        "KernelBenchmark.forwardInputMajor impl=vector shape=784x256: a metric has no scoreUnit");
    refused("[" + KERNEL.formatted("784x256", "4760").replace("ns/op", "ops/s") + "]", "unit 'ops/s' does not fit mode avgt");
    refused("[" + KERNEL.formatted("784x256", "4760").replace("\"avgt\"", "\"weird\"") + "]",
        "KernelBenchmark.forwardInputMajor impl=vector shape=784x256: unknown mode 'weird'");
    refused("[" + KERNEL.formatted("784x256", "4760") + ", " + KERNEL.formatted("256x10", "300").replace("\"mode\": \"avgt\",", "")
        + "]", "KernelBenchmark.forwardInputMajor impl=vector shape=256x10: no 'mode'"); // was "a result has no 'mode'": which?
    refused("""
        [{"benchmark": "dev.vmlp.ThreadScalingBenchmark.pass", "mode": "avgt", "params": {"threads": "2", "path": "dense"},
          "primaryMetric": {"score": 6120, "scoreError": 80, "scoreUnit": "ns/op"}}]""",
        "ThreadScalingBenchmark.pass path=dense threads=2: no parameter 'net'");
    refused("""
        [{"benchmark": "dev.vmlp.TrainStepBenchmark.step", "mode": "avgt", "params": {"net": "784-x-10"},
          "primaryMetric": {"score": 8490, "scoreError": 80, "scoreUnit": "ns/op"}}]""", "net '784-x-10' is not layer sizes");
    // parameters the tables show: without them the rows read "null", and two scaling curves became one
    refused("[" + KERNEL.formatted("784x256", "4760").replace("\"impl\": \"vector\", ", "") + "]",
        "KernelBenchmark.forwardInputMajor shape=784x256: no parameter 'impl'");
    refused("""
        [{"benchmark": "dev.vmlp.TrainStepBenchmark.step", "mode": "avgt", "params": {"net": "784-256-10", "impl": "vector"},
          "primaryMetric": {"score": 8490, "scoreError": 80, "scoreUnit": "ns/op"}}]""",
        "TrainStepBenchmark.step impl=vector net=784-256-10: no parameter 'path'");
    refused("""
        [{"benchmark": "dev.vmlp.TrainStepBenchmark.step", "mode": "avgt", "params": {"net": "784-256-10", "path": "dense"},
          "primaryMetric": {"score": 8490, "scoreError": 80, "scoreUnit": "ns/op"}}]""",
        "TrainStepBenchmark.step net=784-256-10 path=dense: no parameter 'impl'");
    refused("""
        [{"benchmark": "dev.vmlp.ThreadScalingBenchmark.pass", "mode": "avgt", "params": {"threads": "2", "net": "784-256-10"},
          "primaryMetric": {"score": 6120, "scoreError": 80, "scoreUnit": "ns/op"}}]""",
        "ThreadScalingBenchmark.pass net=784-256-10 threads=2: no parameter 'path'");
  }

  @Test
  void noResultsOrScoresThatAreNotPositiveNumbersAreRefused() throws IOException {
    refused("[]", "no results");
    refused(" [ ] ", "no results");
    refused("[" + KERNEL.formatted("784x256", "0") + "]", "score 0.0 is not a positive finite number");
    refused("[" + KERNEL.formatted("784x256", "\"Infinity\"") + "]", "score Infinity is not a positive finite number");
    refused("[" + KERNEL.formatted("784x256", "\"NaN\"") + "]", "score NaN is not a positive finite number");
    // a negative half-width made the same score a regression in --compare
    refused("[" + KERNEL.formatted("784x256", "4760").replace("\"scoreError\": 80", "\"scoreError\": -5") + "]",
        "KernelBenchmark.forwardInputMajor impl=vector shape=784x256: scoreError -5.0 is negative");
  }

  @Test
  void resultsThatAreNotUtf8AreNamedAsSuch() throws IOException {
    Path f = Files.write(tmp.resolve("run.json"), new byte[] {'[', (byte) 0xff, ']'});
    CliRun.of("bench", "--from", f.toString(), "--markdown").assertError(1, f + ": not a JMH JSON result file (not UTF-8 text)");
  }

  @Test
  void aMachineDescriptionMayLackAnyField() throws IOException {
    Files.copy(Path.of(sample("quick.json")), tmp.resolve("run.json"));
    String full = Files.readString(Path.of(sample("quick.machine.json")));
    for (String machine : List.of("{}", full.replaceAll("\"(jvmArgs|cpuModel|kernels|command)\" : [^\n]*\n", ""),
        "{\"run\": {}, \"caches\": {\"l1d\": 49152}}")) {
      Files.writeString(tmp.resolve("machine.json"), machine);
      CliRun md = CliRun.of("bench", "--from", tmp.resolve("run.json").toString(), "--markdown");
      assertEquals(0, md.exit(), md::describe);
      assertFalse(md.out().contains("null"), md::describe);
      CliRun page = CliRun.of("bench", "--from", tmp.resolve("run.json").toString(), "--out", tmp.resolve("out").toString());
      assertEquals(0, page.exit(), page::describe);
      assertFalse(Files.readString(tmp.resolve("out/index.html")).contains("null"), machine);
    }
    Files.writeString(tmp.resolve("machine.json"), "null");
    CliRun.of("bench", "--from", tmp.resolve("run.json").toString(), "--markdown")
        .assertError(1, tmp.resolve("machine.json") + ": not a machine description");
  }

  @Test
  void helpNamesThePresets() {
    CliRun run = CliRun.of("bench", "--help");
    assertEquals(0, run.exit(), run::describe);
    for (String o : List.of("--quick", "--full", "--include", "--out", "--compare", "--from", "--jvm-arg")) {
      assertTrue(run.out().contains(o), o);
    }
    assertTrue(run.out().contains("[--compare=BASELINE.json CURRENT.json]"), "the two files by their roles: " + run.out());
    assertFalse(run.out().contains("CURRENT.json]..."), "--compare is not repeatable: " + run.out());
    assertTrue(run.out().contains("[--jvm-arg=ARG]..."), "--jvm-arg is: " + run.out());
  }

  @Test
  void theRecordedCommandKeepsAValueNamedBench() {
    // the report's "measured with" line: only the subcommand is left out, not a folder called bench
    var cl = new picocli.CommandLine(new Main(System.out, System.err, false));
    cl.parseArgs("--quiet", "bench", "--out", "bench", "--include", "Kernel");
    BenchCommand bench = cl.getSubcommands().get("bench").getCommand();
    assertEquals("bin/vmlp bench --quiet --out bench --include Kernel", bench.command());
  }

  @Test
  void anEmptyPathIsAUsageError() {
    // Path.of("") is the current folder: the report went there, and --from said ": is a folder"
    String json = sample("quick.json");
    CliRun.of("bench", "--from", json, "--out", "").assertError(2, "option '--out': '' names no file or folder");
    CliRun.of("bench", "--from", "").assertError(2, "option '--from': '' names no file or folder");
    String compare = "'' names no file or folder";
    CliRun.of("bench", "--compare", json, "", "--markdown").assertError(2, "option '--compare' at index 1");
    CliRun.of("bench", "--compare", json, "", "--markdown").assertError(2, compare);
    CliRun.of("bench", "--compare", "", json, "--markdown").assertError(2, "option '--compare' at index 0");
  }

  @Test
  void resultsSavedWithAByteOrderMarkAreRead() throws IOException {
    // an editor's UTF-8 mark: the results were refused as "Unexpected character", though their machine.json was read
    Path f = tmp.resolve("bom.json");
    Files.write(f, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    Files.write(f, Files.readAllBytes(Path.of(sample("quick.json"))), java.nio.file.StandardOpenOption.APPEND);
    CliRun run = CliRun.of("bench", "--from", f.toString(), "--markdown");
    assertEquals(0, run.exit(), run::describe);
    assertTrue(run.out().contains("## Kernels"), run::describe);
  }
}
