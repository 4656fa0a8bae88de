package dev.vmlp.cli.bench;

import dev.vmlp.internal.text.Excerpt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The report of one run, or the comparison of two, as sections of charts and tables; written as a
 * self-contained HTML page ({@code index.html}: inline CSS and SVG, no script, nothing fetched) and a
 * Markdown summary ({@code summary.md}) with the same tables.
 */
public final class ReportPage {
  /** A table: header and rows of cells; {@code rowClasses} (HTML only) may mark rows, e.g. as regressions. */
  record Table(String caption, List<String> header, List<List<String>> rows, List<String> rowClasses) {}

  /** A part of the page. */
  record Section(String id, String title, String note, List<Charts.Chart> charts, List<Table> tables) {}

  private final List<Report> runs;
  private final List<Comparison.Row> comparison;
  private final String source;
  private final String notes;

  /**
   * @param runs one run, or the baseline and the current run
   * @param source the JMH JSON the numbers came from, as the user named it (for the re-render command)
   */
  public ReportPage(List<Report> runs, String source) {
    this(runs, source, "");
  }

  /**
   * @param notes hand-written notes on the run ({@link #notes(Path)}), ending both the page and the
   *     summary; empty for none
   */
  public ReportPage(List<Report> runs, String source, String notes) {
    if (runs.isEmpty() || runs.size() > 2) {
      throw new IllegalArgumentException("a report shows one or two runs");
    }
    this.runs = List.copyOf(runs);
    this.comparison = runs.size() == 2 ? Comparison.compare(runs.get(0).results(), runs.get(1).results()) : null;
    this.source = source;
    this.notes = notes;
  }

  /** The comparison rows, or null for a single run. */
  public List<Comparison.Row> comparison() {
    return comparison;
  }

  /**
   * Writes {@code index.html} and {@code summary.md} into {@code dir} (created if missing), each whole,
   * and both or (when either cannot be written) neither, so the page and its summary are of one report.
   */
  public void write(Path dir) throws IOException {
    String html = html();
    String markdown = markdown();
    Files.createDirectories(dir);
    AtomicWrite.texts(dir.resolve("index.html"), html, dir.resolve("summary.md"), markdown);
  }

  // ---- content

  List<Section> sections(boolean withCharts) {
    List<Section> s = new ArrayList<>();
    if (comparison != null) {
      s.add(comparisonSection());
    }
    Section unsettled = unsettled();
    if (!unsettled.tables().get(0).rows().isEmpty()) {
      s.add(unsettled);
    }
    s.add(new Section("machine", "Machine and JVM", "", List.of(), List.of(machineTable(), runTable())));
    s.add(ceilings(withCharts));
    s.add(kernels(withCharts));
    s.add(training(withCharts));
    s.add(scaling(withCharts));
    s.add(latency(withCharts));
    s.add(peers(withCharts));
    Section other = others();
    if (!other.tables().get(0).rows().isEmpty()) {
      s.add(other);
    }
    return s;
  }

