package dev.vmlp.internal.text;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The provenance keys of a model's metadata and what each value must look like: one rule for a file's
 * loader and for a trainer that continues a model built in code.
 */
public final class Provenance {
  public static final String SEED = "seed";
  public static final String EPOCHS = "epochs";
  public static final String EPOCH_SAMPLES = "epoch_samples";
  public static final String EPOCH_SIZE = "epoch_size";
  public static final String ONLINE_SAMPLES = "online_samples";
  public static final String LEARNING_RATE = "learning_rate";
  public static final String THREADS = "threads";
  public static final String SHUFFLE = "shuffle";
  public static final String WEIGHTS_SHA256 = "weights_sha256";
  /** The keys whose values are checked; {@code kernels} is free-form. */
  public static final List<String> CHECKED = List.of(SEED, EPOCHS, EPOCH_SAMPLES, EPOCH_SIZE, ONLINE_SAMPLES,
      LEARNING_RATE, SHUFFLE, THREADS, WEIGHTS_SHA256);

  /**
   * A decimal number as {@link Float#toString} writes it; no hexadecimal, suffix, NaN or Infinity, and, as
   * in a JSON number, no leading zero ({@code 007.5}).
   */
  private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?");
  /**
   * Integers as {@link Long#toString} writes them: as in a JSON number, no leading zero ({@code 007}), which
   * would read back as another value's text (7).
   */
  private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,18})");
  private static final Pattern COUNT = Pattern.compile("0|[1-9][0-9]{0,18}");
  private static final Pattern INT_COUNT = Pattern.compile("0|[1-9][0-9]{0,9}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private Provenance() {}

  /** Why {@code value} is not a valid value of {@code key}, or null when it is (or the key is free-form). */
  public static String problem(String key, String value) {
    String quoted = "'" + Excerpt.of(value, 80) + "'";
    String problem = switch (key) {
      case SEED -> INTEGER.matcher(value).matches() && fitsLong(value) ? null : quoted + " is not a 64-bit integer";
      case EPOCHS -> nonNegativeInt(value) ? null : quoted + " is not a count of epochs";
      case EPOCH_SAMPLES -> nonNegativeInt(value) ? null : quoted + " is not a count of samples";
      case EPOCH_SIZE -> nonNegativeInt(value) && Integer.parseInt(value) >= 1 ? null
          : quoted + " is not a positive count of samples";
      case ONLINE_SAMPLES -> COUNT.matcher(value).matches() && fitsLong(value) ? null
          : quoted + " is not a count of samples";
      case THREADS -> nonNegativeInt(value) && Integer.parseInt(value) >= 1 ? null
          : quoted + " is not a positive number of threads";
      case SHUFFLE -> value.equals("true") || value.equals("false") ? null : quoted + " is not true or false";
      case LEARNING_RATE -> decimalProblem(value) == null && Float.parseFloat(value) > 0 ? null
          : quoted + " is not a positive finite learning rate";
      case WEIGHTS_SHA256 -> SHA256.matcher(value).matches() ? null : quoted + " is not 64 lower-case hex digits";
      default -> null;
    };
    boolean number = !key.equals(SHUFFLE) && !key.equals(WEIGHTS_SHA256);
    return problem != null && number && leadingZero(value) ? problem + LEADING_ZERO : problem;
  }

  /** A key whose value is wrong, and why. */
  public record Problem(String key, String message) {}

  /**
   * Why a part-done epoch's two keys do not fit together, or null when they do: {@code epoch_samples}
   * above 0 needs {@code epoch_size}, which must exceed it, and {@code epoch_size} means nothing without
   * it. Call it once each value passes {@link #problem}.
   */
  public static Problem epochProblem(Map<String, String> meta) {
    String samples = meta.get(EPOCH_SAMPLES);
    String size = meta.get(EPOCH_SIZE);
    int done = samples == null ? 0 : Integer.parseInt(samples);
    if (done > 0 && size == null) {
      return new Problem(EPOCH_SAMPLES, samples + " samples of a part-done epoch are recorded without "
          + EPOCH_SIZE + ", the size of its training set");
    }
    if (done == 0 && size != null) {
      return new Problem(EPOCH_SIZE, "'" + size + "' is recorded without a part-done epoch (" + EPOCH_SAMPLES
          + " above 0)");
    }
    if (done > 0 && done >= Integer.parseInt(size)) {
      return new Problem(EPOCH_SAMPLES, samples + " samples done of an epoch of " + size
          + ", but a part-done epoch has fewer than its size");
    }
    return null;
  }

  /** Why {@code s} is not a finite decimal float, or null when it is. */
  public static String decimalProblem(String s) {
    if (s.length() > 64 || !DECIMAL.matcher(s).matches()) {
      return "'" + Excerpt.of(s, 80) + "' is not a decimal number" + (leadingZero(s) ? LEADING_ZERO : "");
    }
    return Float.isFinite(Float.parseFloat(s)) ? null : s + " is out of the float range";
  }

  private static boolean fitsLong(String s) {
    try {
      Long.parseLong(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static final String LEADING_ZERO = " (it has a leading zero, which a JSON number may not)";

  /** Whether {@code s} is a number whose integer part has a leading zero: {@code 007}, {@code -01.5}. */
  private static boolean leadingZero(String s) {
    int i = s.startsWith("-") ? 1 : 0;
    return s.length() > i + 1 && s.charAt(i) == '0' && Character.isDigit(s.charAt(i + 1));
  }

  private static boolean nonNegativeInt(String s) {
    if (!INT_COUNT.matcher(s).matches()) {
      return false;
    }
    return Long.parseLong(s) <= Integer.MAX_VALUE;
  }
}
