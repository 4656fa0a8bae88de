package dev.vmlp.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.AverageTimeResult;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.ResultRole;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.WorkloadParams;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.options.TimeValue;

/** {@code vmlp bench}'s progress lines: the count, the estimate and the failures. */
class ProgressTest {
  /** A quick-preset kernel benchmark: 1 fork of 4 + 3 x 0.5 s, planned as 5 s with its start-up. */
  static BenchmarkParams kernel(String shape) {
    WorkloadParams p = new WorkloadParams();
    p.put("impl", "vector", 0);
    p.put("shape", shape, 1);
    return new BenchmarkParams("dev.vmlp.jmh.KernelBenchmark.forwardInputMajor", "generated", false, 1, new int[] {1},
        List.of(), 1, 0, new IterationParams(IterationType.WARMUP, 4, TimeValue.milliseconds(500), 1),
        new IterationParams(IterationType.MEASUREMENT, 3, TimeValue.milliseconds(500), 1), Mode.AverageTime, p,
        TimeUnit.NANOSECONDS, 1, "java", List.of(), "25", "vm", "25", "1.37", TimeValue.minutes(10));
  }

  @Test
  void eachStartIsCountedWithTheTimeLeftAndABenchmarkWithoutAResultFails() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    BenchmarkParams first = kernel("784x256");
    BenchmarkParams second = kernel("256x10");
    BenchmarkResult failed = new BenchmarkResult(first, List.<IterationResult>of());
    Progress progress = new Progress(out, BenchPlanTest.QUIET, 2, 10);
    progress.startBenchmark(first);
    // no iteration result: the fork failed
    progress.endBenchmark(failed);
    progress.startBenchmark(second);
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals("[1/2] KernelBenchmark.forwardInputMajor impl=vector shape=784x256, ETA 0:10", lines.get(0));
    assertEquals("[1/2] KernelBenchmark.forwardInputMajor impl=vector shape=784x256 failed (see jmh.log)", lines.get(1));
    // 5 s of the plan are left, scaled by the time the first 5 s took: the few milliseconds this test
    // took (unscaled, 0:05; up to 4.5 s allowed, for a slow machine)
    String eta = "\\[2/2] KernelBenchmark\\.forwardInputMajor impl=vector shape=256x10, ETA 0:0[0-4]";
    assertTrue(lines.get(2).matches(eta), lines.get(2));
    assertEquals(3, lines.size());
    assertEquals(1, progress.failed());
  }

  @Test
  void clockIsMinutesAndSeconds() {
    assertEquals("0:00", Progress.clock(0.4));
    assertEquals("1:05", Progress.clock(65));
    assertEquals("75:00", Progress.clock(4500));
  }

  /** A kernel benchmark of 2 forks, each of 4 + 3 x 0.5 s and its start-up: 10 s planned. */
  static BenchmarkParams twoForks() {
    WorkloadParams p = new WorkloadParams();
    p.put("shape", "784x256", 0);
    return new BenchmarkParams("dev.vmlp.jmh.KernelBenchmark.forwardInputMajor", "generated", false, 1, new int[] {1},
        List.of(), 2, 0, new IterationParams(IterationType.WARMUP, 4, TimeValue.milliseconds(500), 1),
        new IterationParams(IterationType.MEASUREMENT, 3, TimeValue.milliseconds(500), 1), Mode.AverageTime, p,
        TimeUnit.NANOSECONDS, 1, "java", List.of(), "25", "vm", "25", "1.37", TimeValue.minutes(10));
  }

  /** The estimate after one benchmark of {@link #twoForks} is done, of a run planned as {@code plannedSeconds}. */
  static double etaAfterOne(double plannedSeconds, long[] nanos) {
    nanos[0] = System.nanoTime();
    Progress progress = new Progress(new PrintStream(OutputStream.nullOutputStream()), BenchPlanTest.QUIET, 2,
        plannedSeconds);
    BenchmarkParams bp = twoForks();
    progress.startBenchmark(bp);
    progress.iterationResult(bp, bp.getMeasurement(), 1, new IterationResult(bp, bp.getMeasurement(), null));
    progress.endBenchmark(new BenchmarkResult(bp, List.<IterationResult>of()));
    double eta = progress.etaSeconds();
    nanos[1] = System.nanoTime();
    return eta;
  }

  @Test
  void aBenchmarkIsCountedAsDoneByItsForksWarmupAndMeasurementAndTheRestIsScaledByTheTimeItTook() {
    long[] nanos = new long[2];
    // 2 forks x (4 x 0.5 + 3 x 0.5 + 1.5 s) = 10 s done of 10 planned: nothing left
    assertEquals(0, etaAfterOne(10, nanos), 0);
    // 1 s left of 11, scaled by the time the 10 s took: at most the test's time, a tenth of it
    double eta = etaAfterOne(11, nanos);
    assertTrue(eta > 0, "" + eta);
    assertTrue(eta <= (nanos[1] - nanos[0]) / 1e9 / 10, eta + " s for " + (nanos[1] - nanos[0]) + " ns");
  }

  @Test
  void aBenchmarkWithAResultIsNotCountedAsFailedAndEachLineIsSeenAtOnce() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    // no flush on println: a line is seen only when Progress flushes it
    PrintStream out = new PrintStream(new BufferedOutputStream(bytes, 1 << 16), false, StandardCharsets.UTF_8);
    BenchmarkParams bp = kernel("784x256");
    Progress progress = new Progress(out, BenchPlanTest.QUIET, 2, 10);
    progress.startBenchmark(bp);
    assertTrue(bytes.toString(StandardCharsets.UTF_8).startsWith("[1/2] KernelBenchmark"), bytes.toString());
    progress.iterationResult(bp, bp.getMeasurement(), 1, new IterationResult(bp, bp.getMeasurement(), null));
    progress.endBenchmark(new BenchmarkResult(bp, List.<IterationResult>of()));
    assertEquals(0, progress.failed());
    assertEquals(1, bytes.toString(StandardCharsets.UTF_8).lines().count());
    progress.startBenchmark(kernel("256x10"));
    progress.endBenchmark(new BenchmarkResult(kernel("256x10"), List.<IterationResult>of()));
    assertTrue(bytes.toString(StandardCharsets.UTF_8).endsWith("shape=256x10 failed (see jmh.log)\n"), bytes.toString());
    assertEquals(1, progress.failed());
  }

  @Test
  void everythingJmhSaysGoesOnToItsLogAndClosingOnlyFlushesIt() throws java.io.IOException {
    List<String> calls = new ArrayList<>();
    OutputFormat log = (OutputFormat) java.lang.reflect.Proxy.newProxyInstance(OutputFormat.class.getClassLoader(),
        new Class<?>[] {OutputFormat.class}, (proxy, method, args) -> {
          calls.add(method.getName());
          return null;
        });
    Progress progress = new Progress(new PrintStream(OutputStream.nullOutputStream()), log, 1, 10);
    BenchmarkParams bp = kernel("784x256");
    progress.startRun();
    progress.startBenchmark(bp);
    progress.iteration(bp, bp.getMeasurement(), 1);
    progress.iterationResult(bp, bp.getMeasurement(), 1, new IterationResult(bp, bp.getMeasurement(), null));
    progress.endBenchmark(null);
    progress.print("a");
    progress.println("b");
    progress.verbosePrintln("c");
    progress.write('d');
    progress.write(new byte[] {'e'});
    progress.flush();
    progress.endRun(List.of());
    progress.close();
    assertEquals(List.of("startRun", "startBenchmark", "iteration", "iterationResult", "endBenchmark", "print",
        "println", "verbosePrintln", "write", "write", "flush", "endRun", "flush"), calls);
    assertFalse(calls.contains("close"), "jmh.log stays open for the run's end");
  }

  @Test
  void aBenchmarkWithoutAResultCountsAsItsShareOfThePlan() {
    long t0 = System.nanoTime();
    Progress progress = new Progress(new PrintStream(OutputStream.nullOutputStream()), BenchPlanTest.QUIET, 2, 10);
    progress.startBenchmark(kernel("784x256"));
    progress.endBenchmark(null); // JMH gives no result when a benchmark's fork fails
    // 5 s of 10 done, 5 left: scaled by the time the first half took, at most the test's time
    double eta = progress.etaSeconds();
    double testSeconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(eta > 0 && eta <= testSeconds, eta + " s in a test of " + testSeconds + " s");
    assertEquals(1, progress.failed());
  }

  /**
   * What a run stopped by a signal reports: the benchmarks that finished, kept as JMH ended them; the one
   * whose forks the signal stopped is neither a result nor a failure; and no other starts.
   */
  @Test
  void finishedBenchmarksAreKeptAndAfterAStopTheOneUnderWayNeitherCountsNorFailsAndNoOtherStarts() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Progress progress = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), BenchPlanTest.QUIET, 3, 15);
    BenchmarkParams first = kernel("784x256");
    progress.startBenchmark(first);
    IterationResult it = new IterationResult(first, first.getMeasurement(), null);
    it.addResult(new AverageTimeResult(ResultRole.PRIMARY, "forwardInputMajor", 1, 250, TimeUnit.NANOSECONDS));
    progress.iterationResult(first, first.getMeasurement(), 1, it);
    progress.endBenchmark(new BenchmarkResult(first, List.of(it)));
    assertEquals(1, progress.finished().size());
    assertEquals("784x256", progress.finished().get(0).getParams().getParam("shape"));
    assertEquals(250, progress.finished().get(0).getPrimaryResult().getScore(), 1e-9);

    BenchmarkParams second = kernel("256x10");
    progress.startBenchmark(second);
    progress.stop(); // a signal: the caller stops the forks, and JMH ends the benchmark without a result
    assertTrue(progress.stopped());
    progress.endBenchmark(new BenchmarkResult(second, List.<IterationResult>of()));
    assertEquals(0, progress.failed(), "the benchmark the signal stopped did not fail");
    assertEquals(1, progress.finished().size());
    assertThrows(Progress.Stopped.class, () -> progress.startBenchmark(kernel("784x256")), "no other benchmark starts");
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().map(l -> l.replaceAll(", ETA .*", "")).toList();
    assertEquals(List.of("[1/3] KernelBenchmark.forwardInputMajor impl=vector shape=784x256",
        "[2/3] KernelBenchmark.forwardInputMajor impl=vector shape=256x10"), lines, "no failure line, no third start");
  }
}