  private Section comparisonSection() {
    List<List<String>> rows = new ArrayList<>();
    List<String> classes = new ArrayList<>();
    for (Comparison.Row r : Comparison.byVerdict(comparison)) {
      JmhResult a = r.any();
      rows.add(List.of(a.className() + "." + a.method(), a.paramsText(), a.modeText(),
          r.baseline() == null ? "-" : score(r.baseline().primary()),
          r.current() == null ? "-" : score(r.current().primary()),
          Format.percent(r.changePercent()), r.verdict().text));
      classes.add(r.verdict().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    String note = String.format(Locale.ROOT,
        "%d regression(s), %d improvement(s), %d within noise%s%s. A change is flagged only when the intervals "
            + "score ± error (JMH's 99.9%% confidence half-width) of the two runs do not overlap; for avgt and "
            + "sample modes (time per operation) lower is better, for thrpt higher. Scores are compared in ns/op "
            + "or ops/s whatever unit each run was saved in; units that do not convert are not judged.",
        Comparison.count(comparison, Comparison.Verdict.REGRESSION),
        Comparison.count(comparison, Comparison.Verdict.IMPROVEMENT),
        Comparison.count(comparison, Comparison.Verdict.WITHIN_NOISE), unjudged(comparison),
        Comparison.unmatched(comparison));
    return new Section("comparison", "Comparison: " + runs.get(0).label() + " → " + runs.get(1).label(), note,
        List.of(), List.of(new Table("", List.of("benchmark", "params", "mode", runs.get(0).label(),
            runs.get(1).label(), "change", "verdict"), rows, classes)));
  }

  /**
   * {@code , 6 without error margin, 1 in units that do not convert} for the rows in both runs that
   * could not be judged, each part only when there are some: without them a comparison of runs of one
   * iteration each read "0 regression(s), 0 improvement(s), 0 within noise" whatever their scores.
   */
  static String unjudged(List<Comparison.Row> rows) {
    long noMargin = Comparison.count(rows, Comparison.Verdict.NO_MARGIN);
    long units = Comparison.count(rows, Comparison.Verdict.UNITS_DIFFER);
    return (noMargin == 0 ? "" : ", " + noMargin + " without error margin")
        + (units == 0 ? "" : ", " + units + " in units that do not convert");
  }

  private Section unsettled() {
    List<List<String>> rows = new ArrayList<>();
    for (Report r : runs) {
      for (JmhResult u : r.results()) {
        if (u.unsettled()) {
          List<String> its = new ArrayList<>();
          u.raw().forEach(f -> its.add(String.join(", ", f.stream().map(Format::plain).toList()))); // 579531, 586502
          rows.add(withRun(r, List.of(u.className() + "." + u.method(), u.paramsText(),
              String.join("; ", its) + " " + u.primary().unit())));
        }
      }
    }
    return new Section("unsettled", "Results that did not settle",
        "In these, the measured iterations of a fork differ by more than 50%: usually code still being compiled "
            + "when the measurement began (Vector API code is far slower before C2 compiles it), or a busy machine. "
            + "Read them with care; a longer warm-up (--full) settles them.",
        List.of(), List.of(new Table("", header("benchmark", "params", "iterations"), rows, List.of())));
  }

  private Table machineTable() {
    List<String> header = new ArrayList<>(List.of(""));
    runs.forEach(r -> header.add(runs.size() > 1 ? r.label() : "this run"));
    List<List<String>> rows = new ArrayList<>();
    row(rows, "CPU", r -> m(r, MachineInfo::cpuModel));
    // a count the file lacks (0) or that no machine has shows as "unknown", as a size does (Format.bytes)
    row(rows, "logical cores", r -> r.machine() == null ? "-"
        : r.machine().logicalCores() > 0 ? Integer.toString(r.machine().logicalCores()) : "unknown");
    row(rows, "vector instructions", r -> m(r, MachineInfo::vectorIsa));
    row(rows, "caches (per core view)", r -> r.machine() == null || r.machine().caches() == null ? "-"
        : "L1d " + Format.bytes(r.machine().caches().l1d()) + ", L2 " + Format.bytes(r.machine().caches().l2())
            + ", L3 " + Format.bytes(r.machine().caches().l3())
            + (r.machine().caches().source().isEmpty() ? "" : " (from " + r.machine().caches().source() + ")"));
    row(rows, "memory", r -> r.machine() == null ? "-" : Format.bytes(r.machine().memoryBytes()));
    row(rows, "OS", r -> m(r, MachineInfo::os));
    row(rows, "JDK (benchmark forks)", r -> known(r.forkJdk()));
    row(rows, "JDK (vmlp bench)", r -> r.machine() == null ? "-"
        : known(String.join(" ", known(r.machine().javaVendor(), r.machine().javaVersion()))
            + (r.machine().vmName().isEmpty() ? "" : " (" + r.machine().vmName() + ")")));
    row(rows, "vmlp kernels (forks)", r -> r.machine() == null ? "-" : known(r.machine().kernels()
        + (r.machine().kernelsReason().isEmpty() ? "" : " (" + r.machine().kernelsReason() + ")")));
    row(rows, "JVM flags (forks)", r -> String.join("; ", r.forkJvmArgs().stream().map(a -> String.join(" ", a)).toList()));
    row(rows, "JVM flags (vmlp bench)", r -> r.machine() == null ? "-" : known(String.join(" ", r.machine().jvmArgs())));
    row(rows, "OPENBLAS_NUM_THREADS (forks)", r -> r.machine() == null || r.machine().openblasThreads() == null
        ? "not recorded" : r.machine().openblasThreads().equals(MachineInfo.UNSET)
        ? "unset: OpenBLAS threads over every core" : r.machine().openblasThreads());
    return new Table("", header, rows, List.of());
  }

  private Table runTable() {
    List<String> header = new ArrayList<>(List.of(""));
    runs.forEach(r -> header.add(runs.size() > 1 ? r.label() : "this run"));
    List<List<String>> rows = new ArrayList<>();
    row(rows, "command", r -> run(r, MachineInfo.Run::command));
    row(rows, "preset", r -> run(r, MachineInfo.Run::preset));
    row(rows, "started (UTC)", r -> run(r, MachineInfo.Run::started));
    row(rows, "wall time", r -> r.machine() == null || r.machine().run() == null ? "-"
        : minutes(r.machine().run().wallSeconds()));
    row(rows, "benchmarks", r -> results(r) + (r.machine() == null || r.machine().run() == null ? ""
        : " of " + r.machine().run().planned() + " planned, " + r.machine().run().failed() + " failed"
            + (r.machine().run().interrupted() ? ", interrupted" : "")));
    row(rows, "JMH options", r -> r.machine() == null || r.machine().run() == null ? "-"
        : known(String.join("\n", r.machine().run().jmhOptions())));
    row(rows, "iterations (from the results)", r -> String.join("\n", r.settings()));
    return new Table("How it was run", header, rows, java.util.Collections.nCopies(rows.size(), "wrap"));
  }

  private Section ceilings(boolean withCharts) {
    List<List<String>> rows = new ArrayList<>();
    for (Report r : runs) {
      Ceilings bounds = r.ceilings();
      Report.Derived peak = r.fmaPeak();
      if (peak != null) {
        rows.add(withRun(r, List.of("peak FMA (one core)", "registers", Format.pm(peak.value(), peak.error()) + " GFLOP/s",
            bounds(bounds, Ceilings.PEAK))));
      }
      r.bandwidth().forEach((level, d) -> rows.add(withRun(r, List.of("read bandwidth " + level,
          r.machine() != null && r.machine().probeBuffers() != null && r.machine().probeBuffers().get(level) != null
              ? Format.bytes(r.machine().probeBuffers().get(level)) : "-",
          Format.pm(d.value(), d.error()) + " GB/s", bounds(bounds, level)))));
    }
    return new Section("ceilings", "The machine's ceilings",
        "MachineProbeBenchmark: independent vector FMA chains at the preferred width (no memory traffic), and "
            + "vector loads over a buffer sized for each cache level. One core, like the kernels. A probe bounds the "
            + "kernels only when its error margin is at most " + Math.round(100 * Ceilings.MAX_RELATIVE_ERROR)
            + "% of its rate, and L3 only when it reads faster than DRAM beyond both margins (else its buffer, half "
            + "the reported L3, lay in memory), and none that a kernel of the run beat beyond both margins (it "
            + "read low: the kernel read its weights from that level faster)." + probeSettings(),
        withCharts ? Charts.machine(runs) : List.of(),
        List.of(new Table("", header("probe", "buffer", "rate", "bounds the kernels"), rows, List.of())));
  }

  /** The probe's forks and iterations as the results say, which may differ from the rest of the run's. */
  private String probeSettings() {
    List<String> each = new ArrayList<>();
    for (Report r : runs) {
      String s = r.probeSettings();
      if (!s.isEmpty()) {
        each.add((runs.size() > 1 ? r.label() + ": " : "") + s);
      }
    }
    return each.isEmpty() ? "" : " The probe ran " + String.join("; ", each) + ".";
  }

  private static String bounds(Ceilings c, String probe) {
    return c.unfit(probe) == null ? "yes" : "no: " + c.unfit(probe);
  }

  /** {@code 1.55x}, or {@code -} when there is none (no one-thread run to compare with). */
  static String speedup(double x) {
    return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.2fx", x);
  }

  /** {@code 97.2 (L1)}, or {@code - (L2: error ± 155%)} when the run gives no bound. */
  static String ceiling(Report.KernelRow k) {
    if (Double.isNaN(k.ceiling())) {
      return k.ceilingOmitted().isEmpty() ? "-" : "- (" + k.ceilingOmitted() + ")";
    }
    return Format.num(k.ceiling()) + " (" + k.ceilingSource() + ")";
  }

  private Section kernels(boolean withCharts) {
    List<List<String>> rows = new ArrayList<>();
    for (Report r : runs) {
      for (Report.KernelRow k : r.kernels()) {
        rows.add(withRun(r, List.of(Charts.kernelName(k.kernel()), k.shape(), k.impl(), Format.time(k.ns()),
            Format.pm(k.gflops(), k.gflopsError()), ceiling(k),
            Double.isNaN(k.ceiling()) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * k.gflops() / k.ceiling()))));
      }
    }
    List<List<String>> speed = new ArrayList<>();
    for (Report r : runs) {
      for (Report.Speedup s : r.speedups()) {
        speed.add(withRun(r, List.of(Charts.kernelName(s.kernel()), s.shape(), Format.time(s.scalarNs()),
            Format.time(s.vectorNs()), String.format(Locale.ROOT, "%.2fx", s.speedup()))));
      }
    }
    List<Charts.Chart> charts = new ArrayList<>();
    if (withCharts) {
      charts.addAll(Charts.kernels(runs));
      charts.addAll(Charts.speedups(runs));
    }
    return new Section("kernels", "Kernels",
        "KernelBenchmark, one layer of IN x OUT weights. GFLOP/s = flops / time: 2·IN·OUT for the products and "
            + "the rank-1 update, 4·IN·OUT for the fused update + forward and the transposed product + update. "
            + "The ceiling is an upper bound from this run's probes: the lower of the peak FMA rate and the read "
            + "bandwidth of the cache level the weights fit in times the flops per 4-byte weight read (a kernel that "
            + "also writes its weights is charged its reads only: stores use other ports than loads). Where a probe "
            + "does not bound the kernels (see the machine's ceilings) or the kernel measured above the bound, no "
            + "ceiling is given and the cell says why. Error bars and ± are JMH's 99.9% confidence half-widths.",
        charts, List.of(
            new Table("", header("kernel", "shape", "impl", "time/op", "GFLOP/s", "ceiling GFLOP/s", "of ceiling"), rows, List.of()),
            new Table("Vector over scalar", header("kernel", "shape", "scalar", "vector", "speed-up"), speed, List.of())));
  }

  private Section training(boolean withCharts) {
    List<List<String>> rows = new ArrayList<>();
    for (Report r : runs) {
      for (Report.TrainRow t : r.training()) {
        rows.add(withRun(r, List.of(t.net(), t.impl(), t.path(), Format.time(t.ns()),
            Format.pm(t.samplesPerSecond(), t.samplesPerSecondError()), Format.num(t.bytesPerSample()))));
      }
    }
    return new Section("training", "Training throughput",
        "TrainStepBenchmark: one per-sample SGD step (forward, softmax head, backward, update) on MNIST-format "
            + "samples, one thread; samples/s = 1e9 / (ns per sample). The sparse path skips the zero pixels.",
        withCharts ? Charts.training(runs) : List.of(),
        List.of(new Table("", header("network", "impl", "path", "time/sample", "samples/s", "alloc B/sample"), rows, List.of())));
  }

  private Section scaling(boolean withCharts) {
    List<List<String>> rows = new ArrayList<>();
    for (Report r : runs) {
      for (Report.ScalingRow s : r.scaling()) {
        rows.add(withRun(r, List.of(s.net(), s.variant(), Integer.toString(s.threads()), Format.time(s.ns()),
            Format.num(s.samplesPerSecond()), speedup(s.speedup()),
            Double.isNaN(s.speedup()) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * s.speedup() / s.threads()))));
      }
    }
    return new Section("scaling", "Thread scaling",
        "ThreadScalingBenchmark: passes of 1,024 SGD steps with the hidden units split over the threads; "
            + "speed-up = time per sample at 1 thread / time at N threads.",
        withCharts ? Charts.scaling(runs) : List.of(),
        List.of(new Table("", header("network", "path", "threads", "time/sample", "samples/s", "speed-up", "efficiency"), rows, List.of())));
  }

