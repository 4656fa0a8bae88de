package dev.vmlp.cli.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * What {@code vmlp bench} runs: a preset's JMH invocations ("steps"), each a set of benchmarks with its
 * parameters, iteration settings and profilers, narrowed by {@code --include}. Benchmarks are found in
 * {@code META-INF/BenchmarkList} (the {@code jmh} module's, on the class path), so a family that is
 * not there (the peers before they are merged) is simply left out.
 */
public final class BenchPlan {
  /** The presets. */
  public enum Preset {
    /** 1 fork, 4 x 0.5 s warm-up (8 for training, prediction and scaling), 3 x 0.5 s measurement, the key shapes. */
    QUICK,
    /**
     * The benchmarks' own annotations (3 forks, 5 + 5 iterations of 1-2 s; the machine probe 1 fork,
     * 3 + 5 of 1 s) and every parameter.
     */
    FULL;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Iteration settings that replace the annotations' (null in a step: the annotations'). */
  public record Timing(int forks, int warmupIterations, long warmupMillis, int iterations, long millis) {}

  /**
   * The quick preset's iterations. Vector API code is thousands of times slower until C2 has compiled
   * it, which takes a few seconds for the larger kernels (longer on a busy machine): 2 s of warm-up.
   */
  static final Timing QUICK_TIMING = new Timing(1, 4, 500, 3, 500);
  /** The training step and thread scaling compile more code before they settle: 4 s of warm-up. */
  static final Timing QUICK_LONG_WARMUP = new Timing(1, 8, 500, 3, 500);
  /** Starting a fork and its setup (data generation, a short training for prediction), seconds: for the ETA only. */
  static final double FORK_OVERHEAD_SECONDS = 1.5;

  /**
   * A preset's step before it is narrowed: benchmarks whose full name matches {@code classRegex}, the
   * parameters that replace their annotations', whether to add {@code -prof gc}.
   */
  record StepSpec(String name, String classRegex, Map<String, List<String>> params, boolean gc, Timing quick) {
    StepSpec(String name, String classRegex, Map<String, List<String>> params, boolean gc) {
      this(name, classRegex, params, gc, QUICK_TIMING);
    }
  }

  /** One JMH invocation: exact benchmark names and what the preset sets for them. */
  public record Step(String name, List<String> benchmarks, Map<String, List<String>> params, boolean gc, Timing timing,
      List<Item> items) {}

  /** One benchmark and parameter combination the step will run, with its planned seconds. */
  public record Item(String benchmark, Map<String, String> params, double seconds) {}

  /** What every benchmark's {@code @Fork(jvmArgsAppend)} starts with: the Vector API's module. */
  public static final String ADD_VECTOR_MODULE = "--add-modules=jdk.incubator.vector";

  private static final String JMH = "^dev\\.vmlp\\.jmh\\.";
  private static final String CORE = "^dev\\.vmlp\\.";

  static List<StepSpec> specs(Preset p) {
    if (p == Preset.FULL) {
      String alloc = "PredictBenchmark|TrainStepBenchmark|PeerTrainStepBenchmark";
      return List.of(
          new StepSpec("probe", JMH + "MachineProbeBenchmark\\.", Map.of(), false),
          new StepSpec("allocation", "\\.(" + alloc + ")\\.", Map.of(), true),
          new StepSpec("rest", "^(?!.*\\.(MachineProbeBenchmark|" + alloc + ")\\.)", Map.of(), false));
    }
    return List.of(
        new StepSpec("probe", JMH + "MachineProbeBenchmark\\.", Map.of(), false),
        new StepSpec("kernels", JMH + "KernelBenchmark\\.",
            Map.of("impl", List.of("scalar", "vector"), "shape", List.of("784x256", "256x10")), false),
        new StepSpec("softmax", JMH + "SoftmaxBenchmark\\.", Map.of(), false),
        new StepSpec("training (vector)", CORE + "TrainStepBenchmark\\.",
            Map.of("impl", List.of("vector"), "net", List.of("784-256-10"), "path", List.of("dense", "sparse")), true, QUICK_LONG_WARMUP),
        new StepSpec("training (scalar)", CORE + "TrainStepBenchmark\\.",
            Map.of("impl", List.of("scalar"), "net", List.of("784-256-10"), "path", List.of("dense")), true, QUICK_LONG_WARMUP),
        new StepSpec("prediction", CORE + "PredictBenchmark\\.", Map.of("net", List.of("784-256-10")), true, QUICK_LONG_WARMUP),
        new StepSpec("thread scaling", CORE + "ThreadScalingBenchmark\\.",
            Map.of("net", List.of("784-256-10"), "path", List.of("dense"), "threads", List.of("1", "2")), false, QUICK_LONG_WARMUP),
        new StepSpec("peer kernels", JMH + "peers\\.PeerKernelBenchmark\\.",
            Map.of("shape", List.of("784x256"), "layout", List.of("rowMajor")), false),
        new StepSpec("peer training", JMH + "peers\\.PeerTrainStepBenchmark\\.",
            Map.of("net", List.of("784-256-10"), "layout", List.of("rowMajor")), true, QUICK_LONG_WARMUP));
  }

  private final Preset preset;
  private final List<Step> steps;

  private BenchPlan(Preset preset, List<Step> steps) {
    this.preset = preset;
    this.steps = steps;
  }

  /**
   * The plan of {@code preset} over the benchmarks in {@code list}, keeping those whose full name
   * {@code include} finds (all when null).
   */
  public static BenchPlan of(Preset preset, Pattern include, BenchmarkList list, OutputFormat log) {
    List<Step> steps = new ArrayList<>();
    for (StepSpec spec : specs(preset)) {
      Timing timing = preset == Preset.QUICK ? spec.quick() : null;
      List<String> names = new ArrayList<>();
      List<Item> items = new ArrayList<>();
      for (BenchmarkListEntry e : list.find(log, List.of(spec.classRegex()), List.of())) {
        if (include != null && !include.matcher(e.getUsername()).find()) {
          continue;
        }
        if (!names.contains(e.getUsername())) {
          names.add(e.getUsername());
        }
        items.addAll(expand(e, spec.params(), timing));
      }
      if (!names.isEmpty()) {
        steps.add(new Step(spec.name(), names, spec.params(), spec.gc(), timing, items));
      }
    }
    return new BenchPlan(preset, steps);
  }

  /** The parameter combinations JMH will run for {@code e}: its own values, replaced by the step's for the names it has. */
  static List<Item> expand(BenchmarkListEntry e, Map<String, List<String>> override, Timing timing) {
    Map<String, List<String>> params = new TreeMap<>(); // JMH runs them in the order of their names
    if (e.getParams().hasValue()) {
      e.getParams().get().forEach((k, v) -> params.put(k, override.getOrDefault(k, List.of(v))));
    }
    double seconds;
    if (timing != null) {
      seconds = timing.forks() * ((timing.warmupIterations() * timing.warmupMillis() + timing.iterations() * timing.millis()) / 1e3
          + FORK_OVERHEAD_SECONDS);
    } else {
      int forks = e.getForks().orElse(5);
      double w = e.getWarmupIterations().orElse(5) * seconds(e.getWarmupTime().orElse(TimeValue.seconds(10)));
      double m = e.getMeasurementIterations().orElse(5) * seconds(e.getMeasurementTime().orElse(TimeValue.seconds(10)));
      seconds = forks * (w + m + FORK_OVERHEAD_SECONDS);
    }
    List<Map<String, String>> combos = new ArrayList<>();
    combos.add(new LinkedHashMap<>());
    for (Map.Entry<String, List<String>> p : params.entrySet()) {
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> c : combos) {
        for (String v : p.getValue()) {
          Map<String, String> m = new LinkedHashMap<>(c);
          m.put(p.getKey(), v);
          next.add(m);
        }
      }
      combos = next;
    }
    List<Item> items = new ArrayList<>();
    for (Map<String, String> c : combos) {
      items.add(new Item(e.getUsername(), c, seconds));
    }
    return items;
  }

  private static double seconds(TimeValue t) {
    return t.convertTo(java.util.concurrent.TimeUnit.MILLISECONDS) / 1e3;
  }

  public Preset preset() {
    return preset;
  }

  public List<Step> steps() {
    return steps;
  }

  public List<Item> items() {
    return steps.stream().flatMap(s -> s.items().stream()).toList();
  }

  /** Planned seconds of all items (without the time JMH itself takes between them). */
  public double seconds() {
    return items().stream().mapToDouble(Item::seconds).sum();
  }

  /**
   * The JMH options of {@code step}. The forks get {@code jvmArgs} (not this JVM's own arguments) before
   * the benchmarks' {@code jvmArgsAppend}; when {@code jvmArgs} picks a garbage collector, the appended
   * arguments are only {@code --add-modules=jdk.incubator.vector}, so that two collectors are not asked for.
   */
  public static Options options(Step step, List<String> jvmArgs) {
    ChainedOptionsBuilder o = new OptionsBuilder();
    for (String b : step.benchmarks()) {
      o.include("^" + Pattern.quote(b) + "$");
    }
    step.params().forEach((k, v) -> o.param(k, v.toArray(String[]::new)));
    Timing t = step.timing();
    if (t != null) {
      o.forks(t.forks())
          .warmupIterations(t.warmupIterations())
          .warmupTime(TimeValue.milliseconds(t.warmupMillis()))
          .measurementIterations(t.iterations())
          .measurementTime(TimeValue.milliseconds(t.millis()));
    }
    if (step.gc()) {
      o.addProfiler(GCProfiler.class);
    }
    o.jvmArgs(jvmArgs.toArray(String[]::new));
    if (picksCollector(jvmArgs)) {
      o.jvmArgsAppend(ADD_VECTOR_MODULE);
    }
    o.shouldFailOnError(false);
    return o.build();
  }

  /**
   * The step in JMH's command-line syntax, for the report (run with the jmh module's benchmarks jar):
   * with a collector in {@code jvmArgs}, the {@code -jvmArgsAppend} that replaced the annotations' too.
   */
  public static String describe(Step step, List<String> jvmArgs) {
    StringBuilder b = new StringBuilder();
    b.append('\'').append(regex(step.benchmarks())).append('\'');
    step.params().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(p -> b.append(" -p ").append(p.getKey()).append('=').append(String.join(",", p.getValue())));
    Timing t = step.timing();
    if (t != null) {
      b.append(" -f ").append(t.forks()).append(" -wi ").append(t.warmupIterations()).append(" -w ")
          .append(t.warmupMillis()).append("ms -i ").append(t.iterations()).append(" -r ").append(t.millis()).append("ms");
    }
    if (step.gc()) {
      b.append(" -prof gc");
    }
    if (!jvmArgs.isEmpty()) {
      b.append(" -jvmArgs '").append(String.join(" ", jvmArgs)).append('\'');
    }
    if (picksCollector(jvmArgs)) {
      // what ran: the annotations' appended flags were replaced, their -XX:+UseParallelGC with them
      b.append(" -jvmArgsAppend '").append(ADD_VECTOR_MODULE).append('\'');
    }
    return b.toString();
  }

  /** Whether {@code jvmArgs} pick a garbage collector, which the annotations' appended flags would pick a second time. */
  static boolean picksCollector(List<String> jvmArgs) {
    return jvmArgs.stream().anyMatch(a -> a.matches("-XX:\\+Use\\w*GC"));
  }

  /** Benchmark names as one regex: {@code Class.(a|b)} per class. */
  static String regex(List<String> names) {
    Map<String, List<String>> byClass = new LinkedHashMap<>();
    for (String n : names) {
      int dot = n.lastIndexOf('.');
      byClass.computeIfAbsent(n.substring(0, dot), k -> new ArrayList<>()).add(n.substring(dot + 1));
    }
    return byClass.entrySet().stream()
        .map(e -> e.getKey() + "\\." + (e.getValue().size() == 1 ? e.getValue().get(0) : "(" + String.join("|", e.getValue()) + ")") + "$")
        .collect(Collectors.joining("|"));
  }
}
