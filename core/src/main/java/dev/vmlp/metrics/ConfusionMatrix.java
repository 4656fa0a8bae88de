package dev.vmlp.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Counts of (true class, predicted class) pairs: {@code count(t, p)} is how many samples of class
 * {@code t} were predicted as {@code p}. Immutable.
 *
 * <p>Up to {@value #DENSE_MAX} classes the counts are a dense {@code classes x classes} table; with more
 * (CSV labels go up to 65535, and a dataset may have any number of classes) only the pairs that occur
 * are kept, so memory grows
 * with the samples rather than with the square of the classes.
 */
public final class ConfusionMatrix {
  /** Most classes kept as a dense table (8 MB of counts). */
  public static final int DENSE_MAX = 1024;
  /** Most classes {@link #format()} draws as a table; with more it lists the largest counts. */
  static final int TABLE_MAX = 32;

  private final int classes;
  /** {@code [truth * classes + predicted]}, or null when sparse. */
  private final long[] dense;
  /** {@code truth * classes + predicted} to its count, or null when dense. */
  private final Map<Long, Long> sparse;

  private ConfusionMatrix(int classes, long[] dense, Map<Long, Long> sparse) {
    this.classes = classes;
    this.dense = dense;
    this.sparse = sparse;
  }

  /** An empty matrix to count into ({@link #add}); only {@link Evaluation.Accumulator} mutates one. */
  static ConfusionMatrix counting(int classes) {
    return classes <= DENSE_MAX
        ? new ConfusionMatrix(classes, new long[classes * classes], null)
        : new ConfusionMatrix(classes, null, new HashMap<>());
  }

  void add(int truth, int predicted) {
    if (dense != null) {
      dense[truth * classes + predicted]++;
    } else {
      sparse.merge((long) truth * classes + predicted, 1L, Long::sum);
    }
  }

  ConfusionMatrix copy() {
    return new ConfusionMatrix(classes, dense != null ? dense.clone() : null,
        sparse != null ? new HashMap<>(sparse) : null);
  }

  /** Number of classes (rows and columns). */
  public int classes() {
    return classes;
  }

  /**
   * How many samples of class {@code truth} were predicted as {@code predicted}.
   *
   * @throws IndexOutOfBoundsException when a class is outside {@code [0, classes)}
   */
  public long count(int truth, int predicted) {
    if (truth < 0 || truth >= classes || predicted < 0 || predicted >= classes) {
      throw new IndexOutOfBoundsException("class out of range [0, " + classes + "): truth " + truth
          + ", predicted " + predicted);
    }
    return dense != null ? dense[truth * classes + predicted]
        : sparse.getOrDefault((long) truth * classes + predicted, 0L);
  }

  /** Total number of samples. */
  public long total() {
    long t = 0;
    for (long[] e : entries()) {
      t += e[2];
    }
    return t;
  }

  /** Samples on the diagonal. */
  public long correct() {
    long c = 0;
    for (long[] e : entries()) {
      if (e[0] == e[1]) {
        c += e[2];
      }
    }
    return c;
  }

  /**
   * Recall of class {@code c} (correct / samples of the class), NaN for an absent class.
   *
   * @throws IndexOutOfBoundsException when {@code c} is outside {@code [0, classes)}
   */
  public double recall(int c) {
    Objects.checkIndex(c, classes);
    long row = 0;
    for (long[] e : entries()) {
      if (e[0] == c) {
        row += e[2];
      }
    }
    return row == 0 ? Double.NaN : (double) count(c, c) / row;
  }

  /**
   * Precision of class {@code c} (correct / samples predicted as it), NaN when never predicted.
   *
   * @throws IndexOutOfBoundsException when {@code c} is outside {@code [0, classes)}
   */
  public double precision(int c) {
    Objects.checkIndex(c, classes);
    long col = 0;
    for (long[] e : entries()) {
      if (e[1] == c) {
        col += e[2];
      }
    }
    return col == 0 ? Double.NaN : (double) count(c, c) / col;
  }

  /** The pairs that occur, as {@code {truth, predicted, count}}, by truth then predicted class. */
  public List<long[]> entries() {
    List<long[]> out = new ArrayList<>();
    if (dense != null) {
      for (int i = 0; i < dense.length; i++) {
        if (dense[i] != 0) {
          out.add(new long[] {i / classes, i % classes, dense[i]});
        }
      }
    } else {
      for (Map.Entry<Long, Long> e : sparse.entrySet()) {
        out.add(new long[] {e.getKey() / classes, e.getKey() % classes, e.getValue()});
      }
      out.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
    }
    return out;
  }

  /**
   * The counts as {@code [truth][predicted]} (a copy).
   *
   * @throws IllegalStateException with more than {@value #DENSE_MAX} classes (use {@link #entries()})
   */
  public long[][] toArray() {
    if (dense == null) {
      throw new IllegalStateException(classes + " classes are too many for a table; use entries()");
    }
    long[][] m = new long[classes][];
    for (int t = 0; t < classes; t++) {
      m[t] = Arrays.copyOfRange(dense, t * classes, (t + 1) * classes);
    }
    return m;
  }

  /**
   * A right-aligned table with true classes as rows and predicted classes as columns; with more than
   * {@value #TABLE_MAX} classes, the twenty largest counts off the diagonal instead.
   */
  public String format() {
    if (classes > TABLE_MAX) {
      List<long[]> off = new ArrayList<>(entries().stream().filter(e -> e[0] != e[1]).toList());
      off.sort(Comparator.<long[]>comparingLong(e -> -e[2]).thenComparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
      StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
          "%d classes, too many for a table; the most frequent confusions (true -> predicted: samples):%n", classes));
      for (long[] e : off.subList(0, Math.min(20, off.size()))) {
        sb.append(String.format(Locale.ROOT, "  %d -> %d: %d%n", e[0], e[1], e[2]));
      }
      if (off.isEmpty()) {
        sb.append("  none\n");
      }
      return sb.toString();
    }
    long max = 1;
    for (long[] e : entries()) {
      max = Math.max(max, e[2]);
    }
    int w = Math.max(Long.toString(max).length(), Integer.toString(classes - 1).length()) + 1;
    StringBuilder sb = new StringBuilder();
    sb.append(" ".repeat(6)).append("predicted\n");
    sb.append(String.format(Locale.ROOT, "%5s ", "true"));
    for (int p = 0; p < classes; p++) {
      sb.append(String.format(Locale.ROOT, "%" + w + "d", p));
    }
    sb.append('\n');
    for (int t = 0; t < classes; t++) {
      sb.append(String.format(Locale.ROOT, "%5d ", t));
      for (int p = 0; p < classes; p++) {
        sb.append(String.format(Locale.ROOT, "%" + w + "d", count(t, p)));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ConfusionMatrix m) || m.classes != classes) {
      return false;
    }
    List<long[]> a = entries();
    List<long[]> b = m.entries();
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = classes;
    for (long[] e : entries()) {
      h = 31 * h + Arrays.hashCode(e);
    }
    return h;
  }

  @Override
  public String toString() {
    return "ConfusionMatrix[" + classes + " classes, " + total() + " samples]";
  }
}
