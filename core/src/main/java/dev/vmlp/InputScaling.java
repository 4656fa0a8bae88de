package dev.vmlp;

import java.util.Arrays;
import java.util.Objects;

/**
 * The affine map from raw features to network inputs, {@code x' = (x - shift_i) * scale_i}, which a
 * {@link Model} carries and applies before every prediction, so that callers pass raw values (pixel
 * bytes, CSV numbers) both when training and when predicting.
 *
 * <p>Three kinds: {@link #none()}; {@link #divideBy} (e.g. bytes to [0, 1], one factor for every
 * feature, zeros stay zero so sparse inputs stay sparse); {@link #standardize} (per-feature mean and
 * standard deviation of a training set). Immutable.
 */
public final class InputScaling {
  /** What kind of map this is; the name goes into model files. */
  public enum Kind {
    NONE("none"),
    SCALE("scale"),
    STANDARDIZE("standardize");

    private final String id;

    Kind(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    /**
     * Parses a kind name, exactly as {@link #id()} gives it (as model files hold it).
     *
     * @throws IllegalArgumentException for an unknown name
     * @throws NullPointerException if {@code id} is null, as {@link Activation#parse} and {@link Head#parse}
     */
    public static Kind parse(String id) {
      Objects.requireNonNull(id, "id"); // was "unknown input scaling 'null'"
      for (Kind k : values()) {
        if (k.id.equals(id)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown input scaling '" + id + "'; expected none, scale or standardize");
    }
  }

  private static final InputScaling NONE = new InputScaling(Kind.NONE, 1f, null, null);

  private final Kind kind;
  private final float factor;
  private final float[] shift;
  private final float[] scale;

  private InputScaling(Kind kind, float factor, float[] shift, float[] scale) {
    this.kind = kind;
    this.factor = factor;
    this.shift = shift;
    this.scale = scale;
  }

  /** The identity. */
  public static InputScaling none() {
    return NONE;
  }

  /**
   * {@code x' = x * (1 / divisor)} for every feature, e.g. {@code divideBy(255)} for pixel bytes.
   *
   * @throws IllegalArgumentException when {@code divisor} is not finite and positive, or so small
   *     that {@code 1 / divisor} overflows
   */
  public static InputScaling divideBy(float divisor) {
    if (!(divisor > 0f) || !Float.isFinite(divisor)) {
      throw new IllegalArgumentException("scaling divisor must be finite and positive, got " + divisor);
    }
    if (!Float.isFinite(1f / divisor)) {
      throw new IllegalArgumentException("scaling divisor " + divisor + " is so small that 1 / divisor overflows");
    }
    return new InputScaling(Kind.SCALE, 1f / divisor, null, null);
  }

  /**
   * A uniform factor: {@code x' = x * factor}.
   *
   * @throws IllegalArgumentException unless {@code factor} is finite and positive
   */
  public static InputScaling multiplyBy(float factor) {
    if (!(factor > 0f) || !Float.isFinite(factor)) {
      throw new IllegalArgumentException("scaling factor must be finite and positive, got " + factor);
    }
    return new InputScaling(Kind.SCALE, factor, null, null);
  }

  /**
   * Standardisation with the per-feature mean and (population) standard deviation of {@code data},
   * computed in double precision. A constant feature (deviation 0: the sums are exact for one value)
   * gets scale 1: it is centred, not blown up. Any other is scaled by {@code 1 / deviation}, however
   * small its spread (values of 1e-13 have one), unless that factor overflows a float (a deviation
   * under about 3e-39, between subnormal values), where it too gets scale 1.
   *
   * @throws IllegalArgumentException when {@code data} has no rows, which give no mean
   */
  public static InputScaling standardize(Dataset data) {
    int d = data.featureCount();
    int n = data.size();
    if (n == 0) {
      throw new IllegalArgumentException("dataset '" + data.name() + "' has no rows to standardize by");
    }
    double[] mean = new double[d];
    double[] m2 = new double[d];
    float[] row = new float[d];
    for (int r = 0; r < n; r++) {
      data.copyRow(r, row, 0);
      for (int i = 0; i < d; i++) {
        // Welford: stable for large n
        double delta = row[i] - mean[i];
        mean[i] += delta / (r + 1);
        m2[i] += delta * (row[i] - mean[i]);
      }
    }
    float[] shift = new float[d];
    float[] scale = new float[d];
    for (int i = 0; i < d; i++) {
      double sd = Math.sqrt(m2[i] / n);
      shift[i] = (float) mean[i];
      float inverse = (float) (1.0 / sd); // infinite for sd 0, and for a sd too small for a float factor
      scale[i] = Float.isFinite(inverse) ? inverse : 1f;
    }
    return new InputScaling(Kind.STANDARDIZE, 1f, shift, scale);
  }

  /**
   * A per-feature map from explicit values (as read from a model file).
   *
   * @throws IllegalArgumentException when the lengths differ or a value is not finite or a scale is zero
   */
  public static InputScaling perFeature(float[] shift, float[] scale) {
    Objects.requireNonNull(shift, "shift");
    Objects.requireNonNull(scale, "scale");
    if (shift.length != scale.length) {
      throw new IllegalArgumentException(
          "scaling shift has " + shift.length + " values but scale has " + scale.length);
    }
    if (shift.length == 0) {
      throw new IllegalArgumentException("a per-feature scaling needs at least one feature");
    }
    for (int i = 0; i < shift.length; i++) {
      if (!Float.isFinite(shift[i]) || !Float.isFinite(scale[i]) || scale[i] == 0f) {
        throw new IllegalArgumentException(
            "scaling feature " + i + " has shift " + shift[i] + " and scale " + scale[i] + "; both must be finite, scale non-zero");
      }
    }
    return new InputScaling(Kind.STANDARDIZE, 1f, shift.clone(), scale.clone());
  }

  public Kind kind() {
    return kind;
  }

  /** The uniform factor of a {@link Kind#SCALE} map (1 for the others). */
  public float factor() {
    return factor;
  }

  /** Per-feature shifts of a {@link Kind#STANDARDIZE} map (a copy), or null. */
  public float[] shift() {
    return shift == null ? null : shift.clone();
  }

  /** Per-feature scales of a {@link Kind#STANDARDIZE} map (a copy), or null. */
  public float[] scale() {
    return scale == null ? null : scale.clone();
  }

  /** Number of features a per-feature map is for; 0 when it applies to any width. */
  public int featureCount() {
    return shift == null ? 0 : shift.length;
  }

  /**
   * Writes {@code dst[dstOff + i] = (src[srcOff + i] - shift_i) * scale_i} for {@code i < n}, in float;
   * where the float difference overflows, the same formula in double, rounded once (a standardised
   * value of data with a range near ±3e38 fits a float even when the difference does not).
   *
   * @param dst modified at {@code [dstOff, dstOff + n)}; may be {@code src}, at any offset (as with
   *     {@link System#arraycopy}, each value is read before it is written over)
   * @throws IllegalArgumentException when {@code n} is negative or not the width of a per-feature map, or
   *     a range is not inside its array
   */
  public void apply(float[] src, int srcOff, float[] dst, int dstOff, int n) {
    if (n < 0) {
      // said to be a count that does not fit, or one of the wrong width ("-1 values, but the scaling is for 3")
      throw new IllegalArgumentException("a count of " + n + " values; the count cannot be negative");
    }
    if (kind == Kind.STANDARDIZE && n != shift.length) {
      throw new IllegalArgumentException(n + " values, but the scaling is for " + shift.length + " features");
    }
    if (srcOff < 0 || srcOff > src.length - n || dstOff < 0 || dstOff > dst.length - n) {
      throw new IllegalArgumentException(n + " values do not fit at offset " + srcOff + " of " + src.length
          + " (source) or " + dstOff + " of " + dst.length + " (destination)");
    }
    if (kind != Kind.NONE && src == dst && dstOff > srcOff && dstOff < srcOff + n) {
      // the forward loops below would read values they have already written
      for (int i = n - 1; i >= 0; i--) {
        dst[dstOff + i] = kind == Kind.SCALE ? src[srcOff + i] * factor : standardize(i, src[srcOff + i]);
      }
      return;
    }
    switch (kind) {
      case NONE -> System.arraycopy(src, srcOff, dst, dstOff, n);
      case SCALE -> {
        for (int i = 0; i < n; i++) {
          dst[dstOff + i] = src[srcOff + i] * factor;
        }
      }
      case STANDARDIZE -> {
        for (int i = 0; i < n; i++) {
          dst[dstOff + i] = standardize(i, src[srcOff + i]);
        }
      }
    }
  }

  /** Feature {@code i}'s value {@code x} standardised. */
  private float standardize(int i, float x) {
    float v = (x - shift[i]) * scale[i];
    if (Float.isInfinite(v) && Float.isFinite(x)) {
      // x - shift overflowed a float (values near ±3e38 whose mean lies on the other side); the
      // formula in double keeps the float result's bits wherever that was finite
      v = (float) (((double) x - shift[i]) * scale[i]);
    }
    return v;
  }

  /**
   * A new dataset with every row mapped, to look at or to hand to other tools. A {@link Trainer} and a
   * {@link Model} apply their scaling to the raw data they are given, so give them the raw dataset: this
   * one would be scaled a second time (a trainer built with no scaling may take it, but its model then
   * expects scaled inputs when predicting).
   *
   * @throws IllegalArgumentException when the widths differ, or a mapped value is not finite
   */
  public Dataset apply(Dataset data) {
    checkWidth("the data", data.featureCount(), "");
    return data.mapFeatures(this);
  }

  /** How messages say that this map turned a finite value into {@code mapped} (which is not finite). */
  String mapsTo(float mapped) {
    return ", which the input scaling (" + this + ") maps to " + mapped;
  }

  /**
   * Refuses a per-feature map for another width than {@code width}, which {@code owner} has (e.g. "the
   * data", "the model" with {@code unit} " inputs"), in the words of the message.
   */
  void checkWidth(String owner, int width, String unit) {
    if (shift != null && shift.length != width) {
      throw new IllegalArgumentException(
          "input scaling is for " + shift.length + " features, " + owner + " has " + width + unit);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InputScaling s
        && s.kind == kind
        && Float.compare(s.factor, factor) == 0
        && Arrays.equals(s.shift, shift)
        && Arrays.equals(s.scale, scale);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, factor, Arrays.hashCode(shift), Arrays.hashCode(scale));
  }

  @Override
  public String toString() {
    return switch (kind) {
      case NONE -> "none";
      case SCALE -> "scale(x" + factor + ")";
      case STANDARDIZE -> "standardize(" + shift.length + " features)";
    };
  }
}
