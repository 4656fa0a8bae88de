package dev.vmlp.jmh;

import dev.vmlp.internal.kernel.Kernels;
import dev.vmlp.internal.kernel.Layout;
import java.util.SplittableRandom;
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
 * The softmax head: probabilities, loss and gradient {@code p - onehot(y)} over the output layer.
 * The label cycles so that no branch is learnt for one class.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class SoftmaxBenchmark {
  @Param({"scalar", "vector"})
  public String impl;

  @Param({"10"})
  public int classes;

  Kernels k;
  float[] z;
  float[] p;
  float[] s;
  int label;

  @Setup
  public void setup() {
    k = KernelBenchmark.kernels(impl);
    SplittableRandom rnd = new SplittableRandom(7);
    // padded to whole vectors, as the trainer's and predictor's buffers are
    int padded = Layout.pad(classes);
    z = new float[padded];
    for (int i = 0; i < classes; i++) {
      z[i] = (float) (rnd.nextDouble() * 8 - 4);
    }
    p = new float[padded];
    s = new float[padded];
  }

  @Benchmark
  public double softmaxLossGradient() {
    label = label + 1 == classes ? 0 : label + 1;
    return k.softmax(z, classes, label, p, s);
  }
}
