package dev.vmlp.jmh;

import dev.vmlp.internal.kernel.KernelProvider;
import dev.vmlp.internal.kernel.Kernels;
import dev.vmlp.internal.kernel.Layout;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
 * Each kernel at the layer shapes that matter, scalar reference against the vector kernels in the same
 * run (each {@code impl} in its own forks). Shapes are {@code IN x OUT}; GFLOP/s = {@code 2 IN OUT / ns}
 * for the products and the rank-1 update, twice that for the fused and the transposed-plus-update
 * kernels.
 *
 * <ul>
 *   <li>{@code forwardInputMajor}: the first layer's product (axpy form, outputs in registers);
 *   <li>{@code forwardOutputMajor}: a later layer's product (chunked dots, then the chunk sums);
 *   <li>{@code rank1InputMajor}: the first layer's update {@code W -= η s xᵀ};
 *   <li>{@code updateForwardFused}: that update fused with the next sample's product;
 *   <li>{@code transposedUpdate}: a later layer's {@code Wᵀ s} with its update, one sweep.
 * </ul>
 * Inputs are dense (no zeros), so no row is skipped. {@code g} and {@code x} are positive, so every
 * update moves each weight the same way, by up to about 1.1e-7: the weights drift rather than stay put
 * (the 256x10 kernels make millions of updates a second) until a step is less than half a float's
 * spacing, which stops every weight at a magnitude of 2 or less. They stay finite however long the run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class KernelBenchmark {
  @Param({"scalar", "vector"})
  public String impl;

  @Param({"784x128", "784x256", "256x10", "1024x1024"})
  public String shape;

  Kernels k;
  int in;
  int out;
  int inPad;
  int outPad;
  int chunks;
  int inBlock;
  int outBlock;
  MemorySegment inputMajor;
  MemorySegment outputMajor;
  float[] x;
  float[] x2;
  float[] b;
  float[] z;
  float[] g;
  float[] s;
  float[] delta;
  float[] partials;

  /**
   * The kernels of {@code impl}: {@code scalar} or {@code vector} (which must be available), for every
   * benchmark with an {@code impl} parameter.
   */
  public static Kernels kernels(String impl) {
    return switch (impl) {
      case "scalar" -> KernelProvider.scalar();
      case "vector" -> KernelProvider.vector().orElseThrow(
          () -> new IllegalStateException("the vector kernels cannot run: " + KernelProvider.vectorReason()));
      default -> throw new IllegalArgumentException("impl " + impl);
    };
  }

  /** A random {@code rows x cols} matrix in column blocks of {@code block} floats, as layers store them. */
  static MemorySegment randomSegment(SplittableRandom rnd, int rows, int cols, int block) {
    long floats = Layout.blockedSize(rows, Layout.pad(cols), block);
    MemorySegment w = Arena.ofAuto().allocate(floats * Float.BYTES, Layout.ALIGN_BYTES);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        w.setAtIndex(ValueLayout.JAVA_FLOAT, Layout.index(rows, block, r, c), (float) (rnd.nextDouble() - 0.5) * 0.1f);
      }
    }
    return w;
  }

  static float[] randomVector(SplittableRandom rnd, int n, int pad, float scale) {
    float[] v = new float[pad];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (0.05 + rnd.nextDouble()) * scale;
    }
    return v;
  }

  @Setup
  public void setup() {
    k = kernels(impl);
    String[] p = shape.split("x");
    in = Integer.parseInt(p[0]);
    out = Integer.parseInt(p[1]);
    inPad = Layout.pad(in);
    outPad = Layout.pad(out);
    chunks = Layout.chunkCount(inPad);
    SplittableRandom rnd = new SplittableRandom(42);
    inBlock = Layout.chunkLength(outPad); // a first layer followed by another
    outBlock = Layout.chunkLength(inPad);
    inputMajor = randomSegment(rnd, in, out, inBlock);
    outputMajor = randomSegment(rnd, out, in, outBlock);
    x = randomVector(rnd, in, inPad, 1f);
    x2 = randomVector(rnd, in, inPad, 1f);
    b = randomVector(rnd, out, outPad, 0.1f);
    z = new float[outPad];
    g = randomVector(rnd, out, outPad, 1e-7f);
    s = randomVector(rnd, out, outPad, 1f);
    delta = new float[inPad];
    partials = new float[out * chunks];
  }

  @Benchmark
  public float[] forwardInputMajor() {
    k.forwardInputMajor(inputMajor, inBlock, x, 0, in, b, z, 0, outPad);
    return z;
  }

  @Benchmark
  public float[] forwardOutputMajor() {
    k.chunkDots(outputMajor, out, x, inPad, 0, chunks, partials);
    for (int r = 0; r < out; r++) {
      float acc = partials[r * chunks];
      for (int c = 1; c < chunks; c++) {
        acc += partials[r * chunks + c];
      }
      z[r] = acc + b[r];
    }
    return z;
  }

  @Benchmark
  public MemorySegment rank1InputMajor() {
    k.updateInputMajor(inputMajor, inBlock, x, 0, in, g, 0, outPad);
    return inputMajor;
  }

  @Benchmark
  public float[] updateForwardFused() {
    k.updateForwardInputMajor(inputMajor, inBlock, x, 0, g, x2, 0, in, b, z, 0, outPad);
    return z;
  }

  @Benchmark
  public float[] transposedUpdate() {
    k.backwardUpdateOutputMajor(outputMajor, outBlock, out, s, g, x, delta, 0, inPad);
    return delta;
  }
}