  private Section latency(boolean withCharts) {
    List<List<String>> rows = new ArrayList<>();
    for (Report r : runs) {
      for (Report.PredictRow p : r.predict()) {
        List<String> cells = new ArrayList<>(List.of(p.net(), p.method(), Format.time(p.ns())));
        for (String k : Report.PERCENTILES) {
          Double v = p.percentiles().get(k);
          cells.add(v == null ? "-" : Format.time(v));
        }
        cells.add(Format.num(p.bytesPerOp()));
        rows.add(withRun(r, cells));
      }
    }
    return new Section("latency", "Predict latency and allocation",
        "PredictBenchmark: predictOne is one raw 784-pixel row through a trained model with the caller's "
            + "workspace (sample time: percentiles); predictBatch64 a batch of 64 rows (average time per batch). "
            + "Allocation per operation comes from -prof gc (gc.alloc.rate.norm).",
        withCharts ? Charts.latency(runs) : List.of(),
        List.of(new Table("", header("network", "benchmark", "mean", "p50", "p90", "p99", "p99.9", "alloc B/op"), rows, List.of())));
  }

  private Section peers(boolean withCharts) {
    List<List<String>> k = new ArrayList<>();
    List<List<String>> t = new ArrayList<>();
    for (Report r : runs) {
      for (Report.PeerKernelRow p : r.peerKernels()) {
        k.add(withRun(r, List.of(p.op(), p.peer(), p.layout().isEmpty() ? "-" : p.layout(), p.shape(),
            Format.time(p.ns()), Format.num(p.gflops()))));
      }
      for (Report.TrainRow p : r.peerTraining()) {
        t.add(withRun(r, List.of(p.net(), p.impl(), p.path().isEmpty() ? "-" : p.path(), Format.time(p.ns()),
            Format.pm(p.samplesPerSecond(), p.samplesPerSecondError()), Format.num(p.bytesPerSample()))));
      }
    }
    boolean any = !k.isEmpty() || !t.isEmpty();
    List<Charts.Chart> charts = new ArrayList<>();
    if (withCharts && any) {
      charts.addAll(Charts.peerKernels(runs));
      charts.addAll(Charts.peerTraining(runs));
    }
    return new Section("peers", "Peers",
        any ? "The same operations through EJML, netlib's Java BLAS (Vector API) and native BLAS (OpenBLAS where "
            + "installed), in the same run (dev.vmlp.jmh.peers). Each peer kernel is 2·IN·OUT flops. The charts set "
            + "beside them the vmlp kernel that does that work where vmlp meets the shape: the input-major product "
            + "for a first layer (784 inputs), the output-major one for a later layer, and the fused transposed "
            + "product + update against each peer's transposed product and rank-1 update together."
            : "No peer benchmarks in this run (dev.vmlp.jmh.peers.PeerKernelBenchmark, PeerTrainStepBenchmark).",
        charts, any ? List.of(
            new Table("Kernels", header("operation", "peer", "layout", "shape", "time/op", "GFLOP/s"), k, List.of()),
            new Table("Training step", header("network", "peer", "layout", "time/sample", "samples/s", "alloc B/sample"), t, List.of()))
            : List.of());
  }

