package dev.vmlp.cli.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Writes a report's files whole or not at all, as {@code dev.vmlp.io.ModelFiles} saves a model: into a
 * new temporary file in the target's folder, forced to the disk, then renamed over the target. A
 * reader sees the old file or the new one, never half of one; a failed write leaves the old file and
 * no temporary one.
 */
public final class AtomicWrite {
  private AtomicWrite() {}

  /** Writes {@code text} as UTF-8 to {@code file}. */
  public static void text(Path file, String text) throws IOException {
    print(file, out -> out.print(text));
  }

  /**
   * Writes what {@code body} prints to {@code file}. {@link PrintStream} keeps its errors to itself, so
   * the stream's error flag is checked after it is closed.
   *
   * @throws IOException naming {@code file} when it cannot be written
   */
  public static void print(Path file, Consumer<PrintStream> body) throws IOException {
    Path target = file.toAbsolutePath();
    Path tmp = target.resolveSibling("." + target.getFileName() + "."
        + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
    FileChannel ch;
    try {
      ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (FileSystemException e) {
      // name what the caller asked for, not the temporary file
      throw new FileSystemException(file.toString(), null, "cannot create a file in " + target.getParent() + " ("
          + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()) + ")");
    }
    try {
      PrintStream out = new PrintStream(Channels.newOutputStream(ch), false, StandardCharsets.UTF_8);
      try {
        body.accept(out);
        if (!out.checkError() && ch.isOpen()) { // checkError flushes
          ch.force(true);
        }
      } catch (IOException e) {
        throw new IOException(file + ": cannot be written (" + Report.firstLineOf(e) + ")", e);
      } finally {
        out.close(); // closes the channel
      }
      if (out.checkError()) {
        throw new IOException(file + ": cannot be written (a write failed: a full disk?)");
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException | Error e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }
}
