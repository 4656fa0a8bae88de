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

  /** The plot's own area when {@code chart} is drawn at the page's size. */
  static java.awt.geom.Rectangle2D plotArea(org.jfree.chart.JFreeChart chart) {
    org.jfree.chart.ChartRenderingInfo info = new org.jfree.chart.ChartRenderingInfo();
    chart.draw(new org.jfree.svg.SVGGraphics2D(Charts.WIDTH, Charts.HEIGHT),
        new java.awt.Rectangle(0, 0, Charts.WIDTH, Charts.HEIGHT), info);
    return info.getPlotInfo().getDataArea();
  }

  private static final Report RUN = new Report("run", null, List.of());

  static Charts.Bars bars(String title, String series, String category, String marker) {
    Charts.Bars b = new Charts.Bars(title, "network", "samples/s");
    b.add(RUN, "vector dense", "784-256-10", 4_000, 100);
    b.add(RUN, series, category, 2_000, 100);
    b.marker(3_000, marker);
    return b;
  }

  @Test
  void longLabelsLeaveThePlotItsRoom() {
    // a JMH parameter of 300 characters (a net of 75 layers, a shape with leading zeros, a parameter of one's
    // own): the title took 6 lines of the chart's 400 pixels and more, the legend ran off its edge
    String net = "784-" + "256-".repeat(74) + "10";
    String value = "p".repeat(300);
    java.awt.geom.Rectangle2D plain = plotArea(bars("Kernels at 784x256", "vector sparse", "784-128-10", "peak").chart());
    Charts.Bars b = bars("Kernels at " + "0".repeat(293) + "784x256", "vector " + value, net, "peak " + value);
    java.awt.geom.Rectangle2D area = plotArea(b.chart());
    assertTrue(area.getWidth() >= 0.9 * plain.getWidth() && area.getHeight() >= 0.75 * plain.getHeight(),
        () -> "plot " + area + " against " + plain + " with short labels");
    String svg = b.render().svg();
    assertFalse(svg.contains("p".repeat(60)) || svg.contains("0".repeat(60)) || svg.contains("256-".repeat(15)),
        "each label is cut short (the tables keep the whole)");
    assertTrue(svg.contains(">" + ("vector " + value).substring(0, Charts.LABEL_MAX - 1) + "…<"),
        "the start of a long label stays, with an ellipsis");
    b.add(RUN, "vector dense", net.substring(0, net.length() - 2) + "20", 1_000, 10);
    assertEquals(3, b.chart().getCategoryPlot().getDataset().getColumnCount(), "two nets cut alike stay two bars");
    Report scaling = new Report("run", null, List.of(ReportPageTest.scaling("avgt", 1, 10_000, Map.of("pool", value)),
        ReportPageTest.scaling("avgt", 2, 6_000, Map.of("pool", value))));
    String curves = Charts.svg(Charts.scalingChart(List.of(scaling)));
    assertFalse(curves.contains("p".repeat(60)), "the scaling chart's legend too");
    assertTrue(curves.contains("784-256-10 dense pool=ppp"), "its curve is still named");
  }
}
