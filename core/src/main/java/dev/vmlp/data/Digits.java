package dev.vmlp.data;

import dev.vmlp.Dataset;
import dev.vmlp.InputScaling;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The bundled 8x8 handwritten digits: 1,797 samples, 64 features (pixel counts 0..16), 10 classes.
 * Originally UCI "Optical Recognition of Handwritten Digits" (Alpaydin and Kaynak, 1998; CC BY 4.0),
 * in the copy that scikit-learn ships as {@code digits.csv.gz}; see {@code DIGITS-NOTICE.txt} beside
 * it.
 *
 * <p>The split is fixed: row {@code i} of the file (0-based) is a test sample when {@code i % 5 == 4},
 * a training sample otherwise, giving 1,438 training and 359 test samples. The scaling divides by 16.
 */
public final class Digits {
  /** Resource path of the bundled file. */
  public static final String RESOURCE = "/dev/vmlp/data/digits.csv.gz";
  public static final int SAMPLES = 1797;
  public static final int FEATURES = 64;
  public static final int CLASSES = 10;

  private Digits() {}

  /** The bundled dataset with its fixed split. */
  public static TrainTest load() {
    Dataset all;
    InputStream in = Digits.class.getResourceAsStream(RESOURCE);
    if (in == null) {
      throw new IllegalStateException("resource " + RESOURCE + " is missing from the vmlp-core jar");
    }
    try {
      all = Csv.read(in, Path.of("digits.csv.gz"), Csv.Options.defaults().withLabelColumn(-1).withClasses(CLASSES));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled digits", e);
    }
    if (all.size() != SAMPLES || all.featureCount() != FEATURES) {
      throw new IllegalStateException("bundled digits have " + all.size() + " x " + all.featureCount()
          + ", expected " + SAMPLES + " x " + FEATURES);
    }
    int[] train = new int[SAMPLES - SAMPLES / 5];
    int[] test = new int[SAMPLES / 5];
    int a = 0;
    int b = 0;
    for (int i = 0; i < SAMPLES; i++) {
      if (i % 5 == 4) {
        test[b++] = i;
      } else {
        train[a++] = i;
      }
    }
    return new TrainTest(all.select("digits/train", train), all.select("digits/test", test),
        InputScaling.divideBy(16f));
  }
}
