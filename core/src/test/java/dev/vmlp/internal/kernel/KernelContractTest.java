package dev.vmlp.internal.kernel;

import static dev.vmlp.internal.kernel.KernelFixtures.bits;
import static dev.vmlp.internal.kernel.KernelFixtures.copy;
import static dev.vmlp.internal.kernel.KernelFixtures.nonZeros;
import static dev.vmlp.internal.kernel.KernelFixtures.toArray;
import static dev.vmlp.internal.kernel.KernelFixtures.vector;
import static dev.vmlp.internal.kernel.KernelFixtures.weights;
import static dev.vmlp.internal.kernel.KernelFixtures.without;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmlp.Activation;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties every {@link Kernels} implementation must have, checked on the kernels this JVM uses
 * (the vector kernels when the suite runs with them) and on the scalar reference: the sparse and
 * fused variants give exactly the bits of the dense, unfused ones, and the results are within a
 * stated tolerance of double-precision math.
 *
 * <p>Tolerance for a sum of {@code n} products: {@code 1e-6 * (n + 1) * Σ|terms|} (float rounding of
 * each of at most {@code n + 1} steps, and far below any formula error).
 */
class KernelContractTest {
  static final List<Kernels> KERNELS = List.of(KernelProvider.get(), KernelProvider.scalar());

  @Provide
  Arbitrary<Integer> sizes() {
    return Arbitraries.of(1, 15, 16, 17, 100, 784, 1023);
  }

  @Provide
  Arbitrary<Integer> outputs() {
    return Arbitraries.of(1, 10, 15, 16, 17, 100, 256);
  }

  private static double tolerance(int n, double absSum) {
    return 1e-6 * (n + 1) * absSum + 1e-30;
  }

  /**
   * The non-zero list: every index whose value is not ±0 (NaN and infinities included), ascending,
   * read from an offset, and nothing written past {@code n}.
   */
  @Property(tries = 60)
  void nonZerosListsEveryNonZeroInOrder(@ForAll("sizes") int n, @ForAll long seed,
      @ForAll @DoubleRange(min = 0, max = 1) double zeros) {
    Random rnd = new Random(seed);
    int off = rnd.nextInt(40);
    float[] x = new float[off + n + rnd.nextInt(40)];
    float[] values = vector(rnd, n, n, zeros);
    for (int i = 0; i < n; i++) {
      int special = rnd.nextInt(50);
      x[off + i] = special == 0 ? Float.NaN : special == 1 ? Float.NEGATIVE_INFINITY : special == 2
          ? Float.POSITIVE_INFINITY : special == 3 ? Float.MIN_VALUE : values[i];
    }
    x[0] = off > 0 ? 1f : x[0]; // a non-zero before the offset must not be listed
    int[] expected = java.util.stream.IntStream.range(0, n).filter(i -> x[off + i] != 0f).toArray();
    for (Kernels k : KERNELS) {
      int[] nz = new int[n + 40];
      java.util.Arrays.fill(nz, -7);
      int count = k.nonZeros(x, off, n, nz);
      assertArrayEquals(expected, java.util.Arrays.copyOf(nz, count), k.name() + ": the list, n=" + n + " off=" + off);
      for (int i = n; i < nz.length; i++) {
        assertEquals(-7, nz[i], k.name() + ": wrote nz[" + i + "] past n=" + n);
      }
      assertEquals(0, k.nonZeros(x, off, 0, new int[0]), k.name() + ": an empty row");
    }
  }

  /**
   * The previous sample's rows that the next one lacks: the entries of a list (inside a larger array)
   * whose input in the next sample (inside a larger array) is ±0, in order, and nothing written past
   * the list's length.
   */
  @Property(tries = 100)
  void zerosAtKeepsInOrderTheListedRowsWhoseInputIsZero(@ForAll @IntRange(min = 1, max = 1100) int n,
      @ForAll long seed) {
    Random rnd = new Random(seed);
    int[] prevNz = nonZeros(vector(rnd, n, n, rnd.nextDouble()), n);
    int xOff = rnd.nextInt(5) * n;
    float[] next = vector(rnd, n, n, rnd.nextDouble());
    if (rnd.nextInt(4) == 0) {
      next[rnd.nextInt(n)] = Float.NaN; // not a zero
    }
    float[] x = new float[xOff + n + 3];
    System.arraycopy(next, 0, x, xOff, n);
    int off = rnd.nextInt(5);
    int[] list = new int[off + prevNz.length + 3];
    System.arraycopy(prevNz, 0, list, off, prevNz.length);
    int[] expected = java.util.Arrays.stream(prevNz).filter(j -> next[j] == 0f).toArray();
    for (Kernels k : KERNELS) {
      int[] out = new int[prevNz.length + 20];
      java.util.Arrays.fill(out, -7);
      int count = k.zerosAt(list, off, prevNz.length, x, xOff, out);
      assertArrayEquals(expected, java.util.Arrays.copyOf(out, count), k.name() + ": the list, n=" + n);
      for (int i = prevNz.length; i < out.length; i++) {
        assertEquals(-7, out[i], k.name() + ": wrote out[" + i + "] past the list's length " + prevNz.length);
      }
    }
  }

