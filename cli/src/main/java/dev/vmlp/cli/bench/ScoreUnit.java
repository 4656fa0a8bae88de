package dev.vmlp.cli.bench;

/**
 * A JMH score unit read once: a time per operation ({@code ns/op}, {@code us/op}...) or operations per
 * a time ({@code ops/s}, {@code ops/ms}...), with the seconds in its time unit.
 *
 * @param perOp whether it is a time per operation (else operations per a time)
 * @param seconds seconds in the unit's time part
 */
record ScoreUnit(boolean perOp, double seconds) {

  /** The unit of {@code text}, or null when it is neither a time per op nor ops per a time (say {@code B/op}). */
  static ScoreUnit of(String text) {
    String[] u = text.split("/");
    if (u.length != 2) {
      return null;
    }
    if (u[1].equals("op")) {
      double s = seconds(u[0]);
      return Double.isNaN(s) ? null : new ScoreUnit(true, s);
    }
    if (u[0].equals("ops")) {
      double s = seconds(u[1]);
      return Double.isNaN(s) ? null : new ScoreUnit(false, s);
    }
    return null;
  }

  /**
   * Seconds in a JMH time unit ({@code ns}, {@code us}... {@code hr}, {@code day}: JMH's names for each
   * {@code TimeUnit}), or NaN for another word.
   */
  static double seconds(String unit) {
    return switch (unit) {
      case "ns" -> 1e-9;
      case "us", "µs" -> 1e-6;
      case "ms" -> 1e-3;
      case "s" -> 1;
      case "min" -> 60;
      case "hr" -> 3600;
      case "day" -> 86400;
      default -> Double.NaN;
    };
  }
}
