package dev.vmlp.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a result says of itself: its names, how it was run, whether its iterations settled. */
class JmhResultTest {
  static JmhResult of(String benchmark, int forks, JmhResult.Iterations iterations, List<List<Double>> raw) {
    return new JmhResult(benchmark, "avgt", Map.of(), new JmhResult.Metric(100, 1, "ns/op"), Map.of(), Map.of(), forks,
        List.of(), "25", "25", raw, iterations);
  }

  @Test
  void aBenchmarkInNoPackageIsNamedByItsClassAndMethod() {
    JmhResult r = of("FooBenchmark.bar", 1, JmhResult.Iterations.UNKNOWN, List.of());
    assertEquals("FooBenchmark", r.className());
    assertEquals("bar", r.method());
    assertEquals("FooBenchmark.bar", r.label());
  }

  @Test
  void forksWithoutTheirIterationsDoNotSayHowItWasRun() {
    JmhResult.Iterations noMeasurements = new JmhResult.Iterations(5, "1 s", 0, "");
    assertEquals("", of("a.B.c", 2, noMeasurements, List.of()).settings());
    assertEquals("2 forks, 5 x 1 s warm-up, 5 x 1 s",
        of("a.B.c", 2, new JmhResult.Iterations(5, "1 s", 5, "1 s"), List.of()).settings());
  }

  @Test
  void iterationsApartByMoreThanHalfTheSmallestAreUnsettled() {
    JmhResult.Iterations it = new JmhResult.Iterations(1, "1 s", 2, "1 s");
    assertFalse(of("a.B.c", 1, it, List.of(List.of(100.0, 150.0))).unsettled(), "exactly half apart");
    assertTrue(of("a.B.c", 1, it, List.of(List.of(100.0, 150.5))).unsettled());
    // one fork is enough, and forks are not set against each other
    assertTrue(of("a.B.c", 2, it, List.of(List.of(100.0, 101.0), List.of(150.5, 100.0))).unsettled());
    assertFalse(of("a.B.c", 2, it, List.of(List.of(100.0, 101.0), List.of(200.0, 201.0))).unsettled());
  }
}
