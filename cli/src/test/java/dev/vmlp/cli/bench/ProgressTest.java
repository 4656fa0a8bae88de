package dev.vmlp.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.WorkloadParams;
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
}
