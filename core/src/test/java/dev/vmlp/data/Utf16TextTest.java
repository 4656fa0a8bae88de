package dev.vmlp.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class Utf16TextTest {
  /**
   * A read of one character where a surrogate pair comes next hands over its high surrogate, and the
   * next read the low one, as the JDK's InputStreamReader does: the decoder, which writes a pair whole,
   * had no room, so the read asked for more bytes until the input ended (then said the text had ended,
   * the pair and all after it lost) or its buffer was full (then read 0 bytes forever).
   */
  @Test
  void aOneCharacterReadSplitsASurrogatePair() throws IOException {
    String text = "y,x\uD835\uDFD1\n1,2\n";
    for (Charset cs : new Charset[] {StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE}) {
      byte[] bytes = text.getBytes(cs);
      byte[] head = java.util.Arrays.copyOf(bytes, 4);
      StringBuilder read = new StringBuilder();
      assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
        try (Reader r = Utf16Text.of(new ByteArrayInputStream(bytes), head)) {
          for (int c; (c = r.read()) >= 0; ) {
            read.append((char) c);
          }
        }
      });
      assertEquals(text, read.toString(), cs.name());
      // a pair at the end of a longer text than the decoder's buffer, read one character at a time
      String longer = "1,2\n".repeat(5000) + "\uD835\uDFD1";
      byte[] many = longer.getBytes(cs);
      StringBuilder all = new StringBuilder();
      assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
        try (Reader r = Utf16Text.of(new ByteArrayInputStream(many), java.util.Arrays.copyOf(many, 4))) {
          char[] one = new char[1];
          for (int n; (n = r.read(one, 0, 1)) >= 0; ) {
            assertEquals(1, n);
            all.append(one[0]);
          }
        }
      });
      assertEquals(longer, all.toString(), cs.name());
    }
  }
}
