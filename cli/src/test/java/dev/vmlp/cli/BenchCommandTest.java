package dev.vmlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  void includeNarrowsThePreset() {
    CliRun run = CliRun.of("bench", "--include", "ThreadScaling", "--dry-run");
    assertEquals(0, run.exit(), run::describe);
    assertEquals(List.of("  [1/2] ThreadScalingBenchmark.pass net=784-256-10 path=dense threads=1",
        "  [2/2] ThreadScalingBenchmark.pass net=784-256-10 path=dense threads=2"),
        run.outLines().stream().filter(l -> l.startsWith("  [")).toList());
  }

  @Test
  void theFullPresetKeepsTheAnnotations() {
    CliRun run = CliRun.of("bench", "--full", "--include", "\\.KernelBenchmark\\.", "--dry-run");
    assertEquals(0, run.exit(), run::describe);
    assertEquals(40, run.outLines().stream().filter(l -> l.startsWith("  [")).count(), run::describe); // 5 x 2 x 4 shapes
    assertTrue(run.out().contains("shape=1024x1024"), run::describe);
    assertTrue(!run.out().contains(" -f 1 "), run::describe);
  }

  @Test
  void rendersAReportFromJsonWrittenEarlier() throws IOException {
    Path out = tmp.resolve("report");
    CliRun run = CliRun.of("bench", "--from", sample("quick.json"), "--out", out.toString());
    assertEquals(0, run.exit(), run::describe);
    assertTrue(Files.readString(out.resolve("index.html")).contains("<svg"));
    assertTrue(Files.readString(out.resolve("summary.md")).contains("## Kernels"));
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
    assertTrue(run.outLines().get(0).matches("\\d+ regression\\(s\\), \\d+ improvement\\(s\\), \\d+ within noise, \\d+ without error margin"),
        run::describe);
    String html = Files.readString(out.resolve("index.html"));
    assertTrue(html.contains("Comparison: baseline → current"));
  }

  @Test
  void usageErrors() {
    CliRun.of("bench", "--quick", "--full").assertError(2, "mutually exclusive");
    CliRun.of("bench", "--compare", "a.json").assertError(2, "--compare");
    CliRun.of("bench", "--from", "a.json", "--quick").assertError(2, "--from");
    CliRun.of("bench", "--markdown").assertError(2, "--markdown");
    CliRun.of("bench", "--include", "(unclosed").assertError(2, "--include");
    CliRun.of("bench", "--include", "NoSuchBenchmark", "--dry-run").assertError(2, "NoSuchBenchmark");
    CliRun.of("bench", "--frobnicate").assertError(2, "--frobnicate");
    String file = sample("quick.json");
    CliRun.of("bench", "--from", file, "--out", file).assertError(2, "--out names the report folder, but " + file
        + " is a file");
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

  @Test
  void helpNamesThePresets() {
    CliRun run = CliRun.of("bench", "--help");
    assertEquals(0, run.exit(), run::describe);
    for (String o : List.of("--quick", "--full", "--include", "--out", "--compare", "--from", "--jvm-arg")) {
      assertTrue(run.out().contains(o), o);
    }
  }
}
