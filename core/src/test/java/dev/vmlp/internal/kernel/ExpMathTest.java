package dev.vmlp.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Accuracy of the library's own exp, sigmoid and tanh against StrictMath, over dense sweeps: exp within
 * 2 ulps, sigmoid and tanh (an exp, an add and a divide) within 3.
 */
class ExpMathTest {
  static final int EXP_ULPS = 2;
  static final int ACTIVATION_ULPS = 3;

  private static void assertUlps(double expected, float actual, int ulps, String what) {
    float e = (float) expected;
    double tol = ulps * Math.max(Math.ulp(e), Float.MIN_VALUE);
    assertEquals(expected, actual, tol, what);
  }

  @Test
  void expNonPositiveIsWithinTwoUlps() {
    for (float x = ExpMath.EXP_MIN; x <= 0f; x += 0.000731f) {
      assertUlps(StrictMath.exp(x), ExpMath.expNonPositive(x), EXP_ULPS, "exp(" + x + ")");
    }
    assertEquals(1f, ExpMath.expNonPositive(0f), 0f);
    assertEquals(1f, ExpMath.expNonPositive(-0f), 0f);
    assertEquals(0f, ExpMath.expNonPositive(-88f), 0f);
    assertEquals(0f, ExpMath.expNonPositive(Float.NEGATIVE_INFINITY), 0f);
    assertEquals(Float.NaN, ExpMath.expNonPositive(Float.NaN), 0f);
  }

  @Test
  void logIsWithinTwoUlpsOverPositiveNormals() {
    // every binade from the smallest normal up, 4,001 points in each
    for (int e = -126; e < 128; e++) {
      for (int i = 0; i <= 4000; i++) {
        float x = Math.scalb(1f + i / 4000f * (1f - Math.ulp(1f)), e);
        if (x == Float.POSITIVE_INFINITY) {
          continue;
        }
        assertUlps(StrictMath.log(x), ExpMath.log(x), EXP_ULPS, "log(" + x + ")");
      }
    }
    assertEquals(0f, ExpMath.log(1f), 0f);
    assertEquals(Float.POSITIVE_INFINITY, ExpMath.log(Float.POSITIVE_INFINITY), 0f);
    assertEquals(Float.NaN, ExpMath.log(Float.NaN), 0f);
    assertEquals(Float.NEGATIVE_INFINITY, ExpMath.log(0f), 0f);
    assertEquals(Float.NEGATIVE_INFINITY, ExpMath.log(-0f), 0f);
    assertEquals(Float.NaN, ExpMath.log(-1f), 0f);
    assertEquals(Float.NaN, ExpMath.log(Float.NEGATIVE_INFINITY), 0f);
    for (float x = Float.MIN_VALUE; x < Float.MIN_NORMAL; x = x * 1.37f + Float.MIN_VALUE) {
      assertUlps(StrictMath.log(x), ExpMath.log(x), 2, "log(" + x + ")"); // subnormals
    }
  }

  /**
   * At the edges between two ways of computing, the documented one is taken, with its bits: the vector
   * kernels compute tanh with the same test ({@code |z| < TANH_SMALL}), so the other way, one ulp off
   * here, would give the scalar and vector kernels different weights. tanh at exactly 0.625 uses
   * {@code (1-e)/(1+e)}; log reduces a mantissa of exactly √½ without doubling it ({@code r = m - 1}),
   * and takes the smallest normal as a normal (not scaled as a subnormal).
   */
  @Test
  void theEdgesBetweenTwoFormulasGiveTheDocumentedOnesBits() {
    float a = ExpMath.TANH_SMALL;
    float e = ExpMath.expNonPositive(-2f * a);
    float t = (1f - e) / (1f + e);
    assertEquals(Float.floatToRawIntBits(t), Float.floatToRawIntBits(ExpMath.tanh(a)), "tanh(0.625)");
    assertEquals(Float.floatToRawIntBits(-t), Float.floatToRawIntBits(ExpMath.tanh(-a)), "tanh(-0.625)");
    assertEquals(Float.floatToRawIntBits(0.55459976f), Float.floatToRawIntBits(ExpMath.tanh(a)), "tanh(0.625)");
    // √½ · 2 = √2 (as a float): e = 1, m = √½, r = √½ - 1
    assertEquals(Float.floatToRawIntBits(0.34657356f), Float.floatToRawIntBits(ExpMath.log(ExpMath.SQRT_HALF * 2f)),
        "log(sqrt 2)");
    assertEquals(Float.floatToRawIntBits(-87.33655f), Float.floatToRawIntBits(ExpMath.log(Float.MIN_NORMAL)),
        "log(MIN_NORMAL)");
  }

  @Test
  void sigmoidAndTanhAreWithinThreeUlps() {
    for (float z = -40f; z <= 40f; z += 0.000913f) {
      assertUlps(1 / (1 + StrictMath.exp(-(double) z)), ExpMath.sigmoid(z), ACTIVATION_ULPS, "sigmoid(" + z + ")");
      assertUlps(StrictMath.tanh(z), ExpMath.tanh(z), ACTIVATION_ULPS, "tanh(" + z + ")");
    }
    assertEquals(0.5f, ExpMath.sigmoid(0f), 0f);
    assertEquals(1f, ExpMath.sigmoid(200f), 0f);
    assertEquals(0f, ExpMath.sigmoid(-200f), 0f);
    assertEquals(1f, ExpMath.tanh(100f), 0f);
    assertEquals(-1f, ExpMath.tanh(-100f), 0f);
    assertEquals(1e-30f, ExpMath.tanh(1e-30f), 0f);
    // tanh is odd: the sign of a zero survives (assertEquals with a delta would take -0 for +0)
    assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(ExpMath.tanh(-0f)), "tanh(-0)");
    assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(ExpMath.tanh(0f)), "tanh(+0)");
    assertEquals(Float.floatToRawIntBits(-1e-30f), Float.floatToRawIntBits(ExpMath.tanh(-1e-30f)), "tanh(-1e-30)");
  }
}
