package dev.vmlp.cli.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The numbers a report shows, derived from JMH results: each benchmark family of the {@code jmh} module
 * recognised by class and method name, the rest kept as they are.
 *
 * @param label what the run is called on the page (e.g. the file name, or {@code baseline})
 * @param machine the machine and run facts, or null when the JSON came without them
 * @param results every result, in file order
 */
public record Report(String label, MachineInfo machine, List<JmhResult> results) {
  /** Flops per {@code IN·OUT} of each {@code KernelBenchmark} method. */
  static final Map<String, Integer> KERNEL_FLOPS = Map.of(
      "forwardInputMajor", 2, "forwardOutputMajor", 2, "rank1InputMajor", 2,
      "updateForwardFused", 4, "transposedUpdate", 4);
  static final List<String> KERNEL_ORDER = List.of(
      "forwardInputMajor", "forwardOutputMajor", "rank1InputMajor", "updateForwardFused", "transposedUpdate");
  static final List<String> PERCENTILES = List.of("50.0", "90.0", "99.0", "99.9");
  static final String ALLOC_NORM = "gc.alloc.rate.norm";

  /**
   * @throws IllegalArgumentException naming the result, when a result of a family this report reads
   *     lacks a parameter it needs or has one it cannot read (a shape that is not {@code INxOUT}, say)
   */
  public Report {
    results = List.copyOf(results);
    results.forEach(Report::check);
  }

  /** The run in {@code json}, with the machine.json beside it; an {@link IOException} naming the file for anything wrong. */
  public static Report read(String label, Path json) throws IOException {
    List<JmhResult> results = JmhJson.read(json); // first: it names a missing file or a folder
    return read(label, MachineInfo.besides(json), results, json);
  }

  /** The run of {@code results}, read from {@code json}, on {@code machine}. */
  public static Report read(String label, MachineInfo machine, List<JmhResult> results, Path json) throws IOException {
    try {
      return new Report(label, machine, results);
    } catch (IllegalArgumentException e) {
      throw new IOException(json + ": " + e.getMessage(), e);
    }
  }

  private static void check(JmhResult r) {
    boolean peerMethod = r.method().indexOf('_') >= 0;
    switch (r.className()) {
      case "KernelBenchmark" -> {
        if (KERNEL_FLOPS.containsKey(r.method())) {
          shape(r);
          param(r, "impl");
        }
      }
      case "PeerKernelBenchmark" -> {
        if (peerMethod) {
          shape(r);
        }
      }
      case "TrainStepBenchmark" -> {
        net(r);
        param(r, "impl"); // the table's and the chart's rows: without them every row read "null"
        param(r, "path");
      }
      case "PredictBenchmark" -> net(r);
      case "PeerTrainStepBenchmark" -> {
        if (peerMethod) {
          net(r);
        }
      }
      case "ThreadScalingBenchmark" -> {
        net(r);
        threads(r);
        param(r, "path"); // without it the dense and sparse curves were one, named "null"
      }
      case "MachineProbeBenchmark" -> {
        rate(r, "flops");
        rate(r, "bytes");
      }
      default -> { } // read as they are
    }
  }

  /**
   * Refuses a probe's counter {@code name} that is not a positive finite number: the ceilings divide by
   * it and bound the kernels with it (a zero or infinite one gave ceilings of "Infinity" and margins of
   * "± Infinity%"); or that is not a rate, operations per a time (one counted as events, {@code #},
   * showed as a rate of "-" that bounds nothing for want of "an error margin").
   */
  private static void rate(JmhResult r, String name) {
    JmhResult.Metric m = r.secondary().get(name);
    if (m == null) {
      return;
    }
    if (!(Double.isFinite(m.score()) && m.score() > 0)) {
      throw new IllegalArgumentException(r.label() + ": " + name + " " + m.score() + " is not a positive finite number");
    }
    ScoreUnit u = ScoreUnit.of(m.unit());
    if (u == null || u.perOp()) {
      throw new IllegalArgumentException(r.label() + ": " + name + " is in '" + m.unit()
          + "', not a rate (ops per a time, e.g. ops/s)");
    }
  }

  private static String param(JmhResult r, String name) {
    String v = r.param(name);
    if (v == null) {
      throw new IllegalArgumentException(r.label() + ": no parameter '" + name + "'");
    }
    return v;
  }

