package dev.vmlp;

import dev.vmlp.data.TrainTest;
import dev.vmlp.internal.kernel.Kernels;
import dev.vmlp.jmh.MnistLike;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The trainer's thread scaling: passes of {@value #PASS} per-sample SGD steps (MNIST-format samples,
 * the dense or sparse first layer) with the hidden units split over {@code threads} threads, as
 * {@link Trainer#fit} runs them. The score is ns per sample (the pass time divided by its samples);
 * the speed-up is the 1-thread score over the N-thread score of the same network.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class ThreadScalingBenchmark {
  static final int POOL = 8192;
  static final int PASS = 1024;

  @Param({"784-256-10", "784-1024-10"})
  public String net;

  @Param({"dense"})
  public String path;

  @Param({"1", "2", "4"})
  public int threads;

  Engine engine;
  float[] x;
  int[] labels;
  SparseRows rows;
  int d;
  int[] order;
  int start;

  @Setup
  public void setup() {
    Architecture arch = TrainStepBenchmark.architecture(net);
    if (threads > ParallelEngine.maxThreads(arch)) {
      throw new IllegalStateException(net + " splits over at most " + ParallelEngine.maxThreads(arch) + " threads");
    }
    Dataset pool = pool();
    x = pool.featureArray();
    labels = pool.labelArray();
    rows = path.equals("sparse") ? pool.sparseRows() : null;
    d = pool.featureCount();
    order = new int[POOL];
    for (int i = 0; i < POOL; i++) {
      order[i] = i;
    }
    Kernels k = TrainStepBenchmark.kernels("vector");
    Params p = Params.initialize(arch, 42);
    engine = threads == 1 ? new SingleEngine(k, p, 0.01f) : new ParallelEngine(k, p, 0.01f, threads);
  }

  /** The first {@value #POOL} samples of the MNIST-format training set, scaled as training scales them. */
  static Dataset pool() {
    TrainTest data = MnistLike.standard();
    return data.scaling().apply(data.train().slice(0, POOL));
  }

  @TearDown
  public void tearDown() {
    engine.close();
  }

  @Benchmark
  @OperationsPerInvocation(PASS)
  public double pass() {
    int[] slice = new int[PASS];
    System.arraycopy(order, start, slice, 0, PASS);
    start = start + PASS >= POOL ? 0 : start + PASS;
    Pass p = new Pass(x, d, labels, null, 0, rows, slice, PASS, 1, null);
    return engine.run(p).lossSum;
  }
}