  private Section others() {
    List<List<String>> rows = new ArrayList<>();
    for (Report r : runs) {
      for (JmhResult o : r.others()) {
        rows.add(withRun(r, List.of(o.className() + "." + o.method(), o.paramsText(), o.modeText(), score(o.primary()))));
      }
    }
    return new Section("other", "Other benchmarks", "", List.of(),
        List.of(new Table("", header("benchmark", "params", "mode", "score"), rows, List.of())));
  }

  // ---- table helpers

  private List<String> header(String... cells) {
    List<String> h = new ArrayList<>();
    if (runs.size() > 1) {
      h.add("run");
    }
    h.addAll(List.of(cells));
    return h;
  }

  private List<String> withRun(Report r, List<String> cells) {
    if (runs.size() == 1) {
      return cells;
    }
    List<String> c = new ArrayList<>();
    c.add(r.label());
    c.addAll(cells);
    return c;
  }

  private void row(List<List<String>> rows, String name, Function<Report, String> value) {
    List<String> row = new ArrayList<>(List.of(name));
    runs.forEach(r -> row.add(value.apply(r)));
    rows.add(row);
  }

  private static String m(Report r, Function<MachineInfo, String> f) {
    return r.machine() == null ? "-" : known(f.apply(r.machine()));
  }