  /** The result's {@code shape}, {@code IN x OUT}. */
  static int[] shape(JmhResult r) {
    return parsed(r, "shape", Report::shape, "INxOUT (e.g. 784x256)");
  }

  private static void net(JmhResult r) {
    parsed(r, "net", Report::netOrder, "layer sizes (e.g. 784-256-10)");
  }

  private static int threads(JmhResult r) {
    return parsed(r, "threads", Report::positive, "a thread count");
  }

  /** Parameter {@code name} of {@code r} as {@code parse} reads it; an exception naming the result when it cannot. */
  private static <T> T parsed(JmhResult r, String name, Function<String, T> parse, String expected) {
    String v = param(r, name);
    try {
      return parse.apply(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(r.label() + ": " + name + " '" + v + "' is not " + expected);
    }
  }

  private static int positive(String s) {
    int v = Integer.parseInt(s.trim());
    if (v <= 0) {
      throw new IllegalArgumentException(s + " is not positive");
    }
    return v;
  }

  // ---- the machine's ceilings

  /** Peak FMA rate of one core, GFLOP/s, or null when the probe did not run. */
  public Derived fmaPeak() {
    for (JmhResult r : results) {
      if (r.className().equals("MachineProbeBenchmark") && r.method().equals("fmaPeak")) {
        JmhResult.Metric m = r.secondary().get("flops");
        if (m != null) {
          return new Derived(r, perSecond(m) / 1e9, perSecondError(m) / 1e9);
        }
      }
    }
    return null;
  }

  /** Read bandwidth per level ({@code L1}, {@code L2}, {@code L3}, {@code DRAM}), GB/s, in that order. */
  public Map<String, Derived> bandwidth() {
    Map<String, Derived> byLevel = new LinkedHashMap<>();
    for (String level : dev.vmlp.jmh.CacheSizes.LEVELS) {
      for (JmhResult r : results) {
        if (r.className().equals("MachineProbeBenchmark") && r.method().equals("readBandwidth")
            && level.equals(r.param("level")) && r.secondary().get("bytes") != null) {
          JmhResult.Metric m = r.secondary().get("bytes");
          byLevel.put(level, new Derived(r, perSecond(m) / 1e9, perSecondError(m) / 1e9));
        }
      }
    }
    return byLevel;
  }

  /** A number computed from a result, with its error margin carried through (NaN when unknown). */
  public record Derived(JmhResult source, double value, double error) {}

  /**
   * Which of the probes bound the kernels, and the kernels' bounds. A probe that one of this run's kernels
   * measured above beyond both margins read low, and bounds none of them ({@link Ceilings#measured}).
   */
  Ceilings ceilings() {
    return ceilings(kernelRates());
  }

  private Ceilings ceilings(List<KernelRate> rates) {
    Ceilings c = new Ceilings(fmaPeak(), bandwidth());
    for (KernelRate k : rates) {
      c.measured(k.source().method() + " " + k.source().param("shape") + " " + k.source().param("impl"),
          k.level(), k.flops(), k.gflops(), k.gflopsError());
    }
    return c;
  }

  /**
   * A {@code KernelBenchmark} result's time and rate: {@code flops} per {@code IN·OUT} weight, whose
   * {@code 4·IN·OUT} bytes fit in cache {@code level} (null when unknown).
   */
  private record KernelRate(JmhResult source, int flops, String level, double ns, double nsError, double gflops,
      double gflopsError) {}

  private List<KernelRate> kernelRates() {
    List<KernelRate> rates = new ArrayList<>();
    for (JmhResult r : results) {
      Integer flops = KERNEL_FLOPS.get(r.method());
      if (!r.className().equals("KernelBenchmark") || flops == null || r.param("shape") == null) {
        continue;
      }
      int[] io = shape(r.param("shape"));
      double ns = ns(r.primary());
      double nsErr = nsError(r.primary());
      double gflops = (double) flops * io[0] * io[1] / ns;
      rates.add(new KernelRate(r, flops, level(4L * io[0] * io[1]), ns, nsErr, gflops, gflops * nsErr / ns));
    }
    return rates;
  }

  // ---- kernels

  /**
   * One kernel at one shape and implementation.
   *
   * @param ceiling the upper bound the run's probes put on its GFLOP/s ({@link Ceilings}), NaN when none
   * @param ceilingSource what sets that bound: the cache level the weights fit in, or {@code peak FMA}; null without one
   * @param ceilingOmitted why the run's probes give no bound (e.g. {@code L2: error ± 155%}), or empty
   */
  public record KernelRow(JmhResult source, String kernel, String shape, String impl, double ns, double nsError,
      double gflops, double gflopsError, double ceiling, String ceilingSource, String ceilingOmitted) {}

  public List<KernelRow> kernels() {
    List<KernelRate> rates = kernelRates();
    Ceilings bounds = ceilings(rates);
    List<KernelRow> rows = new ArrayList<>();
    for (KernelRate k : rates) {
      JmhResult r = k.source();
      Ceilings.Ceiling c = bounds.of(k.level(), k.flops(), k.gflops());
      rows.add(new KernelRow(r, r.method(), r.param("shape"), String.valueOf(r.param("impl")), k.ns(), k.nsError(),
          k.gflops(), k.gflopsError(), c.value(), c.source(), c.omitted()));
    }
    rows.sort(Comparator.comparingLong((KernelRow k) -> shapeOrder(k.shape()))
        .thenComparingInt(k -> KERNEL_ORDER.indexOf(k.kernel())).thenComparing(KernelRow::impl));
    return rows;
  }

  /** The cache level (of this run's machine) that {@code bytes} of weights fit in, or null when unknown. */
  String level(long bytes) {
    if (machine == null || machine.caches() == null) {
      return null;
    }
    var c = machine.caches();
    if (c.l1d() > 0 && bytes <= c.l1d()) {
      return "L1";
    }
    if (c.l2() > 0 && bytes <= c.l2()) {
      return "L2";
    }
    if (c.l3() > 0 && bytes <= c.l3()) {
      return "L3";
    }
    return c.l1d() > 0 || c.l2() > 0 || c.l3() > 0 ? "DRAM" : null;
  }

  /** Vector over scalar speed-up of one kernel (or the softmax head) at one shape. */
  public record Speedup(String kernel, String shape, double scalarNs, double vectorNs) {
    public double speedup() {
      return scalarNs / vectorNs;
    }
  }

  /**
   * Each vector result over the scalar result that differs from it only in {@code impl}. A result held
   * twice (two runs' arrays joined) is paired copy by copy, the second vector with the second scalar (or
   * the last scalar copy where there are fewer), so a duplicate adds one speed-up, not one per scalar copy.
   */
  public List<Speedup> speedups() {
    record Timed(String kernel, String shape, String impl, String key, double ns) {}
    List<Timed> timed = new ArrayList<>();
    for (KernelRow k : kernels()) {
      timed.add(new Timed(k.kernel(), k.shape(), k.impl(), keyWithout(k.source(), "impl"), k.ns()));
    }
    for (JmhResult r : results) {
      if (r.className().equals("SoftmaxBenchmark") && r.param("impl") != null) {
        String classes = r.param("classes") != null ? r.param("classes") + " classes" : "";
        timed.add(new Timed("softmax", classes, r.param("impl"), keyWithout(r, "impl"), ns(r.primary())));
      }
    }
    List<Speedup> out = new ArrayList<>();
    Map<String, Integer> copies = new HashMap<>();
    for (Timed v : timed) {
      if (!v.impl().equals("vector")) {
        continue;
      }
      List<Timed> scalar = timed.stream().filter(s -> s.impl().equals("scalar") && s.key().equals(v.key())).toList();
      if (!scalar.isEmpty()) {
        out.add(new Speedup(v.kernel(), v.shape(), partnerOfNextCopy(scalar, copies, v.key()).ns(), v.ns()));
      }
    }
    return out;
  }

  /**
   * The partner of the next copy of the result {@code key} names: for its k-th copy (counted in
   * {@code seen}) the k-th of {@code partners}, or the last where there are fewer.
   */
  private static <T> T partnerOfNextCopy(List<T> partners, Map<String, Integer> seen, String key) {
    int k = seen.merge(key, 1, Integer::sum) - 1;
    return partners.get(Math.min(k, partners.size() - 1));
  }

  /** {@link JmhResult#key()} without the parameter {@code name}: what results that differ only in it share. */
  private static String keyWithout(JmhResult r, String name) {
    Map<String, String> p = new LinkedHashMap<>(r.params());
    p.remove(name);
    return r.benchmark() + " " + r.modeText() + " " + p;
  }

  // ---- training

  /** One SGD step per sample: {@code TrainStepBenchmark} (vmlp) or {@code PeerTrainStepBenchmark} (peers). */
  public record TrainRow(JmhResult source, String net, String impl, String path, double ns, double nsError,
      double bytesPerSample) {
    public double samplesPerSecond() {
      return 1e9 / ns;
    }

    /** The samples/s error margin, from the time's. */
    public double samplesPerSecondError() {
      return 1e9 * nsError / (ns * ns);
    }

    /** E.g. {@code vector dense}, or a peer's name and layout. */
    public String variant() {
      return path.isEmpty() ? impl : impl + " " + path;
    }
  }

  public List<TrainRow> training() {
    List<TrainRow> rows = new ArrayList<>();
    for (JmhResult r : results) {
      if (r.className().equals("TrainStepBenchmark") && r.param("net") != null) {
        rows.add(new TrainRow(r, r.param("net"), String.valueOf(r.param("impl")), String.valueOf(r.param("path")),
            ns(r.primary()), nsError(r.primary()), alloc(r)));
      }
    }
    rows.sort(Comparator.comparingLong((TrainRow t) -> netOrder(t.net())).thenComparing(TrainRow::variant));
    return rows;
  }

  /**
   * The thread-scaling benchmark, with the speed-up over the 1-thread run of the same curve: the same
   * benchmark, mode and parameters but {@code threads}.
   */
  public record ScalingRow(JmhResult source, String net, String path, int threads, double ns, double nsError,
      double speedup) {
    public double samplesPerSecond() {
      return 1e9 / ns;
    }

    /** The curve this point lies on: the network and {@link #variant}, e.g. {@code 784-256-10 dense}. */
    public String curve() {
      return net + " " + variant();
    }

    /**
     * The path, with a method other than {@code pass}, a mode other than {@code avgt} (or on more than
     * one JMH thread) and any further parameter added, so that no two curves of a network share a name.
     */
    public String variant() {
      StringBuilder b = new StringBuilder(path);
      if (!source.method().equals("pass")) {
        b.append(' ').append(source.method());
      }
      source.params().forEach((k, v) -> {
        if (!List.of("net", "path", "threads").contains(k)) {
          b.append(' ').append(k).append('=').append(v);
        }
      });
      if (!source.modeText().equals("avgt")) {
        b.append(" (").append(source.modeText()).append(')');
      }
      return b.toString();
    }
  }

  /** What identifies a thread-scaling curve: the result's key without its thread count. */
  private static String curveKey(JmhResult r) {
    return keyWithout(r, "threads");
  }

  public List<ScalingRow> scaling() {
    List<JmhResult> rs = results.stream()
        .filter(r -> r.className().equals("ThreadScalingBenchmark") && r.param("threads") != null).toList();
    List<ScalingRow> rows = new ArrayList<>();
    Map<String, Integer> copies = new HashMap<>();
    for (JmhResult r : rs) {
      // a result held twice (two runs joined) is taken over the one-thread copy of its own run
      List<JmhResult> ones = rs.stream().filter(o -> threads(o) == 1 && curveKey(o).equals(curveKey(r))).toList();
      double one = ones.isEmpty() ? Double.NaN : ns(partnerOfNextCopy(ones, copies, r.key()).primary());
      double ns = ns(r.primary());
      rows.add(new ScalingRow(r, r.param("net"), String.valueOf(r.param("path")), threads(r),
          ns, nsError(r.primary()), one / ns));
    }
    rows.sort(Comparator.comparingLong((ScalingRow s) -> netOrder(s.net())).thenComparing(ScalingRow::variant)
        .thenComparingInt(ScalingRow::threads));
    return rows;
  }

  // ---- prediction

  /**
   * One prediction benchmark: {@code predictOne} (sample time: percentiles) or {@code predictBatch64}
   * (average time per batch of 64 rows).
   *
   * @param percentiles p50, p90, p99, p99.9 in ns (empty for the batch)
   * @param bytesPerOp allocation per operation, NaN without {@code -prof gc}
   */
  public record PredictRow(JmhResult source, String net, String method, double ns, double nsError,
      Map<String, Double> percentiles, double bytesPerOp) {}

  public List<PredictRow> predict() {
    List<PredictRow> rows = new ArrayList<>();
    for (JmhResult r : results) {
      if (!r.className().equals("PredictBenchmark") || r.param("net") == null) {
        continue;
      }
      double scale = ns(r.primary()) / r.primary().score();
      Map<String, Double> p = new LinkedHashMap<>();
      if (r.mode().equals("sample")) {
        for (String k : PERCENTILES) {
          Double v = r.percentiles().get(k);
          if (v != null) {
            p.put(k, v * scale);
          }
        }
      }
      rows.add(new PredictRow(r, r.param("net"), r.method(), ns(r.primary()), nsError(r.primary()), p, alloc(r)));
    }
    rows.sort(Comparator.comparing(PredictRow::method).thenComparingLong(p -> netOrder(p.net())));
    return rows;
  }

  // ---- peers

  /**
   * A peer's kernel ({@code PeerKernelBenchmark.op_peer}): the product {@code forward}, the transposed
   * product {@code transposed} or the rank-1 update {@code rank1}, each {@code 2·IN·OUT} flops.
   */
  public record PeerKernelRow(JmhResult source, String op, String peer, String layout, String shape, double ns,
      double nsError, double gflops) {
    public String variant() {
      return layout.isEmpty() ? peer : peer + " " + layout;
    }
  }

  public List<PeerKernelRow> peerKernels() {
    List<PeerKernelRow> rows = new ArrayList<>();
    for (JmhResult r : results) {
      int u = r.method().indexOf('_');
      if (!r.className().equals("PeerKernelBenchmark") || u < 0 || r.param("shape") == null) {
        continue;
      }
      int[] io = shape(r.param("shape"));
      double ns = ns(r.primary());
      rows.add(new PeerKernelRow(r, r.method().substring(0, u), r.method().substring(u + 1),
          r.param("layout") == null ? "" : r.param("layout"), r.param("shape"), ns, nsError(r.primary()),
          2.0 * io[0] * io[1] / ns));
    }
    List<String> ops = List.of("forward", "transposed", "rank1");
    rows.sort(Comparator.comparingLong((PeerKernelRow p) -> shapeOrder(p.shape()))
        .thenComparingInt(p -> ops.indexOf(p.op()) < 0 ? 99 : ops.indexOf(p.op())).thenComparing(PeerKernelRow::variant));
    return rows;
  }

  /** The peers' SGD step per sample ({@code PeerTrainStepBenchmark.step_peer}), as {@link TrainRow}s with the peer as impl and the layout as path. */
  public List<TrainRow> peerTraining() {
    List<TrainRow> rows = new ArrayList<>();
    for (JmhResult r : results) {
      int u = r.method().indexOf('_');
      if (r.className().equals("PeerTrainStepBenchmark") && u >= 0 && r.param("net") != null) {
        rows.add(new TrainRow(r, r.param("net"), r.method().substring(u + 1),
            r.param("layout") == null ? "" : r.param("layout"), ns(r.primary()), nsError(r.primary()), alloc(r)));
      }
    }
    rows.sort(Comparator.comparingLong((TrainRow t) -> netOrder(t.net())).thenComparing(TrainRow::variant));
    return rows;
  }

  // ---- the rest

  static final List<String> KNOWN = List.of("MachineProbeBenchmark", "KernelBenchmark", "SoftmaxBenchmark",
      "TrainStepBenchmark", "ThreadScalingBenchmark", "PredictBenchmark", "PeerKernelBenchmark",
      "PeerTrainStepBenchmark");

  /** Results of benchmarks no section above knows, and the softmax head's. */
  public List<JmhResult> others() {
    return results.stream().filter(r -> !KNOWN.contains(r.className()) || r.className().equals("SoftmaxBenchmark")
        || (r.className().equals("KernelBenchmark") && !KERNEL_FLOPS.containsKey(r.method()))).toList();
  }

  /** The distinct fork JVM argument lists in the results. */
  public List<List<String>> forkJvmArgs() {
    return results.stream().map(JmhResult::jvmArgs).distinct().toList();
  }

  /**
   * How the results were run, each distinct setting with how many results it covers, in the order they
   * first appear: {@code 1 fork, 4 x 500 ms warm-up, 3 x 500 ms: 5 results}.
   */
  public List<String> settings() {
    return settings(results);
  }

  /** The machine probe's distinct settings as {@link JmhResult#settings}, joined by {@code ; }; empty when unknown. */
  public String probeSettings() {
    return String.join("; ", results.stream().filter(r -> r.className().equals("MachineProbeBenchmark"))
        .map(JmhResult::settings).filter(s -> !s.isEmpty()).distinct().toList());
  }

  private static List<String> settings(List<JmhResult> rs) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    rs.forEach(r -> counts.merge(r.settings().isEmpty() ? "not recorded" : r.settings(), 1, Integer::sum));
    return counts.entrySet().stream().map(e -> e.getKey() + ": " + Format.count(e.getValue(), "result"))
        .toList();
  }

