package dev.vmlp.jmh.peers;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One per-sample SGD step (learning rate 0.01) of an MLP with ReLU hidden layers and a softmax
 * cross-entropy head, written with each peer's operations, for {@code net = IN-H...-OUT}:
 * <pre>
 *   z1 = W1 x + b1 (gemv), h = relu(z1), ..., zL = WL h + bL
 *   p = softmax(zL), loss = logsumexp(zL) - zL[y], sL = p - onehot(y)   (plain Java, stable)
 *   for l = L..1: d = Wlᵀ sl (gemv T, not for l = 1), s(l-1) = d ⊙ relu'(z(l-1)),
 *                 Wl -= η sl a(l-1)ᵀ (ger), bl -= η sl (axpy)
 * </pre>
 * Each backpropagation uses the weights before that layer's update. The element-wise parts
 * ({@link Activations}) are the same loops for every peer. Peers and {@code layout} as in
 * {@link PeerKernelBenchmark}. Samples: a fixed pool of 1024 MNIST-like 28x28 images in [0, 1] (about
 * 19% non-zero), cycled in order; labels 0..9. The score is ns per step: samples/s = 1e9 / score.
 * Glorot-uniform initial weights from a fixed seed, the same for every peer.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class PeerTrainStepBenchmark {
  static final float LEARNING_RATE = 0.01f;

  /** One peer's network and the position in the sample pool. */
  static class Net {
    PeerMlp mlp;
    float[][] xs;
    int[] ys;
    int next;

    void init(String net, java.util.function.Function<int[], PeerMlp> make) {
      int[] sizes = PeerData.net(net);
      if (sizes[0] != 784) {
        throw new IllegalArgumentException("the sample pool is 28x28 = 784 inputs, got net " + net);
      }
      mlp = make.apply(sizes);
      xs = PeerData.poolX();
      ys = PeerData.poolY();
      next = 0;
    }

    double step() {
      int i = next;
      next = (i + 1) & (PeerData.POOL - 1);
      return mlp.step(xs[i], ys[i]);
    }
  }

  @State(Scope.Thread)
  public static class Ejml extends Net {
    @Param({"784-128-10", "784-256-10", "784-1024-10", "784-512-256-10"})
    public String net;

    @Setup(Level.Trial)
    public void setup() {
      init(net, sizes -> new EjmlMlp(sizes, PeerData.glorot(sizes), PeerData.biases(sizes), LEARNING_RATE));
    }
  }

  @State(Scope.Thread)
  public static class NetlibJava extends Net {
    @Param({"784-128-10", "784-256-10", "784-1024-10", "784-512-256-10"})
    public String net;

    @Param({"rowMajor", "colMajor"})
    public String layout;

    @Setup(Level.Trial)
    public void setup() {
      var blas = Blas.javaVector();
      System.out.println("netlibJava: " + Blas.describe(blas));
      init(net, sizes -> new NetlibMlp(blas, NetlibMlp.Layout.parse(layout), sizes, PeerData.glorot(sizes),
          PeerData.biases(sizes), LEARNING_RATE));
    }
  }

  @State(Scope.Thread)
  public static class NetlibNative extends Net {
    @Param({"784-128-10", "784-256-10", "784-1024-10", "784-512-256-10"})
    public String net;

    @Param({"rowMajor", "colMajor"})
    public String layout;

    @Setup(Level.Trial)
    public void setup() {
      var blas = Blas.nativeOrThrow();
      System.out.println("netlibNative: " + Blas.describe(blas));
      init(net, sizes -> new NetlibMlp(blas, NetlibMlp.Layout.parse(layout), sizes, PeerData.glorot(sizes),
          PeerData.biases(sizes), LEARNING_RATE));
    }
  }

  @Benchmark
  public double step_ejml(Ejml n) {
    return n.step();
  }

  @Benchmark
  public double step_netlibJava(NetlibJava n) {
    return n.step();
  }

  @Benchmark
  public double step_netlibNative(NetlibNative n) {
    return n.step();
  }
}
