package dev.vmlp.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmlp.cli.bench.Comparison.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A change is flagged only when the intervals score ± error do not overlap, in the direction the mode says is worse. */
class ComparisonTest {
  static JmhResult result(String mode, double score, double error) {
    return result("dev.vmlp.jmh.KernelBenchmark.forwardInputMajor", mode, score, error);
  }

  static JmhResult result(String benchmark, String mode, double score, double error) {
    String unit = mode.equals("thrpt") ? "ops/s" : "ns/op";
    return new JmhResult(benchmark, mode, Map.of("impl", "vector", "shape", "784x256"), new JmhResult.Metric(score, error, unit), Map.of(),
        Map.of(), 1, List.of(), "25", "25", List.of());
  }

  @Test
  void timePerOperationThatGrowsBeyondBothMarginsIsARegression() {
    // [95, 105] against [110, 120]
    assertEquals(Verdict.REGRESSION, Comparison.verdict(result("avgt", 100, 5), result("avgt", 115, 5)));
    assertEquals(Verdict.REGRESSION, Comparison.verdict(result("sample", 100, 5), result("sample", 115, 5)));
    assertEquals(Verdict.REGRESSION, Comparison.verdict(result("ss", 100, 5), result("ss", 115, 5)));
  }

  @Test
  void timePerOperationThatShrinksBeyondTheMarginsIsAnImprovement() {
    assertEquals(Verdict.IMPROVEMENT, Comparison.verdict(result("avgt", 115, 5), result("avgt", 100, 5)));
  }

  @Test
  void throughputIsTheOtherWayRound() {
    assertEquals(Verdict.REGRESSION, Comparison.verdict(result("thrpt", 115, 5), result("thrpt", 100, 5)));
    assertEquals(Verdict.IMPROVEMENT, Comparison.verdict(result("thrpt", 100, 5), result("thrpt", 115, 5)));
  }

  @Test
  void overlappingIntervalsAreWithinNoiseHoweverLargeTheChange() {
    // +8%: [95, 105] and [103, 113] overlap
    assertEquals(Verdict.WITHIN_NOISE, Comparison.verdict(result("avgt", 100, 5), result("avgt", 108, 5)));
    assertEquals(Verdict.WITHIN_NOISE, Comparison.verdict(result("thrpt", 100, 5), result("thrpt", 92, 5)));
    // x2, but one run's margin covers it
    assertEquals(Verdict.WITHIN_NOISE, Comparison.verdict(result("avgt", 100, 150), result("avgt", 200, 1)));
    // intervals that touch still overlap, whichever run is above
    assertEquals(Verdict.WITHIN_NOISE, Comparison.verdict(result("avgt", 100, 5), result("avgt", 110, 5)));
    assertEquals(Verdict.WITHIN_NOISE, Comparison.verdict(result("avgt", 100, 5), result("avgt", 90, 5)));
    // just beyond: [95, 105] and [105.5, 115.5]
    assertEquals(Verdict.REGRESSION, Comparison.verdict(result("avgt", 100, 5), result("avgt", 110.5, 5)));
  }

  @Test
  void aSmallChangeWithTightMarginsIsFlagged() {
    // 1% slower, but both margins are 0.1%
    assertEquals(Verdict.REGRESSION, Comparison.verdict(result("avgt", 1000, 1), result("avgt", 1010, 1)));
  }

  @Test
  void withoutAnErrorEstimateNothingIsClaimed() {
    assertEquals(Verdict.NO_MARGIN, Comparison.verdict(result("avgt", 100, Double.NaN), result("avgt", 200, 1)));
    // either run may be the one measured once
    assertEquals(Verdict.NO_MARGIN, Comparison.verdict(result("avgt", 100, 1), result("avgt", 200, Double.NaN)));
  }

  static JmhResult inUnit(String mode, double score, double error, String unit) {
    return new JmhResult("dev.vmlp.jmh.KernelBenchmark.forwardInputMajor", mode, Map.of("impl", "vector", "shape", "784x256"),
        new JmhResult.Metric(score, error, unit), Map.of(), Map.of(), 1, List.of(), "25", "25", List.of());
  }