  /** The JDK the forks ran, e.g. {@code 25.0.3 (OpenJDK 64-Bit Server VM 25.0.3+9-LTS)}, or empty. */
  public String forkJdk() {
    if (results.isEmpty() || results.get(0).jdkVersion().isEmpty()) {
      return "";
    }
    String vm = results.get(0).vmVersion();
    return results.get(0).jdkVersion() + (vm.isEmpty() ? "" : " (VM " + vm + ")");
  }

  // ---- helpers

  /** The score in ns per operation, from any of JMH's units ({@code ns/op}, {@code us/op}, {@code ops/s}...). */
  static double ns(JmhResult.Metric m) {
    ScoreUnit u = unit(m);
    return u.perOp() ? m.score() * u.seconds() * 1e9 : u.seconds() * 1e9 / m.score();
  }

  /** The error margin of {@link #ns}, to first order for throughput units. */
  static double nsError(JmhResult.Metric m) {
    ScoreUnit u = unit(m);
    return Math.abs(u.perOp()
        ? m.error() * u.seconds() * 1e9
        : u.seconds() * 1e9 * m.error() / (m.score() * m.score()));
  }

  private static ScoreUnit unit(JmhResult.Metric m) {
    ScoreUnit u = ScoreUnit.of(m.unit());
    if (u == null) {
      throw new IllegalArgumentException("unit '" + m.unit() + "' is neither time per op nor ops per time");
    }
    return u;
  }

