package dev.vmlp.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The softmax head over extreme logits, for the kernels this JVM uses (vector or scalar) and the scalar
 * reference, against a double-precision log-sum-exp.
 */
class SoftmaxTest {
  static Stream<Kernels> kernels() {
    return Stream.of(KernelProvider.get(), KernelProvider.scalar()).distinct();
  }

  static Stream<Arguments> extremes() {
    float big = Float.MAX_VALUE;
    float[][] cases = {
      {1000, 0, 0},
      {-1000, -1000},
      {88, 89, 90},
      {0, -40},
      {big, 0, -big},
      {-big, -big, -big},
      {big, big},
      {1e-40f, -1e-40f, 0f, Float.MIN_VALUE},
      {-87.5f, 0, 87.5f, 100},
      {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4, 3, 3, 8, 3, 2, 7, 9, 5, 0},
    };
    return kernels().flatMap(k -> Stream.of(cases).flatMap(SoftmaxTest::rotations).map(z -> Arguments.of(k, z)));
  }

  /**
   * Every rotation of {@code z}, so that the largest logit sits at each position once (first, last,
   * in the vector body and in its tail): a maximum that skipped a position would leave a positive
   * {@code z - max}, outside {@code expNonPositive}'s domain, where the largest logit is far ahead.
   */
  static Stream<float[]> rotations(float[] z) {
    return java.util.stream.IntStream.range(0, z.length).mapToObj(r -> {
      float[] rotated = new float[z.length];
      for (int i = 0; i < z.length; i++) {
        rotated[(i + r) % z.length] = z[i];
      }
      return rotated;
    });
  }

  @ParameterizedTest
  @MethodSource("extremes")
  void extremeLogitsGiveFiniteLossAndProbabilitiesSummingToOne(Kernels k, float[] z) {
    int n = z.length;
    double[] zd = new double[n];
    for (int i = 0; i < n; i++) {
      zd[i] = z[i];
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double v : zd) {
      max = Math.max(max, v);
    }
    double logSum = logSumShifted(zd, max); // log Σ e^(z - max): kept apart from max, which would absorb it
    double lse = max + logSum;
    for (int label = 0; label < n; label++) {
      float[] p = new float[n];
      float[] s = new float[n];
      double loss = k.softmax(z, n, label, p, s);
      double expected = (max - zd[label]) + logSum;
      assertTrue(Double.isFinite(loss), k.name() + ": loss " + loss);
      assertEquals(expected, loss, 1e-6 * (1 + Math.abs(expected)), k.name() + " loss for label " + label);
      double sum = 0;
      for (int i = 0; i < n; i++) {
        assertTrue(p[i] >= 0 && p[i] <= 1, k.name() + ": p[" + i + "] = " + p[i]);
        assertEquals(Math.exp((zd[i] - max) - logSum), p[i], 1e-6, k.name() + " p[" + i + "]");
        assertEquals(p[i] - (i == label ? 1f : 0f), s[i], 0f, "s = p - onehot");
        sum += p[i];
      }
      assertEquals(1.0, sum, 2e-6 * n, k.name() + ": probabilities sum to " + sum);
    }
    float[] p = new float[n];
    assertEquals(lse, k.softmax(z, n, -1, p, null), 1e-6 * (1 + Math.abs(lse)), "log-sum-exp without a label");
  }

  /** {@code log Σ e^(z - max)}. */
  static double logSumShifted(double[] z, double max) {
    double s = 0;
    for (double v : z) {
      s += Math.exp(v - max);
    }
    return Math.log(s);
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void addingAConstantToEveryLogitChangesNothing(Kernels k) {
    Random rnd = new Random(7);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + rnd.nextInt(40);
      float[] z = new float[n];
      float[] shifted = new float[n];
      // multiples of 1/64 shifted by whole numbers: the shift is exact in float, so bits must match
      float c = rnd.nextInt(2001) - 1000;
      for (int i = 0; i < n; i++) {
        z[i] = (rnd.nextInt(2048) - 1024) / 64f;
        shifted[i] = z[i] + c;
      }
      int label = rnd.nextInt(n);
      float[] p1 = new float[n];
      float[] p2 = new float[n];
      float[] s1 = new float[n];
      float[] s2 = new float[n];
      double l1 = k.softmax(z, n, label, p1, s1);
      double l2 = k.softmax(shifted, n, label, p2, s2);
      assertArrayEquals(p1, p2, 0f, "probabilities after adding " + c);
      assertArrayEquals(s1, s2, 0f, "gradient after adding " + c);
      assertEquals(l1, l2, 0.0, "loss after adding " + c);
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void aNaNLogitGivesANaNLossThatCallersReject(Kernels k) {
    float[] z = {1, Float.NaN, 3};
    float[] p = new float[3];
    assertTrue(Double.isNaN(k.softmax(z, 3, 0, p, new float[3])));
    float[] inf = {1, Float.POSITIVE_INFINITY, 3};
    assertTrue(Double.isNaN(k.softmax(inf, 3, 0, p, new float[3])));
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void negativeInfinityIsZeroProbability(Kernels k) {
    float[] z = {Float.NEGATIVE_INFINITY, 2, 2};
    float[] p = new float[3];
    double loss = k.softmax(z, 3, 1, p, new float[3]);
    assertEquals(0f, p[0], 0f);
    assertEquals(0.5f, p[1], 0f);
    assertEquals(Math.log(2), loss, 1e-7);
  }
}
