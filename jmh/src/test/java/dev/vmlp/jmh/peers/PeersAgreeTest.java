package dev.vmlp.jmh.peers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ludovic.netlib.blas.BLAS;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The peers compute what the benchmarks say they compute: each kernel against a double-precision loop,
 * and SGD steps of every peer against a double-precision step and against each other. The native peer
 * is checked where netlib's NativeBLAS loads, and left out (with a line on stdout) where it does not.
 */
class PeersAgreeTest {
  private static final double TOL = 1e-4;

  /** The netlib BLAS peers in this JVM, by name. */
  private static Map<String, BLAS> blases() {
    Map<String, BLAS> m = new LinkedHashMap<>();
    m.put("netlibJava", Blas.java());
    try {
      m.put("netlibNative", Blas.nativeOrThrow());
    } catch (IllegalStateException e) {
      System.out.println("netlibNative left out: " + e.getMessage());
    }
    return m;
  }

  @Test
  void javaBlasIsTheVectorApiOne() {
    // surefire runs with --add-modules=jdk.incubator.vector, as the benchmark forks do
    assertEquals("dev.ludovic.netlib.blas.VectorBLAS", Blas.java().getClass().getName());
  }

  @ParameterizedTest
  @ValueSource(strings = {"784x128", "784x256", "256x10", "1024x1024", "17x5", "1x1", "100x33"})
  void kernelsMatchDoubleLoops(String shape) {
    PeerKernelBenchmark.Data data = new PeerKernelBenchmark.Data(shape);
    int in = data.in;
    int out = data.out;
    float alpha = 0.25f;

    // double-precision references, with the magnitude each element's error is relative to
    double[] z = new double[out];
    double[] zScale = new double[out];
    double[] d = new double[in];
    double[] dScale = new double[in];
    double[] w1 = new double[out * in];
    for (int o = 0; o < out; o++) {
      z[o] = data.b[o];
      zScale[o] = Math.abs(data.b[o]);
      for (int i = 0; i < in; i++) {
        double wx = (double) data.w[o * in + i] * data.x[i];
        z[o] += wx;
        zScale[o] += Math.abs(wx);
        double ws = (double) data.w[o * in + i] * data.s[o];
        d[i] += ws;
        dScale[i] += Math.abs(ws);
        w1[o * in + i] = data.w[o * in + i] + (double) alpha * data.s[o] * data.x[i];
      }
    }

    // EJML
    PeerKernelBenchmark.Ejml e = new PeerKernelBenchmark.Ejml();
    e.shape = shape;
    e.setup();
    EjmlMlp.forward(e.w, e.x, e.b, e.z);
    assertClose("forward ejml " + shape, z, zScale, e.z.data);
    EjmlMlp.transposed(e.w, e.s, e.d);
    assertClose("transposed ejml " + shape, d, dScale, e.d.data);
    EjmlMlp.rank1(alpha, e.s, e.x, e.w);
    assertClose("rank1 ejml " + shape, w1, null, e.w.data);

    // netlib, both layouts
    for (Map.Entry<String, BLAS> peer : blases().entrySet()) {
      for (String layout : new String[] {"rowMajor", "colMajor"}) {
        String what = peer.getKey() + " " + layout + " " + shape;
        PeerKernelBenchmark.NetlibData n = new PeerKernelBenchmark.NetlibData();
        n.init(shape, layout, peer.getValue());
        NetlibMlp.forward(n.blas, n.lay, in, out, n.w, n.x, n.b, n.z);
        assertClose("forward " + what, z, zScale, n.z);
        NetlibMlp.transposed(n.blas, n.lay, in, out, n.w, n.s, n.d);
        assertClose("transposed " + what, d, dScale, n.d);
        NetlibMlp.rank1(n.blas, n.lay, in, out, alpha, n.s, n.x, n.w);
        assertClose("rank1 " + what, w1, null, n.lay.rowMajor(n.w, in, out));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"784-128-10", "784-256-10", "784-1024-10", "784-512-256-10"})
  void stepsAgreeAcrossPeersAndWithDouble(String net) {
    int[] sizes = PeerData.net(net);
    float[][] w0 = PeerData.glorot(sizes);
    float[][] b0 = PeerData.biases(sizes);
    float lr = PeerTrainStepBenchmark.LEARNING_RATE;

    Map<String, PeerMlp> peers = new LinkedHashMap<>();
    peers.put("ejml", new EjmlMlp(sizes, w0, b0, lr));
    for (Map.Entry<String, BLAS> blas : blases().entrySet()) {
      for (NetlibMlp.Layout layout : NetlibMlp.Layout.values()) {
        peers.put(blas.getKey() + " " + layout, new NetlibMlp(blas.getValue(), layout, sizes, w0, b0, lr));
      }
    }
    DoubleMlp ref = new DoubleMlp(sizes, w0, b0, lr);

    float[][] xs = PeerData.poolX();
    int[] ys = PeerData.poolY();
    // one step, then a few more so that the later samples see updated weights in every layer
    for (int t = 0; t < 4; t++) {
      double refLoss = ref.step(xs[t], ys[t]);
      for (Map.Entry<String, PeerMlp> p : peers.entrySet()) {
        String what = p.getKey() + " " + net + " step " + t;
        double loss = p.getValue().step(xs[t], ys[t]);
        assertEquals(refLoss, loss, TOL * Math.max(1, Math.abs(refLoss)), "loss " + what);
        for (int l = 0; l < sizes.length - 1; l++) {
          assertClose("weights " + l + " " + what, ref.w[l], null, p.getValue().weights(l));
          assertClose("biases " + l + " " + what, ref.b[l], null, p.getValue().biases(l));
        }
      }
    }
    // the steps did something: every layer moved away from its start
    for (int l = 0; l < sizes.length - 1; l++) {
      float[] w = peers.get("ejml").weights(l);
      double moved = 0;
      for (int i = 0; i < w.length; i++) {
        moved = Math.max(moved, Math.abs(w[i] - w0[l][i]));
      }
      assertTrue(moved > 1e-5, "layer " + l + " of " + net + " did not move: " + moved);
    }
    // and the peers agree with one another, not only with the reference
    List<String> names = new ArrayList<>(peers.keySet());
    for (int l = 0; l < sizes.length - 1; l++) {
      float[] first = peers.get(names.get(0)).weights(l);
      double[] firstD = new double[first.length];
      for (int i = 0; i < first.length; i++) {
        firstD[i] = first[i];
      }
      for (String other : names.subList(1, names.size())) {
        assertClose("weights " + l + " " + names.get(0) + " vs " + other, firstD, null,
            peers.get(other).weights(l));
      }
    }
  }

  @Test
  void poolIsMnistLike() {
    float[][] xs = PeerData.poolX();
    int[] ys = PeerData.poolY();
    assertEquals(PeerData.POOL, xs.length);
    long nonZero = 0;
    boolean[] seen = new boolean[10];
    for (int i = 0; i < xs.length; i++) {
      assertEquals(784, xs[i].length);
      for (float v : xs[i]) {
        assertTrue(v >= 0 && v <= 1, "pixel out of [0, 1]: " + v);
        nonZero += v != 0 ? 1 : 0;
      }
      seen[ys[i]] = true;
    }
    double density = (double) nonZero / (784.0 * xs.length);
    assertTrue(density > 0.18 && density < 0.20, "density " + density); // MNIST: 19.1%
    for (int c = 0; c < 10; c++) {
      assertTrue(seen[c], "no sample of class " + c);
    }
  }

  @Test
  void rank1AlternationKeepsWeightsBounded() {
    PeerKernelBenchmark.Ejml e = new PeerKernelBenchmark.Ejml();
    e.shape = "256x10";
    e.setup();
    FMatrixRMaj start = e.w.copy();
    PeerKernelBenchmark bench = new PeerKernelBenchmark();
    for (int i = 0; i < 100_000; i++) {
      bench.rank1_ejml(e);
    }
    for (int i = 0; i < start.data.length; i++) {
      assertEquals(start.data[i], e.w.data[i], 1e-4, "weight " + i + " drifted");
    }
  }

  @Test
  void eachKernelBenchmarkRunsItsKernelWithTheStepsOwnSign() {
    PeerKernelBenchmark bench = new PeerKernelBenchmark();
    PeerKernelBenchmark.Ejml e = new PeerKernelBenchmark.Ejml();
    e.shape = "256x10";
    e.setup();
    PeerKernelBenchmark.Ejml want = new PeerKernelBenchmark.Ejml();
    want.shape = "256x10";
    want.setup();
    EjmlMlp.forward(want.w, want.x, want.b, want.z);
    assertArrayEquals(want.z.data, bench.forward_ejml(e).data);
    EjmlMlp.transposed(want.w, want.s, want.d);
    assertArrayEquals(want.d.data, bench.transposed_ejml(e).data);
    // the first step subtracts α s xᵀ, the next adds it back
    EjmlMlp.rank1(-PeerKernelBenchmark.ALPHA, want.s, want.x, want.w);
    assertArrayEquals(want.w.data, bench.rank1_ejml(e).data);
    for (String layout : new String[] {"rowMajor", "colMajor"}) {
      PeerKernelBenchmark.NetlibJava n = new PeerKernelBenchmark.NetlibJava();
      n.shape = "256x10";
      n.layout = layout;
      n.setup();
      PeerKernelBenchmark.NetlibData m = new PeerKernelBenchmark.NetlibData();
      m.init("256x10", layout, n.blas);
      NetlibMlp.forward(m.blas, m.lay, m.in, m.out, m.w, m.x, m.b, m.z);
      assertArrayEquals(m.z, bench.forward_netlibJava(n), layout);
      NetlibMlp.transposed(m.blas, m.lay, m.in, m.out, m.w, m.s, m.d);
      assertArrayEquals(m.d, bench.transposed_netlibJava(n), layout);
      NetlibMlp.rank1(m.blas, m.lay, m.in, m.out, -PeerKernelBenchmark.ALPHA, m.s, m.x, m.w);
      assertArrayEquals(m.w, bench.rank1_netlibJava(n), layout);
    }
  }

  @Test
  void softmaxCrossEntropyStaysFiniteForLargeLogits() {
    float[] s = new float[2];
    // e^100 overflows a float: the largest logit is taken out first
    assertEquals(100, Activations.softmaxXent(new float[] {0, 100}, 2, 0, s), 1e-9);
    assertArrayEquals(new float[] {-1, 1}, s);
    assertEquals(0, Activations.softmaxXent(new float[] {100, 0}, 2, 0, s), 1e-9);
  }

  @Test
  void aNetOfInputsAndOutputsAloneIsOneLayer() {
    assertArrayEquals(new int[] {784, 10}, PeerData.net("784-10"));
    assertArrayEquals(new int[] {784, 256, 10}, PeerData.net(" 784 - 256 - 10"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeerData.net("784"));
    assertEquals("net must be IN-...-OUT, got 784", e.getMessage());
    assertArrayEquals(new int[] {784, 256}, PeerData.shape("784x256"));
    assertThrows(IllegalArgumentException.class, () -> PeerData.shape("784"));
  }

  /**
   * {@code |got - want| <= TOL * m} for each element, where {@code m} is {@code scale[i]} (the sum of the
   * absolute terms, for products) or else {@code |want|}, and at least 1e-2.
   */
  private static void assertClose(String what, double[] want, double[] scale, float[] got) {
    assertEquals(want.length, got.length, what + ": length");
    for (int i = 0; i < want.length; i++) {
      double s = Math.max(1e-2, scale != null ? scale[i] : Math.abs(want[i]));
      double err = Math.abs(got[i] - want[i]);
      if (!(err <= TOL * s)) {
        fail(what + ": element " + i + " is " + got[i] + ", want " + want[i] + " (relative error "
            + err / s + ")");
      }
    }
  }

  private static void assertClose(String what, float[] want, double[] scale, float[] got) {
    double[] w = new double[want.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = want[i];
    }
    assertClose(what, w, scale, got);
  }

  /** The reference: the same step in double precision, plain loops. */
  private static final class DoubleMlp {
    final int[] sizes;
    final double lr;
    final double[][] w;
    final double[][] b;

    DoubleMlp(int[] sizes, float[][] w0, float[][] b0, float lr) {
      this.sizes = sizes;
      this.lr = lr;
      int layers = sizes.length - 1;
      w = new double[layers][];
      b = new double[layers][];
      for (int l = 0; l < layers; l++) {
        w[l] = new double[w0[l].length];
        for (int i = 0; i < w[l].length; i++) {
          w[l][i] = w0[l][i];
        }
        b[l] = new double[b0[l].length];
        for (int i = 0; i < b[l].length; i++) {
          b[l][i] = b0[l][i];
        }
      }
    }

    double step(float[] x, int label) {
      int layers = sizes.length - 1;
      double[][] a = new double[layers + 1][];
      double[][] z = new double[layers][];
      a[0] = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        a[0][i] = x[i];
      }
      for (int l = 0; l < layers; l++) {
        int in = sizes[l];
        int out = sizes[l + 1];
        z[l] = new double[out];
        a[l + 1] = new double[out];
        for (int o = 0; o < out; o++) {
          double sum = b[l][o];
          for (int i = 0; i < in; i++) {
            sum += w[l][o * in + i] * a[l][i];
          }
          z[l][o] = sum;
          a[l + 1][o] = Math.max(sum, 0);
        }
      }
      double[] zl = z[layers - 1];
      double max = Double.NEGATIVE_INFINITY;
      for (double v : zl) {
        max = Math.max(max, v);
      }
      double sum = 0;
      for (double v : zl) {
        sum += Math.exp(v - max);
      }
      double[] s = new double[zl.length];
      for (int k = 0; k < zl.length; k++) {
        s[k] = Math.exp(zl[k] - max) / sum - (k == label ? 1 : 0);
      }
      double loss = max + Math.log(sum) - zl[label];
      for (int l = layers - 1; l >= 0; l--) {
        int in = sizes[l];
        int out = sizes[l + 1];
        double[] sPrev = null;
        if (l > 0) {
          sPrev = new double[in];
          for (int i = 0; i < in; i++) {
            double dd = 0;
            for (int o = 0; o < out; o++) {
              dd += w[l][o * in + i] * s[o];
            }
            sPrev[i] = z[l - 1][i] > 0 ? dd : 0;
          }
        }
        for (int o = 0; o < out; o++) {
          for (int i = 0; i < in; i++) {
            w[l][o * in + i] -= lr * s[o] * a[l][i];
          }
          b[l][o] -= lr * s[o];
        }
        s = sPrev;
      }
      return loss;
    }
  }
}
