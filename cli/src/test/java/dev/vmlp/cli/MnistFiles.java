package dev.vmlp.cli;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a small MNIST-format folder: 28x28 images where class {@code k} is a bright 5x5 block at its
 * own place, plus a little noise, so that a network can learn it in a few epochs.
 */
final class MnistFiles {
  static final int SIDE = 28;

  private MnistFiles() {}

  /** Writes the four files into {@code dir}; the training images gzip-compressed (with {@code .gz}). */
  static Path write(Path dir, int train, int test, long seed) throws IOException {
    Files.createDirectories(dir);
    Random rnd = new Random(seed);
    int[] trainLabels = labels(train, rnd);
    int[] testLabels = labels(test, rnd);
    writeIdx(dir.resolve("train-images-idx3-ubyte.gz"), true, new int[] {train, SIDE, SIDE}, images(trainLabels, rnd));
    writeIdx(dir.resolve("train-labels-idx1-ubyte"), false, new int[] {train}, bytes(trainLabels));
    writeIdx(dir.resolve("t10k-images-idx3-ubyte"), false, new int[] {test, SIDE, SIDE}, images(testLabels, rnd));
    writeIdx(dir.resolve("t10k-labels-idx1-ubyte"), false, new int[] {test}, bytes(testLabels));
    return dir;
  }

  private static int[] labels(int n, Random rnd) {
    int[] l = new int[n];
    for (int i = 0; i < n; i++) {
      l[i] = i < 10 ? i : rnd.nextInt(10); // every class at least once
    }
    return l;
  }

  private static byte[] images(int[] labels, Random rnd) {
    byte[] px = new byte[labels.length * SIDE * SIDE];
    for (int i = 0; i < labels.length; i++) {
      int base = i * SIDE * SIDE;
      int k = labels[i];
      int top = 3 + (k / 5) * 12 + rnd.nextInt(3);
      int left = 1 + (k % 5) * 5 + rnd.nextInt(2);
      for (int r = top; r < top + 5; r++) {
        for (int c = left; c < left + 5; c++) {
          px[base + r * SIDE + c] = (byte) (180 + rnd.nextInt(76));
        }
      }
      for (int noise = 0; noise < 20; noise++) {
        px[base + rnd.nextInt(SIDE * SIDE)] = (byte) rnd.nextInt(256);
      }
    }
    return px;
  }

  private static byte[] bytes(int[] values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  /** An IDX file of unsigned bytes: magic 00 00 08 D, D big-endian sizes, the data. */
  static void writeIdx(Path file, boolean gzip, int[] dims, byte[] data) throws IOException {
    try (OutputStream raw = Files.newOutputStream(file);
        OutputStream maybeGz = gzip ? new GZIPOutputStream(raw) : raw;
        DataOutputStream out = new DataOutputStream(maybeGz)) {
      out.writeInt(0x00000800 | dims.length);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(data);
    }
  }
}
