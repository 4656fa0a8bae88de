package dev.vmlp.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report writer: the files, a page that needs nothing from the network, charts, and tables with the numbers. */
class ReportPageTest {
  @TempDir
  Path tmp;

  @Test
  void writesAPageAndASummary() throws IOException {
    new ReportPage(List.of(Samples.report("quick.json")), "quick.json").write(tmp.resolve("r"));
    assertTrue(Files.size(tmp.resolve("r/index.html")) > 10_000);
    assertTrue(Files.size(tmp.resolve("r/summary.md")) > 1_000);
  }

  @Test
  void aSummaryThatCannotBeWrittenLeavesTheOldPageAsItWas() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("r"));
    Files.writeString(dir.resolve("index.html"), "old page");
    Files.createSymbolicLink(dir.resolve("summary.md"), dir.resolve("missing/summary.md")); // refused: a dangling link
    IOException e = assertThrows(IOException.class,
        () -> new ReportPage(List.of(Samples.report("quick.json")), "quick.json").write(dir));
    assertTrue(e.getMessage().contains("summary.md"), e::getMessage);
    assertEquals("old page", Files.readString(dir.resolve("index.html")), "the page stays with its old summary");
    try (var left = Files.list(dir)) {
      assertEquals(List.of("index.html", "summary.md"), left.map(p -> p.getFileName().toString()).sorted().toList(),
          "no temporary file left");
    }
  }

  @Test
  void thePageIsSelfContained() {
    String html = new ReportPage(List.of(Samples.report("quick.json")), "quick.json").html();
    assertFalse(html.contains("<script"), "no script at all");
    assertFalse(html.contains("<link"), "no stylesheet or other linked resource");
    assertFalse(Pattern.compile("(src|href)\\s*=\\s*\"(https?:)?//").matcher(html).find(), "no remote reference");
    Matcher refs = Pattern.compile("(?:src|href)\\s*=\\s*\"([^\"]*)\"").matcher(html);
    while (refs.find()) {
      assertTrue(refs.group(1).startsWith("#"), "only links within the page: " + refs.group(1));
    }
    assertFalse(Pattern.compile("url\\((?!#)").matcher(html).find(), "no CSS url() outside the page");
  }

  @Test
  void aQuickRunSaysSoInItsTitle() {
    assertTrue(new ReportPage(List.of(Samples.report("quick.json")), "quick.json").html()
        .contains("<title>vmlp benchmarks (quick run)</title>"));
    assertTrue(new ReportPage(List.of(new Report("run", null, List.of())), null).html()
        .contains("<title>vmlp benchmarks</title>"));
  }

  @Test
  void cellsOfSeveralLinesBreakIntoLinesOnThePage() {
    String html = new ReportPage(List.of(Samples.report("quick.json")), "quick.json").html();
    assertFalse(Pattern.compile("<td>[^<]*\n").matcher(html).find(), "a line break in a cell is <br>, not a space");
    assertTrue(html.contains(" results<br>1 fork, 8 x 500 ms warm-up"), "each iteration setting on a line of its own");
  }

  @Test
  void thePageHasTheCharts() {
    String html = new ReportPage(List.of(Samples.report("quick.json")), "quick.json").html();
    // bandwidth, 2 kernel shapes, speed-up, training, scaling, latency
    assertEquals(7, count(html, "<svg"), "one inline SVG per chart");
    for (String title : List.of("Read bandwidth of one core", "Kernels at 784x256 (IN x OUT)", "Kernels at 256x10 (IN x OUT)",
        "Vector over scalar speed-up", "Training throughput (per-sample SGD, one thread)", "Thread scaling of the trainer",
        "Single-row predict latency", "ideal (speed-up = threads)", "peak FMA")) {
      assertTrue(html.contains(title), title);
    }
  }

  @Test
  void peersGetTheirChartsBesideVmlp() {
    String html = new ReportPage(List.of(Samples.report("peers.json")), "peers.json").html();
    assertTrue(html.contains("Peers&apos; kernels at 784x256"), "peer kernel chart (JFreeSVG escapes the apostrophe)");
    assertTrue(html.contains("Training throughput against peers"));
    assertTrue(html.contains("ejml") && html.contains("netlibJava"));
    assertTrue(html.contains("vmlp vector"), "vmlp's own kernels beside the peers'");
  }

  @Test
  void markdownTablesCarryTheNumbers() {
    Report quick = Samples.report("quick.json");
    String md = new ReportPage(List.of(quick), "docs/bench/quick.json").markdown();
    assertTrue(md.contains("`" + quick.machine().run().command() + "`"), "the command that produced the numbers");
    assertTrue(md.contains("bin/vmlp bench --from docs/bench/quick.json --markdown"), "the command that renders them");
    for (Report.KernelRow k : quick.kernels()) {
      assertTrue(md.contains("| " + Charts.kernelName(k.kernel()) + " | " + k.shape() + " | " + k.impl() + " | "
          + Format.time(k.ns()) + " | " + Format.pm(k.gflops(), k.gflopsError()) + " |"), k::toString);
    }
    for (Report.TrainRow t : quick.training()) {
      assertTrue(md.contains("| " + Format.pm(t.samplesPerSecond(), t.samplesPerSecondError()) + " |"), t::toString);
    }
    for (Report.PredictRow p : quick.predict()) {
      for (Double v : p.percentiles().values()) {
        assertTrue(md.contains("| " + Format.time(v) + " |"), p::toString);
      }
    }
    assertTrue(md.contains(String.format(Locale.ROOT, "| %.2fx |", quick.scaling().get(1).speedup())));
    assertTrue(md.contains("| CPU | " + quick.machine().cpuModel() + " |"));
    assertTrue(md.contains("| OPENBLAS_NUM_THREADS (forks) | not recorded |"), "quick.machine.json predates the field");
    assertFalse(md.contains("<svg"));
  }

  @Test
  void markdownEscapesControlCharactersInTheCommandAndTheSource() {
    Report quick = Samples.report("quick.json");
    MachineInfo.Run run = quick.machine().run();
    String command = "bin/vmlp bench --out '/tmp/a\u001b[31mred'";
    MachineInfo machine = quick.machine().withRun(new MachineInfo.Run(command, run.preset(), run.jmhOptions(),
        run.started(), run.wallSeconds(), run.planned(), run.failed(), run.interrupted()));
    String md = new ReportPage(List.of(new Report(quick.label(), machine, quick.results())), "/tmp/b\u001b[2J/results.json")
        .markdown();
    assertFalse(md.contains("\u001b"), () -> "an escape sequence reaches the terminal of --markdown: "
        + md.lines().filter(l -> l.contains("\u001b")).map(l -> l.replace('\u001b', '~')).toList());
    assertTrue(md.contains("measured with `bin/vmlp bench --out '/tmp/a\\u001B[31mred'`"), md);
    assertTrue(md.contains("Rendered from `/tmp/b\\u001B[2J/results.json` by `bin/vmlp bench --from "
        + "'/tmp/b\\u001B[2J/results.json' --markdown`"), md);
  }

  @Test
  void thePageEscapesControlCharactersAsTheMarkdownDoes() {
    // a BEL or an ESC in a label reached the page as it was (HTML cannot carry it), and its chart's SVG
    // did not load; the Markdown wrote it as \u0007
    Report quick = Samples.report("quick.json");
    MachineInfo.Run run = quick.machine().run();
    MachineInfo machine = quick.machine().withRun(new MachineInfo.Run("bin/vmlp bench --out '/tmp/a\u001b[31mred'",
        run.preset(), run.jmhOptions(), run.started(), run.wallSeconds(), run.planned(), run.failed(), run.interrupted()));
    JmhResult step = ReportModelTest.of("dev.vmlp.TrainStepBenchmark.step", "avgt", Map.of("net", "784-256-10",
        "impl", "vector", "path", "dense\u0007"), new JmhResult.Metric(120, 1, "us/op"), Map.of());
    JmhResult other = ReportModelTest.of("org.example.Other.run", "avgt", Map.of("p", "a\tb\u001b[2J"),
        new JmhResult.Metric(72.9, Double.NaN, "ns/op"), Map.of());
    ReportPage page = new ReportPage(List.of(new Report("run", machine, List.of(step, other))), null);
    String html = page.html();
    assertFalse(html.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t' || c == 0x7f), () -> "a control character in the page: "
        + html.lines().filter(l -> l.chars().anyMatch(c -> c < 0x20))
            .map(l -> l.substring(0, Math.min(200, l.length())).replaceAll("\\p{Cntrl}", "~")).toList());
    assertTrue(html.contains("<code>bin/vmlp bench --out '/tmp/a\\u001B[31mred'</code>"), "the command, as the Markdown has it");
    assertTrue(html.contains("<td>784-256-10</td><td>vector</td><td>dense\\u0007</td>"), "the table");
    assertTrue(html.contains(">vector dense\\u0007<"), "the chart's legend");
    assertTrue(html.contains("<td>p=a\tb\\u001B[2J</td>"), "a tab is whitespace, kept as the Markdown keeps it");
    String md = page.markdown();
    assertTrue(md.contains("| 784-256-10 | vector | dense\\u0007 |") && md.contains("| p=a\tb\\u001B\\[2J |"), md);
  }

  @Test
  void aTabIsWhitespaceNotAnEscape() {
    // a tab in the notes or a label showed as \u0009 on the page and in the summary; other controls stay escaped
    JmhResult r = ReportModelTest.of("org.example.Other.run", "avgt", Map.of("p", "a\tb\u0007"),
        new JmhResult.Metric(72.9, Double.NaN, "ns/op"), Map.of());
    ReportPage page = new ReportPage(List.of(new Report("run\tA", null, List.of(r)), new Report("run B", null,
        List.of(r))), null, "\n## Targets\n\nforward\tmet\u0007\n");
    String md = page.markdown();
    assertFalse(md.contains("\\u0009"), md);
    assertTrue(md.endsWith("\n## Targets\n\nforward\tmet\\u0007\n"), md);
    assertTrue(md.contains("run\tA"), md);
    assertTrue(md.contains("p=a\tb\\u0007"), md);
    String html = page.html();
    assertFalse(html.contains("\\u0009"), html);
    assertTrue(html.contains("<div class=\"notes\">## Targets\n\nforward\tmet\\u0007</div>"), html);
    assertTrue(html.contains("<title>vmlp benchmarks: run\tA against run B</title>"), html);
  }

  @Test
  void crlfLineEndsAreLineBreaksNotEscapes() {
    // notes saved on Windows: every line of the summary (and of the page's Notes) ended in \u000D
    JmhResult r = ReportModelTest.of("org.example.Other.run", "avgt", Map.of("p", "a\rb\r\nc"),
        new JmhResult.Metric(72.9, Double.NaN, "ns/op"), Map.of());
    ReportPage page = new ReportPage(List.of(new Report("run", null, List.of(r))), null,
        "\n## Targets\r\n\r\nforward met\r\n");
    String md = page.markdown();
    assertTrue(md.endsWith("\n## Targets\n\nforward met\n"), md);
    assertTrue(md.contains("| p=a<br>b<br>c |"), md);
    String html = page.html();
    assertTrue(html.contains("<div class=\"notes\">## Targets\n\nforward met</div>"), html);
    assertTrue(html.contains("<td>p=a<br>b<br>c</td>"), "a CR breaks a cell's line, as in the Markdown");
  }

  @Test
  void theCommandThatReRendersTheRunQuotesItsPath() {
    // was "--from my run/it's.json", which the shell splits into three words and reads a quote in
    Report quick = Samples.report("quick.json");
    String md = new ReportPage(List.of(quick), "my run/it's.json").markdown();
    assertTrue(md.contains("Rendered from `my run/it's.json` by `bin/vmlp bench --from 'my run/it'\\''s.json' "
        + "--markdown`"), md);
    md = new ReportPage(List.of(quick), "docs/bench/record.json").markdown();
    assertTrue(md.contains("by `bin/vmlp bench --from docs/bench/record.json --markdown`"), md);
  }

  @Test
  void aBacktickInThePathOrTheCommandStaysInItsCodeSpan() {
    // "Rendered from `runs/a`b.json` by ...": the path's backtick ended the span, and the rest of the line
    // was code and text turned about
    Report quick = Samples.report("quick.json");
    MachineInfo.Run run = quick.machine().run();
    MachineInfo machine = quick.machine().withRun(new MachineInfo.Run("bin/vmlp bench --out 'a``b'", run.preset(),
        run.jmhOptions(), run.started(), run.wallSeconds(), run.planned(), run.failed(), run.interrupted()));
    String md = new ReportPage(List.of(new Report(quick.label(), machine, quick.results())), "runs/a`b.json").markdown();
    assertTrue(md.contains("Rendered from ``runs/a`b.json`` by ``bin/vmlp bench --from 'runs/a`b.json' --markdown``."),
        md);
    assertTrue(md.contains("measured with ```bin/vmlp bench --out 'a``b'``` (quick preset"), md);
    assertEquals("`` `x` ``", ReportPage.code("`x`"), "a space keeps a backtick at either end off the fence");
    assertEquals("`  `", ReportPage.code("  "));
    assertEquals("`  a  `", ReportPage.code(" a "), "the span strips one space each side");
  }

  @Test
  void aComparisonHighlightsRegressions() {
    JmhResult base = ComparisonTest.result("avgt", 100, 1);
    JmhResult slower = ComparisonTest.result("avgt", 130, 1);
    ReportPage page = new ReportPage(List.of(new Report("baseline", null, List.of(base)),
        new Report("current", null, List.of(slower))), null);
    String html = page.html();
    assertTrue(html.contains("<tr class=\"regression\">"), "the regression row is marked");
    assertTrue(html.contains("+30.0%"));
    assertTrue(html.contains("<p class=\"note\">1 regression(s), 0 improvement(s), 0 within noise"), "the counts");
    assertTrue(html.contains("<p class=\"lead\"><b>baseline</b>: "), "each run named");
    String md = page.markdown();
    assertTrue(md.contains("| regression |"));
    assertTrue(md.contains("1 regression(s), 0 improvement(s), 0 within noise"));
  }

  @Test
  void aComparisonTableShowsEachRunsScore() {
    JmhResult base = ComparisonTest.result("avgt", 100, 1);
    JmhResult slower = ComparisonTest.result("avgt", 130, 1);
    JmhResult gone = ComparisonTest.result("dev.vmlp.jmh.OldBenchmark.run", "avgt", 7, 0.5);
    JmhResult added = ComparisonTest.result("dev.vmlp.jmh.NewBenchmark.run", "thrpt", 12, 2);
    ReportPage page = new ReportPage(List.of(new Report("baseline", null, List.of(base, gone)),
        new Report("current", null, List.of(slower, added))), null);
    String md = page.markdown();
    String params = "| impl=vector shape=784x256 |";
    assertTrue(md.contains("| KernelBenchmark.forwardInputMajor " + params + " avgt | 100 ± 1.00 ns/op"
        + " | 130 ± 1.00 ns/op | +30.0% | regression |"), md);
    assertTrue(md.contains("| OldBenchmark.run " + params + " avgt | 7.00 ± 0.500 ns/op | - | - | only in baseline |"),
        md);
    assertTrue(md.contains("| NewBenchmark.run " + params + " thrpt | - | 12.0 ± 2.00 ops/s | - | only in current |"),
        md);
    // the line bench --compare prints for a regression
    assertEquals("100 ± 1.00 ns/op -> 130 ± 1.00 ns/op (+30.0%)", ReportPage.changeText(page.comparison().get(0)));
  }

  @Test
  void aComparisonPageListsEachRunsNumbersUnderItsName() {
    ReportPage page = new ReportPage(List.of(
        new Report("baseline", null, List.of(ReportModelTest.kernel("forwardInputMajor", "784x256", 4000))),
        new Report("current", null, List.of(ReportModelTest.kernel("forwardInputMajor", "784x256", 2000)))), null);
    String md = page.markdown();
    for (String run : List.of("baseline", "current")) {
      Report r = new Report(run, null, List.of(ReportModelTest.kernel("forwardInputMajor", "784x256",
          run.equals("baseline") ? 4000 : 2000)));
      Report.KernelRow k = r.kernels().get(0);
      assertTrue(md.contains("| " + run + " | " + Charts.kernelName(k.kernel()) + " | 784x256 | vector | "
          + Format.time(k.ns()) + " | " + Format.pm(k.gflops(), k.gflopsError()) + " |"), md);
    }
    assertTrue(md.startsWith("# vmlp benchmarks: baseline against current\n"), md);
  }

  @Test
  void peersOfOneKindAloneAreShown() {
    JmhResult kernel = new JmhResult("dev.vmlp.jmh.peers.PeerKernelBenchmark.forward_ejml", "avgt",
        Map.of("shape", "784x256"), new JmhResult.Metric(100_000, 1_000, "ns/op"), Map.of(), Map.of(), 1, List.of(),
        "25", "25", List.of());
    JmhResult step = new JmhResult("dev.vmlp.jmh.peers.PeerTrainStepBenchmark.step_ejml", "avgt",
        Map.of("net", "784-256-10"), new JmhResult.Metric(500_000, 5_000, "ns/op"), Map.of(), Map.of(), 1, List.of(),
        "25", "25", List.of());
    for (JmhResult only : List.of(kernel, step)) {
      String md = new ReportPage(List.of(new Report("run", null, List.of(only))), null).markdown();
      assertFalse(md.contains("No peer benchmarks in this run"), md);
      assertTrue(md.contains("| ejml | - |"), md);
    }
  }

  @Test
  void aRunOfOneResultSaysResult() {
    Report one = new Report("run", null, List.of(ComparisonTest.result("avgt", 100, 1)));
    ReportPage page = new ReportPage(List.of(one), null);
    assertTrue(page.markdown().contains("\n1 result; no machine.json beside the JSON.\n"), page.markdown());
    assertTrue(page.markdown().contains("| benchmarks | 1 result |"), page.markdown());
    assertTrue(page.html().contains("<p class=\"lead\">1 result (no machine.json)</p>"));
    String two = new ReportPage(List.of(new Report("run", null, List.of(ComparisonTest.result("avgt", 100, 1),
        ComparisonTest.result("dev.vmlp.jmh.OtherBenchmark.run", "avgt", 100, 1)))), null).markdown();
    assertTrue(two.contains("\n2 results; no machine.json beside the JSON.\n"), two);
  }

  @Test
  void aComparisonCountsTheRowsItCouldNotJudge() {
    JmhResult base = ComparisonTest.result("avgt", 100, Double.NaN); // one iteration: no error margin
    JmhResult tripled = ComparisonTest.result("avgt", 300, Double.NaN);
    JmhResult timed = ComparisonTest.result("dev.vmlp.jmh.OtherBenchmark.run", "avgt", 100, 1);
    JmhResult counted = new JmhResult(timed.benchmark(), "avgt", timed.params(), new JmhResult.Metric(100, 1, "ops/s"),
        Map.of(), Map.of(), 1, List.of(), "25", "25", List.of()); // the same key in a unit that does not convert
    ReportPage page = new ReportPage(List.of(new Report("baseline", null, List.of(base, timed)),
        new Report("current", null, List.of(tripled, counted))), null);
    String md = page.markdown();
    assertTrue(md.contains("0 regression(s), 0 improvement(s), 0 within noise, 1 without error margin, "
        + "1 in units that do not convert. A change"), md);
  }

  @Test
  void aComparisonOfRealRunsShowsBothSeries() {
    ReportPage page = new ReportPage(List.of(
        new Report("baseline", Samples.report("quick.json").machine(), Samples.results("quick.json")),
        new Report("current", Samples.report("quick-256.json").machine(), Samples.results("quick-256.json"))), null);
    String html = page.html();
    assertTrue(html.contains("vector · baseline") && html.contains("vector · current"), "both runs in the kernel charts");
    assertTrue(html.contains("<th>baseline</th><th>current</th>"), "both machines side by side");
  }

  @Test
  void noKernelOfTheCommittedRecordIsShownAboveItsCeiling() throws IOException {
    Path json = BenchmarksDocTest.ROOT.resolve("docs/bench/record.json");
    String md = new ReportPage(List.of(new Report("record.json", MachineInfo.besides(json), JmhJson.read(json))), null)
        .markdown();
    String kernels = md.substring(md.indexOf("## Kernels"), md.indexOf("**Vector over scalar**"));
    Matcher percent = Pattern.compile("\\| (\\d+)% \\|\n").matcher(kernels);
    int rows = 0;
    while (percent.find()) {
      rows++;
      assertTrue(Integer.parseInt(percent.group(1)) <= 100, percent.group());
    }
    // the full probe's margins are within 25% of its rates, so every kernel row of the record has a ceiling
    assertEquals(30, rows, kernels);
    assertTrue(kernels.contains("| 93.3 (L1) |") && kernels.contains("| 205 (peak FMA) |"), kernels);
    // its input-major products read their weights from L2 at 157-170 GB/s, its probe 104 ± 11.5: no bound
    assertFalse(kernels.contains("(L2)"), kernels);
    assertTrue(md.contains("| read bandwidth L2 | 512 KiB | 104 ± 11.5 GB/s | no: read low: forwardInputMajor 784x128 "
        + "vector read its weights at 170 GB/s |"), md);
    assertTrue(md.contains("The probe ran 1 fork, 3 x 1 s warm-up, 5 x 1 s."), "the probe's own settings");
    assertTrue(md.contains("| OPENBLAS_NUM_THREADS (forks) | 1 |"), "record-run.sh exports it");
  }

  @Test
  void chartsDrawOnlyTheCeilingsThatAreBounds() {
    List<JmhResult> results = new java.util.ArrayList<>(ReportModelTest.noisyProbe());
    results.add(ReportModelTest.kernel("transposedUpdate", "256x10", 99.4)); // under its L1 bound
    results.add(ReportModelTest.kernel("forwardInputMajor", "784x256", 4760)); // L2's probe is unfit
    String html = new ReportPage(List.of(new Report("record", Samples.report("quick.json").machine(), results)), null)
        .html();
    assertEquals(1, count(html, "ceiling (read bandwidth or peak FMA)"), "one chart with a ceiling bar");
    assertFalse(Pattern.compile("peak FMA 206(?![.0-9])").matcher(html).find(), "no line at a peak of ± 89%");
  }

  @Test
  void unsettledIterationsAreListedWithoutThousandsSeparators() {
    JmhResult r = new JmhResult("dev.vmlp.jmh.KernelBenchmark.updateForwardFused", "avgt",
        Map.of("impl", "scalar", "shape", "784x256"), new JmhResult.Metric(479_000, 50_000, "ns/op"), Map.of(), Map.of(), 2,
        List.of(), "25", "25", List.of(List.of(609_531.0, 394_042.0), List.of(397_003.0, 423_524.4)));
    String md = new ReportPage(List.of(new Report("run", null, List.of(r))), null).markdown();
    assertTrue(md.contains("| 609531, 394042; 397003, 423524 ns/op |"), md);
  }

  static JmhResult scaling(String mode, int threads, double ns, Map<String, String> extra) {
    Map<String, String> params = new java.util.HashMap<>(extra);
    params.putAll(Map.of("net", "784-256-10", "path", "dense", "threads", Integer.toString(threads)));
    return new JmhResult("dev.vmlp.ThreadScalingBenchmark.pass", mode, params, new JmhResult.Metric(ns, ns / 100, "ns/op"),
        Map.of(), Map.of(), 1, List.of(), "25", "25", List.of());
  }

  @Test
  void threadScalingInTwoModesOrWithAFurtherParameterDrawsOneCurveEach() {
    // JMH run by hand with -bm avgt,ss (or -p of a parameter of its own) gives two points per thread count
    Report modes = new Report("run", null, List.of(scaling("avgt", 1, 10_000, Map.of()), scaling("avgt", 2, 6_000, Map.of()),
        scaling("ss", 1, 50_000, Map.of()), scaling("ss", 2, 40_000, Map.of())));
    assertEquals(List.of("784-256-10 dense:1:1.00", "784-256-10 dense:2:1.67", "784-256-10 dense (ss):1:1.00",
        "784-256-10 dense (ss):2:1.25"), modes.scaling().stream()
        .map(s -> s.curve() + ":" + s.threads() + ":" + String.format(Locale.ROOT, "%.2f", s.speedup())).toList(),
        "each speed-up over the one-thread run of its own mode");
    String html = new ReportPage(List.of(modes), null).html();
    assertTrue(html.contains("784-256-10 dense (ss)"), "a curve per mode");
    Report extra = new Report("run", null, List.of(scaling("avgt", 1, 10_000, Map.of("pool", "a")),
        scaling("avgt", 1, 12_000, Map.of("pool", "b")), scaling("avgt", 2, 6_000, Map.of("pool", "a")),
        scaling("avgt", 2, 6_000, Map.of("pool", "b"))));
    assertEquals(List.of(1.0, 10_000 / 6_000.0, 1.0, 2.0), extra.scaling().stream().map(Report.ScalingRow::speedup).toList());
    assertTrue(new ReportPage(List.of(extra), null).markdown().contains("| 784-256-10 | dense pool=b | 2 |"));
  }

  @Test
  void aScalingRunWithoutOneThreadShowsNoSpeedUp() {
    String md = new ReportPage(List.of(new Report("run", null, List.of(scaling("avgt", 2, 6_000, Map.of())))), null)
        .markdown();
    assertFalse(md.contains("NaN"), md);
    assertTrue(md.contains("| 784-256-10 | dense | 2 | 6.00 µs | 166,667 | - | - |"), md);
  }

  @Test
  void aResultGivenTwiceDrawsItsScalingCurve() {
    JmhResult one = scaling("avgt", 1, 10_000, Map.of());
    JmhResult two = scaling("avgt", 2, 6_000, Map.of());
    String html = new ReportPage(List.of(new Report("run", null, List.of(one, two, one, two))), null).html();
    assertTrue(html.contains("Thread scaling of the trainer"));
  }

  @Test
  void notesThatAreNotUtf8AreNamed() throws IOException {
    Path json = tmp.resolve("run.json");
    Files.writeString(json, "[]");
    Files.write(tmp.resolve("run.notes.md"), new byte[] {'c', 'a', 'f', (byte) 0xe9, '\n'}); // Latin-1
    IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> ReportPage.notes(json));
    assertEquals(tmp.resolve("run.notes.md") + ": not UTF-8 text", e.getMessage()); // was "Input length = 2"
  }

  @Test
  void markdownCellsAreTextWhateverTheirCharacters() {
    // a pipe after a backslash: escaping the pipe alone gave \\| , an escaped backslash and then a cell's end
    JmhResult r = new JmhResult("org.example.Other.run", "avgt", Map.of("p", "C:\\|x<b>y</b>\r\nz"),
        new JmhResult.Metric(72.9, Double.NaN, "ns/op"), Map.of(), Map.of(), 1, List.of(), "25", "25", List.of());
    String md = new ReportPage(List.of(new Report("run", null, List.of(r))), null).markdown();
    assertTrue(md.contains("| Other.run | p=C:\\\\\\|x\\<b>y\\</b><br>z | avgt | 72.9 ns/op |"), md);
  }

  @Test
  void aBacktickInACellIsNotCode() {
    // a JMH parameter "a`b`c" was written as it was, and the cell rendered "b" as code
    JmhResult r = ReportModelTest.of("org.example.Other.run", "avgt", Map.of("p", "a`b`c\\`d"),
        new JmhResult.Metric(72.9, Double.NaN, "ns/op"), Map.of());
    ReportPage page = new ReportPage(List.of(new Report("run", null, List.of(r))), null);
    String md = page.markdown();
    assertTrue(md.contains("| Other.run | p=a\\`b\\`c\\\\\\`d | avgt | 72.9 ns/op |"), md);
    assertTrue(page.html().contains("<td>p=a`b`c\\`d</td>"), "the page shows the text as it is");
  }

  @Test
  void emphasisAndLinkCharactersInACellAreText() {
    // a JMH parameter "a*b*c" was written as it was, and the cell rendered "b" in italics; "__init__" in
    // bold, "~~s~~" struck through, "[x](http://e)" as a link
    JmhResult r = ReportModelTest.of("org.example.Other.run", "avgt",
        Map.of("p", "a*b*c", "q", "[x](http://e) ![i](j)", "r", "__init__ _em_ a_b_c a\\_b ~~s~~"),
        new JmhResult.Metric(72.9, Double.NaN, "ns/op"), Map.of());
    ReportPage page = new ReportPage(List.of(new Report("run", null, List.of(r))), null);
    String md = page.markdown();
    assertTrue(md.contains("| Other.run | p=a\\*b\\*c q=\\[x](http://e) !\\[i](j) "
        + "r=\\_\\_init\\_\\_ \\_em\\_ a_b_c a\\\\\\_b \\~\\~s\\~\\~ | avgt | 72.9 ns/op |"), md);
    assertTrue(page.html().contains("<td>p=a*b*c q=[x](http://e) ![i](j) r=__init__ _em_ a_b_c a\\_b ~~s~~</td>"),
        "the page shows the text as it is");
    // an underscore inside a word is never emphasis in GFM: OPENBLAS_NUM_THREADS stays as it is
    assertEquals("OPENBLAS_NUM_THREADS \\_x x\\_ \\_\\_", ReportPage.md("OPENBLAS_NUM_THREADS _x x_ __"));
  }

  @Test
  void emphasisAndLinkCharactersInTheHeaderAreText() throws IOException {
    // "on Test *x* CPU, ...": the CPU's name rendered "x" in italics, in the header and in the machine table
    Path json = Files.copy(Samples.path("quick.json"), tmp.resolve("odd.json"));
    Files.writeString(tmp.resolve("odd.machine.json"),
        "{\"cpuModel\": \"Test *x* CPU_ [y](z) ~~w~~ a|b\", \"logicalCores\": 4}");
    String md = new ReportPage(List.of(Report.read("odd.json", json)), json.toString()).markdown();
    assertTrue(md.contains("\n34 results on Test \\*x\\* CPU\\_ \\[y](z) \\~\\~w\\~\\~ a|b, 4 cores, JDK "), md.substring(0, 300));
  }

  @Test
  void anEntityInACellIsText() {
    // a JMH parameter "&lt;b&gt; R&amp;D" was written as it was, and the cell read "<b> R&D"
    JmhResult r = ReportModelTest.of("org.example.Other.run", "avgt", Map.of("p", "&lt;b&gt; R&amp;D &#42; &"),
        new JmhResult.Metric(72.9, Double.NaN, "ns/op"), Map.of());
    ReportPage page = new ReportPage(List.of(new Report("run", null, List.of(r))), null);
    assertTrue(page.markdown().contains("| Other.run | p=\\&lt;b\\&gt; R\\&amp;D \\&#42; \\& | avgt | 72.9 ns/op |"),
        page.markdown());
    assertTrue(page.html().contains("<td>p=&amp;lt;b&amp;gt; R&amp;amp;D &amp;#42; &amp;</td>"), "the page shows the text as it is");
  }

    @Test
  void specialCharactersAreEscaped() {
    assertEquals("a &lt;b&gt; &amp; &quot;c&quot;", ReportPage.esc("a <b> & \"c\""));
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void aMachineJsonWithoutTheRunIsNotCalledMissing() throws IOException {
    Path json = Files.copy(Samples.path("quick.json"), tmp.resolve("old.json"));
    Files.writeString(tmp.resolve("old.machine.json"), "{\"cpuModel\": \"Test CPU\", \"logicalCores\": 4}");
    ReportPage page = new ReportPage(List.of(Report.read("old.json", json)), json.toString());
    String md = page.markdown();
    assertTrue(md.contains("\n34 results on Test CPU, 4 cores, JDK "), md.substring(0, 300)); // was "no machine.json beside the JSON"
    assertFalse(md.contains("no machine.json"));
    assertTrue(page.html().contains("34 results on Test CPU, JDK "));
    assertFalse(page.html().contains("no machine.json"));
  }

  @Test
  void aCoreCountNoMachineHasIsUnknownAsASizeIs() throws IOException {
    // logicalCores -4 showed as "-4" (a missing one as "0") beside a negative memory's "unknown"
    Path json = Files.copy(Samples.path("quick.json"), tmp.resolve("odd.json"));
    for (String cores : List.of("\"logicalCores\": -4, ", "\"logicalCores\": 0, ", "")) {
      Files.writeString(tmp.resolve("odd.machine.json"), "{\"cpuModel\": \"Test CPU\", " + cores + "\"memoryBytes\": -5}");
      ReportPage page = new ReportPage(List.of(Report.read("odd.json", json)), json.toString());
      String md = page.markdown();
      assertTrue(md.contains("\n| logical cores | unknown |\n") && md.contains("\n| memory | unknown |\n"), cores + md);
      assertTrue(md.contains("\n34 results on Test CPU, JDK "), "the header leaves it out, as before");
      assertTrue(page.html().contains("<tr><td>logical cores</td><td>unknown</td></tr>"), cores);
    }
    Files.writeString(tmp.resolve("odd.machine.json"), "{\"cpuModel\": \"Test CPU\", \"logicalCores\": 1}");
    assertTrue(new ReportPage(List.of(Report.read("odd.json", json)), json.toString()).markdown()
        .contains("\n| logical cores | 1 |\n"));
  }

  @Test
  void theHeadersMachineFactsAreEscapedAsTheTablesAre() throws IOException {
    // "on Test `x` CPU <b>big</b>, 2 cores, ...": the header wrote the CPU as it was, and the summary
    // rendered "x" as code and "big" in bold, while the machine table escaped it
    Path json = Files.copy(Samples.path("quick.json"), tmp.resolve("odd.json"));
    Files.writeString(tmp.resolve("odd.machine.json"), Files.readString(Samples.path("quick.machine.json"))
        .replace("\"AMD EPYC (family 26, model 2)\"", "\"Test `x` CPU <b>big</b> C:\\\\|y\""));
    ReportPage page = new ReportPage(List.of(Report.read("odd.json", json)), json.toString());
    String md = page.markdown();
    assertTrue(md.contains(" on Test \\`x\\` CPU \\<b>big\\</b> C:\\\\|y, 2 cores, JDK 25.0.3"), md.substring(0, 500));
    assertTrue(md.contains("\n| CPU | Test \\`x\\` CPU \\<b>big\\</b> C:\\\\\\|y |\n"), "the table, as before");
    assertTrue(page.html().contains(" on Test `x` CPU &lt;b&gt;big&lt;/b&gt; C:\\|y, JDK "), "the page shows the text as it is");
    // a machine.json without the run: the same facts after the count of results
    Files.writeString(tmp.resolve("odd.machine.json"), "{\"cpuModel\": \"Test `x` CPU <b>big</b>\", \"logicalCores\": 4}");
    assertTrue(new ReportPage(List.of(Report.read("odd.json", json)), json.toString()).markdown()
        .contains("\n34 results on Test \\`x\\` CPU \\<b>big\\</b>, 4 cores, JDK "));
  }
}
