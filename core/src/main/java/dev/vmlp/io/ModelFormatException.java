package dev.vmlp.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model file is malformed or does not describe a network this library can run. The message names
 * the file, then the part that is wrong: a tensor ({@code tensor 'layers.1.bias': ...}), a metadata
 * key ({@code metadata 'vmlp.head': ...}), the {@code header length}, {@code header} or
 * {@code data} section, or the caller's {@code activations}; {@link #field()} gives that part alone.
 */
public final class ModelFormatException extends IOException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;
  private final String field;

  /**
   * @param file the file, or null when the bytes did not come from a file
   * @param field the tensor name, metadata key or section that is wrong
   * @param problem what is wrong, naming {@code field}
   */
  public ModelFormatException(Path file, String field, String problem) {
    super((file != null ? file + ": " : "") + problem);
    this.file = file;
    this.field = field;
  }

  ModelFormatException(Path file, String field, String problem, Throwable cause) {
    this(file, field, problem);
    initCause(cause);
  }

  /** The file that is malformed, or null. */
  public Path file() {
    return file;
  }

  /**
   * The tensor name (e.g. {@code layers.0.weight}), metadata key (e.g. {@code vmlp.activations}) or
   * section ({@code header length}, {@code header}, {@code data}) the problem is in; {@code activations}
   * when the activations the caller gives ({@link LoadOptions#withActivations}) do not fit the file's
   * hidden layers.
   */
  public String field() {
    return field;
  }
}