  @Test
  void scoresSavedInOtherUnitsAreComparedInOne() {
    // the same run in us/op and in ns/op
    Comparison.Row same = Comparison.compare(List.of(inUnit("avgt", 4.76, 0.08, "us/op")),
        List.of(inUnit("avgt", 4760, 80, "ns/op"))).get(0);
    assertEquals(Verdict.WITHIN_NOISE, same.verdict());
    assertEquals(0, same.changePercent(), 1e-9);
    // 5 us against 6,000 ns: 20% slower, beyond both margins
    Comparison.Row slower = Comparison.compare(List.of(inUnit("avgt", 5, 0.01, "us/op")),
        List.of(inUnit("avgt", 6000, 10, "ns/op"))).get(0);
    assertEquals(Verdict.REGRESSION, slower.verdict());
    assertEquals(20, slower.changePercent(), 1e-9);
    // 2 ops/ms is 2,000 ops/s
    assertEquals(Verdict.WITHIN_NOISE, Comparison.verdict(inUnit("thrpt", 2, 0.1, "ops/ms"), inUnit("thrpt", 2000, 100, "ops/s")));
    assertEquals(Verdict.IMPROVEMENT, Comparison.verdict(inUnit("thrpt", 2, 0.1, "ops/ms"), inUnit("thrpt", 3000, 100, "ops/s")));
  }

  @Test
  void theMarginsAreConvertedWithTheScores() {
    // 1 ± 0.1 us is [900, 1,100] ns: it covers 1,050 ± 10 ns (in ns alone the margin of 0.1 would leave it apart)
    JmhResult us = inUnit("avgt", 1, 0.1, "us/op");
    JmhResult ns = inUnit("avgt", 1050, 10, "ns/op");
    assertEquals(Verdict.WITHIN_NOISE, Comparison.verdict(us, ns));
    assertEquals(Verdict.WITHIN_NOISE, Comparison.verdict(ns, us));
    // 2 ± 0.5 ops/ms is [1,500, 2,500] ops/s
    assertEquals(Verdict.WITHIN_NOISE,
        Comparison.verdict(inUnit("thrpt", 2, 0.5, "ops/ms"), inUnit("thrpt", 2400, 10, "ops/s")));
  }

  @Test
  void unitsThatDoNotConvertAreNotJudged() {
    Comparison.Row r = Comparison.compare(List.of(inUnit("avgt", 100, 1, "B/op")), List.of(inUnit("avgt", 200, 1, "KB/op")))
        .get(0);
    assertEquals(Verdict.UNITS_DIFFER, r.verdict());
    assertTrue(Double.isNaN(r.changePercent()));
    // equal units compare as they are, converted or not
    assertEquals(Verdict.REGRESSION, Comparison.verdict(inUnit("avgt", 100, 1, "B/op"), inUnit("avgt", 200, 1, "B/op")));
  }

  @Test
  void benchmarksInOneRunOnlyAreListedAsSuch() {
    JmhResult a = result("dev.vmlp.A.x", "avgt", 1, 0.1);
    JmhResult b = result("dev.vmlp.B.y", "avgt", 1, 0.1);
    JmhResult c = result("dev.vmlp.C.z", "avgt", 1, 0.1);
    List<Comparison.Row> rows = Comparison.compare(List.of(a, b), List.of(b, c));
    assertEquals(List.of(Verdict.WITHIN_NOISE, Verdict.ONLY_CURRENT, Verdict.ONLY_BASELINE),
        rows.stream().map(Comparison.Row::verdict).toList());
    assertTrue(Double.isNaN(rows.get(1).changePercent()));
  }

  @Test
  void byVerdictPutsRegressionsFirstThenImprovementsAndKeepsTheRestInOrder() {
    JmhResult noise = result("dev.vmlp.A.noise", "avgt", 100, 5);
    JmhResult better = result("dev.vmlp.B.better", "avgt", 200, 5);
    JmhResult once = result("dev.vmlp.C.once", "avgt", 100, Double.NaN);
    JmhResult worse = result("dev.vmlp.D.worse", "avgt", 100, 5);
    JmhResult added = result("dev.vmlp.E.added", "avgt", 100, 5);
    List<Comparison.Row> rows = Comparison.compare(List.of(noise, better, once, worse),
        List.of(noise, result("dev.vmlp.B.better", "avgt", 100, 5), once, result("dev.vmlp.D.worse", "avgt", 200, 5),
            added));
    assertEquals(List.of(Verdict.REGRESSION, Verdict.IMPROVEMENT, Verdict.WITHIN_NOISE, Verdict.NO_MARGIN,
        Verdict.ONLY_CURRENT), Comparison.byVerdict(rows).stream().map(Comparison.Row::verdict).toList());
  }

