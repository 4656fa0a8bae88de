package dev.vmlp.jmh;

import dev.vmlp.Dataset;
import dev.vmlp.data.Digits;
import dev.vmlp.data.TrainTest;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * MNIST-format data made from the bundled 8x8 digits: each image is a digit upscaled to 20x20
 * (bilinear), placed at a random offset near the centre of a 28x28 canvas, in 0..255 with values below
 * {@value #CUT} cut to 0, so that about 19% of the pixels are non-zero, as in MNIST (19.1%). Used where
 * MNIST itself is not at hand: the benchmarks, and
 * {@code java -cp jmh/target/vmlp-jmh-*-benchmarks.jar dev.vmlp.jmh.MnistLike DIR} writes the four IDX
 * files of a 60,000 / 10,000 split.
 */
public final class MnistLike {
  public static final int SIDE = 28;
  public static final int PIXELS = SIDE * SIDE;
  /**
   * Pixel values below this are 0: 96 leaves 19.2% of the pixels non-zero (64, the first cut, left 23%,
   * so the sparse path did a fifth more first-layer work per sample than on MNIST).
   */
  static final int CUT = 96;

  private MnistLike() {}

  /** {@code count} images with labels, from {@code seed}; training digits feed the first, test digits the second. */
  public static Dataset generate(Dataset digits, int count, long seed, String name) {
    SplittableRandom rnd = new SplittableRandom(seed);
    byte[] pixels = new byte[count * PIXELS];
    int[] labels = new int[count];
    float[] src = new float[64];
    for (int i = 0; i < count; i++) {
      int d = rnd.nextInt(digits.size());
      digits.copyRow(d, src, 0);
      labels[i] = digits.label(d);
      int ox = 2 + rnd.nextInt(5);
      int oy = 2 + rnd.nextInt(5);
      double gain = 0.8 + 0.4 * rnd.nextDouble();
      for (int y = 0; y < 20; y++) {
        for (int x = 0; x < 20; x++) {
          // bilinear sample of the 8x8 grid at the centre of output pixel (x, y)
          double fx = Math.max(0, Math.min(7, (x + 0.5) * 8 / 20 - 0.5));
          double fy = Math.max(0, Math.min(7, (y + 0.5) * 8 / 20 - 0.5));
          int x0 = (int) fx;
          int y0 = (int) fy;
          int x1 = Math.min(7, x0 + 1);
          int y1 = Math.min(7, y0 + 1);
          double tx = fx - x0;
          double ty = fy - y0;
          double v = (1 - ty) * ((1 - tx) * src[y0 * 8 + x0] + tx * src[y0 * 8 + x1])
              + ty * ((1 - tx) * src[y1 * 8 + x0] + tx * src[y1 * 8 + x1]);
          int p = (int) Math.round(v / 16 * 255 * gain);
          p = p < CUT ? 0 : Math.min(255, p);
          pixels[i * PIXELS + (oy + y) * SIDE + ox + x] = (byte) p;
        }
      }
    }
    return Dataset.ofUnsignedBytes(name, pixels, PIXELS, labels, 10);
  }

  /** The 60,000 training and 10,000 test images, from the digits' own training and test parts. */
  public static TrainTest standard() {
    TrainTest d = Digits.load();
    return new TrainTest(generate(d.train(), 60_000, 1, "mnist-like/train"),
        generate(d.test(), 10_000, 2, "mnist-like/t10k"), dev.vmlp.InputScaling.divideBy(255f));
  }

  /** Writes the four MNIST files of {@link #standard()} into {@code dir}. */
  public static void write(Path dir) throws IOException {
    TrainTest t = standard();
    Files.createDirectories(dir);
    writeImages(dir.resolve("train-images-idx3-ubyte"), t.train());
    writeLabels(dir.resolve("train-labels-idx1-ubyte"), t.train());
    writeImages(dir.resolve("t10k-images-idx3-ubyte"), t.test());
    writeLabels(dir.resolve("t10k-labels-idx1-ubyte"), t.test());
  }

  private static void writeImages(Path file, Dataset d) throws IOException {
    try (OutputStream os = Files.newOutputStream(file);
        DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(os))) {
      out.writeInt(0x00000803);
      out.writeInt(d.size());
      out.writeInt(SIDE);
      out.writeInt(SIDE);
      for (int i = 0; i < d.size(); i++) {
        for (int p = 0; p < PIXELS; p++) {
          out.writeByte((int) d.feature(i, p));
        }
      }
    }
  }

  private static void writeLabels(Path file, Dataset d) throws IOException {
    try (OutputStream os = Files.newOutputStream(file);
        DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(os))) {
      out.writeInt(0x00000801);
      out.writeInt(d.size());
      for (int i = 0; i < d.size(); i++) {
        out.writeByte(d.label(i));
      }
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: MnistLike DIR");
      System.exit(2);
    }
    write(Path.of(args[0]));
    System.out.println("wrote the MNIST-format files to " + args[0]);
  }
}
