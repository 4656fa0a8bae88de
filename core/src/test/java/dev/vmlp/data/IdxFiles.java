package dev.vmlp.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/** Builds IDX and gzip bytes for the reader tests. */
final class IdxFiles {
  private IdxFiles() {}

  /** An IDX file of unsigned bytes (type 0x08) with the given dimension sizes and data. */
  static byte[] idx(int[] dims, byte[] data) {
    return idx(0x08, dims, data);
  }

  /** An IDX file with the given element type byte, dimension sizes and data. */
  static byte[] idx(int type, int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
    for (int d : dims) {
      b.putInt(d); // big-endian
    }
    b.put(data);
    return b.array();
  }

  static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * {@code plain} in a gzip file of stored (uncompressed) deflate blocks, with the byte at {@code at}
   * (one of the first 4,096) changed to {@code to} after the checksum was taken: damage that
   * decompresses without an error and shows only in the checksum at the end.
   */
  static byte[] gzipDamaged(byte[] plain, int at, byte to) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes) {
      {
        def.setLevel(java.util.zip.Deflater.NO_COMPRESSION);
      }
    }) {
      gz.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] b = bytes.toByteArray();
    // a stored block holds up to 65,535 bytes as they are: find the first block's past the gzip header
    int head = Math.min(plain.length, 4096);
    if (at >= head) {
      throw new IllegalArgumentException("damage at " + at + ", past the first " + head + " bytes");
    }
    int start = -1;
    for (int i = 10; i + head <= b.length && start < 0; i++) {
      if (Arrays.equals(b, i, i + head, plain, 0, head)) {
        start = i;
      }
    }
    if (start < 0) {
      throw new IllegalStateException("the first stored block does not hold the data's start");
    }
    b[start + at] = to;
    return b;
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  static Path write(Path dir, String name, byte[] content) throws IOException {
    return Files.write(dir.resolve(name), content);
  }

  /** {@code n} bytes {@code (7i + 3) mod 256}: every unsigned value 0..255 appears once in 256 bytes. */
  static byte[] ramp(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 7 + 3);
    }
    return b;
  }
}
