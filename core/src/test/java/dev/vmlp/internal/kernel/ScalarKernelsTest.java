package dev.vmlp.internal.kernel;

import static dev.vmlp.internal.kernel.KernelFixtures.bits;
import static dev.vmlp.internal.kernel.KernelFixtures.copy;
import static dev.vmlp.internal.kernel.KernelFixtures.nonZeros;
import static dev.vmlp.internal.kernel.KernelFixtures.toArray;
import static dev.vmlp.internal.kernel.KernelFixtures.vector;
import static dev.vmlp.internal.kernel.KernelFixtures.weights;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The scalar reference kernels step through each column block's consecutive floats instead of asking
 * {@link Layout#index} for every weight: they must reach exactly the weights it names. Each kernel
 * against the same operations written one element at a time at {@code Layout.index}, bit for bit, on
 * ranges the vector kernels never get (so {@code VectorMatchesScalarTest} cannot check them): ends
 * anywhere inside a block, blocks of 16 to 128 floats narrower than the range, a single block, inputs
 * that are not a multiple of 16 and a last chunk shorter than the others.
 */
class ScalarKernelsTest {
  static final Kernels SCALAR = KernelProvider.scalar();

  @Provide
  Arbitrary<Integer> inputs() {
    return Arbitraries.of(1, 5, 16, 17, 100, 130);
  }

  @Provide
  Arbitrary<Integer> outputs() {
    return Arbitraries.of(1, 15, 16, 17, 100, 200);
  }

  /** A column block width: 16, 32, 48, 64 or 128 floats, or the whole padded width. */
  private static int block(Random rnd, int pad) {
    int[] widths = {16, 32, 48, 64, 128, pad};
    return widths[rnd.nextInt(widths.length)];
  }

  /** A range {@code [from, to)} of {@code [0, pad)}, not empty, with both ends anywhere. */
  private static int[] range(Random rnd, int pad) {
    int from = rnd.nextInt(pad);
    return new int[] {from, from + 1 + rnd.nextInt(pad - from)};
  }

  /**
   * The input-major forward product of outputs {@code [o0, o1)} as the kernels specify it, one weight at a
   * time at {@link Layout#index}; the other outputs of the {@code pad} are left {@link #stale}.
   */
  private static float[] forwardAtLayoutIndex(
      MemorySegment w, int n, int block, float[] x, float[] b, int pad, int o0, int o1) {
    float[] z = stale(pad);
    for (int o = o0; o < o1; o++) {
      float acc = 0f;
      for (int j = 0; j < n; j++) {
        acc = Math.fma(x[j], w.getAtIndex(JAVA_FLOAT, Layout.index(n, block, j, o)), acc);
      }
      z[o] = acc + b[o];
    }
    return z;
  }

  @Property(tries = 200)
  void inputMajorKernelsReachTheWeightsLayoutIndexNames(
      @ForAll("inputs") int n, @ForAll("outputs") int out, @ForAll long seed) {
    Random rnd = new Random(seed);
    int pad = Layout.pad(out);
    int block = block(rnd, pad);
    int[] o = range(rnd, pad);
    int o0 = o[0];
    int o1 = o[1];
    String what = n + "x" + out + " in blocks of " + block + ", outputs [" + o0 + ", " + o1 + ")";
    MemorySegment w0 = weights(rnd, n, out, block);
    float[] xPrev = vector(rnd, n, n, 0.3);
    float[] x = vector(rnd, n, n, 0.3);
    float[] g = vector(rnd, out, pad, 0.1);
    float[] b = vector(rnd, out, pad, 0.2);

    // one element at a time, each weight at Layout.index
    float[] zExpected = forwardAtLayoutIndex(w0, n, block, x, b, pad, o0, o1);
    MemorySegment wExpected = copy(w0);
    for (int j = 0; j < n; j++) {
      for (int oo = o0; oo < o1; oo++) {
        long at = Layout.index(n, block, j, oo);
        if (xPrev[j] != 0f) {
          wExpected.setAtIndex(JAVA_FLOAT, at, Math.fma(g[oo], xPrev[j], wExpected.getAtIndex(JAVA_FLOAT, at)));
        }
      }
    }
    float[] zAfterExpected = forwardAtLayoutIndex(wExpected, n, block, x, b, pad, o0, o1);

    float[] z = stale(pad);
    SCALAR.forwardInputMajor(w0, block, x, 0, n, b, z, o0, o1);
    assertArrayEquals(bits(zExpected), bits(z), "forwardInputMajor " + what);
    int[] nz = nonZeros(x, n);
    z = stale(pad);
    SCALAR.forwardInputMajorSparse(w0, block, n, x, 0, nz, 0, nz.length, b, z, o0, o1);
    assertArrayEquals(bits(zExpected), bits(z), "forwardInputMajorSparse " + what);

    MemorySegment w = copy(w0);
    SCALAR.updateInputMajor(w, block, xPrev, 0, n, g, o0, o1);
    assertArrayEquals(bits(toArray(wExpected)), bits(toArray(w)), "updateInputMajor " + what);
    w = copy(w0);
    int[] nzPrev = nonZeros(xPrev, n);
    SCALAR.updateInputMajorSparse(w, block, n, xPrev, 0, nzPrev, 0, nzPrev.length, g, o0, o1);
    assertArrayEquals(bits(toArray(wExpected)), bits(toArray(w)), "updateInputMajorSparse " + what);

    w = copy(w0);
    z = stale(pad);
    SCALAR.updateForwardInputMajor(w, block, xPrev, 0, g, x, 0, n, b, z, o0, o1);
    assertArrayEquals(bits(toArray(wExpected)), bits(toArray(w)), "updateForwardInputMajor weights " + what);
    assertArrayEquals(bits(zAfterExpected), bits(z), "updateForwardInputMajor outputs " + what);
    w = copy(w0);
    z = stale(pad);
    int[] prevOnly = KernelFixtures.without(nzPrev, nz);
    SCALAR.updateInputMajorSparse(w, block, n, xPrev, 0, prevOnly, 0, prevOnly.length, g, o0, o1);
    SCALAR.updateForwardInputMajorSparse(w, block, n, xPrev, 0, g, x, 0, nz, 0, nz.length, b, z, o0, o1);
    assertArrayEquals(bits(toArray(wExpected)), bits(toArray(w)), "updateForwardInputMajorSparse weights " + what);
    assertArrayEquals(bits(zAfterExpected), bits(z), "updateForwardInputMajorSparse outputs " + what);
  }

  @Property(tries = 200)
  void outputMajorKernelsReachTheWeightsLayoutIndexNames(
      @ForAll("outputs") int rows, @ForAll("inputs") int in, @ForAll long seed) {
    Random rnd = new Random(seed);
    int n = Layout.pad(in);
    int block = block(rnd, n);
    int[] j = range(rnd, n);
    int j0 = j[0];
    int j1 = j[1];
    String what = rows + "x" + in + " in blocks of " + block + ", columns [" + j0 + ", " + j1 + ")";
    MemorySegment w0 = weights(rnd, rows, in, block);
    float[] s = vector(rnd, rows, rows, 0.1);
    float[] g = vector(rnd, rows, rows, 0.1);
    float[] x = vector(rnd, in, n, 0.3);

    float[] deltaExpected = stale(n);
    Arrays.fill(deltaExpected, j0, j1, 0f);
    MemorySegment wExpected = copy(w0);
    for (int r = 0; r < rows; r++) {
      for (int c = j0; c < j1; c++) {
        long at = Layout.index(rows, block, r, c);
        float old = wExpected.getAtIndex(JAVA_FLOAT, at);
        deltaExpected[c] = Math.fma(s[r], old, deltaExpected[c]);
        wExpected.setAtIndex(JAVA_FLOAT, at, Math.fma(g[r], x[c], old));
      }
    }
    MemorySegment w = copy(w0);
    float[] delta = stale(n);
    SCALAR.backwardUpdateOutputMajor(w, block, rows, s, g, x, delta, j0, j1);
    assertArrayEquals(bits(deltaExpected), bits(delta), "backwardUpdateOutputMajor delta " + what);
    assertArrayEquals(bits(toArray(wExpected)), bits(toArray(w)), "backwardUpdateOutputMajor weights " + what);
    w = copy(w0);
    SCALAR.backwardUpdateOutputMajor(w, block, rows, s, g, x, null, j0, j1);
    assertArrayEquals(bits(toArray(wExpected)), bits(toArray(w)), "backwardUpdateOutputMajor without delta " + what);
  }

  /**
   * Chunk partials in the documented order, at {@code Layout.index} with blocks of the chunk length,
   * over a range of chunks: at 1,100 and 2,100 inputs (chunks of 128 and 192 floats) the last chunk is
   * short.
   */
  @Property(tries = 60)
  void chunkDotsReachTheWeightsLayoutIndexNames(@ForAll("wide") int in, @ForAll("outputs") int rows,
      @ForAll long seed) {
    Random rnd = new Random(seed);
    int n = Layout.pad(in);
    int len = Layout.chunkLength(n);
    int chunks = Layout.chunkCount(n);
    int c0 = rnd.nextInt(chunks);
    int c1 = c0 + 1 + rnd.nextInt(chunks - c0);
    MemorySegment w = weights(rnd, rows, in, len);
    float[] x = vector(rnd, in, n, 0.3);
    float[] expected = new float[rows * chunks];
    Arrays.fill(expected, Float.NaN);
    for (int r = 0; r < rows; r++) {
      for (int c = c0; c < c1; c++) {
        expected[r * chunks + c] = KernelFixtures.chunkDot(w, rows, len, x, n, r, c);
      }
    }
    float[] partials = new float[rows * chunks];
    Arrays.fill(partials, Float.NaN);
    SCALAR.chunkDots(w, rows, x, n, c0, c1, partials);
    assertArrayEquals(bits(expected), bits(partials), rows + "x" + in + " chunks [" + c0 + ", " + c1 + ")");
  }

  @Provide
  Arbitrary<Integer> wide() {
    return Arbitraries.of(1, 17, 100, 784, 1100, 2100);
  }

  /** What a reused output holds from before: 7 everywhere. */
  private static float[] stale(int length) {
    float[] v = new float[length];
    Arrays.fill(v, 7f);
    return v;
  }
}
