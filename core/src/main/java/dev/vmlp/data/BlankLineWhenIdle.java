package dev.vmlp.data;

import dev.vmlp.internal.io.FirstBytes;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Text that gives one blank line of its own when what came so far ends a line and no more bytes are
 * available: the CSV parser hands a row over only once it has seen what follows the row's line end, so
 * a pipe that pauses after a row (a client that sends a row and waits for its answer) would otherwise
 * get each row handed over one row late. The reader skips blank lines, and numbers lines through
 * {@link #lineOf(long)}, which takes the lines added off.
 *
 * <p>Before the parser parses anything its encoding detection reads {@value #HEAD} bytes: a pause after
 * a shorter first row (a one-input model's {@code 5\n}) gets as many blank lines as make them up.
 *
 * <p>A carriage return (an old Mac line end, or the first byte of {@code \r\n}) is given as a line feed
 * at once, and a line feed that directly follows one is not given: after a carriage return the parser
 * looks for a line feed, so a row ended by a bare one was handed over only when the next row came. The
 * parser counts {@code \r}, {@code \n} and {@code \r\n} as one line end each. A quoted cell's line
 * ends are kept as they are (a cell shown in an error names its bytes): after an odd number of quotes
 * ({@code ""} in a quoted cell is two), a carriage return is given as it is. Not in text whose first
 * bytes are {@code \r\n} and a zero byte: given without that line feed, the parser's encoding
 * detection would take the zero byte for UTF-16. One {@code available()} call per read of a block.
 */
final class BlankLineWhenIdle extends FilterInputStream {
  /** The bytes the parser's encoding detection waits for before it parses any. */
  static final int HEAD = 4;

  private final boolean bytePerLineFeed;
  private final boolean carriageReturnAsLineFeed;
  private boolean afterCarriageReturn; // whether the input's last byte was a carriage return (given as a line feed)
  private boolean quoted; // whether an odd number of quotes came so far: in a quoted cell, whose bytes are kept
  private final byte[] oneByte = new byte[1]; // read()'s byte, translated as a block's are (lineFeeds)
  private boolean endsLine; // whether the last byte given was a line feed of the input, or one added in the head
  private long added;
  private int headGiven; // the bytes given, counted up to HEAD
  private int headLines; // the input's line feeds among them, before the first line added
  private int addedInHead; // the lines added among them, all together: after the input's headLines lines

  /**
   * @param in text that supports mark: its first two bytes say whether it is UTF-8 (or ASCII), the only
   *     encoding the parser detects in which a line feed is one byte. UTF-16 and UTF-32 text, which
   *     starts with a byte-order mark or has a zero byte in its first two, gets no lines added. (Two
   *     bytes, not more: the shortest row, a digit and its line end. A third is looked at only for
   *     {@code \r\n} and a zero byte, and not waited for after a line end.)
   */
  BlankLineWhenIdle(InputStream in) throws IOException {
    super(in);
    byte[] head = FirstBytes.peek(in, 3);
    boolean wide = head.length >= 2 && ((head[0] & 0xff) == 0xfe && (head[1] & 0xff) == 0xff
        || (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xfe);
    for (int i = 0; i < Math.min(2, head.length); i++) {
      wide |= head[i] == 0;
    }
    bytePerLineFeed = !wide;
    carriageReturnAsLineFeed = bytePerLineFeed
        && !(head.length == 3 && head[0] == '\r' && head[1] == '\n' && head[2] == 0);
  }

  /** Whether the text is UTF-8 (or ASCII), whose line feed is one byte: else it gets no lines added. */
  boolean bytePerLineFeed() {
    return bytePerLineFeed;
  }

  /**
   * The line of the input at the parser's line {@code parserLine} (counted from 1, past 2^31), where the
   * parser has read no further than the line after it: the parser counts the blank lines added, which
   * are charged to the input's line before them.
   */
  long lineOf(long parserLine) {
    long headBefore = Math.min(addedInHead, Math.max(0, parserLine - 1 - headLines));
    return parserLine - (added - addedInHead) - headBefore;
  }

  @Override
  public int read() throws IOException {
    if (addLine()) {
      return '\n';
    }
    int b = in.read();
    if (carriageReturnAsLineFeed && b >= 0) {
      oneByte[0] = (byte) b;
      if (lineFeeds(oneByte, 0, 1) == 0) {
        return read(); // the line end was given with its carriage return
      }
      b = oneByte[0] & 0xff;
    }
    if (b >= 0) {
      given(b == '\n' && headGiven < HEAD ? 1 : 0, 1);
      endsLine = b == '\n';
    }
    return b;
  }

  @Override
  public int read(byte[] bytes, int off, int len) throws IOException {
    if (len > 0 && addLine()) {
      bytes[off] = '\n';
      return 1;
    }
    int n = in.read(bytes, off, len);
    if (n > 0 && carriageReturnAsLineFeed) {
      n = lineFeeds(bytes, off, n);
      if (n == 0) {
        return read(bytes, off, len); // only the line feed of a \r\n, given with its carriage return
      }
    }
    if (n > 0) {
      int lineFeeds = 0;
      for (int i = off, end = off + Math.min(n, HEAD - headGiven); i < end; i++) {
        lineFeeds += bytes[i] == '\n' ? 1 : 0;
      }
      given(lineFeeds, n);
      endsLine = bytes[off + n - 1] == '\n';
    }
    return n;
  }

  /**
   * Gives the {@code n} bytes at {@code off} with each carriage return outside quotes as a line feed, less
   * a line feed that directly follows one (in these bytes or the read before), and returns how many are
   * left.
   */
  private int lineFeeds(byte[] bytes, int off, int n) {
    int to = off;
    for (int i = off, end = off + n; i < end; i++) {
      byte b = bytes[i];
      if (b == '\n' && afterCarriageReturn) {
        afterCarriageReturn = false;
        continue;
      }
      quoted ^= b == '"';
      afterCarriageReturn = b == '\r' && !quoted;
      bytes[to++] = afterCarriageReturn ? (byte) '\n' : b;
    }
    return to - off;
  }

  /** Counts {@code n} bytes of the input given, {@code headLineFeeds} line feeds among those in the head. */
  private void given(int headLineFeeds, int n) {
    headLines += addedInHead == 0 ? headLineFeeds : 0;
    headGiven = (int) Math.min(HEAD, (long) headGiven + n);
  }

  private boolean addLine() throws IOException {
    if (!endsLine || !bytePerLineFeed || in.available() > 0) {
      return false;
    }
    added++;
    if (headGiven < HEAD) {
      headGiven++;
      addedInHead++;
    }
    endsLine = headGiven < HEAD; // one blank line per pause, or as many as fill the head
    return true;
  }

  @Override
  public long skip(long n) throws IOException {
    endsLine = false; // not used by the parser: no line is added after skipped bytes, nor are they translated
    afterCarriageReturn = false;
    long skipped = in.skip(n);
    headGiven = (int) Math.min(HEAD, headGiven + Math.max(0, skipped));
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false; // a reset would replay bytes past the lines added
  }
}
