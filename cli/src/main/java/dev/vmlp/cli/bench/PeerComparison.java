package dev.vmlp.cli.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the peer chart sets side by side at each shape: vmlp's vector kernel that does an operation
 * where vmlp itself meets that shape, and each peer's kernels for the same work.
 * <ul>
 *   <li>{@code forward}: for a first layer ({@value #INPUT_WIDTH} inputs, the MNIST row every 784xN shape
 *       stands for) vmlp's input-major product, for a later layer (256x10) its output-major one;
 *   <li>{@code transposed + update}: vmlp does a later layer's {@code Wᵀs} and its update in one sweep
 *       ({@code transposedUpdate}, 4 flops per weight); a peer's is its {@code transposed} plus its
 *       {@code rank1}, their times added. A peer's {@code transposed} alone has no vmlp counterpart
 *       and stays in the table;
 *   <li>{@code rank1}: the rank-1 update ({@code rank1InputMajor}).
 * </ul>
 */
final class PeerComparison {
  /** The inputs of a first layer: the benchmarks' MNIST-format rows. */
  static final int INPUT_WIDTH = 784;
  static final String FUSED = "transposed + update";
  static final String SUBTITLE = "forward: vmlp's input-major product for a first layer (784 inputs), output-major "
      + "for a later one; transposed + update: vmlp's one fused sweep against each peer's transposed product plus "
      + "its rank-1 update (times added), 4 flops per weight";

  /** One bar: GFLOP/s of {@code variant} (e.g. {@code vmlp vector}, {@code netlibJava rowMajor}) for {@code op}. */
  record Bar(String shape, String op, String variant, double gflops, double error) {}

  private PeerComparison() {}

  /** The vmlp kernel that does {@code op} ({@code forward}, {@value #FUSED}, {@code rank1}) at {@code shape}, or null. */
  static String vmlpKernel(String op, String shape) {
    return switch (op) {
      case "forward" -> Report.shape(shape)[0] == INPUT_WIDTH ? "forwardInputMajor" : "forwardOutputMajor";
      case FUSED -> "transposedUpdate";
      case "rank1" -> "rank1InputMajor";
      default -> null;
    };
  }

  /** The bars of one run, by shape: vmlp's first, then the peers' single kernels, then their transposed + update. */
  static List<Bar> bars(Report r) {
    List<Report.PeerKernelRow> peers = r.peerKernels();
    Set<String> shapes = new LinkedHashSet<>();
    peers.forEach(p -> shapes.add(p.shape()));
    List<Bar> bars = new ArrayList<>();
    for (String shape : shapes) {
      for (String op : List.of("forward", FUSED, "rank1")) {
        for (Report.KernelRow k : r.kernels()) {
          if (k.shape().equals(shape) && k.impl().equals("vector") && k.kernel().equals(vmlpKernel(op, shape))) {
            bars.add(new Bar(shape, op, "vmlp vector", k.gflops(), k.gflopsError()));
          }
        }
      }
      for (Report.PeerKernelRow p : peers) {
        if (p.shape().equals(shape) && !p.op().equals("transposed")) {
          bars.add(new Bar(shape, p.op(), p.variant(), p.gflops(), p.gflops() * p.nsError() / p.ns()));
        }
      }
      for (Report.PeerKernelRow t : peers) {
        for (Report.PeerKernelRow u : peers) {
          if (t.shape().equals(shape) && t.op().equals("transposed") && u.op().equals("rank1")
              && u.shape().equals(shape) && u.variant().equals(t.variant())) {
            int[] io = Report.shape(shape);
            double ns = t.ns() + u.ns();
            double gflops = 4.0 * io[0] * io[1] / ns;
            bars.add(new Bar(shape, FUSED, t.variant(), gflops, gflops * Math.hypot(t.nsError(), u.nsError()) / ns));
          }
        }
      }
    }
    return bars;
  }
}
