package dev.vmlp.cli;

import dev.vmlp.cli.bench.AtomicWrite;
import dev.vmlp.cli.bench.BenchPlan;
import dev.vmlp.cli.bench.Comparison;
import dev.vmlp.cli.bench.JmhJson;
import dev.vmlp.cli.bench.MachineInfo;
import dev.vmlp.cli.bench.Progress;
import dev.vmlp.cli.bench.Report;
import dev.vmlp.cli.bench.ReportPage;
import dev.vmlp.internal.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vmlp bench}: runs the JMH suite in this JVM (JMH forks a JVM per benchmark from this jar) and
 * writes a report folder, or renders a report from JMH JSON already written, or compares two.
 */
@Command(
    name = "bench",
    description = {
        "Run the JMH benchmarks and write a report folder: results.json (JMH's JSON), machine.json, "
            + "index.html (self-contained, with charts), summary.md and jmh.log.",
        "Or render the report of an earlier run (--from), or compare two runs (--compare)."},
    sortOptions = false,
    usageHelpAutoWidth = true)
final class BenchCommand implements Callable<Integer> {
  static final String DEFAULT_OUT = "target/vmlp-report";
  static final String DEFAULT_COMPARE_OUT = "target/vmlp-compare";
  /** The files of a run's report, beside its jmh.log: an earlier run's are removed as a run starts. */
  static final List<String> REPORT_FILES = List.of("results.json", "machine.json", "index.html", "summary.md");
  /** The files that only a run writes: a folder holding one is a run's, whose page no other report replaces. */
  static final List<String> RUN_FILES = List.of("results.json", "machine.json", "jmh.log");

  @ParentCommand
  Main main;

  /**
   * Makes {@code bench}'s synopsis show {@code --compare} once: picocli marks every option of list type
   * repeatable ({@code [...]...}), but a second {@code --compare} is refused.
   */
  static void showCompareOnce(CommandLine bench) {
    var sections = bench.getHelpSectionMap();
    IHelpSectionRenderer synopsis = sections.get(UsageMessageSpec.SECTION_KEY_SYNOPSIS);
    sections.put(UsageMessageSpec.SECTION_KEY_SYNOPSIS,
        help -> synopsis.render(help).replace("CURRENT.json]...", "CURRENT.json]"));
    bench.setHelpSectionMap(sections);
  }

  @Spec
  CommandSpec spec;

  @Option(names = "--quick", description = "A few minutes: 1 fork, 4 x 0.5 s warm-up (8 for training, prediction "
      + "and thread scaling) and 3 x 0.5 s measurement, the key shapes only (the default).")
  boolean quick;

  @Option(names = "--full", description = "The benchmarks' own settings (3 forks, 5 + 5 iterations; the machine "
      + "probe 1 fork, 3 + 5) and every parameter: an hour or more.")
  boolean full;

  @Option(names = "--include", paramLabel = "REGEX",
      description = "Only the preset's benchmarks whose full name (package.Class.method) contains a match.")
  String include;

  @Option(names = "--jvm-arg", paramLabel = "ARG",
      description = "A JVM option for the benchmark forks, e.g. --jvm-arg=-XX:-UseSuperWord (repeatable).")
  List<String> jvmArgs = new ArrayList<>();

  @Option(names = "--dry-run", description = "List what would run, with the estimated time, and exit.")
  boolean dryRun;

  @Option(names = "--from", paramLabel = "JSON",
      description = "Render the report of JMH JSON written earlier (its machine.json beside it) instead of running.")
  Path from;

  @Option(names = "--compare", arity = "2", paramLabel = "BASELINE.json CURRENT.json", hideParamSyntax = true,
      description = "Compare BASELINE.json with CURRENT.json: both runs side by side, regressions beyond the "
          + "error margins highlighted.")
  List<Path> compare;

  @Option(names = "--markdown", description = "With --from or --compare: print the Markdown summary on stdout "
      + "instead of writing a folder.")
  boolean markdown;

  @Option(names = "--out", paramLabel = "DIR", description = "The report folder. Default: " + DEFAULT_OUT
      + " (" + DEFAULT_COMPARE_OUT + " with --compare). --from and --compare refuse a run's folder, but "
      + "--from DIR/results.json re-renders that run in DIR.")
  Path out;

