package dev.vmlp.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file is malformed. The message names the file and what is wrong (the field, the expected
 * and the actual value, the line or byte offset where it helps).
 */
public final class DataFormatException extends IOException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;

  public DataFormatException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  public DataFormatException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /** The file that is malformed. */
  public Path file() {
    return file;
  }
}