  private static String run(Report r, Function<MachineInfo.Run, String> f) {
    return r.machine() == null || r.machine().run() == null ? "-" : known(f.apply(r.machine().run()));
  }

  /** {@code s}, or {@code -} when machine.json did not say. */
  private static String known(String s) {
    return s.isEmpty() ? "-" : s;
  }

  /** The parts of {@code parts} that are known. */
  private static List<String> known(String... parts) {
    return java.util.Arrays.stream(parts).filter(p -> !p.isEmpty()).toList();
  }

  /**
   * The run's header facts, each left out when machine.json lacks it: {@code  on CPU, 2 cores, JDK 25.0.3
   * (VM ...), vector-512, 2026-11-26T23:19:33Z}.
   */
  private static String facts(Report r, boolean cores) {
    MachineInfo m = r.machine();
    List<String> f = known(m.cpuModel(), cores && m.logicalCores() > 0 ? m.logicalCores() + " cores" : "",
        r.forkJdk().isEmpty() ? "" : "JDK " + r.forkJdk(), m.kernels(), m.run() != null ? m.run().started() : "");
    return f.isEmpty() ? "" : " on " + String.join(", ", f);
  }

  /** {@code 812 ± 12 ns/op -> 905 ± 20 ns/op (+11.5%)}. */
  public static String changeText(Comparison.Row r) {
    return score(r.baseline().primary()) + " -> " + score(r.current().primary()) + " (" + Format.percent(r.changePercent()) + ")";
  }

