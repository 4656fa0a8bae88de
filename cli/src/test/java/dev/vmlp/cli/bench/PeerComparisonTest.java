package dev.vmlp.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The peer chart compares vmlp's kernel for the work at that shape with each peer's. */
class PeerComparisonTest {
  static JmhResult vmlp(String method, String shape, double ns) {
    return ReportModelTest.kernel(method, shape, ns);
  }

  static JmhResult peer(String op, String peer, String shape, double ns) {
    return new JmhResult("dev.vmlp.jmh.peers.PeerKernelBenchmark." + op + "_" + peer, "avgt",
        Map.of("layout", "rowMajor", "shape", shape), new JmhResult.Metric(ns, ns / 100, "ns/op"), Map.of(), Map.of(), 2,
        List.of(), "25", "25", List.of());
  }

  static double bar(List<PeerComparison.Bar> bars, String shape, String op, String variant) {
    return bars.stream().filter(b -> b.shape().equals(shape) && b.op().equals(op) && b.variant().equals(variant))
        .mapToDouble(PeerComparison.Bar::gflops).findFirst().orElseThrow(() -> new AssertionError(shape + " " + op + " " + variant));
  }

  @Test
  void vmlpsForwardIsTheKernelItRunsForThatLayer() {
    assertEquals("forwardInputMajor", PeerComparison.vmlpKernel("forward", "784x256"));
    assertEquals("forwardOutputMajor", PeerComparison.vmlpKernel("forward", "256x10"));
    assertEquals("forwardOutputMajor", PeerComparison.vmlpKernel("forward", "1024x1024"));
    Report r = new Report("run", null, List.of(vmlp("forwardInputMajor", "256x10", 313), vmlp("forwardOutputMajor", "256x10", 134),
        vmlp("forwardInputMajor", "784x256", 4760), vmlp("forwardOutputMajor", "784x256", 15_200),
        peer("forward", "netlibJava", "256x10", 101), peer("forward", "netlibJava", "784x256", 8860)));
    List<PeerComparison.Bar> bars = PeerComparison.bars(r);
    assertEquals(2.0 * 256 * 10 / 134, bar(bars, "256x10", "forward", "vmlp vector"), 1e-9);
    assertEquals(2.0 * 784 * 256 / 4760, bar(bars, "784x256", "forward", "vmlp vector"), 1e-9);
    assertEquals(1, bars.stream().filter(b -> b.variant().equals("vmlp vector") && b.shape().equals("256x10")).count());
  }

  @Test
  void vmlpsFusedTransposedUpdateMeetsEachPeersTransposedPlusRank1() {
    Report r = new Report("run", null, List.of(vmlp("transposedUpdate", "256x10", 99.4), vmlp("rank1InputMajor", "256x10", 225),
        peer("transposed", "netlibJava", "256x10", 124), peer("rank1", "netlibJava", "256x10", 145)));
    List<PeerComparison.Bar> bars = PeerComparison.bars(r);
    assertEquals(4.0 * 2560 / 99.4, bar(bars, "256x10", "transposed + update", "vmlp vector"), 1e-9);
    assertEquals(4.0 * 2560 / (124 + 145), bar(bars, "256x10", "transposed + update", "netlibJava rowMajor"), 1e-9);
    assertEquals(2.0 * 2560 / 145, bar(bars, "256x10", "rank1", "netlibJava rowMajor"), 1e-9);
    assertEquals(2.0 * 2560 / 225, bar(bars, "256x10", "rank1", "vmlp vector"), 1e-9);
    assertTrue(bars.stream().noneMatch(b -> b.op().equals("transposed")), "a transposed product alone has no vmlp counterpart");
  }

  @Test
  void aPeersErrorBarIsItsTimesRelativeMarginOfItsRate() {
    Report r = new Report("run", null, List.of(peer("forward", "netlibJava", "784x256", 8860),
        peer("transposed", "netlibJava", "256x10", 124), peer("rank1", "netlibJava", "256x10", 145)));
    List<PeerComparison.Bar> bars = PeerComparison.bars(r);
    PeerComparison.Bar forward = bars.stream().filter(b -> b.op().equals("forward")).findFirst().orElseThrow();
    assertEquals(forward.gflops() * 88.6 / 8860, forward.error(), 1e-9 * forward.gflops()); // 1% of the time
    PeerComparison.Bar fused =
        bars.stream().filter(b -> b.op().equals("transposed + update")).findFirst().orElseThrow();
    // the two times' margins add in quadrature
    assertEquals(fused.gflops() * Math.hypot(1.24, 1.45) / (124 + 145), fused.error(), 1e-9 * fused.gflops());
  }
}