  @Property(tries = 40)
  void inputMajorForwardMatchesDoubleAndSparseMatchesDenseBitForBit(
      @ForAll("sizes") int n, @ForAll("outputs") int out, @ForAll long seed,
      @ForAll @DoubleRange(min = 0, max = 0.95) double zeros) {
    Random rnd = new Random(seed);
    int pad = Layout.pad(out);
    int block = KernelFixtures.firstBlock(out);
    MemorySegment wt = weights(rnd, n, out, block);
    float[] x = vector(rnd, n, n, zeros);
    float[] b = vector(rnd, out, pad, 0.2);
    int[] nz = nonZeros(x, n);
    for (Kernels k : KERNELS) {
      float[] dense = new float[pad];
      float[] sparse = new float[pad];
      k.forwardInputMajor(wt, block, x, 0, n, b, dense, 0, pad);
      k.forwardInputMajorSparse(wt, block, n, x, 0, nz, 0, nz.length, b, sparse, 0, pad);
      assertArrayEquals(dense, sparse, 0f, k.name() + ": sparse differs from dense");
      for (int o = 0; o < pad; o++) {
        double sum = b[o];
        double abs = Math.abs(b[o]);
        for (int j = 0; j < n; j++) {
          double t = (double) x[j] * wt.getAtIndex(JAVA_FLOAT, Layout.index(n, block, j, o));
          sum += t;
          abs += Math.abs(t);
        }
        assertEquals(sum, dense[o], tolerance(n, abs), k.name() + " z[" + o + "]");
        assertEquals(Float.floatToRawIntBits(dense[o]), Float.floatToRawIntBits(sparse[o]), "sign of zero");
      }
    }
  }

