package dev.vmlp.cli.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which probes bound the kernels, at the edges the rules name: a margin of 25%, L3 apart from DRAM, a kernel at
 * its bound.
 */
class CeilingsTest {
  static Report.Derived rate(double value, double error) {
    return new Report.Derived(null, value, error);
  }

  static Map<String, Report.Derived> levels(Object... levelAndRate) {
    Map<String, Report.Derived> m = new LinkedHashMap<>();
    for (int i = 0; i < levelAndRate.length; i += 2) {
      m.put((String) levelAndRate[i], (Report.Derived) levelAndRate[i + 1]);
    }
    return m;
  }

  @Test
  void aMarginOfExactlyAQuarterStillBounds() {
    assertNull(new Ceilings(rate(200, 50), levels()).unfit(Ceilings.PEAK));
    assertEquals("error ± 26%", new Ceilings(rate(200, 52), levels()).unfit(Ceilings.PEAK));
  }

  @Test
  void l3BoundsOnlyWhenItReadsFasterThanDramBeyondBothMargins() {
    // [55, 65] against [18, 22]: apart
    assertNull(new Ceilings(null, levels("L3", rate(60, 5), "DRAM", rate(20, 2))).unfit("L3"));
    // [21, 27] against [18, 22]: overlapping only through DRAM's margin
    assertEquals("not faster than DRAM",
        new Ceilings(null, levels("L3", rate(24, 3), "DRAM", rate(20, 2))).unfit("L3"));
    // [22, 28] against [18, 22]: touching is not apart
    assertEquals("not faster than DRAM",
        new Ceilings(null, levels("L3", rate(25, 3), "DRAM", rate(20, 2))).unfit("L3"));
    assertEquals("no DRAM probe to tell it from memory", new Ceilings(null, levels("L3", rate(60, 5))).unfit("L3"));
    // a fit L3 bounds a kernel whose weights lie in it: 2 flops per 4-byte weight
    Ceilings.Ceiling c = new Ceilings(null, levels("L3", rate(60, 5), "DRAM", rate(20, 2))).of("L3", 2, 10);
    assertEquals(30, c.value(), 1e-12);
    assertEquals("L3", c.source());
  }

  @Test
  void aKernelMeasuredExactlyAtItsBoundKeepsIt() {
    Ceilings.Ceiling c = new Ceilings(rate(100, 1), levels()).of(null, 2, 100);
    assertEquals(100, c.value(), 0);
    assertEquals(Ceilings.PEAK, c.source());
    Ceilings.Ceiling above = new Ceilings(rate(100, 1), levels()).of(null, 2, 100.5);
    assertTrue(Double.isNaN(above.value()));
    assertEquals("peak FMA bound 100 < measured", above.omitted());
  }

  @Test
  void aProbeThatAKernelBeatBeyondBothMarginsBoundsNoKernel() {
    Ceilings c = new Ceilings(rate(205, 5), levels("L2", rate(104, 11.5)));
    // 78.7 ± 2.2 GFLOP/s at 2 flops per 4-byte weight: the weights came from L2 at 157 GB/s, above [92.5, 115.5]
    c.measured("forwardInputMajor 784x256 vector", "L2", 2, 78.7, 2.2);
    assertEquals("read low: forwardInputMajor 784x256 vector read its weights at 157 GB/s", c.unfit("L2"));
    Ceilings.Ceiling other = c.of("L2", 2, 29.5); // was the L2 bound, 52
    assertEquals(205, other.value(), 0);
    assertEquals(Ceilings.PEAK, other.source());
    c.measured("updateForwardFused 784x256 vector", null, 4, 250, 10);
    assertEquals("read low: updateForwardFused 784x256 vector ran at 250 GFLOP/s", c.unfit(Ceilings.PEAK));

    // within the margins it is only the kernel's own bound that goes: 52.4 ± 14.2 GFLOP/s read 105 GB/s
    Ceilings d = new Ceilings(rate(205, 5), levels("L2", rate(104, 11.5)));
    d.measured("rank1InputMajor 784x256 vector", "L2", 2, 52.4, 14.2);
    d.measured("updateForwardFused 784x256 vector", null, 4, 209, 5); // the peak's [200, 210] touched, not passed
    assertNull(d.unfit("L2"));
    assertNull(d.unfit(Ceilings.PEAK));
    assertEquals(52, d.of("L2", 2, 29.5).value(), 1e-9);
  }

  @Test
  void aMissingLevelIsNamedOnlyWhenTheRunHasProbes() {
    assertEquals("no L2 probe", new Ceilings(null, levels("L1", rate(200, 5))).of("L2", 2, 10).omitted());
    assertEquals("", new Ceilings(null, levels()).of("L2", 2, 10).omitted(), "a run without the probe says nothing");
  }

  @Test
  void aBandwidthProbeWithAWideMarginIsUnfitAndBoundsNothing() {
    Ceilings c = new Ceilings(null, levels("L1", rate(200, 100)));
    assertEquals("error ± 50%", c.unfit("L1"));
    assertEquals("L1: error ± 50%", c.of("L1", 2, 10).omitted());
    assertTrue(Double.isNaN(c.of("L1", 2, 10).value()));
  }

  @Test
  void anUnfitPeakBoundsNothingAndSaysWhy() {
    Ceilings c = new Ceilings(rate(200, 100), levels());
    assertFalse(c.peakFit());
    Ceilings.Ceiling none = c.of(null, 2, 10);
    assertTrue(Double.isNaN(none.value()));
    assertEquals("peak FMA: error ± 50%", none.omitted());
    assertFalse(new Ceilings(null, levels("L1", rate(200, 5))).peakFit(), "no peak probe");
    assertTrue(new Ceilings(rate(200, 5), levels()).peakFit());
  }

  @Test
  void theLowestOfTwoBoundsIsTheCeilingAndOfEqualOnesTheFirst() {
    // peak 100; L1 at 120 GB/s bounds 2 flops per 4-byte weight at 60
    Ceilings.Ceiling l1 = new Ceilings(rate(100, 1), levels("L1", rate(120, 1))).of("L1", 2, 10);
    assertEquals(60, l1.value(), 1e-12);
    assertEquals("L1", l1.source());
    // L1 at 200 GB/s bounds at 100, as the peak does: the peak, named first
    Ceilings.Ceiling tie = new Ceilings(rate(100, 1), levels("L1", rate(200, 1))).of("L1", 2, 10);
    assertEquals(100, tie.value(), 1e-12);
    assertEquals(Ceilings.PEAK, tie.source());
    // L1 at 400 GB/s bounds at 200: the peak is lower
    assertEquals(Ceilings.PEAK, new Ceilings(rate(100, 1), levels("L1", rate(400, 1))).of("L1", 2, 10).source());
  }
}