  @Test
  void unmatchedNamesEachRunsOwnBenchmarksOnlyWhenThereAreSome() {
    JmhResult a = result("dev.vmlp.A.x", "avgt", 1, 0.1);
    JmhResult b = result("dev.vmlp.B.y", "avgt", 1, 0.1);
    JmhResult c = result("dev.vmlp.C.z", "avgt", 1, 0.1);
    assertEquals("", Comparison.unmatched(Comparison.compare(List.of(a, b), List.of(a, b))));
    assertEquals(", 1 only in baseline", Comparison.unmatched(Comparison.compare(List.of(a, b), List.of(a))));
    assertEquals(", 2 only in current", Comparison.unmatched(Comparison.compare(List.of(a), List.of(a, b, c))));
    assertEquals(", 1 only in baseline, 1 only in current",
        Comparison.unmatched(Comparison.compare(List.of(a, b), List.of(b, c))));
  }

  @Test
  void sameBenchmarkWithOtherParametersIsAnotherRow() {
    JmhResult x = result("avgt", 100, 1);
    JmhResult y = new JmhResult(x.benchmark(), "avgt", Map.of("shape", "256x10"), x.primary(), Map.of(), Map.of(), 1,
        List.of(), "25", "25", List.of());
    assertEquals(List.of(Verdict.ONLY_CURRENT, Verdict.ONLY_BASELINE),
        Comparison.compare(List.of(x), List.of(y)).stream().map(Comparison.Row::verdict).toList());
  }

  @Test
  void realRunsAtTwoVectorWidthsAreJudgedByTheirOwnMargins() {
    List<JmhResult> base = Samples.results("quick.json");
    List<JmhResult> cur = Samples.results("quick-256.json");
    List<Comparison.Row> rows = Comparison.compare(base, cur);
    int both = 0;
    for (Comparison.Row r : rows) {
      if (r.baseline() == null || r.current() == null) {
        continue;
      }
      both++;
      JmhResult.Metric b = r.baseline().primary();
      JmhResult.Metric c = r.current().primary();
      boolean apart = b.score() + b.error() < c.score() - c.error() || c.score() + c.error() < b.score() - b.error();
      Verdict expected = !apart ? Verdict.WITHIN_NOISE
          : (c.score() > b.score()) == r.current().lowerIsBetter() ? Verdict.REGRESSION : Verdict.IMPROVEMENT;
      assertEquals(expected, r.verdict(), r::toString);
      assertEquals((c.score() / b.score() - 1) * 100, r.changePercent(), 1e-9);
    }
    assertTrue(both >= 10, "the second run repeats the kernels and the training step");
    assertNotNull(rows.stream().filter(r -> r.verdict() == Verdict.ONLY_BASELINE).findFirst().orElse(null),
        "the second run left out the probe, prediction and scaling");
  }

  @Test
  void aResultTheCurrentRunHoldsTwiceIsComparedBothTimes() {
    JmhResult base = result("avgt", 100, 5);
    List<Comparison.Row> rows = Comparison.compare(List.of(base), List.of(result("avgt", 101, 5), result("avgt", 130, 5)));
    assertEquals(List.of(Verdict.WITHIN_NOISE, Verdict.REGRESSION), rows.stream().map(Comparison.Row::verdict).toList());
    assertEquals("", Comparison.unmatched(rows)); // was "1 only in current", of a benchmark the baseline has
  }