  @Override
  public Integer call() throws Exception {
    validate();
    if (!dryRun) {
      requireCharts(ModuleLayer.boot());
    }
    if (compare != null) {
      return compare();
    }
    if (from != null) {
      return render();
    }
    return run();
  }

  private void validate() {
    boolean runOptions = quick || full || include != null || !jvmArgs.isEmpty() || dryRun;
    if (quick && full) {
      throw usage("--quick and --full are mutually exclusive");
    }
    if (compare != null && compare.size() != 2) {
      throw usage("--compare takes one BASELINE.json and one CURRENT.json, given once");
    }
    if (compare != null && from != null) {
      throw usage("--compare and --from are mutually exclusive");
    }
    if ((compare != null || from != null) && runOptions) {
      throw usage((compare != null ? "--compare" : "--from")
          + " renders existing results; --quick, --full, --include, --jvm-arg and --dry-run are for running");
    }
    if (markdown && compare == null && from == null) {
      throw usage("--markdown needs --from or --compare");
    }
    if (dryRun && out != null) {
      throw usage("--dry-run only lists what would run and writes nothing; --out is for a run");
    }
    if (markdown && out != null) {
      throw usage("--markdown prints the summary; --out is for writing a folder");
    }
    if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
      throw usage("--out names the report folder, but " + out + " is a file");
    }
    Path link = dryRun || markdown ? null : AtomicFiles.danglingLink(outDir());
    if (link != null) {
      // creating the folder would fail there as "already exists"
      String where = out != null ? "--out " + out : "the report folder " + outDir();
      throw usage(where + (link.equals(outDir()) ? " is " : " is inside " + link + ", ")
          + AtomicFiles.danglingText(link));
    }
    if (!dryRun && !markdown && AtomicFiles.behindAClosedFolder(outDir())) {
      // creating it would fail as "already exists" where it is a link, as "permission denied" elsewhere
      throw usage((out != null ? "--out " + out : "the report folder " + outDir())
          + ": a folder on the way to it cannot be searched by this user");
    }
    String inTheWay = compare != null || from != null || dryRun ? null : reportNameTakenByAFolder(outDir());
    if (inTheWay != null) {
      // the run would go on to the end (an hour with --full), then fail to write its report there
      throw usage((out != null ? "--out " + out : "the report folder " + outDir()) + " holds a folder named "
          + inTheWay + ", where the run's report would go; move it or use another --out");
    }
    refuseAnotherRunsFolder();
    if (include != null) {
      try {
        Pattern.compile(include);
      } catch (PatternSyntaxException e) {
        throw usage("--include is not a regular expression: " + e.getDescription() + " in '" + include + "'");
      }
    }
  }

  /**
   * Refuses {@code --from} or {@code --compare} into a folder that holds a run ({@link #RUN_FILES}): the
   * new page and summary replaced the run's own beside its results.json, machine.json and jmh.log, which
   * then read as the report of those. {@code --from DIR/results.json} into {@code DIR} re-renders the
   * run's own report (after an update of vmlp, say), and is let through.
   */
  private void refuseAnotherRunsFolder() {
    if (compare == null && from == null || markdown) {
      return; // a run replaces the report in its folder as it starts; --markdown writes nothing
    }
    Path dir = outDir();
    List<String> held = RUN_FILES.stream().filter(n -> Files.exists(dir.resolve(n), LinkOption.NOFOLLOW_LINKS)).toList();
    if (held.isEmpty() || compare == null && (!Files.exists(from) || sameFile(from, dir.resolve("results.json")))) {
      return; // a missing --from is named as such when it is read
    }
    throw usage((out != null ? "--out " + out : "the report folder " + dir) + " holds a run (" + String.join(", ", held)
        + "): " + (compare != null ? "the comparison" : "the report of " + from) + " would replace its report; use "
        + "another --out" + (compare != null ? "" : ", or --from " + dir.resolve("results.json") + " to re-render it"));
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false; // b missing: a folder with a run's machine.json or log but not its results
    }
  }

  /**
   * Refuses, before any benchmark runs, a Java runtime whose {@code layer} lacks java.desktop (a jlinked
   * image): the report's charts (and the tables' names, from the same class) need java.awt, whose
   * absence ended the command in a {@code NoClassDefFoundError} and its stack trace.
   */
  static void requireCharts(ModuleLayer layer) {
    if (layer.findModule("java.desktop").isEmpty()) {
      throw new IllegalArgumentException("vmlp bench draws its report with java.desktop, which this Java runtime "
          + "lacks; use a full JDK or add the module to the image (jlink --add-modules java.desktop)");
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private Path outDir() {
    return out != null ? out : Path.of(compare != null ? DEFAULT_COMPARE_OUT : DEFAULT_OUT);
  }

  // ---- rendering

  private int render() throws IOException {
    var results = JmhJson.read(from); // first: it names a missing file or a folder ("/" has no file name)
    Report report = Report.read(from.getFileName().toString(), MachineInfo.besides(from), results, from);
    ReportPage page = new ReportPage(List.of(report), from.toString(), ReportPage.notes(from));
    if (markdown) {
      main.out.print(page.markdown());
      return Main.EXIT_OK;
    }
    page.write(outDir());
    main.out.println("wrote " + Errors.shown(outDir().resolve("index.html")) + " and summary.md ("
        + Errors.count(report.results().size(), "result") + ")");
    return Main.EXIT_OK;
  }

  private int compare() throws IOException {
    Path b = compare.get(0);
    Path c = compare.get(1);
    Report base = Report.read("baseline", b);
    Report cur = Report.read("current", c);
    ReportPage page = new ReportPage(List.of(base, cur), null);
    List<Comparison.Row> rows = page.comparison();
    if (markdown) {
      main.out.print(page.markdown());
      return Main.EXIT_OK;
    }
    page.write(outDir());
    long unitsDiffer = Comparison.count(rows, Comparison.Verdict.UNITS_DIFFER);
    main.out.printf(Locale.ROOT, "%d regression(s), %d improvement(s), %d within noise, %d without error margin%s%s%n",
        Comparison.count(rows, Comparison.Verdict.REGRESSION), Comparison.count(rows, Comparison.Verdict.IMPROVEMENT),
        Comparison.count(rows, Comparison.Verdict.WITHIN_NOISE), Comparison.count(rows, Comparison.Verdict.NO_MARGIN),
        unitsDiffer == 0 ? "" : ", " + unitsDiffer + " in units that do not convert", Comparison.unmatched(rows));
    for (Comparison.Row r : rows) {
      if (r.verdict() == Comparison.Verdict.REGRESSION) {
        main.out.printf(Locale.ROOT, "  regression %s %s: %s%n", r.any().className() + "." + r.any().method(),
            r.any().paramsText(), dev.vmlp.cli.bench.ReportPage.changeText(r));
      }
    }
    main.out.println("wrote " + Errors.shown(outDir().resolve("index.html")) + " and summary.md");
    return Main.EXIT_OK;
  }

  // ---- running

  private int run() throws IOException {
    BenchPlan.Preset preset = full ? BenchPlan.Preset.FULL : BenchPlan.Preset.QUICK;
    Path dir = outDir();
    OutputFormat quiet = OutputFormatFactory.createFormatInstance(
        new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8), VerboseMode.SILENT);
    BenchPlan plan = BenchPlan.of(preset, include == null ? null : Pattern.compile(include),
        BenchmarkList.defaultList(), quiet);
    List<BenchPlan.Item> items = plan.items();
    if (items.isEmpty()) {
      throw usage("no benchmark of the " + preset.id() + " preset matches --include '" + include + "'");
    }
    PrintStream o = main.out;
    if (dryRun) {
      int i = 0;
      for (BenchPlan.Step s : plan.steps()) {
        o.println(s.name() + ": " + BenchPlan.describe(s, jvmArgs));
        for (BenchPlan.Item it : s.items()) {
          o.printf(Locale.ROOT, "  [%d/%d] %s%n", ++i, items.size(), (shortName(it.benchmark()) + " " + paramsText(it)).strip());
        }
      }
      o.printf(Locale.ROOT, "%s, about %s%n", Errors.count(items.size(), "benchmark"), Progress.clock(plan.seconds()));
      return Main.EXIT_OK;
    }

    MachineInfo machine = MachineInfo.collect(jvmArgs); // the forks' kernels, not this JVM's
    if (!machine.forksStart()) {
      // every fork would fail the same way, after the whole run (an hour with --full)
      throw new IllegalArgumentException("the benchmark forks cannot start with these JVM options: "
          + machine.kernelsReason());
    }
    Files.createDirectories(dir);
    Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    long t0 = System.nanoTime();
    o.printf(Locale.ROOT, "vmlp bench: %s preset, %s, about %s; report in %s%n", preset.id(),
        Errors.count(items.size(), "benchmark"), Progress.clock(plan.seconds()), Errors.shown(dir));
    if (machine.openblasThreads().equals(MachineInfo.UNSET) && items.stream().anyMatch(i -> i.benchmark().contains(".peers."))) {
      o.println("vmlp bench: OPENBLAS_NUM_THREADS is unset, so the native BLAS peer may use every core (bin/vmlp sets 1)");
    }
    removeEarlierReport(dir);
    List<RunResult> results = new ArrayList<>();
    List<String> jmhOptions = new ArrayList<>();
    PrintStream log = new PrintStream(Files.newOutputStream(dir.resolve("jmh.log")), true, StandardCharsets.UTF_8);
    Progress progress = new Progress(o, OutputFormatFactory.createFormatInstance(log, VerboseMode.NORMAL), items.size(),
        plan.seconds());
    // a signal stops the benchmarks (their forks too, which would otherwise run on after this JVM) and the
    // report of those that finished is written before the JVM exits
    try (log; SignalStop stop = SignalStop.install(() -> stopBenchmarks(progress))) {
      // JMH copies what the forks print to this JVM's System.out and System.err: into the log with it.
      PrintStream stdout = System.out;
      PrintStream stderr = System.err;
      System.setOut(log);
      System.setErr(log);
      int stepStart = 0; // the results the progress had when the step under way started
      boolean stepDone = true;
      try {
        for (BenchPlan.Step s : plan.steps()) {
          jmhOptions.add(BenchPlan.describe(s, jvmArgs));
          stepStart = progress.finished().size();
          stepDone = false;
          results.addAll(new Runner(BenchPlan.options(s, jvmArgs), progress).run());
          stepDone = true;
          if (progress.stopped()) { // the signal came during the step's last benchmark
            break;
          }
        }
      } catch (Progress.Stopped e) {
        // a signal came; the next benchmark did not start
      } catch (RunnerException e) {
        if (!stop.workEnded()) {
          throw new IOException("JMH could not run the benchmarks: " + Report.firstLineOf(e), e);
        }
      } catch (RuntimeException e) {
        if (!stop.workEnded()) {
          throw e;
        }
        // JMH failed as the signal stopped its JVMs (one that asks a fork's settings, say): the report follows
      } finally {
        System.setOut(stdout);
        System.setErr(stderr);
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      if (!stop.workEnded()) {
        return report(dir, machine, preset, jmhOptions, started, wall, items.size(), progress.failed(), results, false);
      }
      if (!stepDone) { // the results of the step under way that finished before the signal, as JMH passed them on
        results.addAll(progress.finished().subList(stepStart, progress.finished().size()));
      }
      try {
        log.flush();
        if (results.isEmpty()) {
          if (progress.failed() > 0) { // as report() says it of a run with results
            sayFailed(progress.failed(), items.size(), dir);
          }
          main.err.println("vmlp: stopped by a signal before any benchmark gave a result: no report; JMH's log is in "
              + Errors.shown(dir.resolve("jmh.log")));
        } else {
          report(dir, machine, preset, jmhOptions, started, wall, items.size(), progress.failed(), results, true);
          main.err.printf(Locale.ROOT, "vmlp: stopped by a signal: the report holds the %s of %d planned that "
              + "finished before it, and says that the run was interrupted%n",
              Errors.count(results.size(), "benchmark"), items.size());
        }
        main.err.flush();
        return Main.EXIT_STOPPED;
      } catch (Exception e) {
        // said here, before close() lets the signal's hook return: the JVM then exits, and Main would say it too late
        return Errors.failure(e, main.err, main.verbose);
      }
    }
  }

  /**
   * Removes the report files that an earlier run wrote into {@code dir} ({@link #REPORT_FILES}: files,
   * or links, which are removed and not the files they point to; nothing else in the folder), so that a
   * run that writes none (no benchmark gave a result, or a signal came before one did) leaves no earlier
   * report beside its own jmh.log, to be read as its own.
   */
  static void removeEarlierReport(Path dir) throws IOException {
    for (String name : REPORT_FILES) {
      Path file = dir.resolve(name);
      if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(file)) {
        Files.delete(file);
      }
    }
  }

  /**
   * The first of {@link #REPORT_FILES} that is a folder in {@code dir} (not a link to one): {@link
   * #removeEarlierReport} leaves it, and the report's file cannot replace it; or null.
   */
  static String reportNameTakenByAFolder(Path dir) {
    for (String name : REPORT_FILES) {
      if (Files.isDirectory(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
        return name;
      }
    }
    return null;
  }

  /**
   * What a signal's hook runs: no further benchmark starts, and the forks of this JVM (JMH's benchmark
   * JVMs, and any JVM that asks the forks' settings) are stopped; a fork talks to this JVM only between
   * iterations, so one not stopped here would run on after this JVM exited, until its next iteration ended.
   */
  private static void stopBenchmarks(Progress progress) {
    progress.stop();
    ProcessHandle.current().descendants().forEach(ProcessHandle::destroy);
  }

  /**
   * Writes the report of {@code results} (results.json, machine.json, index.html, summary.md) into
   * {@code dir} and says so; {@code interrupted} when a signal stopped the run.
   *
   * @return the exit code: a failure when some benchmarks failed
   */
  private int report(Path dir, MachineInfo machine, BenchPlan.Preset preset, List<String> jmhOptions, Instant started,
      double wall, int planned, int failed, List<RunResult> results, boolean interrupted) throws IOException {
    PrintStream o = main.out;
    if (results.isEmpty()) {
      throw new IOException("no benchmark produced a result; see " + dir.resolve("jmh.log"));
    }
    Path json = dir.resolve("results.json");
    AtomicWrite.print(json, ps -> ResultFormatFactory.getInstance(ResultFormatType.JSON, ps).writeOut(results));
    machine = machine.withRun(new MachineInfo.Run(command(), preset.id(), jmhOptions, started.toString(), wall,
        planned, failed, interrupted));
    machine.write(dir.resolve("machine.json"));
    Report report = Report.read("this run", machine, JmhJson.read(json), json);
    new ReportPage(List.of(report), json.toString()).write(dir);
    o.printf(Locale.ROOT, "wrote %s (and results.json, machine.json, summary.md, jmh.log) in %s%n",
        Errors.shown(dir.resolve("index.html")), Progress.clock(wall));
    o.flush();
    if (failed > 0) {
      // the report of the others is written; the exit status still says that the run is incomplete
      sayFailed(failed, planned, dir);
      return Main.EXIT_FAILURE;
    }
    return Main.EXIT_OK;
  }

  /** Says on stderr that {@code failed} of the {@code planned} benchmarks failed, and where their errors are. */
  private void sayFailed(int failed, int planned, Path dir) {
    main.err.printf(Locale.ROOT, "%s%d of %d benchmarks failed; their errors are in %s%n", Errors.PREFIX, failed,
        planned, Errors.shown(dir.resolve("jmh.log")));
  }

  /**
   * The command line as typed, for the report: {@code bin/vmlp bench --quick}. Only the subcommand's own
   * {@code bench} is left out: a value such as {@code --out bench} stays.
   */
  String command() {
    StringBuilder b = new StringBuilder("bin/vmlp bench");
    boolean subcommand = false;
    for (String a : spec.commandLine().getParseResult().originalArgs()) {
      if (!subcommand && a.equals("bench")) {
        subcommand = true; // the global options before it take no values, so the first "bench" is the command
        continue;
      }
      b.append(' ').append(ReportPage.shellWord(a));
    }
    return b.toString();
  }

  private static String shortName(String benchmark) {
    int dot = benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1);
    return benchmark.substring(dot + 1);
  }

  private static String paramsText(BenchPlan.Item it) {
    StringBuilder b = new StringBuilder();
    it.params().forEach((k, v) -> b.append(b.isEmpty() ? "" : " ").append(k).append('=').append(v));
    return b.toString();
  }
}
