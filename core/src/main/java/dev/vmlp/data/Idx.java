package dev.vmlp.data;

import dev.vmlp.Architecture;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * Reader of the IDX format of the MNIST files (plain or gzip): a magic number {@code 00 00 08 D}
 * (unsigned bytes, {@code D} dimensions), {@code D} big-endian 32-bit sizes, then the bytes. Every
 * header field, the data length and the absence of trailing bytes are checked; each problem is a
 * {@link DataFormatException} naming the file and the field.
 */
public final class Idx {
  /** Largest accepted element count (bytes of data) of a file read whole; {@link #forEachImage} has no limit. */
  public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8L;

  private Idx() {}

  /**
   * An IDX file's contents: its dimension sizes and its unsigned bytes. The record holds the arrays it is
   * given; two contents are equal when their sizes and bytes are.
   */
  public record Contents(int[] dims, byte[] data) {
    /** Element {@code i} as an unsigned value 0..255. */
    public int unsigned(int i) {
      return data[i] & 0xff;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Contents c && Arrays.equals(c.dims, dims) && Arrays.equals(c.data, data);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(dims) + Arrays.hashCode(data);
    }

    /** E.g. {@code Contents[dims=[2, 28, 28], 1568 bytes]}. */
    @Override
    public String toString() {
      return "Contents[dims=" + Arrays.toString(dims) + ", " + (data == null ? "no" : data.length) + " bytes]";
    }
  }

