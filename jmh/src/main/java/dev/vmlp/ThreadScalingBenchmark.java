package dev.vmlp;

import dev.vmlp.data.TrainTest;
import dev.vmlp.internal.kernel.KernelProvider;
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
 * the speed-up is the 1-thread score over the N-thread score of the same network. The kernels are the
 * ones {@link Trainer#fit} takes in the fork ({@link KernelProvider#get()}: the vector kernels unless
 * {@code -Dvmlp.kernels=scalar} or a missing prerequisite picks the scalar ones), as
 * {@code vmlp bench} reports them.
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

  Kernels k;
  Engine engine;
  /** The passes over the pool, made before the timing starts: the timed region allocates nothing. */
  Pass[] passes;
  int round;

  @Setup
  public void setup() {
    Architecture arch = TrainStepBenchmark.architecture(net);
    if (threads > ParallelEngine.maxThreads(arch)) {
      throw new IllegalStateException(net + " splits over at most " + ParallelEngine.maxThreads(arch) + " threads");
    }
    Dataset pool = pool();
    SparseRows rows = path.equals("sparse") ? pool.sparseRows() : null;
    passes = new Pass[POOL / PASS];
    for (int r = 0; r < passes.length; r++) {
      passes[r] = pass(pool, rows, r);
    }
    k = KernelProvider.get();
    Params p = Params.initialize(arch, 42);
    engine = threads == 1 ? new SingleEngine(k, p, 0.01f) : new ParallelEngine(k, p, 0.01f, threads);
  }

  /** The first {@value #POOL} samples of the MNIST-format training set, scaled as training scales them. */
  static Dataset pool() {
    TrainTest data = MnistLike.standard();
    return data.scaling().apply(data.train().slice(0, POOL));
  }

  /**
   * Pass number {@code round} over {@code pool}: its samples {@code round * PASS ..} in order, cycling
   * through the pool; {@code rows} the pool's sparse rows for the sparse path, else null.
   */
  static Pass pass(Dataset pool, SparseRows rows, int round) {
    int[] slice = new int[PASS];
    int start = (int) ((long) round * PASS % POOL);
    for (int i = 0; i < PASS; i++) {
      slice[i] = (start + i) % POOL;
    }
    return new Pass(pool.featureArray(), pool.featureCount(), pool.labelArray(), null, 0, rows, slice, PASS, 1, null);
  }

  @TearDown
  public void tearDown() {
    engine.close();
  }

  @Benchmark
  @OperationsPerInvocation(PASS)
  public double pass() {
    return engine.run(passes[round++ % passes.length]).lossSum;
  }
}
