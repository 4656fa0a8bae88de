package dev.vmlp;

/**
 * The non-zero features of every row, ascending, in two parallel arrays: row {@code r}'s are the
 * indices {@code index[start[r] .. start[r+1])} with the values {@code values[start[r] .. start[r+1])}.
 * The sparse first-layer kernels loop over these instead of branching on each input, and a training
 * pass reads a sample's values from here, one short stream, instead of picking them out of its dense
 * row (see {@link Forward#scatter}).
 */
record SparseRows(int[] start, int[] index, float[] values) {

  static SparseRows of(float[] features, int rows, int width) {
    int[] start = new int[rows + 1];
    long total = 0;
    for (int i = 0; i < features.length; i++) {
      if (features[i] != 0f) {
        total++;
      }
    }
    int[] index = new int[Math.toIntExact(total)];
    float[] values = new float[index.length];
    int k = 0;
    for (int r = 0; r < rows; r++) {
      start[r] = k;
      int base = r * width;
      for (int j = 0; j < width; j++) {
        if (features[base + j] != 0f) {
          index[k] = j;
          values[k++] = features[base + j];
        }
      }
    }
    start[rows] = k;
    return new SparseRows(start, index, values);
  }

  long nonZeros() {
    return start[start.length - 1];
  }
}
