package dev.vmlp.data;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * UTF-16 text decoded for the CSV parser, refusing bytes that are not UTF-16 (an unpaired surrogate, a
 * character cut short at the end) with a {@link CharConversionException} whose message says "UTF-16",
 * as the parser's own UTF-8 and UTF-32 decoders refuse theirs: the parser reads UTF-16 through the
 * JDK's decoder, which replaced such bytes with U+FFFD, so a row was refused as "not a number" or for
 * its columns (a high surrogate took the separator after it), or, in a header or a skipped column,
 * passed. Like the JDK's {@code InputStreamReader}, a read returns the characters decoded so far once it
 * has some, without waiting for more bytes: a row that has come is parsed while the input waits.
 */
final class Utf16Text extends Reader {
  private final InputStream in;
  private final CharsetDecoder decoder;
  private final ByteBuffer bytes = ByteBuffer.allocate(8192).flip();
  private long consumed; // the bytes of the input before bytes' start
  private boolean ended;
  private int pendingLow = -1; // the low surrogate of a pair whose high one a read of 1 character took

  private Utf16Text(InputStream in, boolean bigEndian, long skipped) {
    this.in = in;
    this.decoder = (bigEndian ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_16LE).newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    this.consumed = skipped;
  }

  /**
   * {@code text} decoded as UTF-16 when the parser would read it as UTF-16, else null: the parser's
   * encoding detection (Jackson's {@code CsvParserBootstrapper}), on {@code head}, the first 4 bytes
   * of {@code text} (fewer where it ends before them). A UTF-16 byte-order mark says which, and is
   * skipped; without one, a zero byte among the first two (not UTF-32's three) says UTF-16, big-endian
   * when it is the first. Fewer than 4 bytes have no mark: only their first two are looked at.
   */
  static Reader of(InputStream text, byte[] head) throws IOException {
    int bom = 0;
    boolean bigEndian;
    if (head.length >= 4) {
      int quad = (head[0] & 0xff) << 24 | (head[1] & 0xff) << 16 | (head[2] & 0xff) << 8 | head[3] & 0xff;
      int first = quad >>> 16;
      if (quad == 0x0000FEFF || quad == 0xFFFE0000 || quad == 0x0000FFFE || quad == 0xFEFF0000
          || quad >>> 8 == 0xEFBBBF || quad >>> 8 == 0 || (quad & 0x00FFFFFF) == 0
          || (quad & ~0x00FF0000) == 0 || (quad & ~0x0000FF00) == 0) {
        return null; // UTF-32 (or a UTF-32 order the parser refuses), or UTF-8 with its mark
      }
      if (first == 0xFEFF || first == 0xFFFE) {
        bom = 2;
        bigEndian = first == 0xFEFF;
      } else if ((first & 0xFF00) == 0 || (first & 0x00FF) == 0) {
        bigEndian = (first & 0xFF00) == 0;
      } else {
        return null;
      }
    } else if (head.length >= 2 && (head[0] == 0 || head[1] == 0)) {
      bigEndian = head[0] == 0;
    } else {
      return null;
    }
    for (int i = 0; i < bom; i++) {
      text.read(); // the mark was peeked: it is there
    }
    return new Utf16Text(text, bigEndian, bom);
  }

  @Override
  public int read(char[] chars, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (pendingLow >= 0) {
      chars[off] = (char) pendingLow;
      pendingLow = -1;
      return 1;
    }
    CharBuffer out = CharBuffer.wrap(chars, off, len);
    while (true) {
      CoderResult r = decoder.decode(bytes, out, ended);
      if (out.position() > off) {
        return out.position() - off; // a problem after these characters is met by the next read
      }
      if (r.isOverflow()) {
        // room for 1 character and a surrogate pair next, which the decoder writes whole: its high
        // surrogate now, its low one on the next read (as the JDK's InputStreamReader does)
        CharBuffer pair = CharBuffer.allocate(2);
        decoder.decode(bytes, pair, ended);
        chars[off] = pair.get(0);
        pendingLow = pair.get(1);
        return 1;
      }
      if (r.isError()) {
        throw notUtf16();
      }
      if (ended) {
        return -1;
      }
      consumed += bytes.position();
      bytes.compact();
      int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
      if (n < 0) {
        ended = true;
      } else {
        bytes.position(bytes.position() + n);
      }
      bytes.flip();
    }
  }

  /** The error for the bytes at {@code bytes}' position, which are not a character. */
  private CharConversionException notUtf16() {
    long at = consumed + bytes.position();
    if (bytes.remaining() < 2) {
      return new CharConversionException("Invalid UTF-16: the text ends " + bytes.remaining()
          + " byte into a character, at byte offset " + at);
    }
    int unit = decoder.charset() == StandardCharsets.UTF_16BE
        ? (bytes.get(bytes.position()) & 0xff) << 8 | bytes.get(bytes.position() + 1) & 0xff
        : (bytes.get(bytes.position() + 1) & 0xff) << 8 | bytes.get(bytes.position()) & 0xff;
    String what = Character.isHighSurrogate((char) unit)
        ? "a high surrogate not followed by a low one" : "a low surrogate without a high one before it";
    return new CharConversionException(String.format(Locale.ROOT,
        "Invalid UTF-16 code unit 0x%04x (%s) at byte offset %d", unit, what, at));
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
