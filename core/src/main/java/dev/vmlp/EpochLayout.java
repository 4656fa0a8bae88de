package dev.vmlp;

/**
 * A copy of the training data laid out in the epoch's shuffled order, so that a pass streams through
 * memory instead of jumping to a random row for every sample: the hardware prefetchers then hide the
 * memory latency that random rows of a large dataset (MNIST: 188 MB) would cost each step, on every
 * thread. The samples and their order are unchanged, so are the bits. Built once per {@code fit};
 * each epoch only copies.
 */
final class EpochLayout {
  private final Dataset data;
  private final SparseRows rows;
  private final float[] x;
  private final int[] labels;
  private final float[] targets;
  private final int[] start;
  private final int[] index;
  private final float[] values;
  private final int[] identity;

  EpochLayout(Dataset data, SparseRows rows) {
    this.data = data;
    this.rows = rows;
    int n = data.size();
    // a sparse pass reads the non-zero values only (SparseRows), so it needs no copy of the dense rows
    this.x = rows == null ? new float[data.featureArray().length] : null;
    this.labels = data.labelArray() != null ? new int[n] : null;
    this.targets = data.targetArray() != null ? new float[data.targetArray().length] : null;
    this.start = rows != null ? new int[n + 1] : null;
    this.index = rows != null ? new int[rows.index().length] : null;
    this.values = rows != null ? new float[rows.values().length] : null;
    this.identity = new int[n];
    fillIdentity(identity);
  }

  /**
   * {@code order[i] = i}. A method of its own so that callers whose loops run once per epoch, such as
   * {@link Trainer#fit}, hold no loop with one iteration per sample: in {@code fit} such a loop made the
   * JIT compile all of it on the side (on-stack replacement) during the fourth epoch, about 160 ms of a
   * compiler thread that took a core from the trainer's threads.
   */
  static void fillIdentity(int[] order) {
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
  }

  /** A pass over the samples {@code order[0..n)}, copied into that order first. */
  Pass arrange(int[] order, int n, int epoch, EpochListener listener) {
    int d = data.featureCount();
    int tc = data.targetCount();
    float[] srcX = data.featureArray();
    int k = 0;
    for (int pos = 0; pos < n; pos++) {
      int r = order[pos];
      if (x != null) {
        System.arraycopy(srcX, r * d, x, pos * d, d);
      }
      if (labels != null) {
        labels[pos] = data.labelArray()[r];
      }
      if (targets != null) {
        System.arraycopy(data.targetArray(), r * tc, targets, pos * tc, tc);
      }
      if (rows != null) {
        int s0 = rows.start()[r];
        int len = rows.start()[r + 1] - s0;
        start[pos] = k;
        System.arraycopy(rows.index(), s0, index, k, len);
        System.arraycopy(rows.values(), s0, values, k, len);
        k += len;
      }
    }
    if (rows != null) {
      start[n] = k;
    }
    SparseRows arranged = rows != null ? new SparseRows(start, index, values) : null;
    return new Pass(x, d, labels, targets, tc, arranged, identity, n, epoch, listener);
  }
}
