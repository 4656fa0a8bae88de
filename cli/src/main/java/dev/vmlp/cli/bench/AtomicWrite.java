package dev.vmlp.cli.bench;

import dev.vmlp.internal.io.AtomicFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Writes a report's files whole or not at all, through {@link AtomicFiles} as the model files are
 * saved: a reader sees the old file or the new one, never half of one.
 */
public final class AtomicWrite {
  private AtomicWrite() {}

  /** Writes {@code text} as UTF-8 to {@code file}. */
  public static void text(Path file, String text) throws IOException {
    print(file, out -> out.print(text));
  }

  /**
   * Writes {@code firstText} to {@code first} and {@code secondText} to {@code second}, and neither when
   * either cannot be written: the second file is written and renamed once the first is whole on the disk,
   * just before the first is renamed, so only a failure of that last rename (or an exit in between) can
   * leave the second new beside an old first.
   *
   * @throws IOException naming the file that cannot be written
   */
  public static void texts(Path first, String firstText, Path second, String secondText) throws IOException {
    prints(first, out -> out.print(firstText), second, out -> out.print(secondText));
  }

  /** {@link #texts} of what two bodies print. */
  static void prints(Path first, Consumer<PrintStream> firstBody, Path second, Consumer<PrintStream> secondBody)
      throws IOException {
    print(first, firstBody, () -> print(second, secondBody));
  }

  /**
   * Writes what {@code body} prints to {@code file} (to the file it links to, if it is a link; a link to
   * a missing file is refused, as a model save refuses it). {@link PrintStream} keeps its errors to
   * itself, so the stream's error flag is checked after the body has printed.
   *
   * @throws IOException naming {@code file} when it cannot be written
   */
  public static void print(Path file, Consumer<PrintStream> body) throws IOException {
    print(file, body, () -> {});
  }

  /** {@link #print(Path, Consumer)} that runs {@code beforeMove} just before the rename (see {@link AtomicFiles}). */
  private static void print(Path file, Consumer<PrintStream> body, AtomicFiles.BeforeMove beforeMove)
      throws IOException {
    AtomicFiles.replace(file, AtomicFiles.linkTarget(file), ch -> {
      // not closed here: AtomicFiles closes the channel after forcing it to the disk
      PrintStream out = new PrintStream(Channels.newOutputStream(ch), false, StandardCharsets.UTF_8);
      body.accept(out);
      if (out.checkError()) { // checkError flushes
        throw new IOException(file + ": cannot be written (a write failed: a full disk?)");
      }
    }, beforeMove);
  }
}
