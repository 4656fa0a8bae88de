package dev.vmlp.internal.kernel;

/**
 * The scalar reference of the library's transcendental functions: {@code exp} on non-positive
 * arguments, sigmoid and tanh. They use only IEEE operations whose results are fully specified
 * ({@code +}, {@code *}, {@code /}, {@link Math#fma}), in a fixed order, so that the vector kernels,
 * which repeat the same operations lane by lane, produce the same bits on every machine. Neither
 * {@link Math#exp} nor the Vector API's {@code EXP} promise that.
 *
 * <p>{@code exp} follows Cephes {@code expf}: {@code x = n ln2 + r} with {@code n} rounded to nearest
 * by the 1.5·2²³ trick, {@code r} reduced in two FMA steps, and a degree-5 polynomial; error about 1
 * ulp. Tanh follows Cephes {@code tanhf} (an odd polynomial below 0.625, {@code (1-e)/(1+e)} with
 * {@code e = exp(-2|z|)} above), and {@code log} Cephes {@code logf} (a degree-8 polynomial on the
 * mantissa, reduced to [√½, √2)). {@link StrictMath#log} would be reproducible too, but in the softmax
 * head it cost as much as all the rest.
 */
public final class ExpMath {
  /** log2(e). */
  public static final float LOG2E = 1.44269504088896341f;
  /** 1.5·2²³: adding it to a float of magnitude below 2²² rounds it to an integer (ties to even). */
  public static final float ROUND_MAGIC = 12582912f;
  /** Bit pattern of {@link #ROUND_MAGIC}. */
  public static final int ROUND_MAGIC_BITS = 0x4B400000;
  /** High part of ln 2 (exact in 9 bits, so {@code n * LN2_HI} is exact). */
  public static final float LN2_HI = 0.693359375f;
  /** Low part of ln 2. */
  public static final float LN2_LO = -2.12194440e-4f;
  /** Below this, {@code exp} returns +0 (the result would need an exponent under -126). */
  public static final float EXP_MIN = -87.33654f;

  public static final float EXP_P0 = 1.9875691500e-4f;
  public static final float EXP_P1 = 1.3981999507e-3f;
  public static final float EXP_P2 = 8.3334519073e-3f;
  public static final float EXP_P3 = 4.1665795894e-2f;
  public static final float EXP_P4 = 1.6666665459e-1f;
  public static final float EXP_P5 = 5.0000001201e-1f;

  /** Below this magnitude tanh uses its odd polynomial. */
  public static final float TANH_SMALL = 0.625f;
  public static final float TANH_T0 = -5.70498872745e-3f;
  public static final float TANH_T1 = 2.06390887954e-2f;
  public static final float TANH_T2 = -5.37397155531e-2f;
  public static final float TANH_T3 = 1.33314422036e-1f;
  public static final float TANH_T4 = -3.33332819422e-1f;

  /** √½: mantissas below it are doubled, so that the polynomial's argument lies in [√½ - 1, √2 - 1). */
  public static final float SQRT_HALF = 0.707106781186547524f;
  public static final float LOG_P0 = 7.0376836292e-2f;
  public static final float LOG_P1 = -1.1514610310e-1f;
  public static final float LOG_P2 = 1.1676998740e-1f;
  public static final float LOG_P3 = -1.2420140846e-1f;
  public static final float LOG_P4 = 1.4249322787e-1f;
  public static final float LOG_P5 = -1.6668057665e-1f;
  public static final float LOG_P6 = 2.0000714765e-1f;
  public static final float LOG_P7 = -2.4999993993e-1f;
  public static final float LOG_P8 = 3.3333331174e-1f;

  private ExpMath() {}

  /**
   * {@code ln x}, made for the softmax's sum (a normal float of at least 1); +∞ and NaN give
   * themselves, 0 gives -∞, a negative {@code x} NaN, and a subnormal one is scaled into the normal
   * range first. Error about 1 ulp (2 for subnormals).
   */
  public static float log(float x) {
    if (!(x < Float.POSITIVE_INFINITY)) {
      return x;
    }
    if (!(x >= Float.MIN_NORMAL)) { // never from the loss, whose sum is at least 1; kept right anyway
      return x > 0f ? log(x * 0x1p23f) - 23 * (LN2_HI + LN2_LO) : x == 0f ? Float.NEGATIVE_INFINITY : Float.NaN;
    }
    int bits = Float.floatToRawIntBits(x);
    // x = m 2^e with m in [0.5, 1)
    int e = ((bits >>> 23) & 0xff) - 126;
    float m = Float.intBitsToFloat((bits & 0x007fffff) | 0x3f000000);
    float r;
    if (m < SQRT_HALF) {
      e -= 1;
      r = m + m - 1f;
    } else {
      r = m - 1f;
    }
    float z = r * r;
    float p = Math.fma(LOG_P0, r, LOG_P1);
    p = Math.fma(p, r, LOG_P2);
    p = Math.fma(p, r, LOG_P3);
    p = Math.fma(p, r, LOG_P4);
    p = Math.fma(p, r, LOG_P5);
    p = Math.fma(p, r, LOG_P6);
    p = Math.fma(p, r, LOG_P7);
    p = Math.fma(p, r, LOG_P8);
    float fe = e;
    float y = p * r * z;
    y = Math.fma(fe, LN2_LO, y);
    y = Math.fma(-0.5f, z, y);
    return Math.fma(fe, LN2_HI, r + y);
  }

  /**
   * {@code e^x} for {@code x <= 0}: +0 below {@link #EXP_MIN}, exactly 1 at 0, NaN for NaN. Arguments
   * above 0 are outside the contract.
   */
  public static float expNonPositive(float x) {
    if (x < EXP_MIN) {
      return 0f;
    }
    float t = x * LOG2E + ROUND_MAGIC;
    float n = t - ROUND_MAGIC;
    float r = Math.fma(n, -LN2_HI, x);
    r = Math.fma(n, -LN2_LO, r);
    float p = Math.fma(EXP_P0, r, EXP_P1);
    p = Math.fma(p, r, EXP_P2);
    p = Math.fma(p, r, EXP_P3);
    p = Math.fma(p, r, EXP_P4);
    p = Math.fma(p, r, EXP_P5);
    float y = Math.fma(p, r * r, r) + 1f;
    // t's low mantissa bits hold n; (n + 127) << 23 is the float 2^n
    float scale = Float.intBitsToFloat((Float.floatToRawIntBits(t) - ROUND_MAGIC_BITS + 127) << 23);
    return y * scale;
  }

  /** {@code 1 / (1 + e^-z)}, from {@code e = exp(-|z|)} so that nothing overflows. */
  public static float sigmoid(float z) {
    float e = expNonPositive(-Math.abs(z));
    float d = 1f + e;
    return z >= 0f ? 1f / d : e / d;
  }

  /** {@code tanh z}. */
  public static float tanh(float z) {
    float a = Math.abs(z);
    if (a < TANH_SMALL) {
      float z2 = z * z;
      float p = Math.fma(TANH_T0, z2, TANH_T1);
      p = Math.fma(p, z2, TANH_T2);
      p = Math.fma(p, z2, TANH_T3);
      p = Math.fma(p, z2, TANH_T4);
      // the polynomial turns -0 into +0 (p z^2 z + z with p < 0); tanh(±0) is the zero itself
      return z == 0f ? z : Math.fma(p * z2, z, z);
    }
    float e = expNonPositive(-2f * a);
    float t = (1f - e) / (1f + e);
    return z < 0f ? -t : t;
  }
}
