package dev.vmlp;

import dev.vmlp.data.TrainTest;
import dev.vmlp.jmh.KernelBenchmark;
import dev.vmlp.jmh.MnistLike;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One per-sample SGD step (forward, softmax head, backward, update, the first layer's update fused
 * with the next forward) exactly as {@link Trainer#fit} runs it, on MNIST-format samples (about 19%
 * non-zero pixels) cycled from the first 8,192 of {@link MnistLike#standard()}. The score is ns per
 * sample; samples/s = 1e9 / score.
 *
 * <p>In package {@code dev.vmlp} to reach the package-private step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
public class TrainStepBenchmark {
  static final int POOL = 8192;

  @Param({"scalar", "vector"})
  public String impl;

  @Param({"784-128-10", "784-256-10", "784-1024-10", "784-512-256-10"})
  public String net;

  @Param({"dense", "sparse"})
  public String path;

  SgdStep step;
  float[] x;
  int[] labels;
  SparseRows rows;
  int d;
  int next;
  boolean sparse;

  static Architecture architecture(String net) {
    String[] sizes = net.split("-");
    Architecture.Builder b = Architecture.builder(Integer.parseInt(sizes[0]));
    for (int i = 1; i < sizes.length - 1; i++) {
      b.hidden(Integer.parseInt(sizes[i]), Activation.RELU);
    }
    return b.output(Integer.parseInt(sizes[sizes.length - 1]), Head.SOFTMAX_CROSS_ENTROPY);
  }

  @Setup
  public void setup() {
    TrainTest data = MnistLike.standard();
    Dataset pool = data.scaling().apply(data.train().slice(0, POOL));
    x = pool.featureArray();
    labels = pool.labelArray();
    rows = pool.sparseRows();
    d = pool.featureCount();
    sparse = path.equals("sparse");
    step = new SgdStep(KernelBenchmark.kernels(impl), Params.initialize(architecture(net), 42), 0.01f);
  }

  @Benchmark
  public double step() {
    int r = next;
    next = r + 1 == POOL ? 0 : r + 1;
    return sparse
        ? step.stepSparse(rows.values(), rows.index(), rows.start()[r], rows.start()[r + 1] - rows.start()[r],
            labels[r], null, 0)
        : step.step(x, r * d, null, 0, -1, labels[r], null, 0);
  }
}