  @Test
  void aResultTheCurrentRunHoldsThreeTimesIsComparedEachTimeWithTheBaselinesOnlyCopy() {
    JmhResult base = result("avgt", 100, 5);
    List<JmhResult> now = List.of(result("avgt", 101, 5), result("avgt", 130, 5), result("avgt", 70, 5));
    List<Comparison.Row> rows = Comparison.compare(List.of(base), now);
    assertEquals(now, rows.stream().map(Comparison.Row::current).toList());
    assertEquals(List.of(base, base, base), rows.stream().map(Comparison.Row::baseline).toList());
    assertEquals(List.of(Verdict.WITHIN_NOISE, Verdict.REGRESSION, Verdict.IMPROVEMENT),
        rows.stream().map(Comparison.Row::verdict).toList());
  }

  @Test
  void aResultTheBaselineHoldsTwiceIsComparedCopyByCopyWhicheverCameLast() {
    JmhResult fast = result("avgt", 100, 5);
    JmhResult slow = result("avgt", 200, 5);
    JmhResult now = result("avgt", 201, 5);
    // one copy now: each baseline copy is judged against it, in the baseline's order (only the last was kept)
    for (List<JmhResult> base : List.of(List.of(fast, slow), List.of(slow, fast))) {
      List<Comparison.Row> rows = Comparison.compare(base, List.of(now));
      assertEquals(base, rows.stream().map(Comparison.Row::baseline).toList());
      assertEquals(List.of(now, now), rows.stream().map(Comparison.Row::current).toList());
      assertEquals(1, Comparison.count(rows, Verdict.REGRESSION), "the fast copy's regression is shown either way");
      assertEquals(1, Comparison.count(rows, Verdict.WITHIN_NOISE));
    }
    // two copies in each: the first with the first, the second with the second
    JmhResult again = result("avgt", 99, 5);
    List<Comparison.Row> pairs = Comparison.compare(List.of(fast, slow), List.of(now, again));
    assertEquals(List.of(Verdict.REGRESSION, Verdict.IMPROVEMENT),
        pairs.stream().map(Comparison.Row::verdict).toList());
    // held twice in the baseline alone: both copies are listed
    List<Comparison.Row> gone = Comparison.compare(List.of(fast, slow),
        List.of(result("dev.vmlp.jmh.KernelBenchmark.backward", "avgt", 100, 5)));
    assertEquals(", 2 only in baseline, 1 only in current", Comparison.unmatched(gone));
  }

  @Test
  void aRunOnOtherJmhThreadsIsAnotherMeasurement() throws Exception {
    String json = """
        [{"benchmark": "dev.vmlp.jmh.SoftmaxBenchmark.softmaxLossGradient", "mode": "avgt", "threads": %d,
          "forks": 1, "warmupIterations": 1, "warmupTime": "1 s", "measurementIterations": 1, "measurementTime": "1 s",
          "params": {"classes": "10", "impl": "scalar"},
          "primaryMetric": {"score": %d, "scoreError": 1, "scoreUnit": "ns/op"}}]""";
    JmhResult one = JmhJson.parse(json.formatted(1, 70)).get(0);
    JmhResult four = JmhJson.parse(json.formatted(4, 175)).get(0); // -t 4: four at once, each op slower
    assertEquals(4, four.threads());
    // was a regression of +150%
    List<Comparison.Row> rows = Comparison.compare(List.of(one), List.of(four));
    assertEquals(List.of(Verdict.ONLY_CURRENT, Verdict.ONLY_BASELINE), rows.stream().map(Comparison.Row::verdict).toList());
    assertEquals("avgt, 4 threads", four.modeText());
    assertEquals("1 fork, 1 x 1 s warm-up, 1 x 1 s, 4 threads", four.settings());
    assertEquals("avgt", one.modeText());
    assertEquals(List.of(Verdict.WITHIN_NOISE), Comparison.compare(List.of(one), List.of(one)).stream()
        .map(Comparison.Row::verdict).toList());
    // nor is a vector kernel on four threads set against the scalar one on one
    JmhResult vectorOnFour = JmhJson.parse(json.formatted(4, 35).replace("\"scalar\"", "\"vector\"")).get(0);
    assertEquals(List.of(), new Report("run", null, List.of(one, vectorOnFour)).speedups());
    assertEquals(1, new Report("run", null, List.of(one, JmhJson.parse(json.formatted(1, 35)
        .replace("\"scalar\"", "\"vector\"")).get(0))).speedups().size());
  }
}