  /** What the report of a run that a signal stopped says of it: {@code interrupted by a signal: 3 results of 34 planned}. */
  private static String interrupted(Report r, MachineInfo.Run run) {
    return "interrupted by a signal: " + results(r) + " of " + run.planned() + " planned, of the benchmarks that "
        + "finished before it";
  }

  /** {@code 1 result}, {@code 34 results}: how many results {@code r} holds. */
  private static String results(Report r) {
    return Format.count(r.results().size(), "result");
  }

  static String score(JmhResult.Metric m) {
    return Format.pm(m.score(), m.error()) + " " + m.unit();
  }

  static String minutes(double seconds) {
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d min", s / 60, s % 60);
  }

  // ---- Markdown

  /**
   * Hand-written notes on a run, {@code NAME.notes.md} beside {@code NAME.json} (for instance which
   * targets it meets and why others are missed), preceded by an empty line; empty when absent.
   *
   * @throws IOException naming the notes file when it cannot be read or is not UTF-8 text
   */
  public static String notes(java.nio.file.Path jmhJson) throws java.io.IOException {
    String name = jmhJson.getFileName().toString();
    String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    java.nio.file.Path notes = jmhJson.resolveSibling(stem + ".notes.md");
    if (!java.nio.file.Files.isRegularFile(notes)) {
      return "";
    }
    try {
      return "\n" + java.nio.file.Files.readString(notes);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IOException(notes + ": not UTF-8 text", e);
    }
  }

