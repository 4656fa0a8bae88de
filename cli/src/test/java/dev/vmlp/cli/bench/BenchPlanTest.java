package dev.vmlp.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.VerboseMode;

/** The presets' steps and the JMH options each step runs with (the benchmarks are not run). */
class BenchPlanTest {
  static final OutputFormat QUIET = OutputFormatFactory.createFormatInstance(
      new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8), VerboseMode.SILENT);

  static BenchPlan plan(BenchPlan.Preset preset) {
    return BenchPlan.of(preset, null, BenchmarkList.defaultList(), QUIET);
  }

  static BenchPlan.Step step(BenchPlan plan, String name) {
    return plan.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
  }

  @Test
  void theQuickPresetWarmsTheTrainingPredictionAndScalingUpLongerAndProfilesTheirAllocation() {
    BenchPlan quick = plan(BenchPlan.Preset.QUICK);
    Set<String> longWarmup = Set.of("training (vector)", "training (scalar)", "prediction", "thread scaling", "peer training");
    Set<String> gc = Set.of("training (vector)", "training (scalar)", "prediction", "peer training");
    for (BenchPlan.Step s : quick.steps()) {
      BenchPlan.Timing expected = longWarmup.contains(s.name()) ? new BenchPlan.Timing(1, 8, 500, 3, 500)
          : new BenchPlan.Timing(1, 4, 500, 3, 500);
      assertEquals(expected, s.timing(), s.name());
      assertEquals(gc.contains(s.name()), s.gc(), s.name());
      // 1 fork of the iterations, plus its start-up (1.5 s)
      double seconds = expected.forks() * ((expected.warmupIterations() * expected.warmupMillis()
          + expected.iterations() * expected.millis()) / 1e3 + 1.5);
      for (BenchPlan.Item it : s.items()) {
        assertEquals(seconds, it.seconds(), 1e-9, it.toString());
      }
    }
    assertEquals(Map.of("impl", List.of("vector"), "net", List.of("784-256-10"), "path", List.of("dense", "sparse")),
        step(quick, "training (vector)").params());
    assertEquals(List.of("dense", "sparse"), step(quick, "training (vector)").items().stream()
        .map(i -> i.params().get("path")).distinct().toList());
    assertEquals(Set.of("784x256", "256x10"), step(quick, "kernels").items().stream()
        .map(i -> i.params().get("shape")).collect(Collectors.toSet()));
  }

  @Test
  void theFullPresetProfilesTheAllocationOfTrainingAndPrediction() {
    BenchPlan full = plan(BenchPlan.Preset.FULL);
    assertTrue(step(full, "allocation").gc());
    assertFalse(step(full, "probe").gc());
    assertFalse(step(full, "rest").gc());
    assertTrue(full.steps().stream().allMatch(s -> s.timing() == null));
  }

  @Test
  void aStepsOptionsAreWhatItDescribes() {
    BenchPlan.Step training = step(plan(BenchPlan.Preset.QUICK), "training (scalar)");
    Options plain = BenchPlan.options(training, List.of("-Xmx2g"));
    assertEquals(List.of("-Xmx2g"), List.copyOf(plain.getJvmArgs().get()));
    assertFalse(plain.getJvmArgsAppend().hasValue(), "the annotations' appended flags apply");
    assertFalse(plain.shouldFailOnError().get(), "a failed benchmark does not end the run");
    assertTrue(plain.getProfilers().stream().anyMatch(p -> p.getKlass().equals(GCProfiler.class.getName())));
    assertEquals(8, plain.getWarmupIterations().get());
    Options g1 = BenchPlan.options(training, List.of("-Xmx2g", "-XX:+UseG1GC"));
    assertEquals(List.of(BenchPlan.ADD_VECTOR_MODULE), List.copyOf(g1.getJvmArgsAppend().get()));
    Options kernels = BenchPlan.options(step(plan(BenchPlan.Preset.QUICK), "kernels"), List.of());
    assertTrue(kernels.getProfilers().isEmpty());
    assertFalse(kernels.getJvmArgsAppend().hasValue());
  }

  @Test
  void aCollectorIsPickedByAnyOfTheOptions() {
    assertFalse(BenchPlan.picksCollector(List.of()));
    assertFalse(BenchPlan.picksCollector(List.of("-Xmx2g")));
    assertTrue(BenchPlan.picksCollector(List.of("-Xmx2g", "-XX:+UseSerialGC")));
    assertTrue(BenchPlan.describe(step(plan(BenchPlan.Preset.QUICK), "kernels"), List.of()).endsWith("-r 500ms"));
  }

  @Test
  void aStepIsDescribedAsTheJmhCommandLineThatRunsIt() {
    BenchPlan quick = plan(BenchPlan.Preset.QUICK);
    assertEquals("'dev.vmlp.TrainStepBenchmark\\.step$' -p impl=vector -p net=784-256-10 -p path=dense,sparse"
        + " -f 1 -wi 8 -w 500ms -i 3 -r 500ms -prof gc -jvmArgs '-Xmx2g -XX:+UseG1GC'"
        + " -jvmArgsAppend '--add-modules=jdk.incubator.vector'",
        BenchPlan.describe(step(quick, "training (vector)"), List.of("-Xmx2g", "-XX:+UseG1GC")));
    assertEquals("'dev.vmlp.jmh.KernelBenchmark\\.(forwardInputMajor|forwardOutputMajor|rank1InputMajor"
        + "|transposedUpdate|updateForwardFused)$' -p impl=scalar,vector -p shape=784x256,256x10"
        + " -f 1 -wi 4 -w 500ms -i 3 -r 500ms",
        BenchPlan.describe(step(quick, "kernels"), List.of()));
    // one alternative per class
    assertEquals("dev.vmlp.TrainStepBenchmark\\.step$"
        + "|dev.vmlp.jmh.KernelBenchmark\\.(forwardInputMajor|rank1InputMajor)$",
        BenchPlan.regex(List.of("dev.vmlp.TrainStepBenchmark.step", "dev.vmlp.jmh.KernelBenchmark.forwardInputMajor",
            "dev.vmlp.jmh.KernelBenchmark.rank1InputMajor")));
  }

  @Test
  void theFullPresetPlansTheAnnotationsIterations() {
    BenchPlan full = plan(BenchPlan.Preset.FULL);
    Map<String, Double> seconds = full.items().stream()
        .collect(Collectors.toMap(BenchPlan.Item::benchmark, BenchPlan.Item::seconds, (a, b) -> a));
    // 3 forks of 5 x 2 s warm-up and 5 x 1 s, each started in 1.5 s
    assertEquals(3 * (5 * 2 + 5 * 1 + 1.5), seconds.get("dev.vmlp.TrainStepBenchmark.step"), 1e-9);
    // 3 forks of 5 x 2 s and 5 x 2 s
    assertEquals(3 * (5 * 2 + 5 * 2 + 1.5), seconds.get("dev.vmlp.ThreadScalingBenchmark.pass"), 1e-9);
  }

  @Test
  void aPresetIsRecordedByTheNameTheReportReads() {
    assertEquals("quick", BenchPlan.Preset.QUICK.id()); // machine.json's run.preset: the page then says "quick run"
    assertEquals("full", BenchPlan.Preset.FULL.id());
  }

  @Test
  void aStepsParametersArePassedToJmh() {
    Options kernels = BenchPlan.options(step(plan(BenchPlan.Preset.QUICK), "kernels"), List.of());
    assertEquals(Set.of("scalar", "vector"), Set.copyOf(kernels.getParameter("impl").get()));
    assertEquals(Set.of("784x256", "256x10"), Set.copyOf(kernels.getParameter("shape").get()));
  }

  @Test
  void anIncludePatternKeepsOnlyTheBenchmarksItFindsAndTheirTime() {
    BenchPlan plan = BenchPlan.of(BenchPlan.Preset.QUICK, java.util.regex.Pattern.compile("SoftmaxBenchmark"),
        BenchmarkList.defaultList(), QUIET);
    assertEquals(BenchPlan.Preset.QUICK, plan.preset());
    assertEquals(List.of("softmax"), plan.steps().stream().map(BenchPlan.Step::name).toList());
    assertFalse(plan.items().isEmpty());
    assertTrue(plan.items().stream().allMatch(i -> i.benchmark().contains(".SoftmaxBenchmark.")));
    // each the quick timing: 1 fork of 4 + 3 x 0.5 s and its start-up
    assertEquals(5.0 * plan.items().size(), plan.seconds(), 1e-9);
  }
}
