package dev.vmlp.metrics;

import java.util.Arrays;

/**
 * Counts of (true class, predicted class) pairs: {@code count(t, p)} is how many samples of class
 * {@code t} were predicted as {@code p}. Immutable.
 */
public final class ConfusionMatrix {
  private final int classes;
  private final long[] counts;

  ConfusionMatrix(int classes, long[] counts) {
    this.classes = classes;
    this.counts = counts;
  }

  /** Number of classes (rows and columns). */
  public int classes() {
    return classes;
  }

  /** How many samples of class {@code truth} were predicted as {@code predicted}. */
  public long count(int truth, int predicted) {
    return counts[truth * classes + predicted];
  }

  /** Total number of samples. */
  public long total() {
    long t = 0;
    for (long c : counts) {
      t += c;
    }
    return t;
  }

  /** Samples on the diagonal. */
  public long correct() {
    long c = 0;
    for (int i = 0; i < classes; i++) {
      c += count(i, i);
    }
    return c;
  }

  /** Recall of class {@code c} (correct / samples of the class), NaN for an absent class. */
  public double recall(int c) {
    long row = 0;
    for (int p = 0; p < classes; p++) {
      row += count(c, p);
    }
    return row == 0 ? Double.NaN : (double) count(c, c) / row;
  }

  /** Precision of class {@code c} (correct / samples predicted as it), NaN when never predicted. */
  public double precision(int c) {
    long col = 0;
    for (int t = 0; t < classes; t++) {
      col += count(t, c);
    }
    return col == 0 ? Double.NaN : (double) count(c, c) / col;
  }

  /** The counts as {@code [truth][predicted]} (a copy). */
  public long[][] toArray() {
    long[][] m = new long[classes][];
    for (int t = 0; t < classes; t++) {
      m[t] = Arrays.copyOfRange(counts, t * classes, (t + 1) * classes);
    }
    return m;
  }

  /** A right-aligned table with true classes as rows and predicted classes as columns. */
  public String format() {
    long max = 1;
    for (long c : counts) {
      max = Math.max(max, c);
    }
    int w = Math.max(Long.toString(max).length(), Integer.toString(classes - 1).length()) + 1;
    StringBuilder sb = new StringBuilder();
    sb.append(" ".repeat(6)).append("predicted\n");
    sb.append(String.format("%5s ", "true"));
    for (int p = 0; p < classes; p++) {
      sb.append(String.format("%" + w + "d", p));
    }
    sb.append('\n');
    for (int t = 0; t < classes; t++) {
      sb.append(String.format("%5d ", t));
      for (int p = 0; p < classes; p++) {
        sb.append(String.format("%" + w + "d", count(t, p)));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfusionMatrix m && m.classes == classes && Arrays.equals(m.counts, counts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "ConfusionMatrix[" + classes + " classes, " + total() + " samples]";
  }
}