  /**
   * Reads a labels file: one dimension ({@code idx1}).
   *
   * @return the labels as values 0..255
   */
  public static int[] readLabels(Path file) throws IOException {
    Contents c = read(file, 1);
    int[] labels = new int[c.dims[0]];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = c.unsigned(i);
    }
    return labels;
  }

  /**
   * Reads an images file: three dimensions ({@code idx3}) count x rows x columns.
   *
   * @return the contents; {@code dims = [count, rows, columns]}
   */
  public static Contents readImages(Path file) throws IOException {
    return read(file, 3);
  }

  /**
   * Reads an IDX file of unsigned bytes with exactly {@code expectedDims} dimensions.
   *
   * @throws IllegalArgumentException when {@code expectedDims} is outside [1, 255], the counts an IDX
   *     header can give (before the file is opened)
   * @throws DataFormatException on a wrong magic number, type, dimension count or size, truncated
   *     data, trailing bytes, or corrupt compression
   */
  public static Contents read(Path file, int expectedDims) throws IOException {
    if (expectedDims < 1 || expectedDims > 255) {
      // else the file was blamed: "has 3 dimensions, expected -1 (images)"
      throw new IllegalArgumentException("expectedDims must be in [1, 255], the dimension counts of an IDX file, got "
          + expectedDims);
    }
    return read(Compressed.openFile(file), file, expectedDims);
  }

  /** Receives the images of {@link #forEachImage} one at a time. */
  @FunctionalInterface
  public interface ImageConsumer {
    /**
     * @param dims the file's dimension sizes, {@code [count, rows, columns]}; the same array for every
     *     image (what the consumer writes to it changes only what it reads there later)
     * @param pixels the image's {@code rows * columns} unsigned bytes, row by row; the array is reused
     * @param index the image's 0-based position in the file
     */
    void accept(int[] dims, byte[] pixels, int index) throws IOException;
  }

  /**
   * {@link #readImages} for input of any length: reads {@code stream} (plain or gzip, which this
   * closes) and hands each image to {@code consumer} as soon as it is read, so the memory taken is one
   * image, and input that can be read only once (a pipe) works. {@code name} names the input in
   * errors. Truncated data or trailing bytes are found at the end, after the whole images before them
   * have been handed over.
   *
   * @throws DataFormatException as {@link #read}, or from {@code consumer}
   */
  public static void forEachImage(InputStream stream, Path name, ImageConsumer consumer) throws IOException {
    // a null consumer was found only at the first image: a short input was blamed for it ("truncated")
    Compressed.given(consumer, "consumer", stream);
    try (InputStream raw = stream; InputStream in = Compressed.wrap(raw, name)) {
      try {
        int[] dims = readHeader(in, name, 3, false); // one image at a time: any count of them
        // the consumer gets dims: a count read from it each image let a consumer that wrote to it end the
        // loop early or late, and the file was blamed ("promises 4 data bytes, the file has 4")
        int count = dims[0];
        int size = dims[1] * dims[2]; // at most Architecture.MAX_WIDTH, which readHeader checked
        long total = (long) count * size;
        byte[] pixels = null;
        for (int i = 0; i < count; i++) {
          int n;
          if (pixels == null) {
            pixels = in.readNBytes(size); // grows as bytes arrive, as in read
            n = pixels.length;
          } else {
            n = in.readNBytes(pixels, 0, size);
          }
          if (n < size) {
            throw truncated(name, total, (long) i * size + n);
          }
          try {
            consumer.accept(dims, pixels, i);
          } catch (IOException | RuntimeException e) {
            throw new ConsumerFailure(e); // the consumer's own: past the handlers of this input's errors
          }
        }
        if (in.read() != -1) {
          throw trailing(name, total);
        }
      } catch (DataFormatException e) {
        throw Compressed.damageFirst(in, raw, name, e); // a wrong size may be gzip damage its checksum shows
      }
    } catch (ZipException | EOFException e) {
      throw new DataFormatException(name, "corrupt gzip data: " + e.getMessage(), e);
    } catch (ConsumerFailure e) {
      throw e.rethrow();
    }
  }

  private static Contents read(InputStream stream, Path file, int expectedDims) throws IOException {
    try (InputStream raw = stream; InputStream in = Compressed.wrap(raw, file)) {
      try {
        int[] dims = readHeader(in, file, expectedDims, true);
        long total = 1;
        for (int d : dims) {
          total *= d;
        }
        // readNBytes(int) grows its buffer as bytes arrive: a short file cannot make it allocate the header's size
        byte[] data = in.readNBytes((int) total);
        if (data.length < total) {
          throw truncated(file, total, data.length);
        }
        if (in.read() != -1) {
          throw trailing(file, total);
        }
        return new Contents(dims, data);
      } catch (DataFormatException e) {
        throw Compressed.damageFirst(in, raw, file, e); // a wrong size may be gzip damage its checksum shows
      }
    } catch (ZipException | EOFException e) {
      throw new DataFormatException(file, "corrupt gzip data: " + e.getMessage(), e);
    }
  }

  /**
   * The magic number and the dimension sizes, checked; when the data is to be held {@code whole}, the
   * sizes multiply to at most {@link #MAX_ELEMENTS}.
   */
  private static int[] readHeader(InputStream in, Path file, int expectedDims, boolean whole) throws IOException {
    byte[] magic = readFully(in, file, 4, "the magic number");
    if (magic[0] != 0 || magic[1] != 0) {
      throw new DataFormatException(file, String.format(
          "bad magic number %02x %02x %02x %02x: an IDX file starts with 00 00", magic[0], magic[1], magic[2],
          magic[3]));
    }
    if ((magic[2] & 0xff) != 0x08) {
      throw new DataFormatException(file, String.format(
          "unsupported IDX element type 0x%02x: only unsigned bytes (0x08) are read", magic[2] & 0xff));
    }
    int dimsCount = magic[3] & 0xff;
    if (dimsCount != expectedDims) {
      String kind = expectedDims == 1 ? " (labels)" : expectedDims == 3 ? " (images)" : "";
      throw new DataFormatException(file, "has " + dimsCount + (dimsCount == 1 ? " dimension" : " dimensions")
          + ", expected " + expectedDims + kind);
    }
    byte[] header = readFully(in, file, 4 * dimsCount, "the dimension sizes");
    int[] dims = new int[dimsCount];
    for (int d = 0; d < dimsCount; d++) {
      int size = ((header[4 * d] & 0xff) << 24) | ((header[4 * d + 1] & 0xff) << 16)
          | ((header[4 * d + 2] & 0xff) << 8) | (header[4 * d + 3] & 0xff);
      if (size <= 0) {
        throw new DataFormatException(file, "dimension " + d + " has size " + Integer.toUnsignedString(size)
            + "; sizes must be positive");
      }
      dims[d] = size;
    }
    if (dimsCount == 3 && (long) dims[1] * dims[2] > Architecture.MAX_WIDTH) {
      // checked before any pixel is read, and before the count: such an image could not be a network's input anyway
      throw new DataFormatException(file, "images of " + dims[1] + "x" + dims[2] + " = " + (long) dims[1] * dims[2]
          + " values are wider than the " + Architecture.MAX_WIDTH + " inputs a network may take");
    }
    long total = 1;
    for (int d = 0; whole && d < dimsCount; d++) {
      total *= dims[d]; // this check at each step keeps it from overflowing
      if (total > MAX_ELEMENTS) {
        StringBuilder sizes = new StringBuilder();
        for (int size : dims) {
          sizes.append(sizes.isEmpty() ? "" : " x ").append(size);
        }
        throw new DataFormatException(file, "dimension sizes " + sizes + " multiply to more than the " + MAX_ELEMENTS
            + " elements of a file read whole");
      }
    }
    return dims;
  }

  private static DataFormatException truncated(Path file, long promised, long found) {
    return new DataFormatException(file, "truncated: the header promises " + promised + " data bytes, the file has "
        + found);
  }

  private static DataFormatException trailing(Path file, long promised) {
    return new DataFormatException(file, "has bytes after the " + promised + " data bytes the header promises");
  }

  private static byte[] readFully(InputStream in, Path file, int n, String what) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new DataFormatException(file, "truncated in " + what + " (" + b.length + " of " + n + " bytes)");
    }
    return b;
  }
}
