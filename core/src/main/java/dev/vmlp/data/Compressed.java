package dev.vmlp.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opens plain or gzip-compressed files, recognised by their first two bytes rather than their name. */
public final class Compressed {
  private Compressed() {}

  /**
   * The file's contents, decompressed when it is gzip, as one buffered stream that supports
   * {@link InputStream#mark}, so a caller can look at its first bytes and then read it from the start
   * (input that can be read only once, such as a pipe, included).
   *
   * @throws java.nio.file.FileSystemException when {@code file} is a folder
   * @throws DataFormatException when the gzip header is damaged
   */
  public static InputStream open(Path file) throws IOException {
    return wrap(openFile(file), file);
  }

  /** The file's raw bytes; a folder is refused by name (reading one would fail as "Is a directory"). */
  static InputStream openFile(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new FileSystemException(file.toString(), null, "is a folder, not a file");
    }
    return Files.newInputStream(file);
  }

  /** Wraps a stream, decompressing when it starts with the gzip magic; {@code file} names it in errors. */
  static InputStream wrap(InputStream raw, Path file) throws IOException {
    InputStream in = new BufferedInputStream(raw, 1 << 16);
    try {
      in.mark(2);
      int b0 = in.read();
      int b1 = in.read();
      in.reset();
      if (b0 == 0x1f && b1 == 0x8b) {
        try {
          return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        } catch (IOException e) {
          throw new DataFormatException(file, "corrupt gzip header: "
              + (e.getMessage() != null ? e.getMessage() : "the file ends inside it"), e);
        }
      }
      return in;
    } catch (IOException | RuntimeException e) {
      in.close(); // closes raw: the caller never gets a stream to close
      throw e;
    }
  }
}
