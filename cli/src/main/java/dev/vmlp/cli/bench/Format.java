package dev.vmlp.cli.bench;

import java.util.Locale;

/** Number formats shared by the page and the Markdown summary. */
final class Format {
  private Format() {}

  /**
   * 3 significant digits or more, thousands separated: {@code 1,234}, {@code 56.7}, {@code 8.90}, {@code 0.123};
   * below 0.01 in scientific notation, {@code 2.42e-06}.
   */
  static String num(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    double a = Math.abs(v);
    if (a > 0 && a < 0.01) { // 0.000 left no digit of a time in s/op, JMH's unit without @OutputTimeUnit
      return String.format(Locale.ROOT, "%.2e", v);
    }
    String pattern = a >= 100 ? "%,.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
    return String.format(Locale.ROOT, pattern, v);
  }

  /** {@code n} and its noun, in the plural unless {@code n} is 1: {@code 1 result}, {@code 34 results}. */
  static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** As {@link #num}, without thousands separators: for lists whose items a comma separates. */
  static String plain(double v) {
    return num(v).replace(",", "");
  }

    /** {@code value ± error}, or the value alone when the error is unknown. */
  static String pm(double v, double error) {
    return Double.isFinite(error) ? num(v) + " ± " + num(error) : num(v);
  }

  /** A time in ns with a readable unit: {@code 812 ns}, {@code 5.31 µs}, {@code 2.40 ms}. */
  static String time(double ns) {
    if (Double.isNaN(ns)) {
      return "-";
    }
    if (ns >= 1e6) {
      return num(ns / 1e6) + " ms";
    }
    if (ns >= 1e3) {
      return num(ns / 1e3) + " µs";
    }
    return num(ns) + " ns";
  }

  /** {@code 24 KiB}, {@code 1 MiB}, {@code 254 MiB}. */
  static String bytes(long b) {
    if (b <= 0) {
      return "unknown";
    }
    if (b >= 1L << 30 && b % (1L << 30) == 0) {
      return (b >> 30) + " GiB";
    }
    if (b >= 1L << 20) {
      return num(b / (double) (1L << 20)) + " MiB";
    }
    if (b >= 1L << 10) {
      return num(b / 1024.0) + " KiB";
    }
    return b + " B";
  }

  /** {@code "50.0"} as {@code 50}, {@code "99.9"} as {@code 99.9}. */
  static String percentile(String key) {
    return key.endsWith(".0") ? key.substring(0, key.length() - 2) : key;
  }

  /** {@code +4.2%}, {@code -12.0%}. */
  static String percent(double p) {
    return Double.isNaN(p) ? "-" : String.format(Locale.ROOT, "%+.1f%%", p);
  }
}
