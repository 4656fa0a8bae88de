package dev.vmlp.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bar charts' drawing. */
class ChartsTest {
  @Test
  void valuesThatAreNotFiniteAreLeftOutOfTheScale() {
    Report run = new Report("run", null, List.of());
    Charts.Bars b = new Charts.Bars("Latency", "percentile", "µs");
    b.add(run, "784-256-10", "p50", 2.0, Double.NaN);
    b.add(run, "784-256-10", "p99", Double.NaN, Double.NaN); // JMH writes a percentile it lacks as NaN
    b.add(run, "784-1024-10", "p50", 10.3, 0.5);
    b.add(run, "784-1024-10", "p99", Double.POSITIVE_INFINITY, Double.NaN);
    b.marker(Double.NaN, "target");
    assertEquals(10.3, b.top(), 0);
    String svg = b.render().svg();
    assertFalse(svg.contains("NaN"), "no coordinate is NaN");
    assertTrue(svg.contains(">10.3<"), "the finite bars keep their labels on a scale they fit");
  }

  static String svg(List<Charts.Chart> charts) {
    assertEquals(1, charts.size());
    return charts.get(0).svg();
  }

  @Test
  void latencyBarsAreInMicroseconds() {
    JmhResult one = ReportModelTest.of("dev.vmlp.PredictBenchmark.predictOne", "sample", Map.of("net", "784-256-10"),
        new JmhResult.Metric(2_600, 10, "ns/op"), Map.of("50.0", 2_500.0, "99.9", 4_500.0));
    String svg = svg(Charts.latency(List.of(new Report("run", null, List.of(one)))));
    assertTrue(svg.contains(">2.50<") && svg.contains(">4.50<"), "2,500 and 4,500 ns as µs");
  }

  @Test
  void peerChartsDrawEveryPeersBar() {
    JmhResult kernel = new JmhResult("dev.vmlp.jmh.peers.PeerKernelBenchmark.forward_ejml", "avgt",
        Map.of("shape", "784x256"), new JmhResult.Metric(100_000, 1_000, "ns/op"), Map.of(), Map.of(), 1, List.of(),
        "25", "25", List.of());
    // 2·784·256 flops in 100 µs
    assertTrue(svg(Charts.peerKernels(List.of(new Report("run", null, List.of(kernel))))).contains(">4.01<"));
    JmhResult peer = new JmhResult("dev.vmlp.jmh.peers.PeerTrainStepBenchmark.step_ejml", "avgt",
        Map.of("net", "784-256-10"), new JmhResult.Metric(480_000, 4_800, "ns/op"), Map.of(), Map.of(), 1, List.of(),
        "25", "25", List.of());
    JmhResult vmlp = ReportModelTest.of("dev.vmlp.TrainStepBenchmark.step", "avgt", Map.of("net", "784-256-10",
        "impl", "vector", "path", "dense"), new JmhResult.Metric(120, 1, "us/op"), Map.of());
    String svg = svg(Charts.peerTraining(List.of(new Report("run", null, List.of(peer, vmlp)))));
    assertTrue(svg.contains(">2,083<"), "the peer's 1e9 / 480,000 samples/s");
    assertTrue(svg.contains(">8,333<"), "vmlp's 1e9 / 120,000 samples/s");
  }

  @Test
  void aSpeedUpBeyondTheIdealStaysOnTheScalingChart() {
    // 4x on 2 threads: each thread's half of the weights fits a cache the whole did not; the axis ended
    // at 2.2 (the ideal's top) and the point and its curve were drawn above the chart
    Report run = new Report("run", null, List.of(ReportPageTest.scaling("avgt", 1, 10_000, Map.of()),
        ReportPageTest.scaling("avgt", 2, 2_500, Map.of())));
    String svg = svg(Charts.scaling(List.of(run)));
    assertTrue(svg.contains(">4.0<"), "the speed-up axis reaches 4");
  }
}