  /** The Markdown summary: the page's tables, headed by the run and the command that re-renders it, then the notes. */
  public String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("# ").append(title()).append("\n\n");
    for (Report r : runs) {
      MachineInfo.Run run = r.machine() != null ? r.machine().run() : null;
      String who = runs.size() > 1 ? mdText(r.label()) + ": " : "";
      if (run != null) {
        b.append(who).append(run.command().isEmpty() ? "measured" : "measured with " + code(run.command()));
        if (run.preset().equals("quick")) {
          b.append(" (quick preset: 1 fork, short iterations, key shapes only; indicative numbers, with wide error "
              + "margins; `--full` gives the numbers to quote)");
        }
        b.append(mdText(facts(r, true))).append(".\n\n");
        if (run.interrupted()) {
          b.append(who).append("**Incomplete:** ").append(interrupted(r, run)).append(".\n\n");
        }
      } else if (r.machine() != null) { // a machine.json without the run: its facts still say where
        b.append(who).append(results(r)).append(mdText(facts(r, true))).append(".\n\n");
      } else {
        b.append(who).append(results(r)).append("; no machine.json beside the JSON.\n\n");
      }
    }
    if (source != null) {
      b.append("Rendered from ").append(code(source)).append(" by ").append(code("bin/vmlp bench "
          + (runs.size() > 1 ? "--compare ..." : "--from " + shellWord(source)) + " --markdown")).append(".\n\n");
    }
    for (Section s : sections(false)) {
      if (s.tables().isEmpty() && s.note().isEmpty()) {
        continue;
      }
      b.append("## ").append(s.title()).append("\n\n");
      if (!s.note().isEmpty()) {
        b.append(s.note()).append("\n\n");
      }
      for (Table t : s.tables()) {
        if (t.rows().isEmpty()) {
          continue;
        }
        if (!t.caption().isEmpty()) {
          b.append("**").append(t.caption()).append("**\n\n");
        }
        b.append('|');
        t.header().forEach(h -> b.append(' ').append(md(h)).append(" |"));
        b.append("\n|");
        t.header().forEach(h -> b.append("---|"));
        b.append('\n');
        for (List<String> row : t.rows()) {
          b.append('|');
          row.forEach(c -> b.append(' ').append(md(c)).append(" |"));
          b.append('\n');
        }
        b.append('\n');
      }
    }
    b.append(notes);
    // --markdown prints this to a terminal: a control character in a recorded command, a path, a label or
    // a machine's name is written as a Java escape, as messages show names (Excerpt); the lines stay as they are
    return shown(b.toString());
  }

  /**
   * {@code text} as a Markdown code span: between runs of backticks one longer than any run in it (the
   * CommonMark rule; a path with a backtick ended the span of single ones there), with a space inside
   * each fence where the text begins or ends with a backtick, or begins and ends with a space (a span's
   * one space each side is stripped).
   */
  static String code(String text) {
    int longest = 0;
    for (int i = 0, run = 0; i < text.length(); i++) {
      run = text.charAt(i) == '`' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    String fence = "`".repeat(longest + 1);
    boolean pad = text.startsWith("`") || text.endsWith("`")
        || text.startsWith(" ") && text.endsWith(" ") && !text.isBlank();
    return pad ? fence + " " + text + " " + fence : fence + text + fence;
  }

  /**
   * {@code arg} as one word of a POSIX shell's command line: as it is when it holds only characters the
   * shell takes literally, else in single quotes ({@code 'my run/it'\''s.json'}).
   */
  public static String shellWord(String arg) {
    return arg.matches("[\\w@%+=:,./-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
  }

  /**
   * A table cell's text in Markdown: escaped as {@link #mdText} escapes text, and a {@code |} too (an
   * escaped pipe after a backslash, {@code \\|}, would end the cell).
   */
  static String md(String cell) {
    return mdText(cell).replace("|", "\\|");
  }

  /**
   * Text in a line of Markdown, such as the header's machine facts: a backslash, a {@code <}, a backtick,
   * a {@code *}, a {@code ~}, a {@code [} and a {@code &} escaped ({@code <b>} would be markup,
   * {@code a`b`c} a code span, {@code a*b*c} emphasis, {@code ~~a~~} struck through, {@code [a](b)} a
   * link, {@code &lt;} a {@code <}), and a {@code _} that is not between two letters or digits (GFM
   * makes {@code __init__} strong, never the {@code _} inside {@code OPENBLAS_NUM_THREADS}, which stays
   * as it is); line breaks as {@code <br>}.
   * A {@code |} is left to {@link #md}: only a table reads it.
   */
  static String mdText(String text) {
    return text.replace("\\", "\\\\").replace("<", "\\<").replace("`", "\\`")
        .replace("*", "\\*").replace("~", "\\~").replace("[", "\\[").replace("&", "\\&")
        .replaceAll("(?<![\\p{L}\\p{N}])_|_(?![\\p{L}\\p{N}])", "\\\\_")
        .replace("\r\n", "<br>").replace("\r", "<br>").replace("\n", "<br>");
  }

  private String title() {
    if (runs.size() == 2) {
      return "vmlp benchmarks: " + runs.get(0).label() + " against " + runs.get(1).label();
    }
    MachineInfo m = runs.get(0).machine();
    return m != null && m.run() != null && "quick".equals(m.run().preset()) ? "vmlp benchmarks (quick run)" : "vmlp benchmarks";
  }

  // ---- HTML

  /** The page: one file, inline CSS and SVG charts, no script and no external reference. */
  public String html() {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(esc(title())).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
    b.append("<header><h1>").append(esc(title())).append("</h1>\n");
    for (Report r : runs) {
      MachineInfo.Run run = r.machine() != null ? r.machine().run() : null;
      b.append("<p class=\"lead\">").append(runs.size() > 1 ? "<b>" + esc(r.label()) + "</b>: " : "");
      if (run != null) {
        b.append(run.command().isEmpty() ? "measured" : "<code>" + esc(run.command()) + "</code>")
            .append(esc(facts(r, false)));
        if ("quick".equals(run.preset())) {
          b.append(" <span class=\"badge\">quick preset: indicative numbers</span>");
        }
        if (run.interrupted()) {
          b.append(" <span class=\"badge\">incomplete: ").append(esc(interrupted(r, run))).append("</span>");
        }
      } else if (r.machine() != null) {
        b.append(results(r)).append(esc(facts(r, false)));
      } else {
        b.append(results(r)).append(" (no machine.json)");
      }
      b.append("</p>\n");
    }
    b.append("<nav>");
    List<Section> sections = sections(true);
    for (Section s : sections) {
      b.append("<a href=\"#").append(s.id()).append("\">").append(esc(s.title())).append("</a> ");
    }
    if (!notes.isBlank()) {
      b.append("<a href=\"#notes\">Notes</a> ");
    }
    b.append("</nav></header>\n<main>\n");
    for (Section s : sections) {
      b.append("<section id=\"").append(s.id()).append("\">\n<h2>").append(esc(s.title())).append("</h2>\n");
      if (!s.note().isEmpty()) {
        b.append("<p class=\"note\">").append(esc(s.note())).append("</p>\n");
      }
      if (!s.charts().isEmpty()) {
        b.append("<div class=\"charts\">\n");
        for (Charts.Chart c : s.charts()) {
          b.append("<figure>").append(c.svg()).append("</figure>\n");
        }
        b.append("</div>\n");
      }
      for (Table t : s.tables()) {
        if (t.rows().isEmpty()) {
          continue;
        }
        b.append("<table>");
        if (!t.caption().isEmpty()) {
          b.append("<caption>").append(esc(t.caption())).append("</caption>");
        }
        b.append("<thead><tr>");
        t.header().forEach(h -> b.append("<th>").append(esc(h)).append("</th>"));
        b.append("</tr></thead><tbody>\n");
        for (int i = 0; i < t.rows().size(); i++) {
          String cls = i < t.rowClasses().size() ? t.rowClasses().get(i) : "";
          b.append(cls.isEmpty() ? "<tr>" : "<tr class=\"" + cls + "\">");
          // a CR breaks the line, as in the Markdown's cells (md)
          t.rows().get(i).forEach(c -> b.append("<td>")
              .append(esc(c.replace("\r\n", "\n").replace('\r', '\n')).replace("\n", "<br>")).append("</td>"));
          b.append("</tr>\n");
        }
        b.append("</tbody></table>\n");
      }
      b.append("</section>\n");
    }
    if (!notes.isBlank()) {
      // the notes' Markdown as text: tables and lists read as they are, and no renderer is needed
      b.append("<section id=\"notes\">\n<h2>Notes</h2>\n<div class=\"notes\">").append(esc(notes.strip()))
          .append("</div>\n</section>\n");
    }
    b.append("</main>\n</body>\n</html>\n");
    return b.toString();
  }

  /**
   * {@code s} as the page's text: markup characters as entities, and each control character but the line
   * break and the tab written as a Java escape (a backslash, {@code u} and four hex digits), as the Markdown writes it
   * ({@link Excerpt}), and so are the characters that a page, like a terminal, does not show as
   * themselves. HTML cannot carry most C0 controls (a BEL or an ESC reached the page as it was), and an
   * SVG chart with one does not load.
   */
  static String esc(String s) {
    s = shown(s);
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * {@code s} with its control characters but the line breaks and tabs written as Java escapes, line by
   * line ({@link Excerpt}); a CRLF is a line break like a LF (notes written on Windows ended every line in
   * an escaped CR), and a tab is whitespace, kept as it is (a tab in the notes or a label showed as
   * {@code \u0009}).
   */
  static String shown(String s) {
    return Arrays.stream(s.split("\r?\n", -1))
        .map(l -> Arrays.stream(l.split("\t", -1)).map(t -> Excerpt.of(t, Integer.MAX_VALUE))
            .collect(Collectors.joining("\t")))
        .collect(Collectors.joining("\n"));
  }

  private static final String CSS = """
      body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #1d1d1f;
             margin: 0; background: #f6f6f4; }
      header { background: #fff; border-bottom: 1px solid #ddd; padding: 16px 32px 8px; }
      h1 { font-size: 26px; margin: 0 0 6px; }
      h2 { font-size: 21px; margin: 0 0 8px; }
      .lead { margin: 4px 0; color: #333; }
      .badge { background: #fff3cd; border: 1px solid #e0c36a; border-radius: 4px; padding: 1px 6px; font-size: 13px; }
      nav { margin: 10px 0 4px; }
      nav a { margin-right: 14px; color: #2a5d9f; text-decoration: none; }
      main { padding: 8px 32px 40px; }
      section { background: #fff; border: 1px solid #e2e2e2; border-radius: 6px; padding: 16px 20px; margin: 16px 0; }
      .note { color: #444; max-width: 1100px; }
      .notes { white-space: pre-wrap; max-width: 1100px; }
      .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 12px; }
      figure { margin: 0; }
      figure svg { width: 100%; height: auto; display: block; }
      table { border-collapse: collapse; margin: 12px 0; font-variant-numeric: tabular-nums; }
      caption { text-align: left; font-weight: 600; padding: 4px 0; }
      th, td { border-bottom: 1px solid #e4e4e4; padding: 4px 10px; text-align: left; vertical-align: top; }
      tr.wrap td:not(:first-child) { overflow-wrap: anywhere; }
      th { background: #f0f0ee; }
      tr.regression td { background: #fde2e1; color: #8a1c1c; font-weight: 600; }
      tr.improvement td { background: #e3f4e1; color: #1f5f1a; }
      code { font-size: 14px; }
      """;
}
