package dev.vmlp.data;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Text that gives one blank line of its own when what came so far ends a line and no more bytes are
 * available: the CSV parser hands a row over only once it has seen what follows the row's line end, so
 * a pipe that pauses after a row (a client that sends a row and waits for its answer) would otherwise
 * get each row handed over one row late. The reader skips blank lines, and takes the lines added
 * ({@link #added()}) off its line numbers.
 *
 * <p>Only a line feed ends a line here: after a carriage return the parser looks for a line feed, which
 * an added one would complete without starting a line. One {@code available()} call per read of a block.
 */
final class BlankLineWhenIdle extends FilterInputStream {
  private final boolean bytePerLineFeed;
  private boolean endsLine; // whether the last byte given was a line feed of the input
  private long added;

  /**
   * @param in text that supports mark: its first two bytes say whether it is UTF-8 (or ASCII), the only
   *     encoding the parser detects in which a line feed is one byte. UTF-16 and UTF-32 text, which
   *     starts with a byte-order mark or has a zero byte in its first two, gets no lines added. (Two
   *     bytes, not more: the shortest row, a digit and its line end.)
   */
  BlankLineWhenIdle(InputStream in) throws IOException {
    super(in);
    in.mark(2);
    byte[] head = in.readNBytes(2);
    in.reset();
    boolean wide = head.length >= 2 && ((head[0] & 0xff) == 0xfe && (head[1] & 0xff) == 0xff
        || (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xfe);
    for (byte b : head) {
      wide |= b == 0;
    }
    bytePerLineFeed = !wide;
  }

  /** The blank lines given so far. */
  long added() {
    return added;
  }

  @Override
  public int read() throws IOException {
    if (addLine()) {
      return '\n';
    }
    int b = in.read();
    endsLine = b == '\n';
    return b;
  }

  @Override
  public int read(byte[] bytes, int off, int len) throws IOException {
    if (len > 0 && addLine()) {
      bytes[off] = '\n';
      return 1;
    }
    int n = in.read(bytes, off, len);
    if (n > 0) {
      endsLine = bytes[off + n - 1] == '\n';
    }
    return n;
  }

  private boolean addLine() throws IOException {
    if (!endsLine || !bytePerLineFeed || in.available() > 0) {
      return false;
    }
    endsLine = false; // one blank line per pause
    added++;
    return true;
  }

  @Override
  public long skip(long n) throws IOException {
    endsLine = false; // not used by the parser: no line is added after skipped bytes
    return in.skip(n);
  }

  @Override
  public boolean markSupported() {
    return false; // a reset would replay bytes past the lines added
  }
}
