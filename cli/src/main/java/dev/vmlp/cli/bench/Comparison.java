package dev.vmlp.cli.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Baseline against current, per benchmark, mode and parameters. A change counts only when the runs'
 * own error margins say it is real: the intervals {@code score ± scoreError} must not overlap. Then it
 * is a regression when the current score is worse (more time per operation; fewer operations per
 * time) and an improvement when it is better; overlapping intervals are within noise. A result without
 * an error estimate (one iteration) cannot be judged. Scores are compared in one unit per kind (ns/op,
 * ops/s), so a run saved in {@code us/op} compares with one in {@code ns/op}; units that do not convert
 * into each other are not judged.
 */
public final class Comparison {
  /** What the margins say about a change. */
  public enum Verdict {
    REGRESSION("regression"),
    IMPROVEMENT("improvement"),
    WITHIN_NOISE("within noise"),
    NO_MARGIN("no error margin"),
    UNITS_DIFFER("units differ"),
    ONLY_BASELINE("only in baseline"),
    ONLY_CURRENT("only in current");

    public final String text;

    Verdict(String text) {
      this.text = text;
    }
  }

  /** One benchmark in both runs (or one of them). */
  public record Row(String key, JmhResult baseline, JmhResult current, Verdict verdict) {
    /** The score's relative change in percent (NaN when the benchmark is in one run only). */
    public double changePercent() {
      JmhResult.Metric[] bc = baseline == null || current == null ? null : inOneUnit(baseline.primary(), current.primary());
      return bc == null ? Double.NaN : (bc[1].score() / bc[0].score() - 1) * 100;
    }

    /** The one that exists. */
    public JmhResult any() {
      return current != null ? current : baseline;
    }
  }

  private Comparison() {}

  /**
   * Rows in the current run's order, then those only in the baseline; regressions keep their place. A
   * result held twice (two runs' arrays joined) is paired copy by copy, as the report pairs its copies:
   * the k-th current copy with the k-th baseline copy, or with the last where the baseline has fewer,
   * and the baseline's further copies with the last current copy, next to it. So every copy in either
   * run is judged: a second copy in the current run is not "only in current", and one in the baseline is
   * not dropped for the other, whichever came last.
   */
  public static List<Row> compare(List<JmhResult> baseline, List<JmhResult> current) {
    Map<String, List<JmhResult>> base = copies(baseline);
    Map<String, List<JmhResult>> cur = copies(current);
    Map<String, Integer> seen = new HashMap<>();
    List<Row> rows = new ArrayList<>();
    for (JmhResult c : current) {
      List<JmhResult> bs = base.get(c.key());
      if (bs == null) {
        rows.add(new Row(c.key(), null, c, Verdict.ONLY_CURRENT));
        continue;
      }
      int k = seen.merge(c.key(), 1, Integer::sum) - 1;
      int last = k == cur.get(c.key()).size() - 1 ? bs.size() - 1 : Math.min(k, bs.size() - 1);
      for (int j = Math.min(k, bs.size() - 1); j <= last; j++) {
        rows.add(new Row(c.key(), bs.get(j), c, verdict(bs.get(j), c)));
      }
    }
    for (JmhResult b : baseline) {
      if (!cur.containsKey(b.key())) {
        rows.add(new Row(b.key(), b, null, Verdict.ONLY_BASELINE));
      }
    }
    return rows;
  }

  /** The results by {@link JmhResult#key()}, each key's copies in their order. */
  private static Map<String, List<JmhResult>> copies(List<JmhResult> results) {
    Map<String, List<JmhResult>> byKey = new HashMap<>();
    for (JmhResult r : results) {
      byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
    }
    return byKey;
  }

  /** The verdict on two results of the same benchmark. */
  public static Verdict verdict(JmhResult baseline, JmhResult current) {
    JmhResult.Metric[] bc = inOneUnit(baseline.primary(), current.primary());
    if (bc == null) {
      return Verdict.UNITS_DIFFER;
    }
    JmhResult.Metric b = bc[0];
    JmhResult.Metric c = bc[1];
    if (!Double.isFinite(b.error()) || !Double.isFinite(c.error())) {
      return Verdict.NO_MARGIN;
    }
    boolean overlap = b.low() <= c.high() && c.low() <= b.high();
    if (overlap) {
      return Verdict.WITHIN_NOISE;
    }
    boolean higher = c.score() > b.score();
    boolean worse = current.lowerIsBetter() == higher;
    return worse ? Verdict.REGRESSION : Verdict.IMPROVEMENT;
  }

  /**
   * Both metrics in one unit: ns/op for time per operation, ops/s for operations per time (both linear
   * in the score, so the error margins scale with it); as they are when their units are equal but do
   * not convert; null when they differ and do not convert into one.
   */
  static JmhResult.Metric[] inOneUnit(JmhResult.Metric baseline, JmhResult.Metric current) {
    JmhResult.Metric b = normalised(baseline);
    JmhResult.Metric c = normalised(current);
    if (b != null && c != null && b.unit().equals(c.unit())) {
      return new JmhResult.Metric[] {b, c};
    }
    return baseline.unit().equals(current.unit()) ? new JmhResult.Metric[] {baseline, current} : null;
  }

  /** {@code m} in ns/op or ops/s, or null when its unit is neither a time per op nor ops per a time. */
  static JmhResult.Metric normalised(JmhResult.Metric m) {
    ScoreUnit u = ScoreUnit.of(m.unit());
    if (u == null) {
      return null; // not a time unit (B/op, say)
    }
    double f = u.perOp() ? u.seconds() * 1e9 : 1 / u.seconds();
    return new JmhResult.Metric(m.score() * f, m.error() * f, u.perOp() ? "ns/op" : "ops/s");
  }

  /** Regressions first, then improvements, the rest in their order. */
  public static List<Row> byVerdict(List<Row> rows) {
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparingInt(r -> switch (r.verdict()) {
      case REGRESSION -> 0;
      case IMPROVEMENT -> 1;
      default -> 2;
    }));
    return sorted;
  }

  /**
   * {@code , 23 only in baseline, 1 only in current} for the benchmarks that one run lacks (a benchmark
   * that failed or was left out), each part only when there are some; empty when both runs have the same.
   */
  public static String unmatched(List<Row> rows) {
    long base = count(rows, Verdict.ONLY_BASELINE);
    long cur = count(rows, Verdict.ONLY_CURRENT);
    return (base == 0 ? "" : ", " + base + " " + Verdict.ONLY_BASELINE.text)
        + (cur == 0 ? "" : ", " + cur + " " + Verdict.ONLY_CURRENT.text);
  }

  /** How many rows have {@code v}. */
  public static long count(List<Row> rows, Verdict v) {
    return rows.stream().filter(r -> r.verdict() == v).count();
  }
}