  /** A rate counter ({@code ops/s}, {@code ops/ms}...) per second. */
  static double perSecond(JmhResult.Metric m) {
    ScoreUnit u = ScoreUnit.of(m.unit());
    return u != null && !u.perOp() ? m.score() / u.seconds() : Double.NaN;
  }

  static double perSecondError(JmhResult.Metric m) {
    ScoreUnit u = ScoreUnit.of(m.unit());
    return u != null && !u.perOp() ? m.error() / u.seconds() : Double.NaN;
  }

  static double alloc(JmhResult r) {
    JmhResult.Metric m = r.secondaryEndingWith(ALLOC_NORM);
    return m != null ? m.score() : Double.NaN;
  }

  /** {@code 784x256} as {@code {784, 256}}; an {@link IllegalArgumentException} for anything else. */
  static int[] shape(String s) {
    String[] p = s.split("x", -1);
    if (p.length != 2) {
      throw new IllegalArgumentException("'" + s + "' is not INxOUT");
    }
    return new int[] {positive(p[0]), positive(p[1])};
  }

  /** Shapes by size of the weights, smallest first. */
  static long shapeOrder(String s) {
    int[] io = shape(s);
    return (long) io[0] * io[1];
  }

  /** Networks by parameter count; an {@link IllegalArgumentException} for a net that is not sizes such as {@code 784-256-10}. */
  static long netOrder(String net) {
    String[] sizes = net.split("-", -1);
    if (sizes.length < 2) {
      throw new IllegalArgumentException("'" + net + "' has fewer than two layer sizes");
    }
    long n = 0;
    for (int i = 1; i < sizes.length; i++) {
      n += (long) positive(sizes[i - 1]) * positive(sizes[i]);
    }
    return n;
  }

  /** The first line of a throwable's message (or its class name when it has none). */
  public static String firstLineOf(Throwable t) {
    String m = firstLine(t.getMessage());
    return m.isEmpty() ? t.getClass().getSimpleName() : m.replaceFirst("^(ERROR|WARNING): ", "");
  }

  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }
}
