package dev.vmlp.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** What JmhJson reads from fields a file may lack. */
class JmhJsonTest {
  static final String RESULT = """
      [{"benchmark": "dev.vmlp.jmh.SoftmaxBenchmark.softmax", "mode": "avgt", %s
        "warmupIterations": 4, "warmupTime": "500 ms", "measurementIterations": 3, "measurementTime": "500 ms",
        "primaryMetric": {"score": 12.5, "scoreError": 0.5, "scoreUnit": "ns/op"}}]""";

  @Test
  void aResultWithoutItsForksDoesNotSayHowItWasRun() throws Exception {
    assertEquals("1 fork, 4 x 500 ms warm-up, 3 x 500 ms", JmhJson.parse(RESULT.formatted("\"forks\": 1,")).get(0).settings());
    JmhResult r = JmhJson.parse(RESULT.formatted("")).get(0);
    assertEquals(0, r.forks());
    assertEquals("", r.settings());
  }

  @Test
  void aResultWithoutAnErrorMarginIsNotJudged() throws Exception {
    for (String error : List.of("", "\"scoreError\": null, ", "\"scoreError\": \"NaN\", ")) {
      JmhResult r = JmhJson.parse(RESULT.replace("\"scoreError\": 0.5, ", error).formatted("")).get(0);
      assertTrue(Double.isNaN(r.primary().error()), error);
      JmhResult other = JmhJson.parse(RESULT.formatted("")).get(0);
      assertEquals(Comparison.Verdict.NO_MARGIN, Comparison.verdict(r, other), error);
    }
  }

  @Test
  void aUnitThatDoesNotFitTheModeIsRefusedWithTheKindTheModeWants() {
    assertEquals("SoftmaxBenchmark.softmax: unit 'ops/s' does not fit mode avgt (a time per op, e.g. ns/op)",
        assertThrows(IllegalArgumentException.class,
            () -> JmhJson.parse(RESULT.formatted("").replace("ns/op", "ops/s"))).getMessage());
    assertEquals("SoftmaxBenchmark.softmax: unit 'ns/op' does not fit mode thrpt (ops per a time, e.g. ops/s)",
        assertThrows(IllegalArgumentException.class, () -> JmhJson.parse(RESULT.formatted("").replace("avgt", "thrpt")))
            .getMessage());
  }
}
