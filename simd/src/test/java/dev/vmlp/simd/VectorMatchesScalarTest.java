package dev.vmlp.simd;

import static dev.vmlp.internal.kernel.KernelFixtures.copy;
import static dev.vmlp.internal.kernel.KernelFixtures.nonZeros;
import static dev.vmlp.internal.kernel.KernelFixtures.toArray;
import static dev.vmlp.internal.kernel.KernelFixtures.vector;
import static dev.vmlp.internal.kernel.KernelFixtures.weights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vmlp.Activation;
import dev.vmlp.internal.kernel.KernelProvider;
import dev.vmlp.internal.kernel.Kernels;
import dev.vmlp.internal.kernel.Layout;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Every vector kernel against the scalar reference, bit for bit (signed zeros included), over odd and
 * even sizes. The build runs this class at 128, 256 and 512 bits ({@code -Dvmlp.vectorBits}).
 */
@AddLifecycleHook(VectorOnly.class)
class VectorMatchesScalarTest {
  static final Kernels SCALAR = KernelProvider.scalar();

  private static Kernels v() {
    return KernelProvider.vector().orElseThrow();
  }

  /** Row counts: the odd sizes plus every remainder mod 4 of the row tiles, and 10 (the output layer). */
  @Provide
  Arbitrary<Integer> rowCounts() {
    return Arbitraries.of(1, 2, 10, 15, 16, 17, 100, 784, 1023);
  }

  /** Inputs of a later layer: the odd sizes, and one past 1,024, whose chunks are 128 floats long. */
  @Provide
  Arbitrary<Integer> inputs() {
    return Arbitraries.of(1, 15, 16, 17, 100, 784, 1023, 1100);
  }

  @Provide
  Arbitrary<Integer> sizes() {
    return Arbitraries.of(1, 15, 16, 17, 100, 784, 1023);
  }

