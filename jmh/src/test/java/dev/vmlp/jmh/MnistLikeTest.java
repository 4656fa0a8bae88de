package dev.vmlp.jmh;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmlp.data.TrainTest;
import org.junit.jupiter.api.Test;

/** The benchmarks' MNIST-format data is as sparse as MNIST (19.1% of its pixels are non-zero). */
class MnistLikeTest {
  @Test
  void aboutNineteenPercentOfThePixelsAreNonZero() {
    TrainTest t = MnistLike.standard();
    // the training benchmarks' pool, the whole training set, and the rows predict runs on
    for (double density : new double[] {t.train().slice(0, 8192).density(), t.train().density(),
        t.test().slice(0, 1024).density()}) {
      assertTrue(density > 0.18 && density < 0.20, "density " + density);
    }
  }
}
