package dev.vmlp.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening plain and gzip data from a stream: what is read, what is closed, and what a failure is. */
class CompressedTest {
  @TempDir
  Path dir;

  private static final byte[] PLAIN = "1,2\n3,4\n".repeat(1000).getBytes(StandardCharsets.UTF_8);

  /** A stream that remembers its close and fails its reads from {@code failAt} bytes on. */
  private static final class Raw extends FilterInputStream {
    boolean closed;
    final int failAt;
    final IOException failure = new IOException("Input/output error");
    int read;

    Raw(byte[] b, int failAt) {
      super(new ByteArrayInputStream(b));
      this.failAt = failAt;
    }

    @Override
    public int read() throws IOException {
      if (read >= failAt) {
        throw failure;
      }
      read++;
      return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (read >= failAt) {
        throw failure;
      }
      int n = super.read(b, off, Math.min(len, failAt - read));
      read += Math.max(n, 0);
      return n;
    }

    @Override
    public void close() throws IOException {
      closed = true;
      super.close();
    }
  }

  @Test
  void anOpenStreamIsReadDecompressedWhenItIsGzip() throws IOException {
    try (InputStream in = Compressed.open(new ByteArrayInputStream(IdxFiles.gzip(PLAIN)), Path.of("-"))) {
      assertArrayEquals(PLAIN, in.readAllBytes());
    }
    try (InputStream in = Compressed.open(new ByteArrayInputStream(PLAIN), Path.of("-"))) {
      assertArrayEquals(PLAIN, in.readAllBytes());
    }
  }

  @Test
  void aDamagedHeaderClosesTheStreamItCameFrom() {
    byte[] gz = IdxFiles.gzip(PLAIN);
    Raw raw = new Raw(Arrays.copyOf(gz, 5), Integer.MAX_VALUE); // cut inside the 10-byte header
    DataFormatException e = assertThrows(DataFormatException.class, () -> Compressed.open(raw, Path.of("in.gz")));
    assertEquals("in.gz: corrupt gzip header: the file ends inside it", e.getMessage());
    assertTrue(raw.closed, "the caller never gets a stream to close");
  }

  /** A null name is refused as the damaged header is, with the stream closed: it was left open. */
  @Test
  void aNullNameClosesTheStream() {
    Raw raw = new Raw(PLAIN, Integer.MAX_VALUE);
    NullPointerException e = assertThrows(NullPointerException.class, () -> Compressed.open(raw, null));
    assertEquals("name", e.getMessage());
    assertTrue(raw.closed, "the caller never gets a stream to close");
  }

  @Test
  void aFailureToReadTheBytesIsNoGzipDamage() throws IOException {
    byte[] gz = IdxFiles.gzip(PLAIN);
    Raw raw = new Raw(gz, 40); // past the header, inside the data
    try (InputStream in = Compressed.open(raw, Path.of("in.gz"))) {
      IOException e = assertThrows(IOException.class, in::readAllBytes);
      assertEquals(java.nio.file.FileSystemException.class, e.getClass(), "not as corrupt data: " + e);
      assertSame(raw.failure, e.getCause(), "the failure itself, with the input's name");
    }
  }

  /**
   * A failure to read the input names it, as a {@link java.nio.file.FileSystemException} with the
   * system's reason: "Input/output error" (or "Is a directory", standard input being a folder) alone did
   * not say which file, where train reads two and eval a model and its data.
   */
  @Test
  void aFailureToReadNamesTheInput() {
    for (byte[] bytes : List.of(PLAIN, IdxFiles.gzip(PLAIN))) {
      for (int at : new int[] {0, 1, 5, 40}) { // the first bytes; inside gzip's 10-byte header; past it
        Raw raw = new Raw(bytes, at);
        IOException e = assertThrows(IOException.class, () -> {
          try (InputStream in = Compressed.open(raw, Path.of("in.csv"))) {
            in.readAllBytes();
          }
        });
        String where = (bytes == PLAIN ? "plain" : "gzip") + ", failing at byte " + at;
        assertEquals("in.csv: Input/output error", e.getMessage(), where);
        assertTrue(e instanceof java.nio.file.FileSystemException, where + ": " + e);
        assertSame(raw.failure, e.getCause(), where);
        assertTrue(raw.closed, where);
      }
    }
  }

  @Test
  void gzipDataCutShortEndsWithAnEofThatSaysSo() throws IOException {
    byte[] gz = IdxFiles.gzip(PLAIN);
    try (InputStream in = Compressed.open(new ByteArrayInputStream(Arrays.copyOf(gz, gz.length - 4)), Path.of("-"))) {
      EOFException e = assertThrows(EOFException.class, in::readAllBytes);
      assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), "a message: " + e);
    }
  }

  @Test
  void gzipDamageFoundAtTheChecksumKeepsTheSymptomAsSuppressed() throws IOException {
    byte[] plain = ("1,2\n0,3\n" + "1,4\n".repeat(100)).getBytes(StandardCharsets.UTF_8);
    Path f = Files.write(dir.resolve("d.csv.gz"), IdxFiles.gzipDamaged(plain, 6, (byte) 'x'));
    try (InputStream in = Compressed.open(f)) {
      DataFormatException symptom = new DataFormatException(f, "line 2: 'x' is not a number");
      DataFormatException damage = Compressed.damageFirst(in, in, f, symptom);
      assertTrue(damage.getMessage().startsWith(f + ": corrupt gzip data: "), damage.getMessage());
      assertTrue(damage.getMessage().endsWith("; before its checksum was reached, the damage read as: line 2: 'x' is "
          + "not a number"), damage.getMessage());
      assertArrayEquals(new Throwable[] {symptom}, damage.getSuppressed());
    }
  }

  @Test
  void bytesAfterTheLastMemberAreCorruptDataInTheDecompressorsWords() throws IOException {
    byte[] gz = IdxFiles.gzip(PLAIN);
    byte[] junk = Arrays.copyOf(gz, gz.length + 20);
    Arrays.fill(junk, gz.length, junk.length, (byte) 'j');
    try (InputStream in = Compressed.open(new ByteArrayInputStream(junk), Path.of("-"))) {
      java.util.zip.ZipException e = assertThrows(java.util.zip.ZipException.class, in::readAllBytes);
      assertTrue(e.getMessage() != null && !e.getMessage().startsWith("java."), "the message alone: " + e.getMessage());
      assertTrue(e.getCause() instanceof IOException, "the decompressor's own exception: " + e.getCause());
    }
  }

  @Test
  void aNullConsumerClosesTheStreamAndKeepsAFailureToCloseItAsSuppressed() {
    IOException closing = new IOException("Input/output error");
    InputStream[] streams = new InputStream[2];
    for (int i = 0; i < streams.length; i++) {
      streams[i] = new ByteArrayInputStream(PLAIN) {
        @Override
        public void close() throws IOException {
          throw closing;
        }
      };
    }
    NullPointerException rows = assertThrows(NullPointerException.class,
        () -> Csv.forEachRow(streams[0], Path.of("rows.csv"), ',', null));
    NullPointerException images = assertThrows(NullPointerException.class,
        () -> Idx.forEachImage(streams[1], Path.of("images-idx3"), null));
    for (NullPointerException e : new NullPointerException[] {rows, images}) {
      assertEquals("consumer", e.getMessage());
      assertArrayEquals(new Throwable[] {closing}, e.getSuppressed(), "the failure to close is not lost");
    }
  }
}
