package dev.vmlp.jmh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmlp.Dataset;
import dev.vmlp.data.Digits;
import dev.vmlp.data.Mnist;
import dev.vmlp.data.TrainTest;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  static String sha256(Dataset d) throws NoSuchAlgorithmException {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (int i = 0; i < d.size(); i++) {
      for (int p = 0; p < d.featureCount(); p++) {
        md.update((byte) d.feature(i, p));
      }
      md.update((byte) d.label(i));
    }
    return HexFormat.of().formatHex(md.digest());
  }

  @Test
  void eachImageIsADigitScaledIntoA20PixelBoxInsideA2PixelBorder() throws NoSuchAlgorithmException {
    Dataset digits = Digits.load().train();
    Dataset d = MnistLike.generate(digits, 500, 7, "x");
    assertEquals(500, d.size());
    assertEquals(MnistLike.PIXELS, d.featureCount());
    int[] extent = {MnistLike.SIDE, MnistLike.SIDE, -1, -1}; // over all images: the top, left, bottom, right ink
    for (int i = 0; i < d.size(); i++) {
      int top = MnistLike.SIDE;
      int left = MnistLike.SIDE;
      int bottom = -1;
      int right = -1;
      for (int y = 0; y < MnistLike.SIDE; y++) {
        for (int x = 0; x < MnistLike.SIDE; x++) {
          float v = d.feature(i, y * MnistLike.SIDE + x);
          assertTrue(v == 0 || (v >= MnistLike.CUT && v <= 255), "pixel " + v);
          if (v > 0) {
            top = Math.min(top, y);
            left = Math.min(left, x);
            bottom = Math.max(bottom, y);
            right = Math.max(right, x);
          }
        }
      }
      assertTrue(top >= 2 && left >= 2 && bottom <= 25 && right <= 25, "image " + i + " outside its box");
      assertTrue(bottom - top < 20 && right - left < 20, "image " + i + " larger than 20 pixels");
      extent[0] = Math.min(extent[0], top);
      extent[1] = Math.min(extent[1], left);
      extent[2] = Math.max(extent[2], bottom);
      extent[3] = Math.max(extent[3], right);
    }
    // the box moves 2 to 6 pixels in, so the ink reaches the border (on the left, the 8x8 digits' first
    // column is blank: 2 pixels of the 20)
    assertArrayEquals(new int[] {2, 4, 25, 25}, extent, java.util.Arrays.toString(extent));
    // the same seed gives the same images, which the benchmarks' results were measured on
    assertEquals(sha256(d), sha256(MnistLike.generate(digits, 500, 7, "x")));
  }

  @Test
  void theDataIsTheSameFromRunToRun() throws NoSuchAlgorithmException {
    assertEquals("12de6e497de2aef990ac1ca386052a4aca92ec13df51d456a07668a94e51ca7a", sha256(MnistLike.generate(Digits.load().train(), 200, 1, "x")));
  }

  @Test
  void theWrittenFilesReadBackAsTheStandardData(@TempDir Path dir) throws IOException {
    MnistLike.write(dir);
    TrainTest read = Mnist.load(dir);
    TrainTest made = MnistLike.standard();
    for (Dataset[] pair : new Dataset[][] {{read.train(), made.train()}, {read.test(), made.test()}}) {
      assertEquals(pair[1].size(), pair[0].size());
      for (int i : new int[] {0, 1, pair[1].size() - 1}) {
        assertArrayEquals(pair[1].row(i), pair[0].row(i));
        assertEquals(pair[1].label(i), pair[0].label(i));
      }
    }
    assertEquals(60_000, made.train().size());
    assertEquals(10_000, made.test().size());
  }
}