  static void assertSameBits(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
        fail(what + ": element " + i + " is " + actual[i] + " (bits " + Integer.toHexString(Float.floatToRawIntBits(actual[i]))
            + "), the scalar reference gives " + expected[i] + " (bits "
            + Integer.toHexString(Float.floatToRawIntBits(expected[i])) + ")");
      }
    }
  }

  @Property(tries = 60)
  void inputMajorForwardAndUpdate(@ForAll("sizes") int n, @ForAll("sizes") int out, @ForAll long seed,
      @ForAll @DoubleRange(min = 0, max = 0.9) double zeros) {
    Kernels v = v();
    Random rnd = new Random(seed);
    int pad = Layout.pad(out);
    // the layout of a first layer followed by another, and of a network of one layer
    int block = rnd.nextBoolean() ? dev.vmlp.internal.kernel.KernelFixtures.firstBlock(out) : pad;
    MemorySegment w = weights(rnd, n, out, block);
    float[] x = vector(rnd, n, n, zeros);
    float[] x2 = vector(rnd, n, n, zeros);
    float[] b = vector(rnd, out, pad, 0.2);
    float[] g = vector(rnd, out, pad, 0.1);
    int[] nz = nonZeros(x, n);
    // an output range that is a proper sub-range when possible, as a thread's slice (whole chunks) would be
    int o0 = pad >= 128 && block < pad ? 64 : 0;
    float[] zs = new float[pad];
    float[] zv = new float[pad];
    SCALAR.forwardInputMajor(w, block, x, 0, n, b, zs, o0, pad);
    v.forwardInputMajor(w, block, x, 0, n, b, zv, o0, pad);
    assertSameBits(zs, zv, "forwardInputMajor " + n + "x" + out);
    SCALAR.forwardInputMajorSparse(w, block, n, x, 0, nz, 0, nz.length, b, zs, o0, pad);
    v.forwardInputMajorSparse(w, block, n, x, 0, nz, 0, nz.length, b, zv, o0, pad);
    assertSameBits(zs, zv, "forwardInputMajorSparse");

    MemorySegment ws = copy(w);
    MemorySegment wv = copy(w);
    SCALAR.updateInputMajor(ws, block, x, 0, n, g, o0, pad);
    v.updateInputMajor(wv, block, x, 0, n, g, o0, pad);
    assertSameBits(toArray(ws), toArray(wv), "updateInputMajor");
    SCALAR.updateInputMajorSparse(ws, block, n, x2, 0, nonZeros(x2, n), 0, nonZeros(x2, n).length, g, o0, pad);
    v.updateInputMajorSparse(wv, block, n, x2, 0, nonZeros(x2, n), 0, nonZeros(x2, n).length, g, o0, pad);
    assertSameBits(toArray(ws), toArray(wv), "updateInputMajorSparse");
    SCALAR.updateForwardInputMajor(ws, block, x, 0, g, x2, 0, n, b, zs, o0, pad);
    v.updateForwardInputMajor(wv, block, x, 0, g, x2, 0, n, b, zv, o0, pad);
    assertSameBits(toArray(ws), toArray(wv), "updateForwardInputMajor weights");
    assertSameBits(zs, zv, "updateForwardInputMajor outputs");
    int[] nz2 = nonZeros(x2, n);
    SCALAR.updateForwardInputMajorSparse(ws, block, n, x, 0, g, x2, 0, nz2, 0, nz2.length, b, zs, o0, pad);
    v.updateForwardInputMajorSparse(wv, block, n, x, 0, g, x2, 0, nz2, 0, nz2.length, b, zv, o0, pad);
    assertSameBits(toArray(ws), toArray(wv), "updateForwardInputMajorSparse weights");
    assertSameBits(zs, zv, "updateForwardInputMajorSparse outputs");
  }

  @Property(tries = 60)
  void outputMajorDotsAndBackward(@ForAll("rowCounts") int rows, @ForAll("inputs") int in, @ForAll long seed) {
    Kernels v = v();
    Random rnd = new Random(seed);
    int n = Layout.pad(in);
    int block = Layout.chunkLength(n);
    MemorySegment w = weights(rnd, rows, in, block);
    float[] x = vector(rnd, in, n, 0.3);
    int chunks = Layout.chunkCount(n);
    float[] ps = new float[rows * chunks];
    float[] pv = new float[rows * chunks];
    SCALAR.chunkDots(w, rows, x, n, 0, chunks, ps);
    v.chunkDots(w, rows, x, n, 0, chunks, pv);
    assertSameBits(ps, pv, "chunkDots " + rows + "x" + in);
    // a thread's share: any range of chunks, the others left alone
    int c0 = rnd.nextInt(chunks);
    int c1 = c0 + 1 + rnd.nextInt(chunks - c0);
    Arrays.fill(ps, Float.NaN);
    Arrays.fill(pv, Float.NaN);
    SCALAR.chunkDots(w, rows, x, n, c0, c1, ps);
    v.chunkDots(w, rows, x, n, c0, c1, pv);
    assertSameBits(ps, pv, "chunkDots " + rows + "x" + in + " chunks [" + c0 + ", " + c1 + ")");

    float[] s = vector(rnd, rows, rows, 0.1);
    float[] g = new float[rows];
    for (int r = 0; r < rows; r++) {
      g[r] = -0.03f * s[r];
    }
    MemorySegment ws = copy(w);
    MemorySegment wv = copy(w);
    float[] ds = new float[n];
    float[] dv = new float[n];
    int j0 = n >= 128 ? 64 : 0;
    SCALAR.backwardUpdateOutputMajor(ws, block, rows, s, g, x, ds, j0, n);
    v.backwardUpdateOutputMajor(wv, block, rows, s, g, x, dv, j0, n);
    assertSameBits(ds, dv, "backwardUpdateOutputMajor delta");
    assertSameBits(toArray(ws), toArray(wv), "backwardUpdateOutputMajor weights");
    SCALAR.backwardUpdateOutputMajor(ws, block, rows, s, g, x, null, 0, n);
    v.backwardUpdateOutputMajor(wv, block, rows, s, g, x, null, 0, n);
    assertSameBits(toArray(ws), toArray(wv), "backwardUpdateOutputMajor without delta");
  }

  @Property(tries = 60)
  void activationsGradientsAndSoftmax(@ForAll("sizes") int n, @ForAll long seed) {
    Kernels v = v();
    Random rnd = new Random(seed);
    float[] z = new float[n + 3];
    for (int i = 0; i < z.length; i++) {
      double u = rnd.nextDouble();
      z[i] = u < 0.05 ? 0f : u < 0.1 ? -0f : u < 0.12 ? (rnd.nextBoolean() ? 1e-30f : -1e-30f)
          : (float) (rnd.nextGaussian() * (rnd.nextBoolean() ? 1 : 40));
    }
    float[] delta = vector(rnd, n + 3, n + 3, 0.1);
    int from = Math.min(1, n);
    for (Activation a : Activation.values()) {
      float[] os = new float[n + 3];
      float[] ov = new float[n + 3];
      SCALAR.activate(a, z, os, from, n + 1);
      v.activate(a, z, ov, from, n + 1);
      assertSameBits(os, ov, "activate " + a);
      float[] ss = new float[n + 3];
      float[] sv = new float[n + 3];
      SCALAR.activationGradient(a, z, os, delta, ss, from, n + 1);
      v.activationGradient(a, z, os, delta, sv, from, n + 1);
      assertSameBits(ss, sv, "activationGradient " + a);
    }
    // exact-length arrays, and arrays padded to whole vectors as the trainer's buffers are
    for (int len : new int[] {n, Layout.pad(n)}) {
      for (int label : new int[] {-1, 0, n / 2, n - 1}) {
        float[] p1 = new float[len];
        float[] p2 = new float[len];
        float[] s1 = new float[len];
        float[] s2 = new float[len];
        double l1 = SCALAR.softmax(z, n, label, p1, s1);
        double l2 = v.softmax(z, n, label, p2, s2);
        assertSameBits(p1, p2, "softmax probabilities, label " + label);
        assertSameBits(s1, s2, "softmax gradient, label " + label);
        assertEquals(Double.doubleToRawLongBits(l1), Double.doubleToRawLongBits(l2), "softmax loss");
        double l3 = v.softmax(z, n, label, p2, null);
        assertSameBits(p1, p2, "softmax probabilities without a gradient, label " + label);
        assertEquals(Double.doubleToRawLongBits(l1), Double.doubleToRawLongBits(l3), "softmax loss without a gradient");
      }
    }
  }

  @Property(tries = 40)
  void nonZeroList(@ForAll("sizes") int n, @ForAll long seed, @ForAll @DoubleRange(min = 0, max = 1) double zeros) {
    Random rnd = new Random(seed);
    int off = rnd.nextInt(20);
    float[] x = new float[off + n];
    System.arraycopy(vector(rnd, n, n, zeros), 0, x, off, n);
    x[off + rnd.nextInt(n)] = Float.NaN;
    int[] expected = new int[n];
    int[] actual = new int[n];
    int count = SCALAR.nonZeros(x, off, n, expected);
    assertEquals(count, v().nonZeros(x, off, n, actual), "count");
    assertEquals(Arrays.toString(Arrays.copyOf(expected, count)), Arrays.toString(Arrays.copyOf(actual, count)));
  }

  @Property(tries = 40)
  void zerosAtList(@ForAll("sizes") int n, @ForAll long seed, @ForAll @DoubleRange(min = 0, max = 1) double zeros) {
    Random rnd = new Random(seed);
    int[] list = nonZeros(vector(rnd, n, n, rnd.nextDouble()), n);
    float[] next = vector(rnd, n, n, zeros);
    int[] expected = new int[list.length];
    int[] actual = new int[list.length];
    int count = SCALAR.zerosAt(list, 0, list.length, next, 0, expected);
    assertEquals(count, v().zerosAt(list, 0, list.length, next, 0, actual), "count");
    assertEquals(Arrays.toString(Arrays.copyOf(expected, count)), Arrays.toString(Arrays.copyOf(actual, count)));
  }

  @Property(tries = 20)
  void expSigmoidTanhOverTheWholeRange(@ForAll long seed) {
    Kernels v = v();
    Random rnd = new Random(seed);
    int n = 4096;
    float[] z = new float[n];
    for (int i = 0; i < n; i++) {
      z[i] = Float.intBitsToFloat(rnd.nextInt()); // every magnitude, NaN and infinities included
    }
    for (Activation a : new Activation[] {Activation.SIGMOID, Activation.TANH}) {
      float[] os = new float[n];
      float[] ov = new float[n];
      SCALAR.activate(a, z, os, 0, n);
      v.activate(a, z, ov, 0, n);
      assertSameBits(os, ov, "activate " + a + " on arbitrary bit patterns");
    }
  }
}
