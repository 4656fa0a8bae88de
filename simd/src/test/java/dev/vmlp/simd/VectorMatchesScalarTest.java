package dev.vmlp.simd;

import static dev.vmlp.internal.kernel.KernelFixtures.copy;
import static dev.vmlp.internal.kernel.KernelFixtures.nonZeros;
import static dev.vmlp.internal.kernel.KernelFixtures.toArray;
import static dev.vmlp.internal.kernel.KernelFixtures.vector;
import static dev.vmlp.internal.kernel.KernelFixtures.weights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vmlp.Activation;
import dev.vmlp.internal.kernel.ExpMath;
import dev.vmlp.internal.kernel.KernelProvider;
import dev.vmlp.internal.kernel.Kernels;
import dev.vmlp.internal.kernel.Layout;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Every vector kernel against the scalar reference, bit for bit (signed zeros included), over odd and
 * even sizes. The build runs this class at 128 and 256 bits ({@code -Dvmlp.vectorBits}) and at the
 * preferred width: 512 bits on a CPU with AVX-512; on one without, the 512-bit paths
 * ({@code Dots.chunkDots16}, {@code Tiles.dots*}) are not run.
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

  /** Equal bits, signed zeros included; any NaN equals any NaN (payloads are outside the promise). */
  static void assertSameBits(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])
          && !(Float.isNaN(expected[i]) && Float.isNaN(actual[i]))) {
        fail(what + ": element " + i + " is " + actual[i] + " (bits " + Integer.toHexString(Float.floatToRawIntBits(actual[i]))
            + "), the scalar reference gives " + expected[i] + " (bits "
            + Integer.toHexString(Float.floatToRawIntBits(expected[i])) + ")");
      }
    }
  }

  @Property(tries = 60)
  void inputMajorForwardAndUpdate(@ForAll("sizes") int n, @ForAll("sizes") int out, @ForAll long seed,
      @ForAll @DoubleRange(min = 0, max = 0.9) double zeros) {
    Random rnd = new Random(seed);
    int pad = Layout.pad(out);
    // the layout of a first layer followed by another, and of a network of one layer
    int block = rnd.nextBoolean() ? dev.vmlp.internal.kernel.KernelFixtures.firstBlock(out) : pad;
    // an output range as a thread's slice would be: from a chunk boundary, ending at any multiple of 16
    int o0 = pad >= 128 && block < pad ? 64 * rnd.nextInt(pad / 64) : 0;
    int o1 = o0 + Layout.LANES * (1 + rnd.nextInt((pad - o0) / Layout.LANES));
    assertInputMajorKernelsGiveTheScalarBits(rnd, n, out, block, o0, o1, zeros);
  }

  /**
   * Every input-major kernel on outputs {@code [o0, o1)} of an {@code n x out} layer in blocks of
   * {@code block}: inputs at offsets in longer arrays, index lists with junk around them, NaN and
   * infinite inputs now and then.
   */
  private static void assertInputMajorKernelsGiveTheScalarBits(Random rnd, int n, int out, int block, int o0, int o1,
      double zeros) {
    Kernels v = v();
    int pad = Layout.pad(out);
    MemorySegment w = weights(rnd, n, out, block);
    // inputs inside longer arrays, at offsets, as rows of a batch or of a data set are
    int xOff = rnd.nextInt(3) * 7;
    int x2Off = rnd.nextInt(3) * 5;
    float[] x = atOffset(vector(rnd, n, n, zeros), xOff, rnd);
    float[] x2 = atOffset(vector(rnd, n, n, zeros), x2Off, rnd);
    if (rnd.nextInt(4) == 0) {
      x[xOff + rnd.nextInt(n)] = rnd.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NaN; // NaN is NaN, any payload
    }
    float[] b = vector(rnd, out, pad, 0.2);
    float[] g = vector(rnd, out, pad, 0.1);
    // index lists at an offset in a longer array, sometimes listing zero inputs too (the contract allows it)
    int nzOff = rnd.nextInt(3) * 3;
    int[] nz = list(x, xOff, n, nzOff, rnd);
    int[] nz2 = list(x2, x2Off, n, nzOff, rnd);
    int len = nz.length - 2 * nzOff;
    int len2 = nz2.length - 2 * nzOff;
    String what = n + "x" + out + " outputs [" + o0 + ", " + o1 + ") of " + pad + ", offsets " + xOff + "/" + x2Off
        + "/" + nzOff;
    float[] zs = marked(pad);
    float[] zv = marked(pad);
    SCALAR.forwardInputMajor(w, block, x, xOff, n, b, zs, o0, o1);
    v.forwardInputMajor(w, block, x, xOff, n, b, zv, o0, o1);
    assertSameBits(zs, zv, "forwardInputMajor " + what);
    // fresh markers: the dense call left its outputs, which the sparse call must give, so an output it
    // never wrote would pass
    zs = marked(pad);
    zv = marked(pad);
    SCALAR.forwardInputMajorSparse(w, block, n, x, xOff, nz, nzOff, len, b, zs, o0, o1);
    v.forwardInputMajorSparse(w, block, n, x, xOff, nz, nzOff, len, b, zv, o0, o1);
    assertSameBits(zs, zv, "forwardInputMajorSparse " + what);

    MemorySegment ws = copy(w);
    MemorySegment wv = copy(w);
    SCALAR.updateInputMajor(ws, block, x, xOff, n, g, o0, o1);
    v.updateInputMajor(wv, block, x, xOff, n, g, o0, o1);
    assertSameBits(toArray(ws), toArray(wv), "updateInputMajor " + what);
    SCALAR.updateInputMajorSparse(ws, block, n, x2, x2Off, nz2, nzOff, len2, g, o0, o1);
    v.updateInputMajorSparse(wv, block, n, x2, x2Off, nz2, nzOff, len2, g, o0, o1);
    assertSameBits(toArray(ws), toArray(wv), "updateInputMajorSparse " + what);
    SCALAR.updateForwardInputMajor(ws, block, x, xOff, g, x2, x2Off, n, b, zs, o0, o1);
    v.updateForwardInputMajor(wv, block, x, xOff, g, x2, x2Off, n, b, zv, o0, o1);
    assertSameBits(toArray(ws), toArray(wv), "updateForwardInputMajor weights " + what);
    assertSameBits(zs, zv, "updateForwardInputMajor outputs " + what);
    SCALAR.updateForwardInputMajorSparse(ws, block, n, x, xOff, g, x2, x2Off, nz2, nzOff, len2, b, zs, o0, o1);
    v.updateForwardInputMajorSparse(wv, block, n, x, xOff, g, x2, x2Off, nz2, nzOff, len2, b, zv, o0, o1);
    assertSameBits(toArray(ws), toArray(wv), "updateForwardInputMajorSparse weights " + what);
    assertSameBits(zs, zv, "updateForwardInputMajorSparse outputs " + what);
  }

  /** {@code v} at {@code off} in a longer array, with other values around it. */
  private static float[] atOffset(float[] v, int off, Random rnd) {
    float[] a = new float[off + v.length + 5];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) rnd.nextGaussian();
    }
    System.arraycopy(v, 0, a, off, v.length);
    return a;
  }

  /**
   * The non-zero inputs of {@code x[xOff..xOff+n)}, ascending, plus sometimes a few zero ones, at
   * {@code off} in an array with {@code off} junk entries on both sides.
   */
  private static int[] list(float[] x, int xOff, int n, int off, Random rnd) {
    boolean extra = rnd.nextBoolean();
    int[] rows = java.util.stream.IntStream.range(0, n)
        .filter(j -> x[xOff + j] != 0f || (extra && rnd.nextInt(8) == 0)).toArray();
    int[] a = new int[rows.length + 2 * off];
    Arrays.fill(a, -1);
    System.arraycopy(rows, 0, a, off, rows.length);
    return a;
  }

  /** An output array whose entries outside the written range must keep their marker. */
  private static float[] marked(int n) {
    float[] z = new float[n];
    Arrays.fill(z, -7.25f);
    return z;
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
    float[] ds = marked(n);
    float[] dv = marked(n);
    // a thread's columns: from a chunk boundary, ending at any multiple of 16
    int j0 = 64 * rnd.nextInt((n + 63) / 64);
    int j1 = j0 + Layout.LANES * (1 + rnd.nextInt((n - j0) / Layout.LANES));
    SCALAR.backwardUpdateOutputMajor(ws, block, rows, s, g, x, ds, j0, j1);
    v.backwardUpdateOutputMajor(wv, block, rows, s, g, x, dv, j0, j1);
    assertSameBits(ds, dv, "backwardUpdateOutputMajor delta, columns [" + j0 + ", " + j1 + ")");
    assertSameBits(toArray(ws), toArray(wv), "backwardUpdateOutputMajor weights, columns [" + j0 + ", " + j1 + ")");
    SCALAR.backwardUpdateOutputMajor(ws, block, rows, s, g, x, null, 0, n);
    v.backwardUpdateOutputMajor(wv, block, rows, s, g, x, null, 0, n);
    assertSameBits(toArray(ws), toArray(wv), "backwardUpdateOutputMajor without delta");
  }

  /**
   * Chunk partials of 1 to 11 rows over every range of chunks a thread can own, at input sizes with 2,
   * 3 and 12 whole chunks of 64 (and a partial one): every mix of 4x2 tiles, 2x2 tiles and rows left to
   * the general loop. The drawn row counts above rarely take a 2x2 tile without a 4x2 one.
   */
  @Example
  void chunkDotsOfOneToElevenRowsOverEveryChunkRange() {
    Kernels v = v();
    Random rnd = new Random(3);
    for (int in : new int[] {128, 200, 784}) {
      int n = Layout.pad(in);
      int block = Layout.chunkLength(n);
      int chunks = Layout.chunkCount(n);
      float[] x = vector(rnd, in, n, 0.3);
      for (int rows = 1; rows <= 11; rows++) {
        MemorySegment w = weights(rnd, rows, in, block);
        for (int c0 = 0; c0 < chunks; c0++) {
          for (int c1 = c0 + 1; c1 <= chunks; c1++) {
            float[] ps = new float[rows * chunks];
            float[] pv = new float[rows * chunks];
            Arrays.fill(ps, Float.NaN);
            Arrays.fill(pv, Float.NaN);
            SCALAR.chunkDots(w, rows, x, n, c0, c1, ps);
            v.chunkDots(w, rows, x, n, c0, c1, pv);
            assertSameBits(ps, pv, "chunkDots " + rows + "x" + in + " chunks [" + c0 + ", " + c1 + ")");
          }
        }
      }
    }
  }

  /**
   * The input-major kernels over every output range a thread can own, in every block width a first
   * layer has: 64 floats (followed by another layer), 128 (followed by another, past 1,024 units) and
   * its own padded width (a network's only layer, 16 and 32 floats among them), so every mix of 16-,
   * 8-, 4- and 1-vector tiles at every width, and each tile on blocks narrower than 64. The drawn sizes
   * above reach a tile on a 32-float block at 128 bits in only a few percent of their tries, and never
   * a 128-float block, whose fused sweep must not take the tiles with the 64-float row step.
   */
  @Example
  void inputMajorKernelsOverEveryOutputRangeAndBlockWidth() {
    Random rnd = new Random(11);
    for (int out : new int[] {1, 17, 100, 512, 1100}) {
      int pad = Layout.pad(out);
      for (int block : new int[] {dev.vmlp.internal.kernel.KernelFixtures.firstBlock(out), pad}) {
        for (int o0 = 0; o0 < pad; o0 += block < pad ? 64 : pad) {
          for (int o1 = o0 + Layout.LANES; o1 <= pad; o1 += Layout.LANES) {
            for (int n : new int[] {1, 17}) {
              assertInputMajorKernelsGiveTheScalarBits(rnd, n, out, block, o0, o1, 0.3);
            }
          }
        }
      }
    }
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
    // the edge values above, and logits of one scale, where no term dominates the sum, so that an
    // order of addition other than the specified one changes the bits in about a third of the draws
    float[] even = new float[n + 3];
    for (int i = 0; i < even.length; i++) {
      even[i] = (float) rnd.nextGaussian();
    }
    for (float[] logits : new float[][] {z, even}) {
      // exact-length arrays, and arrays padded to whole vectors as the trainer's buffers are
      for (int len : new int[] {n, Layout.pad(n)}) {
        assertSoftmaxGivesTheScalarBits(v, logits, n, len);
      }
    }
  }

  /**
   * The values where a kernel's branches meet, at every position of a vector and of the scalar tail:
   * NaN, infinities, both zeros, tanh's switch from the polynomial at {@link ExpMath#TANH_SMALL}, exp's
   * flush to 0 below {@link ExpMath#EXP_MIN} (sigmoid of {@code EXP_MIN} takes exp of exactly it), and
   * their neighbours. Random draws almost never land on them.
   */
  @Property(tries = 35) // each of the 7 sizes is drawn in a run but for a chance of 0.5%
  void branchEdgesGiveTheScalarBits(@ForAll("sizes") int n, @ForAll long seed) {
    Kernels v = v();
    Random rnd = new Random(seed);
    float[] edges = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, ExpMath.TANH_SMALL,
        -ExpMath.TANH_SMALL, Math.nextDown(ExpMath.TANH_SMALL), Math.nextUp(ExpMath.TANH_SMALL), ExpMath.EXP_MIN,
        -ExpMath.EXP_MIN, Math.nextUp(ExpMath.EXP_MIN), Math.nextDown(ExpMath.EXP_MIN), ExpMath.EXP_MIN / 2,
        Float.MIN_VALUE, -Float.MIN_VALUE};
    // every edge in any 16 consecutive entries, starting anywhere in the cycle
    int start = rnd.nextInt(edges.length);
    float[] z = new float[n + 3];
    for (int i = 0; i < z.length; i++) {
      z[i] = edges[(start + i) % edges.length];
    }
    float[] delta = vector(rnd, n + 3, n + 3, 0.1);
    for (Activation a : Activation.values()) {
      float[] os = new float[n + 3];
      float[] ov = new float[n + 3];
      SCALAR.activate(a, z, os, 0, n);
      v.activate(a, z, ov, 0, n);
      assertSameBits(os, ov, "activate " + a + " of " + Arrays.toString(Arrays.copyOf(z, n)));
      float[] ss = new float[n + 3];
      float[] sv = new float[n + 3];
      SCALAR.activationGradient(a, z, os, delta, ss, 0, n);
      v.activationGradient(a, z, os, delta, sv, 0, n);
      assertSameBits(ss, sv, "activationGradient " + a);
    }
  }

  /**
   * The softmax's exp at its branch edges: with a largest logit of 0, {@code z - max} is the logit
   * itself, so {@link ExpMath#EXP_MIN} (which exp does not flush), its neighbours, both zeros and -∞
   * reach the exp exactly, at every position of a vector and of the scalar tail, for every class count
   * up to 40 (one vector or several at each width). Random logits never land on them.
   */
  @Example
  void softmaxBranchEdgesGiveTheScalarBits() {
    Kernels v = v();
    float[] edges = {0f, ExpMath.EXP_MIN, Math.nextUp(ExpMath.EXP_MIN), Math.nextDown(ExpMath.EXP_MIN), -0f,
        Float.NEGATIVE_INFINITY, ExpMath.EXP_MIN / 2, -Float.MIN_VALUE, -1f};
    for (int n = 1; n <= 40; n++) {
      for (int start = 0; start < edges.length; start++) {
        float[] z = new float[n];
        for (int i = 0; i < n; i++) {
          z[i] = edges[(start + i) % edges.length];
        }
        assertSoftmaxGivesTheScalarBits(v, z);
      }
    }
  }

  /**
   * Logits that are all negative, for every class count up to 40: a lane past the last class that
   * entered the max as the 0 of a masked load, instead of -∞, would make the max 0 and shift every exp.
   * Random logits of many classes, and the edges above once they fill more than one vector, always have
   * one at or above 0.
   */
  @Example
  void softmaxOfNegativeLogitsGivesTheScalarBits() {
    Kernels v = v();
    Random rnd = new Random(5);
    for (int n = 1; n <= 40; n++) {
      float[] z = new float[n];
      for (int i = 0; i < n; i++) {
        z[i] = -0.5f - (float) Math.abs(rnd.nextGaussian());
      }
      assertSoftmaxGivesTheScalarBits(v, z);
    }
  }

  /**
   * Logits drawn from the extremes (NaN, infinities, the largest and smallest floats, signed zeros,
   * values past the exp's range) mixed with ordinary ones: the max, the shift, the exp and the sums
   * must meet them in the same order as the scalar kernel, whatever the vector width. Random Gaussian
   * logits never reach them.
   */
  @Property(tries = 60)
  void softmaxOfExtremeLogitsGivesTheScalarBits(@ForAll("sizes") int n, @ForAll long seed) {
    Random rnd = new Random(seed);
    float[] extremes = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE,
        -Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 0f, -0f, 88.7f, -88.7f, 104f,
        -104f, 1e30f, -1e30f};
    float[] z = new float[n];
    double rare = rnd.nextDouble(); // from logits that are nearly all extreme to nearly none
    for (int i = 0; i < n; i++) {
      z[i] = rnd.nextDouble() < rare ? extremes[rnd.nextInt(extremes.length)] : (float) rnd.nextGaussian();
    }
    assertSoftmaxGivesTheScalarBits(v(), z);
  }

  /** The softmax of all of {@code z}, with and without the gradient, for labels none, first, middle, last. */
  private static void assertSoftmaxGivesTheScalarBits(Kernels v, float[] z) {
    assertSoftmaxGivesTheScalarBits(v, z, z.length, z.length);
  }

  /**
   * The softmax of the first {@code n} of {@code logits} into arrays of {@code len} floats, with and
   * without the gradient, for labels none, first, middle, last.
   */
  private static void assertSoftmaxGivesTheScalarBits(Kernels v, float[] logits, int n, int len) {
    for (int label : new int[] {-1, 0, n / 2, n - 1}) {
      float[] p1 = new float[len];
      float[] p2 = new float[len];
      float[] s1 = new float[len];
      float[] s2 = new float[len];
      double l1 = SCALAR.softmax(logits, n, label, p1, s1);
      double l2 = v.softmax(logits, n, label, p2, s2);
      String what = "softmax of " + n + " logits " + Arrays.toString(Arrays.copyOf(logits, Math.min(n, 40)))
          + " into " + len + " floats, label " + label;
      assertSameBits(p1, p2, what + ": probabilities");
      assertSameBits(s1, s2, what + ": gradient");
      assertEquals(Double.doubleToRawLongBits(l1), Double.doubleToRawLongBits(l2), what + ": loss");
      Arrays.fill(p2, 0, n, Float.NaN); // the call without a gradient must write every probability itself
      double l3 = v.softmax(logits, n, label, p2, null);
      assertSameBits(p1, p2, what + ": probabilities without a gradient");
      assertEquals(Double.doubleToRawLongBits(l1), Double.doubleToRawLongBits(l3),
          what + ": loss without a gradient");
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
    int[] rows = nonZeros(vector(rnd, n, n, rnd.nextDouble()), n);
    // the list and the inputs at offsets in longer arrays, as a batch's rows are, junk around them
    int off = rnd.nextInt(3) * 3;
    int xOff = rnd.nextInt(3) * 5;
    int[] list = new int[rows.length + 2 * off];
    Arrays.fill(list, -1);
    System.arraycopy(rows, 0, list, off, rows.length);
    float[] next = atOffset(vector(rnd, n, n, zeros), xOff, rnd);
    int[] expected = new int[rows.length];
    int[] actual = new int[rows.length];
    int count = SCALAR.zerosAt(list, off, rows.length, next, xOff, expected);
    assertEquals(count, v().zerosAt(list, off, rows.length, next, xOff, actual), "count");
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
    z[rnd.nextInt(n)] = -0f; // signed zeros, which random bits almost never give
    z[rnd.nextInt(n)] = 0f;
    for (Activation a : new Activation[] {Activation.SIGMOID, Activation.TANH}) {
      float[] os = new float[n];
      float[] ov = new float[n];
      SCALAR.activate(a, z, os, 0, n);
      v.activate(a, z, ov, 0, n);
      assertSameBits(os, ov, "activate " + a + " on arbitrary bit patterns");
    }
  }
}
