package dev.vmlp.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
}
