package dev.vmlp.data;

import static dev.vmlp.data.IdxFiles.concat;
import static dev.vmlp.data.IdxFiles.gzip;
import static dev.vmlp.data.IdxFiles.idx;
import static dev.vmlp.data.IdxFiles.ramp;
import static dev.vmlp.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
  @TempDir Path dir;

  /** Asserts that reading throws a {@link DataFormatException} for {@code file} whose message holds every part. */
  static DataFormatException assertMalformed(Path file, ThrowingRead read, String... parts) {
    DataFormatException e = assertThrows(DataFormatException.class, read::run);
    assertEquals(file, e.file(), "the exception's file");
    String m = e.getMessage();
    assertTrue(m.contains(file.toString()), () -> "message does not name the file " + file + ": " + m);
    for (String p : parts) {
      assertTrue(m.contains(p), () -> "message lacks '" + p + "': " + m);
    }
    return e;
  }

  @FunctionalInterface
  interface ThrowingRead {
    void run() throws IOException;
  }

  // ---- valid files

  @Test
  void readsPlainLabelsExactly() throws IOException {
    byte[] data = ramp(300);
    Path f = write(dir, "labels", idx(new int[] {300}, data));
    int[] labels = Idx.readLabels(f);
    assertEquals(300, labels.length);
    for (int i = 0; i < 300; i++) {
      assertEquals(data[i] & 0xff, labels[i], "label " + i);
    }
    Idx.Contents c = Idx.read(f, 1);
    assertArrayEquals(new int[] {300}, c.dims());
    assertArrayEquals(data, c.data());
  }

  /** Two reads of one file are equal, by their sizes and bytes, with equal hash codes, and print their sizes. */
  @Test
  void contentsAreEqualByTheirSizesAndBytes() throws IOException {
    byte[] data = ramp(2 * 3 * 4);
    Path f = write(dir, "images", idx(new int[] {2, 3, 4}, data));
    Idx.Contents a = Idx.readImages(f);
    Idx.Contents b = Idx.readImages(f);
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertEquals(a, new Idx.Contents(new int[] {2, 3, 4}, data.clone()));
    assertNotEquals(a, new Idx.Contents(new int[] {2, 4, 3}, data), "other sizes");
    byte[] other = data.clone();
    other[23]++;
    assertNotEquals(a, new Idx.Contents(new int[] {2, 3, 4}, other), "another byte");
    assertNotEquals(a, "a string");
    assertEquals("Contents[dims=[2, 3, 4], 24 bytes]", a.toString());
    // the record holds what it is given, null too, and still prints
    assertEquals("Contents[dims=null, no bytes]", new Idx.Contents(null, null).toString());
  }

  @Test
  void readsGzipLabelsExactlyWhateverTheName() throws IOException {
    byte[] data = ramp(256);
    // no .gz suffix: recognised by content
    Path f = write(dir, "labels-idx1-ubyte", gzip(idx(new int[] {256}, data)));
    int[] labels = Idx.readLabels(f);
    int[] expected = new int[256];
    for (int i = 0; i < 256; i++) {
      expected[i] = data[i] & 0xff;
    }
    assertArrayEquals(expected, labels);
    int[] sorted = labels.clone();
    Arrays.sort(sorted);
    assertEquals(0, sorted[0]);
    assertEquals(255, sorted[255]);
  }

  @Test
  void readsPlainImagesExactly() throws IOException {
    byte[] data = ramp(5 * 3 * 4);
    Path f = write(dir, "images", idx(new int[] {5, 3, 4}, data));
    Idx.Contents c = Idx.readImages(f);
    assertArrayEquals(new int[] {5, 3, 4}, c.dims());
    assertArrayEquals(data, c.data());
    assertEquals(data[59] & 0xff, c.unsigned(59));
  }

  @Test
  void readsGzipImagesExactly() throws IOException {
    byte[] data = ramp(7 * 28 * 28);
    // a .gz name is not needed, and a misleading plain name does not matter either
    Path f = write(dir, "images.idx3", gzip(idx(new int[] {7, 28, 28}, data)));
    Idx.Contents c = Idx.readImages(f);
    assertArrayEquals(new int[] {7, 28, 28}, c.dims());
    assertArrayEquals(data, c.data());
  }

  @Test
  void imagesStreamOneAtATimeWithTheBytesOfTheWholeRead() throws IOException {
    byte[] data = ramp(7 * 28 * 28);
    for (byte[] file : new byte[][] {idx(new int[] {7, 28, 28}, data), gzip(idx(new int[] {7, 28, 28}, data))}) {
      Path f = write(dir, "stream.idx3", file);
      java.io.ByteArrayOutputStream seen = new java.io.ByteArrayOutputStream();
      int[] count = {0};
      Idx.forEachImage(java.nio.file.Files.newInputStream(f), f, (dims, pixels, i) -> {
        assertArrayEquals(new int[] {7, 28, 28}, dims);
        assertEquals(count[0]++, i);
        assertEquals(28 * 28, pixels.length);
        seen.write(pixels, 0, pixels.length);
      });
      assertEquals(7, count[0]);
      assertArrayEquals(Idx.readImages(f).data(), seen.toByteArray());
    }
    // a short or long file is refused after the whole images before the damage
    Path shortFile = write(dir, "short.idx3", Arrays.copyOf(idx(new int[] {3, 2, 2}, ramp(12)), 16 + 10));
    int[] handed = {0};
    assertMalformed(shortFile, () -> Idx.forEachImage(java.nio.file.Files.newInputStream(shortFile), shortFile,
        (dims, pixels, i) -> handed[0]++), "truncated", "promises 12 data bytes, the file has 10");
    assertEquals(2, handed[0]);
    // one byte short is short too: the last image is not handed over with a stale pixel
    Path oneShort = write(dir, "one-short.idx3", Arrays.copyOf(idx(new int[] {3, 2, 2}, ramp(12)), 16 + 11));
    handed[0] = 0;
    assertMalformed(oneShort, () -> Idx.forEachImage(java.nio.file.Files.newInputStream(oneShort), oneShort,
        (dims, pixels, i) -> handed[0]++), "truncated", "promises 12 data bytes, the file has 11");
    assertEquals(2, handed[0]);
    Path longFile = write(dir, "long.idx3", concat(idx(new int[] {3, 2, 2}, ramp(12)), new byte[] {1}));
    assertMalformed(longFile, () -> Idx.forEachImage(java.nio.file.Files.newInputStream(longFile), longFile,
        (dims, pixels, i) -> { }), "bytes after the 12 data bytes");
  }

  @Test
  void plainFileNamedGzIsReadAsPlain() throws IOException {
    byte[] data = ramp(10);
    Path f = write(dir, "labels.gz", idx(new int[] {10}, data));
    assertEquals(10, Idx.readLabels(f).length);
  }

  // ---- malformed files, one kind each

  @Test
  void badMagic() throws IOException {
    byte[] b = idx(new int[] {3}, ramp(3));
    b[1] = 0x01;
    Path f = write(dir, "bad-magic", b);
    assertMalformed(f, () -> Idx.readLabels(f), "magic", "00 01 08 01");
  }

  @Test
  void unsupportedElementType() throws IOException {
    Path f = write(dir, "floats", idx(0x0D, new int[] {2}, new byte[8]));
    assertMalformed(f, () -> Idx.readLabels(f), "element type", "0x0d");
    Path g = write(dir, "type-zero", idx(0x00, new int[] {2}, new byte[2]));
    assertMalformed(g, () -> Idx.readLabels(g), "element type", "0x00");
  }

  @Test
  void labelsFilePassedAsImages() throws IOException {
    Path f = write(dir, "labels", idx(new int[] {4}, ramp(4)));
    assertMalformed(f, () -> Idx.readImages(f), "has 1 dimension, expected 3 (images)");
    // read with another count than labels' or images', it is not named as either
    DataFormatException e = assertMalformed(f, () -> Idx.read(f, 2), "has 1 dimension, expected 2");
    assertFalse(e.getMessage().contains("images"), e.getMessage());
  }

  @Test
  void imagesFilePassedAsLabels() throws IOException {
    Path f = write(dir, "images", idx(new int[] {2, 2, 2}, ramp(8)));
    assertMalformed(f, () -> Idx.readLabels(f), "has 3 dimensions, expected 1 (labels)");
  }

  @Test
  void aDimensionCountNoIdxFileHasIsTheCallersErrorAndOthersAreNotImages() throws IOException {
    Path f = write(dir, "images", idx(new int[] {2, 2, 2}, ramp(8)));
    // they were DataFormatExceptions of the file: "has 3 dimensions, expected -1 (images)"
    for (int dims : new int[] {0, -1, 256, Integer.MAX_VALUE}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Idx.read(f, dims));
      assertEquals("expectedDims must be in [1, 255], the dimension counts of an IDX file, got " + dims, e.getMessage());
    }
    DataFormatException two = assertMalformed(f, () -> Idx.read(f, 2), "3 dimensions", "expected 2");
    assertTrue(two.getMessage().endsWith("expected 2"), two.getMessage()); // not "(images)"
    Path matrix = write(dir, "matrix", idx(new int[] {2, 3}, ramp(6)));
    assertArrayEquals(new int[] {2, 3}, Idx.read(matrix, 2).dims());
  }

  /** 255 dimensions, the most an IDX header can give, are read. */
  @Test
  void aFileOf255DimensionsIsRead() throws IOException {
    int[] ones = new int[255];
    Arrays.fill(ones, 1);
    Path f = write(dir, "deep", idx(ones, new byte[] {7}));
    Idx.Contents c = Idx.read(f, 255);
    assertArrayEquals(ones, c.dims());
    assertEquals(7, c.unsigned(0));
  }

  @Test
  void zeroDimensionSize() throws IOException {
    Path f = write(dir, "zero", idx(new int[] {2, 0, 3}, new byte[0]));
    assertMalformed(f, () -> Idx.readImages(f), "dimension 1", "size 0");
  }

  @Test
  void dimensionSizeAboveSignedRange() throws IOException {
    Path f = write(dir, "huge", idx(new int[] {0x80000000}, new byte[0]));
    assertMalformed(f, () -> Idx.readLabels(f), "dimension 0", "2147483648");
  }

  @Test
  void dimensionProductOverflows() throws IOException {
    // the sizes are named: the message said only that they multiply to too much
    Path f = write(dir, "overflow", idx(new int[] {40_000, 256, 256}, new byte[16]));
    assertMalformed(f, () -> Idx.readImages(f), "dimension sizes 40000 x 256 x 256 multiply to more than the "
        + Idx.MAX_ELEMENTS + " elements");
    Path labels = write(dir, "overflow-labels", idx(new int[] {Integer.MAX_VALUE}, new byte[16]));
    assertMalformed(labels, () -> Idx.readLabels(labels), "dimension sizes " + Integer.MAX_VALUE
        + " multiply to more than the " + Idx.MAX_ELEMENTS + " elements");
    // images wider than a network takes are named as such, as when they are streamed, however many there are
    Path wide = write(dir, "overflow-wide", idx(new int[] {3, 65536, 65536}, new byte[16]));
    assertMalformed(wide, () -> Idx.readImages(wide), "65536x65536 = 4294967296 values", "wider than the 1048576");
  }

  /**
   * Streamed images have no limit on their count: an IDX file of more than 2 GB of pixels (infimnist's
   * 8.1 million digits are 6.4 GB) is read one image at a time, where a file read whole is refused.
   */
  @Test
  void streamedImagesMayOutnumberAnArray() throws IOException {
    int count = 40_000_000; // 2.56 GB of 8x8 images
    Path f = write(dir, "many", idx(new int[] {count, 8, 8}, ramp(2 * 64)));
    assertMalformed(f, () -> Idx.readImages(f), "dimension sizes " + count + " x 8 x 8 multiply to more than the "
        + Idx.MAX_ELEMENTS + " elements");
    int[] handed = {0};
    assertMalformed(f, () -> Idx.forEachImage(Files.newInputStream(f), f, (dims, pixels, i) -> {
      assertEquals(count, dims[0]);
      handed[0]++;
    }), "truncated", "promises " + 64L * count + " data bytes", "has 128");
    assertEquals(2, handed[0]);
  }

  /** An image wider than a network's inputs is refused from the header, before its pixels are read. */
  @Test
  void imagesWiderThanANetworkTakes() throws IOException {
    Path f = write(dir, "wide", idx(new int[] {1, 1025, 1024}, new byte[0]));
    assertMalformed(f, () -> Idx.readImages(f), "1025x1024 = 1049600 values", "wider than the 1048576 inputs");
    // one value more than a network takes is already too wide
    Path g = write(dir, "one-too-wide", idx(new int[] {1, 1, 1048577}, new byte[0]));
    assertMalformed(g, () -> Idx.readImages(g), "1x1048577 = 1048577 values", "wider than the 1048576 inputs");
  }

  /** What a consumer writes into the dimensions it is handed does not change how the file is read. */
  @Test
  void aConsumerThatChangesTheDimensionsGetsEveryImage() throws IOException {
    Path f = write(dir, "two.idx3", idx(new int[] {2, 1, 2}, new byte[] {1, 2, 3, 4}));
    for (int count : new int[] {0, 1, 5}) {
      int[] handed = {0};
      // the loop read the count from the array each image: the file was blamed for the consumer's
      // writes ("truncated: the header promises 4 data bytes, the file has 4", or bytes after them)
      Idx.forEachImage(Files.newInputStream(f), f, (dims, pixels, i) -> {
        handed[0]++;
        dims[0] = count;
      });
      assertEquals(2, handed[0], "count written: " + count);
    }
  }

  /** An image of exactly the inputs a network may take is read, whole and streamed. */
  @Test
  void imagesAsWideAsANetworkTakesAreRead() throws IOException {
    Path f = write(dir, "widest", idx(new int[] {1, 1024, 1024}, ramp(1 << 20)));
    assertArrayEquals(new int[] {1, 1024, 1024}, Idx.readImages(f).dims());
    int[] handed = {0};
    Idx.forEachImage(Files.newInputStream(f), f, (dims, pixels, i) -> handed[0] += pixels.length);
    assertEquals(1 << 20, handed[0]);
  }

  /**
   * A failure to read the input itself (a disk, a pipe) is not corrupt gzip data: it passes named,
   * whether it comes inside the gzip header or inside the compressed data.
   */
  @Test
  void aFailureToReadTheInputIsNotCorruptGzip() throws IOException {
    byte[] gz = gzip(idx(new int[] {4, 16, 16}, ramp(1024)));
    IOException disk = new IOException("the disk failed");
    for (int at : new int[] {5, gz.length - 9}) { // inside the 10-byte header; the last byte of the deflate data
      java.io.InputStream failing = new java.io.InputStream() {
        int pos;

        @Override
        public int read() throws IOException {
          if (pos >= at) {
            throw disk;
          }
          return gz[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (pos >= at) {
            throw disk;
          }
          int n = Math.min(len, at - pos);
          System.arraycopy(gz, pos, b, off, n);
          pos += n;
          return n;
        }
      };
      IOException e = assertThrows(IOException.class,
          () -> Idx.forEachImage(failing, Path.of("images.gz"), (dims, pixels, i) -> { }));
      assertEquals(java.nio.file.FileSystemException.class, e.getClass(), "not corrupt data: " + e);
      assertEquals("images.gz: the disk failed", e.getMessage());
      org.junit.jupiter.api.Assertions.assertSame(disk, e.getCause(), "a read failure at byte " + at + " of " + gz.length);
    }
  }

  @Test
  void headerTruncatedInMagic() throws IOException {
    Path f = write(dir, "short-magic", new byte[] {0, 0, 8});
    assertMalformed(f, () -> Idx.readLabels(f), "truncated", "magic", "3 of 4");
  }

  @Test
  void emptyFile() throws IOException {
    Path f = write(dir, "empty", new byte[0]);
    assertMalformed(f, () -> Idx.readImages(f), "truncated", "magic", "0 of 4");
  }

  @Test
  void headerTruncatedInSizes() throws IOException {
    byte[] full = idx(new int[] {2, 28, 28}, new byte[0]);
    Path f = write(dir, "short-sizes", Arrays.copyOf(full, 4 + 6));
    assertMalformed(f, () -> Idx.readImages(f), "truncated", "dimension sizes", "6 of 12");
  }

  @Test
  void dataTruncated() throws IOException {
    Path f = write(dir, "short-data", idx(new int[] {2, 3, 3}, ramp(17)));
    assertMalformed(f, () -> Idx.readImages(f), "truncated", "18", "17");
  }

  /**
   * A 12-byte file whose header promises 2 GB must be rejected without allocating the 2 GB first (an
   * OutOfMemoryError on a small heap).
   */
  @Test
  void dataTruncatedFarBelowAHugeHeaderSize() throws IOException {
    int n = (int) Idx.MAX_ELEMENTS;
    Path f = write(dir, "huge-labels", idx(new int[] {n}, ramp(4)));
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    assertMalformed(f, () -> Idx.readLabels(f), "truncated", String.valueOf(n), "has 4");
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < 64L << 20, "reading a 12-byte file allocated " + allocated + " bytes");
  }

  @Test
  void trailingBytes() throws IOException {
    Path f = write(dir, "trailing", concat(idx(new int[] {3}, ramp(3)), new byte[] {42}));
    assertMalformed(f, () -> Idx.readLabels(f), "bytes after", "3 data bytes");
  }

  @Test
  void trailingBytesInsideGzip() throws IOException {
    Path f = write(dir, "trailing.gz", gzip(concat(idx(new int[] {1, 2, 2}, ramp(4)), new byte[] {1, 2})));
    assertMalformed(f, () -> Idx.readImages(f), "bytes after", "4 data bytes");
  }

  /**
   * A consumer's own error (predict's "images are 28x28 = 784 values, the model takes 100 inputs") is
   * not gzip damage: it was read on to the file's end, and reported as damage when the file was damaged
   * further on.
   */
  @Test
  void aConsumersErrorIsItsOwnAndDoesNotReadOnToTheChecksum() throws IOException {
    byte[] plain = idx(new int[] {400, 28, 28}, ramp(400 * 28 * 28));
    Path f = write(dir, "damaged-pixel.gz", IdxFiles.gzipDamaged(plain, 16 + 784 + 5, (byte) 0)); // image 1
    DataFormatException mine = new DataFormatException(f, "images are 28x28 = 784 values, the model takes 100 inputs");
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> Idx.forEachImage(Compressed.open(f), f, (dims, pixels, i) -> {
          throw mine;
        }));
    assertSame(mine, e);
  }
  /**
   * A consumer's EOFException or ZipException of its own (a labels file it reads alongside) stands as
   * it is: it was reported as this plain file's "corrupt gzip data".
   */
  @Test
  void aConsumersEofOrZipErrorIsItsOwn() throws IOException {
    Path f = write(dir, "plain.idx", idx(new int[] {2, 2, 2}, ramp(8)));
    for (IOException mine : new IOException[] {new java.io.EOFException("labels ended"),
        new java.util.zip.ZipException("labels damaged")}) {
      IOException e = assertThrows(IOException.class, () -> Idx.forEachImage(Compressed.open(f), f, (dims, pixels, i) -> {
        throw mine;
      }));
      assertSame(mine, e, e::toString);
    }
  }


  /**
   * A damaged header byte inside gzip data reads as a wrong header until the checksum at the end shows
   * the damage: the file was reported as having 2 dimensions, blaming its writer, not the copy. (In a
   * file that ends within the read-ahead, the checksum failed first.)
   */
  @Test
  void gzipDamageThatReadsAsAWrongHeaderIsNamedAsDamage() throws IOException {
    byte[] plain = idx(new int[] {400, 28, 28}, ramp(400 * 28 * 28));
    Path f = write(dir, "damaged.gz", IdxFiles.gzipDamaged(plain, 3, (byte) 2)); // 3 dimensions read as 2
    DataFormatException e = assertMalformed(f, () -> Idx.readImages(f), "corrupt gzip data", "CRC",
        "the damage read as: has 2 dimensions, expected 3");
    assertTrue(e.getCause() instanceof java.util.zip.ZipException, () -> "cause: " + e.getCause());
    assertMalformed(f, () -> Idx.forEachImage(Compressed.open(f), f, (dims, pixels, i) -> { }),
        "corrupt gzip data", "has 2 dimensions");
    // a stream that may never end is not read on to its checksum: the symptom stands
    assertMalformed(f, () -> Idx.forEachImage(java.nio.file.Files.newInputStream(f), f, (dims, pixels, i) -> { }),
        "has 2 dimensions");
    // the same header in gzip data that checks out is the file's own
    Path intact = write(dir, "intact.gz", gzip(idx(new int[] {400, 28 * 28}, ramp(400 * 28 * 28))));
    DataFormatException own = assertMalformed(intact, () -> Idx.readImages(intact), "has 2 dimensions");
    assertFalse(own.getMessage().contains("corrupt"), own::getMessage);
  }

  @Test
  void corruptGzipStream() throws IOException {
    byte[] b = new byte[64];
    new java.util.Random(1).nextBytes(b);
    b[0] = 0x1f;
    b[1] = (byte) 0x8b;
    Path f = write(dir, "garbage.gz", b);
    assertMalformed(f, () -> Idx.readLabels(f), "corrupt gzip");
  }

  @Test
  void corruptDeflateDataAfterAValidGzipHeader() throws IOException {
    byte[] b = gzip(idx(new int[] {100}, ramp(100)));
    for (int i = 10; i < b.length - 8; i++) {
      b[i] = (byte) 0xff; // 0xff: a reserved deflate block type
    }
    Path f = write(dir, "bad-deflate.gz", b);
    assertMalformed(f, () -> Idx.readLabels(f), "corrupt gzip");
  }

  @Test
  void gzipTruncatedInTheMiddle() throws IOException {
    byte[] b = gzip(idx(new int[] {50, 28, 28}, ramp(50 * 28 * 28)));
    Path f = write(dir, "cut.gz", Arrays.copyOf(b, b.length / 2));
    assertMalformed(f, () -> Idx.readImages(f), "corrupt gzip");
  }

  @Test
  void gzipMissingItsTrailer() throws IOException {
    byte[] b = gzip(idx(new int[] {20}, ramp(20)));
    Path f = write(dir, "no-trailer.gz", Arrays.copyOf(b, b.length - 8));
    assertMalformed(f, () -> Idx.readLabels(f), "corrupt gzip");
  }

  /**
   * GZIPInputStream ends quietly at bytes after a member that do not start another one, so an IDX
   * file with garbage appended to its gzip data, or a second member whose header is damaged or cut,
   * was read as if the file ended there.
   */
  @Test
  void bytesAfterTheGzipDataAreRefused() throws IOException {
    byte[] gz = gzip(idx(new int[] {1, 2, 2}, ramp(4)));
    Path junk = write(dir, "junk.gz", concat(gz, "junk".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    assertMalformed(junk, () -> Idx.readImages(junk), "corrupt gzip", "after a valid .gz stream");
    Path one = write(dir, "one-byte.gz", concat(gz, new byte[] {7}));
    assertMalformed(one, () -> Idx.readImages(one), "corrupt gzip", "after a valid .gz stream");
    Path cut = write(dir, "cut-member.gz", concat(gz, Arrays.copyOf(gzip(new byte[] {1}), 4)));
    assertMalformed(cut, () -> Idx.readImages(cut), "corrupt gzip", "the file ends inside the gzip data");
    byte[] second = gzip(new byte[] {1});
    second[2] = 9; // not deflate
    Path method = write(dir, "bad-member.gz", concat(gz, second));
    assertMalformed(method, () -> Idx.readImages(method), "corrupt gzip", "compression method 9");
    int[] seen = {0};
    Path streamed = write(dir, "streamed.gz", concat(gz, "junk".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    assertMalformed(streamed, () -> Idx.forEachImage(java.nio.file.Files.newInputStream(streamed), streamed,
        (dims, pixels, i) -> seen[0]++), "corrupt gzip", "after a valid .gz stream");
    assertTrue(seen[0] <= 1, "no image is made up from the garbage");
    assertArrayEquals(ramp(4), Idx.readImages(write(dir, "ok.gz", gz)).data(), "the same member alone");
  }

  /**
   * A gzip stream that failed fails again the same way when read again, as vmlp predict does after
   * looking at its input's first bytes: Commons Compress, read past its own failure, threw
   * "Skip count must be non-negative", an IllegalArgumentException.
   */
  @Test
  void aFailedGzipStreamFailsAgainTheSameWay() throws IOException {
    byte[] gz = gzip(idx(new int[] {1, 2, 2}, ramp(4)));
    byte[] crc = gz.clone();
    crc[crc.length - 8] ^= 1;
    for (byte[] bad : new byte[][] {concat(gz, new byte[] {7}), crc}) {
      Path f = write(dir, "bad.gz", bad);
      try (java.io.InputStream in = Compressed.open(f)) {
        java.util.zip.ZipException first = assertThrows(java.util.zip.ZipException.class, in::readAllBytes);
        java.util.zip.ZipException again = assertThrows(java.util.zip.ZipException.class, in::readAllBytes);
        assertEquals(first.getMessage(), again.getMessage());
        assertThrows(java.util.zip.ZipException.class, () -> in.skip(10), "a skip too");
      }
    }
  }

  /** Concatenated members are one stream, as gzip -d reads them; zeros after the last one are refused too. */
  @Test
  void concatenatedGzipMembersAndZeroPadding() throws IOException {
    byte[] file = idx(new int[] {3, 2, 2}, ramp(12));
    byte[] parts = concat(concat(gzip(Arrays.copyOf(file, 10)), gzip(new byte[0])),
        gzip(Arrays.copyOfRange(file, 10, file.length)));
    Path f = write(dir, "members.gz", parts);
    Idx.Contents c = Idx.readImages(f);
    assertArrayEquals(new int[] {3, 2, 2}, c.dims());
    assertArrayEquals(ramp(12), c.data());
    byte[] bad = gzip(file);
    bad[bad.length - 8] ^= 1; // the CRC-32 in the trailer
    Path crc = write(dir, "crc.gz", bad);
    assertMalformed(crc, () -> Idx.readImages(crc), "corrupt gzip", "CRC32");
    Path padded = write(dir, "padded.gz", concat(parts, new byte[512]));
    assertMalformed(padded, () -> Idx.readImages(padded), "corrupt gzip", "after a valid .gz stream");
  }

  /** A header with every optional field (extra, name, comment, its own CRC-16), as RFC 1952 allows, reads. */
  @Test
  void gzipHeaderWithEveryOptionalField() throws IOException {
    byte[] file = idx(new int[] {2}, ramp(2));
    byte[] plain = gzip(file);
    java.io.ByteArrayOutputStream h = new java.io.ByteArrayOutputStream();
    // the extra field holds one subfield: id 'A' 'B', length 3, then its 3 bytes
    h.write(new byte[] {0x1f, (byte) 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, 3, 7, 0, 'A', 'B', 3, 0, 'a', 'b', 'c'});
    h.writeBytes("labels\0a comment\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(h.toByteArray());
    h.write((int) crc.getValue() & 0xff);
    h.write((int) crc.getValue() >>> 8 & 0xff);
    byte[] header = h.toByteArray();
    byte[] rest = Arrays.copyOfRange(plain, 10, plain.length); // deflate data and trailer after the plain header
    Path f = write(dir, "flags.gz", concat(header, rest));
    assertArrayEquals(new int[] {ramp(2)[0] & 0xff, ramp(2)[1] & 0xff}, Idx.readLabels(f));
  }
}
