package dev.vmlp;

import java.util.Objects;

/**
 * Samples in memory: {@code size} rows of {@code featureCount} float features (row-major), each with a
 * class label (classification) or {@code targetCount} real targets (regression). Immutable: the
 * factories copy their arrays and accessors return copies or single values.
 *
 * <p>Readers for files live in {@code dev.vmlp.data}.
 */
public final class Dataset {
  private final String name;
  private final int size;
  private final int featureCount;
  private final float[] features;
  private final int[] labels;
  private final int classCount;
  private final float[] targets;
  private final int targetCount;
  /** Non-zero feature indices of every row, built on first use by the sparse training path. */
  private volatile SparseRows sparse;

  private Dataset(
      String name, int size, int featureCount, float[] features, int[] labels, int classCount, float[] targets,
      int targetCount) {
    this.name = Objects.requireNonNull(name, "name");
    this.size = size;
    this.featureCount = featureCount;
    this.features = features;
    this.labels = labels;
    this.classCount = classCount;
    this.targets = targets;
    this.targetCount = targetCount;
  }

  /**
   * A classification dataset; copies the arrays.
   *
   * @param features row-major, {@code labels.length * featureCount} values, all finite
   * @param labels each in {@code [0, classCount)}
   * @param name how messages name the data (a file name, say)
   * @throws IllegalArgumentException naming the row, column or label that is wrong
   * @throws NullPointerException when the name or an array is null
   */
  public static Dataset ofClasses(String name, float[] features, int featureCount, int[] labels, int classCount) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(labels, "labels");
    checkFeatures(features, featureCount, labels.length);
    if (classCount < 1) {
      throw new IllegalArgumentException("classCount must be positive, got " + classCount);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classCount) {
        throw new IllegalArgumentException(
            "label of row " + i + " is " + labels[i] + ", outside [0, " + classCount + ")");
      }
    }
    return new Dataset(name, labels.length, featureCount, features.clone(), labels.clone(), classCount, null, 0);
  }

  /**
   * A classification dataset from unsigned bytes (such as image pixels), each becoming a float
   * 0..255; copies the labels.
   *
   * @param bytes row-major, {@code labels.length * featureCount} values
   * @param name how messages name the data (a file name, say)
   * @throws IllegalArgumentException naming the label that is wrong, or when the sizes disagree
   * @throws NullPointerException when the name or an array is null
   */
  public static Dataset ofUnsignedBytes(String name, byte[] bytes, int featureCount, int[] labels, int classCount) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(labels, "labels");
    if (featureCount < 1) {
      throw new IllegalArgumentException("featureCount must be positive, got " + featureCount);
    }
    if ((long) labels.length * featureCount != bytes.length) {
      throw new IllegalArgumentException("bytes has " + bytes.length + " values, expected rows x featureCount = "
          + labels.length + " x " + featureCount);
    }
    if (classCount < 1) {
      throw new IllegalArgumentException("classCount must be positive, got " + classCount);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classCount) {
        throw new IllegalArgumentException(
            "label of row " + i + " is " + labels[i] + ", outside [0, " + classCount + ")");
      }
    }
    // converted once every argument is checked: a refused call allocates nothing
    float[] f = new float[bytes.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = bytes[i] & 0xff;
    }
    return new Dataset(name, labels.length, featureCount, f, labels.clone(), classCount, null, 0);
  }

  /**
   * A regression dataset; copies the arrays.
   *
   * @param targets row-major, {@code size * targetCount} finite values
   * @param name how messages name the data (a file name, say)
   * @throws IllegalArgumentException naming the row, column or value that is wrong
   * @throws NullPointerException when the name or an array is null
   */
  public static Dataset ofTargets(String name, float[] features, int featureCount, float[] targets, int targetCount) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(targets, "targets");
    if (targetCount < 1) {
      throw new IllegalArgumentException("targetCount must be positive, got " + targetCount);
    }
    if (targets.length % targetCount != 0) {
      throw new IllegalArgumentException(
          "targets has " + targets.length + " values, not a multiple of targetCount " + targetCount);
    }
    int size = targets.length / targetCount;
    checkFeatures(features, featureCount, size);
    for (int i = 0; i < targets.length; i++) {
      if (!Float.isFinite(targets[i])) {
        throw new IllegalArgumentException(
            "target " + (i % targetCount) + " of row " + (i / targetCount) + " is " + targets[i]);
      }
    }
    return new Dataset(name, size, featureCount, features.clone(), null, 0, targets.clone(), targetCount);
  }

  private static void checkFeatures(float[] features, int featureCount, int rows) {
    Objects.requireNonNull(features, "features");
    if (featureCount < 1) {
      throw new IllegalArgumentException("featureCount must be positive, got " + featureCount);
    }
    if ((long) rows * featureCount != features.length) {
      throw new IllegalArgumentException("features has " + features.length + " values, expected rows x featureCount = "
          + rows + " x " + featureCount + " = " + (long) rows * featureCount);
    }
    for (int i = 0; i < features.length; i++) {
      if (!Float.isFinite(features[i])) {
        throw new IllegalArgumentException(
            "feature " + (i % featureCount) + " of row " + (i / featureCount) + " is " + features[i]);
      }
    }
  }

  public String name() {
    return name;
  }

  /** Number of rows. */
  public int size() {
    return size;
  }

  public int featureCount() {
    return featureCount;
  }

  /** Whether rows carry class labels (otherwise real targets). */
  public boolean hasLabels() {
    return labels != null;
  }

  /** Number of classes (0 for regression data). */
  public int classCount() {
    return classCount;
  }

  /** Targets per row (0 for classification data). */
  public int targetCount() {
    return targetCount;
  }

  /** Width of the network output this data trains: classes or targets. */
  public int outputCount() {
    return labels != null ? classCount : targetCount;
  }

  /**
   * The label of row {@code i}.
   *
   * @throws IllegalStateException for regression data
   * @throws IndexOutOfBoundsException unless {@code 0 <= i < size()}
   */
  public int label(int i) {
    if (labels == null) {
      throw new IllegalStateException("dataset '" + name + "' has targets, not labels");
    }
    Objects.checkIndex(i, size);
    return labels[i];
  }

  /**
   * Target {@code t} of row {@code i}.
   *
   * @throws IllegalStateException for classification data
   * @throws IndexOutOfBoundsException unless {@code 0 <= i < size()} and {@code 0 <= t < targetCount()}
   */
  public float target(int i, int t) {
    if (targets == null) {
      throw new IllegalStateException("dataset '" + name + "' has labels, not targets");
    }
    Objects.checkIndex(i, size());
    Objects.checkIndex(t, targetCount);
    return targets[i * targetCount + t];
  }

  /** Feature {@code f} of row {@code i}. */
  public float feature(int i, int f) {
    Objects.checkIndex(i, size);
    Objects.checkIndex(f, featureCount);
    return features[i * featureCount + f];
  }

  /** A copy of row {@code i}. */
  public float[] row(int i) {
    Objects.checkIndex(i, size); // before the copy is made, as select does
    float[] r = new float[featureCount];
    copyRow(i, r, 0);
    return r;
  }

  /**
   * Copies row {@code i} into {@code dst} at {@code off}.
   *
   * @param dst modified at {@code [off, off + featureCount)}
   * @throws IllegalArgumentException when that range is not inside {@code dst}
   */
  public void copyRow(int i, float[] dst, int off) {
    Objects.checkIndex(i, size);
    if (off < 0 || off > dst.length - featureCount) {
      throw new IllegalArgumentException("a row of " + featureCount + " features does not fit at offset " + off
          + " of an array of " + dst.length);
    }
    System.arraycopy(features, i * featureCount, dst, off, featureCount);
  }

  /**
   * Fraction of features that are non-zero, over all rows. Counted in place: the index lists of the
   * sparse training path (twice the data's non-zero values) are built only when that path runs.
   */
  public double density() {
    SparseRows s = sparse;
    long nonZeros = 0;
    if (s != null) {
      nonZeros = s.nonZeros();
    } else {
      for (float v : features) {
        nonZeros += v != 0f ? 1 : 0;
      }
    }
    return (double) nonZeros / Math.max(1L, (long) size * featureCount);
  }

  /** The rows {@code from..to-1} as a new dataset. */
  public Dataset slice(int from, int to) {
    Objects.checkFromToIndex(from, to, size);
    int[] idx = new int[to - from];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = from + i;
    }
    return select(name, idx);
  }

  /**
   * The given rows, in the given order, as a new dataset named {@code newName}.
   *
   * @throws NullPointerException when {@code newName} or {@code rows} is null
   * @throws IndexOutOfBoundsException when a row does not exist
   * @throws IllegalArgumentException when the rows' features (or targets) would be more values than an
   *     array holds, naming the counts
   */
  public Dataset select(String newName, int[] rows) {
    Objects.requireNonNull(newName, "newName");
    checkFitsAnArray(rows.length, featureCount, "features");
    if (labels == null) {
      checkFitsAnArray(rows.length, targetCount, "targets");
    }
    for (int r : rows) {
      // before the arrays are made: rows of an empty dataset of wide rows were an OutOfMemoryError
      Objects.checkIndex(r, size);
    }
    float[] f = new float[rows.length * featureCount];
    for (int k = 0; k < rows.length; k++) {
      copyRow(rows[k], f, k * featureCount);
    }
    if (labels != null) {
      int[] l = new int[rows.length];
      for (int k = 0; k < rows.length; k++) {
        l[k] = labels[rows[k]];
      }
      return new Dataset(newName, rows.length, featureCount, f, l, classCount, null, 0);
    }
    float[] t = new float[rows.length * targetCount];
    for (int k = 0; k < rows.length; k++) {
      System.arraycopy(targets, rows[k] * targetCount, t, k * targetCount, targetCount);
    }
    return new Dataset(newName, rows.length, featureCount, f, null, 0, t, targetCount);
  }

  /** Throws when {@code rows} rows of {@code width} values each would not fit one array. */
  private static void checkFitsAnArray(int rows, int width, String what) {
    long values = (long) rows * width;
    if (values > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(rows + " rows of " + width + " " + what + " are " + values
          + " values, more than one array holds (" + Integer.MAX_VALUE + ")");
    }
  }

  Dataset mapFeatures(InputScaling scaling) {
    float[] f = new float[features.length];
    for (int r = 0; r < size; r++) {
      scaling.apply(features, r * featureCount, f, r * featureCount, featureCount);
      checkMapped(f, r * featureCount, r, scaling);
    }
    return new Dataset(name, size, featureCount, f, labels, classCount, targets, targetCount);
  }

  /** Throws naming the first value that {@code scaling} maps to one that is not finite; copies nothing. */
  void checkScaledFinite(InputScaling scaling) {
    float[] row = new float[featureCount];
    for (int r = 0; r < size; r++) {
      scaling.apply(features, r * featureCount, row, 0, featureCount);
      checkMapped(row, 0, r, scaling);
    }
  }

  /**
   * Throws when row {@code r}, mapped by {@code scaling} into {@code mapped} from {@code off}, holds a
   * value that is not finite (a huge value times a large factor: refused like a non-finite feature).
   */
  private void checkMapped(float[] mapped, int off, int r, InputScaling scaling) {
    for (int i = 0; i < featureCount; i++) {
      if (!Float.isFinite(mapped[off + i])) {
        throw new IllegalArgumentException("feature " + i + " of row " + r + " of '" + name + "' is "
            + features[r * featureCount + i] + scaling.mapsTo(mapped[off + i]));
      }
    }
  }

  // ---- for the engine in this package: no copies

  float[] featureArray() {
    return features;
  }

  int[] labelArray() {
    return labels;
  }

  float[] targetArray() {
    return targets;
  }

  SparseRows sparseRows() {
    SparseRows s = sparse;
    if (s == null) {
      s = SparseRows.of(features, size, featureCount);
      sparse = s;
    }
    return s;
  }

  @Override
  public String toString() {
    return "Dataset[" + name + ", " + size + " rows x " + featureCount + " features, "
        + (labels != null ? classCount + " classes" : targetCount + " targets") + "]";
  }
}
