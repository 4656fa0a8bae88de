package dev.vmlp.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.ZipException;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Opens plain or gzip-compressed files, recognised by their first two bytes rather than their name. Gzip
 * is read strictly: concatenated members are one stream, each member's header and trailer are checked,
 * and any byte after the last member is corrupt data.
 */
public final class Compressed {
  private Compressed() {}

  /**
   * The file's contents, decompressed when it is gzip, as one buffered stream that supports
   * {@link InputStream#mark}, so a caller can look at its first bytes and then read it from the start
   * (input that can be read only once, such as a pipe, included). A damaged gzip stream fails its reads
   * with a {@link ZipException} (or an {@link EOFException} where it is cut short).
   *
   * @throws java.nio.file.FileSystemException when {@code file} is a folder
   * @throws DataFormatException when the gzip header is damaged
   */
  public static InputStream open(Path file) throws IOException {
    return wrap(openFile(file), file);
  }

  /**
   * As {@link #open(Path)} for a stream that is already open, such as standard input; {@code name}
   * names it in errors. Closing the result closes {@code raw}, and so does a failure to open it.
   *
   * @throws DataFormatException when the gzip header is damaged
   */
  public static InputStream open(InputStream raw, Path name) throws IOException {
    return wrap(raw, name);
  }

  /** The file's raw bytes; a folder is refused by name (reading one would fail as "Is a directory"). */
  static InputStream openFile(Path file) throws IOException {
    Objects.requireNonNull(file, "file"); // else an NPE naming Files' own parameter "path"
    if (Files.isDirectory(file)) {
      throw new FileSystemException(file.toString(), null, "is a folder, not a file");
    }
    return new FileBytes(Files.newInputStream(file), Files.isRegularFile(file));
  }

  /**
   * {@code symptom}, a format error found in data read from {@code in}, or the gzip damage behind it.
   * A damaged byte inside gzip data shows only in the checksum at its member's end, so a reader meets
   * it first as bad data: a cell that is not a number, a wrong width or size. When the data comes
   * decompressed from a regular file (through {@code in} or {@code raw}, the stream {@code in} was
   * made from), this reads the rest of it, and a failing checksum or format is what is returned, naming
   * the symptom. Otherwise (plain data, a pipe that may never end, data that checks out, a failure to
   * read) it is {@code symptom} itself.
   *
   * <p>Modifies {@code in}: reads it to its end or its first failure.
   */
  static DataFormatException damageFirst(InputStream in, InputStream raw, Path file, DataFormatException symptom) {
    if (!(in instanceof Gunzipped g && g.fromFile) && !(raw instanceof Gunzipped r && r.fromFile)) {
      return symptom;
    }
    try {
      in.transferTo(OutputStream.nullOutputStream());
      return symptom;
    } catch (ZipException | EOFException e) {
      String prefix = file + ": ";
      String shown = symptom.getMessage().startsWith(prefix)
          ? symptom.getMessage().substring(prefix.length()) : symptom.getMessage();
      DataFormatException damage = new DataFormatException(file, "corrupt gzip data: " + e.getMessage()
          + "; before its checksum was reached, the damage read as: " + shown, e);
      damage.addSuppressed(symptom);
      return damage;
    } catch (IOException e) {
      symptom.addSuppressed(e);
      return symptom;
    }
  }

  /**
   * {@code value}; when it is null, an NPE naming {@code what}, after {@code stream} is closed as the
   * readers that take a stream promise.
   */
  static <T> T given(T value, String what, InputStream stream) {
    if (value == null) {
      NullPointerException e = new NullPointerException(what);
      if (stream != null) {
        try {
          stream.close();
        } catch (IOException | RuntimeException c) {
          e.addSuppressed(c);
        }
      }
      throw e;
    }
    return value;
  }

  /** Wraps a stream, decompressing when it starts with the gzip magic; {@code file} names it in errors. */
  static InputStream wrap(InputStream raw, Path file) throws IOException {
    // a null stream would fail its first read as "Stream closed", an IOException that blames the input
    Objects.requireNonNull(raw, "stream");
    given(file, "name", raw); // closes raw, as a failure below does
    InputStream in = new BufferedInputStream(new ReadFailuresNamed(raw, file), 1 << 16);
    try {
      in.mark(2);
      int b0 = in.read();
      int b1 = in.read();
      in.reset();
      if (b0 == 0x1f && b1 == 0x8b) {
        Source source = new Source(in);
        try {
          // decompressConcatenated: members follow one another, and anything else after one is an error
          // a member's header is read between the end of the one before (or the start) and its own start
          GzipCompressorInputStream gzip = GzipCompressorInputStream.builder().setInputStream(source)
              .setDecompressConcatenated(true)
              .setOnMemberStart(g -> source.header = -1)
              .setOnMemberEnd(g -> source.header = 0)
              .get();
          return new Gunzipped(new Strict(gzip, source), raw instanceof FileBytes f && f.regular);
        } catch (IOException e) {
          if (source.failure == e) {
            throw e;
          }
          throw new DataFormatException(file, "corrupt gzip header: "
              + (e instanceof EOFException || e.getMessage() == null ? "the file ends inside it" : e.getMessage()), e);
        }
      }
      return in;
    } catch (IOException | RuntimeException e) {
      in.close(); // closes raw: the caller never gets a stream to close
      throw e;
    }
  }

