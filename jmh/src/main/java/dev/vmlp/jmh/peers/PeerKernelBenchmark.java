package dev.vmlp.jmh.peers;

import dev.ludovic.netlib.blas.BLAS;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.FMatrixRMaj;
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
 * The three per-sample kernels through the peers, for a layer of {@code shape = INxOUT} ({@code W} is
 * {@code OUT x IN}):
 * <ul>
 *   <li>{@code forward_*}: {@code z = W x + b};
 *   <li>{@code transposed_*}: {@code d = Wᵀ s};
 *   <li>{@code rank1_*}: {@code W += α s xᵀ} (sger).
 * </ul>
 * Peers, by method suffix: {@code ejml} (EJML {@code FMatrixRMaj}: {@code CommonOps_FDRM.multAdd},
 * {@code multTransA}, {@code VectorVectorMult_FDRM.addOuterProd}); {@code netlibJava} (netlib's
 * {@code JavaBLAS.getInstance()}, required to be its Vector API {@code VectorBLAS}, which it is under
 * {@code --add-modules=jdk.incubator.vector}); {@code netlibNative} (netlib's JNI {@code NativeBLAS},
 * OpenBLAS where {@code libblas.so.3} is OpenBLAS). The netlib peers also take {@code layout}: how
 * {@code W} lies in memory ({@link NetlibMlp.Layout}); EJML is row-major only.
 *
 * <p>Every kernel does {@code 2·IN·OUT} flops, so GFLOP/s = {@code 2·IN·OUT / score(ns)}.
 *
 * <p>Where the native library cannot be loaded, the {@code netlibNative} state's setup throws an
 * {@link IllegalStateException} that says what to install: JMH reports those benchmarks as failed with
 * that message and goes on with the others. Native OpenBLAS threads large products over every core
 * unless {@code OPENBLAS_NUM_THREADS=1} is set in the environment that launches JMH (forks inherit it);
 * the setup prints the setting.
 *
 * <p>The rank-1 update flips the sign of {@code α} (1e-3) on every call, so the weights stay where
 * they started up to rounding however long the run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class PeerKernelBenchmark {
  static final float ALPHA = 1e-3f;

  /** The layer's data, row-major {@code W}, from a fixed seed: the same numbers for every peer. */
  static final class Data {
    final int in;
    final int out;
    final float[] w;
    final float[] b;
    final float[] x;
    final float[] s;

    Data(String shape) {
      int[] io = PeerData.shape(shape);
      in = io[0];
      out = io[1];
      SplittableRandom rnd = new SplittableRandom(PeerData.SEED);
      double r = Math.sqrt(6.0 / (in + out));
      w = PeerData.uniform(rnd, out * in, -r, r);
      b = PeerData.uniform(rnd, out, -0.1, 0.1);
      x = PeerData.uniform(rnd, in, 0, 1);
      s = PeerData.uniform(rnd, out, -1, 1);
    }
  }

  @State(Scope.Thread)
  public static class Ejml {
    @Param({"784x128", "784x256", "256x10", "1024x1024"})
    public String shape;

    FMatrixRMaj w;
    FMatrixRMaj b;
    FMatrixRMaj x;
    FMatrixRMaj s;
    FMatrixRMaj z;
    FMatrixRMaj d;
    float alpha = ALPHA;

    @Setup(Level.Trial)
    public void setup() {
      Data data = new Data(shape);
      w = new FMatrixRMaj(data.out, data.in);
      System.arraycopy(data.w, 0, w.data, 0, data.w.length);
      b = new FMatrixRMaj(data.out, 1, true, data.b);
      x = new FMatrixRMaj(data.in, 1, true, data.x);
      s = new FMatrixRMaj(data.out, 1, true, data.s);
      z = new FMatrixRMaj(data.out, 1);
      d = new FMatrixRMaj(data.in, 1);
    }
  }

  /** The arrays of one netlib peer, {@code W} in {@code layout}. */
  static class NetlibData {
    int in;
    int out;
    NetlibMlp.Layout lay;
    float[] w;
    float[] b;
    float[] x;
    float[] s;
    float[] z;
    float[] d;
    float alpha = ALPHA;
    BLAS blas;

    void init(String shape, String layout, BLAS impl) {
      Data data = new Data(shape);
      in = data.in;
      out = data.out;
      lay = NetlibMlp.Layout.parse(layout);
      w = lay.store(data.w, in, out);
      b = data.b;
      x = data.x;
      s = data.s;
      z = new float[out];
      d = new float[in];
      blas = impl;
    }
  }

  @State(Scope.Thread)
  public static class NetlibJava extends NetlibData {
    @Param({"784x128", "784x256", "256x10", "1024x1024"})
    public String shape;

    @Param({"rowMajor", "colMajor"})
    public String layout;

    @Setup(Level.Trial)
    public void setup() {
      init(shape, layout, Blas.javaVector());
      System.out.println("netlibJava: " + Blas.describe(blas));
    }
  }

  @State(Scope.Thread)
  public static class NetlibNative extends NetlibData {
    @Param({"784x128", "784x256", "256x10", "1024x1024"})
    public String shape;

    @Param({"rowMajor", "colMajor"})
    public String layout;

    @Setup(Level.Trial)
    public void setup() {
      init(shape, layout, Blas.nativeOrThrow());
      System.out.println("netlibNative: " + Blas.describe(blas));
    }
  }

  // ---- z = W x + b

  @Benchmark
  public FMatrixRMaj forward_ejml(Ejml e) {
    EjmlMlp.forward(e.w, e.x, e.b, e.z);
    return e.z;
  }

  @Benchmark
  public float[] forward_netlibJava(NetlibJava n) {
    return forward(n);
  }

  @Benchmark
  public float[] forward_netlibNative(NetlibNative n) {
    return forward(n);
  }

  private static float[] forward(NetlibData n) {
    NetlibMlp.forward(n.blas, n.lay, n.in, n.out, n.w, n.x, n.b, n.z);
    return n.z;
  }

  // ---- d = Wᵀ s

  @Benchmark
  public FMatrixRMaj transposed_ejml(Ejml e) {
    EjmlMlp.transposed(e.w, e.s, e.d);
    return e.d;
  }

  @Benchmark
  public float[] transposed_netlibJava(NetlibJava n) {
    return transposed(n);
  }

  @Benchmark
  public float[] transposed_netlibNative(NetlibNative n) {
    return transposed(n);
  }

  private static float[] transposed(NetlibData n) {
    NetlibMlp.transposed(n.blas, n.lay, n.in, n.out, n.w, n.s, n.d);
    return n.d;
  }

  // ---- W += α s xᵀ

  @Benchmark
  public FMatrixRMaj rank1_ejml(Ejml e) {
    float a = e.alpha = -e.alpha;
    EjmlMlp.rank1(a, e.s, e.x, e.w);
    return e.w;
  }

  @Benchmark
  public float[] rank1_netlibJava(NetlibJava n) {
    return rank1(n);
  }

  @Benchmark
  public float[] rank1_netlibNative(NetlibNative n) {
    return rank1(n);
  }

  private static float[] rank1(NetlibData n) {
    float a = n.alpha = -n.alpha;
    NetlibMlp.rank1(n.blas, n.lay, n.in, n.out, a, n.s, n.x, n.w);
    return n.w;
  }
}