  @Property(tries = 40)
  void inputMajorUpdatesAgreeDenseSparseAndFused(
      @ForAll("sizes") int n, @ForAll("outputs") int out, @ForAll long seed,
      @ForAll @DoubleRange(min = 0, max = 0.95) double zeros) {
    Random rnd = new Random(seed);
    int pad = Layout.pad(out);
    int block = KernelFixtures.firstBlock(out);
    MemorySegment w0 = weights(rnd, n, out, block);
    float[] xPrev = vector(rnd, n, n, zeros);
    float[] xNext = vector(rnd, n, n, zeros);
    float[] g = vector(rnd, out, pad, 0.1);
    float[] b = vector(rnd, out, pad, 0.2);
    for (Kernels k : KERNELS) {
      MemorySegment dense = copy(w0);
      MemorySegment sparse = copy(w0);
      MemorySegment fused = copy(w0);
      k.updateInputMajor(dense, block, xPrev, 0, n, g, 0, pad);
      int[] nz = nonZeros(xPrev, n);
      k.updateInputMajorSparse(sparse, block, n, xPrev, 0, nz, 0, nz.length, g, 0, pad);
      float[] zFused = new float[pad];
      k.updateForwardInputMajor(fused, block, xPrev, 0, g, xNext, 0, n, b, zFused, 0, pad);
      float[] zAfter = new float[pad];
      k.forwardInputMajor(dense, block, xNext, 0, n, b, zAfter, 0, pad);
      float[] d = toArray(dense);
      // raw bits: a delta of 0 takes -0 for +0, and an fma on a zero input's row turns a -0 weight into +0
      assertArrayEquals(bits(d), bits(toArray(sparse)), k.name() + ": sparse update differs");
      assertArrayEquals(bits(d), bits(toArray(fused)), k.name() + ": fused update differs");
      assertArrayEquals(bits(zAfter), bits(zFused), k.name() + ": fused forward differs");
      // both sparse: the rows only xPrev has updated alone, the rest on a sweep over xNext's rows
      MemorySegment sparseFused = copy(w0);
      int[] nzNext = nonZeros(xNext, n);
      int[] prevOnly = without(nz, nzNext);
      k.updateInputMajorSparse(sparseFused, block, n, xPrev, 0, prevOnly, 0, prevOnly.length, g, 0, pad);
      float[] zSparseFused = new float[pad];
      k.updateForwardInputMajorSparse(sparseFused, block, n, xPrev, 0, g, xNext, 0, nzNext, 0, nzNext.length, b,
          zSparseFused, 0, pad);
      assertArrayEquals(bits(d), bits(toArray(sparseFused)), k.name() + ": sparse fused update differs");
      assertArrayEquals(bits(zAfter), bits(zSparseFused), k.name() + ": sparse fused forward differs");
      for (int j = 0; j < n; j++) {
        for (int o = 0; o < pad; o++) {
          long at = Layout.index(n, block, j, o);
          float before = w0.getAtIndex(JAVA_FLOAT, at);
          float expected = xPrev[j] == 0f ? before : Math.fma(g[o], xPrev[j], before);
          assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(d[(int) at]),
              k.name() + " W[" + j + "][" + o + "]: rows of zero inputs keep their bits");
        }
      }
    }
  }

  @Property(tries = 40)
  void chunkDotsAddUpToTheDotProduct(@ForAll("sizes") int in, @ForAll("outputs") int rows, @ForAll long seed) {
    Random rnd = new Random(seed);
    int n = Layout.pad(in);
    int block = Layout.chunkLength(n);
    MemorySegment w = weights(rnd, rows, in, block);
    float[] x = vector(rnd, in, n, 0.3);
    int chunks = Layout.chunkCount(n);
    for (Kernels k : KERNELS) {
      float[] partials = new float[rows * chunks];
      k.chunkDots(w, rows, x, n, 0, chunks, partials);
      // any split of the chunks gives the same partials, and a call writes its own chunks only
      float[] split = new float[rows * chunks];
      Arrays.fill(split, Float.NaN);
      int mid = chunks / 2;
      k.chunkDots(w, rows, x, n, mid, chunks, split);
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < chunks; c++) {
          float expected = c < mid ? Float.NaN : partials[r * chunks + c];
          assertEquals(expected, split[r * chunks + c], 0f, k.name() + ": row " + r + " chunk " + c + " of [" + mid
              + ", " + chunks + ")");
        }
      }
      k.chunkDots(w, rows, x, n, 0, mid, split);
      assertArrayEquals(partials, split, 0f, k.name() + ": chunk ranges must not interact");
      for (int r = 0; r < rows; r++) {
        double sum = 0;
        double abs = 0;
        float acc = partials[r * chunks];
        for (int c = 1; c < chunks; c++) {
          acc += partials[r * chunks + c];
        }
        for (int j = 0; j < in; j++) {
          double t = (double) x[j] * w.getAtIndex(JAVA_FLOAT, Layout.index(rows, block, r, j));
          sum += t;
          abs += Math.abs(t);
        }
        assertEquals(sum, acc, tolerance(in, abs), k.name() + " row " + r);
      }
    }
  }

  /**
   * The chunk partials have the bits of {@link Kernels#chunkDots}'s documented order, with chunks of
   * {@code 64 ⌈n/1024⌉} inputs: the layout that fixes a wide layer's sums (and so its weights' hash).
   * Sizes past 1,024 only, where chunks grow beyond 64: the properties above never reach them.
   */
  @Property(tries = 30) // each of the 6 sizes is drawn in a run but for a chance of 0.4%
  void wideInputsAreCutIntoTheDocumentedChunks(@ForAll("wideInputs") int in, @ForAll @IntRange(min = 1, max = 5) int rows,
      @ForAll long seed) {
    Random rnd = new Random(seed);
    int n = Layout.pad(in);
    int len = 64 * ((n + 1023) / 1024);
    int chunks = (n + len - 1) / len;
    assertEquals(len, Layout.chunkLength(n), "chunk length of " + n + " inputs");
    assertEquals(chunks, Layout.chunkCount(n), "chunks of " + n + " inputs");
    MemorySegment w = weights(rnd, rows, in, len);
    float[] x = vector(rnd, in, n, 0.3);
    float[] expected = new float[rows * chunks];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < chunks; c++) {
        expected[r * chunks + c] = KernelFixtures.chunkDot(w, rows, len, x, n, r, c);
      }
    }
    for (Kernels k : KERNELS) {
      float[] partials = new float[rows * chunks];
      k.chunkDots(w, rows, x, n, 0, chunks, partials);
      assertArrayEquals(bits(expected), bits(partials), k.name() + ": " + rows + "x" + in);
    }
  }

  @Provide
  Arbitrary<Integer> wideInputs() {
    return Arbitraries.of(1025, 1100, 2048, 2049, 3000, 5000);
  }

  @Property(tries = 40)
  void backwardUpdateIsTheTransposedProductThenTheRankOneUpdate(
      @ForAll("outputs") int rows, @ForAll("sizes") int in, @ForAll long seed) {
    Random rnd = new Random(seed);
    int n = Layout.pad(in);
    int block = Layout.chunkLength(n);
    MemorySegment w0 = weights(rnd, rows, in, block);
    float[] s = vector(rnd, rows, rows, 0.1);
    float[] g = new float[rows];
    for (int r = 0; r < rows; r++) {
      g[r] = -0.01f * s[r];
    }
    float[] x = vector(rnd, in, n, 0.3);
    for (Kernels k : KERNELS) {
      MemorySegment w = copy(w0);
      float[] delta = new float[n];
      k.backwardUpdateOutputMajor(w, block, rows, s, g, x, delta, 0, n);
      MemorySegment w2 = copy(w0);
      k.backwardUpdateOutputMajor(w2, block, rows, s, g, x, null, 0, n);
      assertArrayEquals(bits(toArray(w)), bits(toArray(w2)), "the update does not depend on computing delta");
      for (int j = 0; j < n; j++) {
        double sum = 0;
        double abs = 0;
        for (int r = 0; r < rows; r++) {
          long at = Layout.index(rows, block, r, j);
          float old = w0.getAtIndex(JAVA_FLOAT, at);
          sum += (double) s[r] * old;
          abs += Math.abs((double) s[r] * old);
          assertEquals(Float.floatToRawIntBits(Math.fma(g[r], x[j], old)),
              Float.floatToRawIntBits(w.getAtIndex(JAVA_FLOAT, at)), k.name() + " W[" + r + "][" + j + "]");
        }
        assertEquals(sum, delta[j], tolerance(rows, abs), k.name() + " delta[" + j + "]");
      }
    }
  }

  /**
   * Every output is written, not added to, in its range, and left as it was outside: training reuses
   * one vector per layer for every sample, and threads share it by range, so a kernel that summed into
   * what its output held, or wrote past its range, would mix samples or threads.
   */
  @Property(tries = 30)
  void outputsAreOverwrittenInTheirRangeAndKeptOutsideIt(
      @ForAll("sizes") int n, @ForAll("outputs") int out, @ForAll long seed) {
    Random rnd = new Random(seed);
    int pad = Layout.pad(out);
    int block = KernelFixtures.firstBlock(out);
    int o0 = pad > 64 ? 64 : 0; // a chunk boundary
    MemorySegment w0 = weights(rnd, n, out, block);
    float[] xPrev = vector(rnd, n, n, 0.5);
    float[] x = vector(rnd, n, n, 0.5);
    int[] nz = nonZeros(x, n);
    float[] g = vector(rnd, out, pad, 0.1);
    float[] b = vector(rnd, out, pad, 0.2);
    int inPad = Layout.pad(n);
    int j0 = inPad > 64 ? 64 : 0;
    int rows = 1 + rnd.nextInt(20);
    MemorySegment wOut = weights(rnd, rows, n, Layout.chunkLength(inPad));
    float[] s = vector(rnd, rows, rows, 0.1);
    float[] gOut = vector(rnd, rows, rows, 0.1);
    float[] xOut = vector(rnd, n, inPad, 0.3);
    for (Kernels k : KERNELS) {
      float[] fresh = new float[pad];
      k.forwardInputMajor(w0, block, x, 0, n, b, fresh, 0, pad);
      float[] z = stale(pad);
      k.forwardInputMajor(w0, block, x, 0, n, b, z, o0, pad);
      assertWritten(fresh, z, o0, pad, k.name() + " forwardInputMajor");
      z = stale(pad);
      k.forwardInputMajorSparse(w0, block, n, x, 0, nz, 0, nz.length, b, z, o0, pad);
      assertWritten(fresh, z, o0, pad, k.name() + " forwardInputMajorSparse");

      MemorySegment updated = copy(w0);
      k.updateInputMajor(updated, block, xPrev, 0, n, g, 0, pad);
      float[] freshAfter = new float[pad];
      k.forwardInputMajor(updated, block, x, 0, n, b, freshAfter, 0, pad);
      z = stale(pad);
      k.updateForwardInputMajor(copy(w0), block, xPrev, 0, g, x, 0, n, b, z, o0, pad);
      assertWritten(freshAfter, z, o0, pad, k.name() + " updateForwardInputMajor");
      z = stale(pad);
      MemorySegment sparseFused = copy(w0);
      int[] prevOnly = without(nonZeros(xPrev, n), nz);
      k.updateInputMajorSparse(sparseFused, block, n, xPrev, 0, prevOnly, 0, prevOnly.length, g, 0, pad);
      k.updateForwardInputMajorSparse(sparseFused, block, n, xPrev, 0, g, x, 0, nz, 0, nz.length, b, z, o0, pad);
      assertWritten(freshAfter, z, o0, pad, k.name() + " updateForwardInputMajorSparse");

      float[] freshDelta = new float[inPad];
      k.backwardUpdateOutputMajor(copy(wOut), Layout.chunkLength(inPad), rows, s, gOut, xOut, freshDelta, 0, inPad);
      float[] delta = stale(inPad);
      k.backwardUpdateOutputMajor(copy(wOut), Layout.chunkLength(inPad), rows, s, gOut, xOut, delta, j0, inPad);
      assertWritten(freshDelta, delta, j0, inPad, k.name() + " backwardUpdateOutputMajor delta");

      float[] zs = vector(rnd, 48, 48, 0.2);
      float[] ds = vector(rnd, 48, 48, 0.2);
      for (Activation a : Activation.values()) {
        float[] freshO = new float[48];
        k.activate(a, zs, freshO, 0, 48);
        float[] o = stale(48);
        k.activate(a, zs, o, 16, 32);
        assertWritten(freshO, o, 16, 32, k.name() + " activate " + a);
        float[] freshS = new float[48];
        k.activationGradient(a, zs, freshO, ds, freshS, 0, 48);
        float[] sg = stale(48);
        k.activationGradient(a, zs, freshO, ds, sg, 16, 32);
        assertWritten(freshS, sg, 16, 32, k.name() + " activationGradient " + a);
      }
    }
  }

  /** What a reused output holds from before: 7 everywhere. */
  private static float[] stale(int length) {
    float[] v = new float[length];
    Arrays.fill(v, 7f);
    return v;
  }

  private static void assertWritten(float[] expected, float[] actual, int from, int to, String what) {
    for (int i = 0; i < actual.length; i++) {
      float e = i >= from && i < to ? expected[i] : 7f;
      assertEquals(Float.floatToRawIntBits(e), Float.floatToRawIntBits(actual[i]),
          what + " [" + i + "] of a call on [" + from + ", " + to + "): " + e + " expected, " + actual[i]);
    }
  }

  /**
   * The edge values the activations' contract names: ReLU is {@code Math.max(z, +0)}, so NaN stays NaN
   * (a diverged unit must reach the loss) and -0 becomes +0; leaky ReLU keeps NaN and -0's sign
   * ({@code 0.01 * -0}); the gradients of ReLU pass NaN's delta only for {@code z > 0}. At every length
   * from 1 to 40, so that each value falls in a vector's body and in the scalar tail.
   */
  @Property(tries = 20)
  void reluKeepsNaNAndTurnsNegativeZeroIntoPositiveZero(@ForAll @IntRange(min = 1, max = 40) int n,
      @ForAll long seed) {
    Random rnd = new Random(seed);
    float[] edges = {Float.NaN, -0f, 0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -1f, 1f};
    float[] z = new float[n];
    for (int i = 0; i < n; i++) {
      z[i] = edges[rnd.nextInt(edges.length)];
    }
    for (Kernels k : KERNELS) {
      float[] relu = new float[n];
      float[] leaky = new float[n];
      k.activate(Activation.RELU, z, relu, 0, n);
      k.activate(Activation.LEAKY_RELU, z, leaky, 0, n);
      for (int i = 0; i < n; i++) {
        float expected = Float.isNaN(z[i]) ? Float.NaN : z[i] > 0f ? z[i] : 0f;
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(relu[i]), k.name() + " relu(" + z[i] + ")");
        float expectedLeaky = Float.isNaN(z[i]) ? Float.NaN : z[i] > 0f ? z[i] : 0.01f * z[i];
        assertEquals(Float.floatToIntBits(expectedLeaky), Float.floatToIntBits(leaky[i]),
            k.name() + " leaky_relu(" + z[i] + ")");
      }
    }
  }

  /**
   * The ReLU family's gradients at their kink and at the other edge values, as the contract writes
   * them: ReLU gives {@code z > 0 ? delta : +0} (so at {@code z = ±0} the unit passes nothing), leaky
   * ReLU {@code z > 0 ? delta : delta * 0.01f}. Random pre-activations almost never hit 0 exactly, where
   * a {@code z >= 0} test would pass the whole delta. At every length from 1 to 40, as above.
   */
  @Property(tries = 20)
  void reluGradientsPassNothingAtZeroAndLeakyOneHundredth(@ForAll @IntRange(min = 1, max = 40) int n,
      @ForAll long seed) {
    Random rnd = new Random(seed);
    float[] edges = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.NaN, -1f, 1f};
    float[] z = new float[n];
    float[] delta = new float[n];
    for (int i = 0; i < n; i++) {
      z[i] = edges[rnd.nextInt(edges.length)];
      delta[i] = rnd.nextInt(8) == 0 ? Float.NaN : (float) rnd.nextGaussian();
    }
    for (Kernels k : KERNELS) {
      float[] o = new float[n];
      float[] relu = new float[n];
      float[] leaky = new float[n];
      k.activate(Activation.RELU, z, o, 0, n);
      k.activationGradient(Activation.RELU, z, o, delta, relu, 0, n);
      k.activate(Activation.LEAKY_RELU, z, o, 0, n);
      k.activationGradient(Activation.LEAKY_RELU, z, o, delta, leaky, 0, n);
      for (int i = 0; i < n; i++) {
        boolean positive = z[i] > 0f; // false for ±0 and NaN
        assertEquals(Float.floatToIntBits(positive ? delta[i] : 0f), Float.floatToIntBits(relu[i]),
            k.name() + " relu'(" + z[i] + ") * " + delta[i]);
        assertEquals(Float.floatToIntBits(positive ? delta[i] : delta[i] * 0.01f), Float.floatToIntBits(leaky[i]),
            k.name() + " leaky_relu'(" + z[i] + ") * " + delta[i]);
      }
    }
  }

  @Property(tries = 30)
  void activationsAndGradientsMatchDoublePrecision(@ForAll("sizes") int n, @ForAll long seed) {
    Random rnd = new Random(seed);
    float[] z = new float[n];
    for (int i = 0; i < n; i++) {
      z[i] = (float) (rnd.nextGaussian() * (rnd.nextBoolean() ? 1 : 30));
    }
    float[] delta = vector(rnd, n, n, 0.1);
    for (Kernels k : KERNELS) {
      for (Activation a : Activation.values()) {
        float[] o = new float[n];
        float[] s = new float[n];
        k.activate(a, z, o, 0, n);
        k.activationGradient(a, z, o, delta, s, 0, n);
        for (int i = 0; i < n; i++) {
          double zi = z[i];
          double expected = switch (a) {
            case IDENTITY -> zi;
            case SIGMOID -> 1 / (1 + Math.exp(-zi));
            case TANH -> Math.tanh(zi);
            case RELU -> Math.max(zi, 0);
            case LEAKY_RELU -> zi > 0 ? zi : 0.01f * zi;
          };
          // sigmoid below about 1e-38 flushes to 0 (exp's contract): hence the MIN_NORMAL absolute slack
          assertEquals(expected, o[i], 4 * Math.ulp((float) expected) + Float.MIN_NORMAL,
              k.name() + " " + a + "(" + zi + ")");
          double d = switch (a) {
            case IDENTITY -> 1;
            case SIGMOID -> o[i] * (1.0 - o[i]);
            case TANH -> 1.0 - (double) o[i] * o[i];
            case RELU -> zi > 0 ? 1 : 0;
            case LEAKY_RELU -> zi > 0 ? 1 : 0.01f;
          };
          assertEquals(delta[i] * d, s[i], 2 * Math.ulp((float) (delta[i] * d)) + Float.MIN_NORMAL,
              k.name() + " " + a + "' at " + zi);
        }
      }
    }
  }
}
