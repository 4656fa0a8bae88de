package dev.vmlp;

import dev.vmlp.data.TrainTest;
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
 * Serving latency: one raw MNIST-format row through {@link Model#predictProbabilities} with a caller's
 * {@link Workspace} (sample time, for percentiles; run with {@code -prof gc} to see 0 B/op), and a
 * batch of 64 rows. The model is trained for one epoch first, so activations look like real ones.
 */
@State(Scope.Thread)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class PredictBenchmark {
  static final int POOL = 1024;
  static final int BATCH = 64;

  @Param({"784-128-10", "784-256-10", "784-1024-10"})
  public String net;

  Model model;
  Workspace ws;
  float[] rows;
  float[][] batches;
  float[] out;
  float[] batchOut;
  int next;
  int nextBatch;

  @Setup
  public void setup() {
    TrainTest data = MnistLike.standard();
    try (Trainer t = Trainer.builder(TrainStepBenchmark.architecture(net)).scaling(data.scaling()).build()) {
      model = t.fit(data.train().slice(0, 20_000), null, 1).model();
    }
    ws = model.newWorkspace();
    Dataset pool = data.test().slice(0, POOL);
    rows = new float[POOL * pool.featureCount()];
    for (int i = 0; i < POOL; i++) {
      pool.copyRow(i, rows, i * pool.featureCount());
    }
    batches = new float[POOL / BATCH][];
    for (int b = 0; b < batches.length; b++) {
      batches[b] = java.util.Arrays.copyOfRange(rows, b * BATCH * 784, (b + 1) * BATCH * 784);
    }
    out = new float[model.architecture().outputs()];
    batchOut = new float[BATCH * model.architecture().outputs()];
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public float[] predictOne() {
    int r = next;
    next = r + 1 == POOL ? 0 : r + 1;
    model.predictProbabilities(rows, r * 784, out, 0, ws);
    return out;
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public float[] predictBatch64() {
    int b = nextBatch;
    nextBatch = b + 1 == batches.length ? 0 : b + 1;
    model.predictBatchProbabilities(batches[b], BATCH, batchOut, ws);
    return batchOut;
  }
}
