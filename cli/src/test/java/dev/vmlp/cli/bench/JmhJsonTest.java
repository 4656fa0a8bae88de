package dev.vmlp.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
