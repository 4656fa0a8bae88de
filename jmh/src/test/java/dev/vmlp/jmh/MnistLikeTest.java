package dev.vmlp.jmh;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmlp.Dataset;
import dev.vmlp.data.TrainTest;
import org.junit.jupiter.api.Test;

/** The benchmarks' MNIST-format data is as sparse as MNIST (19.1% of its pixels are non-zero). */
class MnistLikeTest {
  /** The fraction of non-zero pixels in rows {@code [0, rows)} of {@code d}. */
  static double density(Dataset d, int rows) {
    float[] row = new float[d.featureCount()];
    long nonZero = 0;
    for (int i = 0; i < rows; i++) {
      d.copyRow(i, row, 0);
      for (float v : row) {
        nonZero += v != 0 ? 1 : 0;
      }
    }
    return (double) nonZero / ((double) rows * d.featureCount());
  }

  @Test
  void aboutNineteenPercentOfThePixelsAreNonZero() {
    TrainTest t = MnistLike.standard();
    // the training benchmarks' pool, the whole training set, and the rows predict runs on
    for (double density : new double[] {density(t.train(), 8192), density(t.train(), t.train().size()),
        density(t.test(), 1024)}) {
      assertTrue(density > 0.18 && density < 0.20, "density " + density);
    }
  }
}