  /** A file's bytes, and whether the file is a regular one, which has an end (not a pipe or a device). */
  private static final class FileBytes extends FilterInputStream {
    final boolean regular;

    FileBytes(InputStream in, boolean regular) {
      super(in);
      this.regular = regular;
    }
  }

  /**
   * The bytes of {@code file}, whose failures to be read name it: the system's own (a plain
   * {@link IOException}, such as "Input/output error", or "Is a directory" for standard input that is
   * a folder) said nothing of which file, where a command reads several. They become a
   * {@link FileSystemException} with the system's reason and the failure as its cause; failures of
   * their own type (an interrupt, a closed channel) pass as they are.
   */
  private static final class ReadFailuresNamed extends FilterInputStream {
    private final Path file;

    ReadFailuresNamed(InputStream in, Path file) {
      super(in);
      this.file = file;
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (IOException e) {
        throw named(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (IOException e) {
        throw named(e);
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        return in.skip(n);
      } catch (IOException e) {
        throw named(e);
      }
    }

    @Override
    public int available() throws IOException {
      try {
        return in.available();
      } catch (IOException e) {
        throw named(e);
      }
    }

    private IOException named(IOException e) {
      if (e.getClass() != IOException.class) {
        return e;
      }
      FileSystemException f = new FileSystemException(file.toString(), null,
          e.getMessage() != null ? e.getMessage() : "cannot be read");
      f.initCause(e);
      return f;
    }
  }

  /** Decompressed data; {@code fromFile} when its bytes come from a regular file, which {@link #damageFirst} may read to its end. */
  private static final class Gunzipped extends BufferedInputStream {
    final boolean fromFile;

    Gunzipped(InputStream decompressed, boolean fromFile) {
      super(decompressed, 1 << 16);
      this.fromFile = fromFile;
    }
  }

  /** The most bytes a gzip member's header may take: its file name and comment end at a zero byte. */
  static final int MAX_HEADER = 1 << 20;

  /**
   * The compressed bytes, remembering a failure to read them, which is not a format error, and
   * refusing a member's header longer than {@link #MAX_HEADER}: the decompressor holds a file name or
   * comment whole, so one without its zero byte took the memory of the whole file.
   */
  private static final class Source extends FilterInputStream {
    IOException failure;
    /** Bytes read of the header being read, or -1 while a member's data is read. */
    long header;

    Source(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b;
      try {
        b = super.read();
      } catch (IOException e) {
        failure = e;
        throw e;
      }
      count(b < 0 ? 0 : 1);
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n;
      try {
        n = in.read(b, off, len);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
      count(Math.max(n, 0));
      return n;
    }

    private void count(int n) throws ZipException {
      if (header >= 0 && (header += n) > MAX_HEADER) {
        throw new ZipException("a member's header is longer than " + MAX_HEADER
            + " bytes (a file name or comment without its end?)");
      }
    }
  }

  /**
   * The decompressor's format errors (plain {@link IOException}s, such as "Garbage after a valid .gz
   * stream") as {@link ZipException}s, which the readers report as corrupt gzip data; failures to read
   * the file and a stream cut short pass as they are. A read after a failure fails again with the same
   * exception: the decompressor is not called again, since its state is then undefined (a second read
   * past a bad trailer threw "Skip count must be non-negative", an IllegalArgumentException).
   */
  private static final class Strict extends FilterInputStream {
    private final Source source;
    private IOException failure;

    Strict(InputStream gzip, Source source) {
      super(gzip);
      this.source = source;
    }

    @Override
    public int read() throws IOException {
      if (failure != null) {
        throw failure;
      }
      try {
        return super.read();
      } catch (IOException e) {
        failure = translate(e);
        throw failure;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (failure != null) {
        throw failure;
      }
      try {
        return in.read(b, off, len);
      } catch (IOException e) {
        failure = translate(e);
        throw failure;
      }
    }

    @Override
    public long skip(long n) throws IOException {
      if (failure != null) {
        throw failure;
      }
      try {
        return in.skip(n);
      } catch (IOException e) {
        failure = translate(e);
        throw failure;
      }
    }

    private IOException translate(IOException e) {
      if (e == source.failure || e instanceof ZipException) {
        return e;
      }
      if (e instanceof EOFException) {
        return e.getMessage() != null ? e : (IOException) new EOFException("the file ends inside the gzip data")
            .initCause(e);
      }
      ZipException z = new ZipException(e.getMessage() != null ? e.getMessage() : e.toString());
      z.initCause(e);
      return z;
    }
  }
}
