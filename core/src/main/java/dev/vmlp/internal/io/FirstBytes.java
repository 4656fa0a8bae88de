package dev.vmlp.internal.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** A look at the first bytes of an input, which says what it holds, before it is read from the start. */
public final class FirstBytes {
  private FirstBytes() {}

  /**
   * Up to {@code n} of the first bytes of {@code in}, which supports mark and is reset to them: fewer
   * where they end a line (a line feed or carriage return) and no more are available yet (a client that sends a short first row, a
   * one-input model's {@code 5\n}, and waits for its answer), or where the input ends.
   */
  public static byte[] peek(InputStream in, int n) throws IOException {
    in.mark(n);
    byte[] head = new byte[n];
    int got = 0;
    while (got < n && !(got > 0 && (head[got - 1] == '\n' || head[got - 1] == '\r') && in.available() == 0)) {
      int r = in.read(head, got, n - got);
      if (r < 0) {
        break;
      }
      got += r;
    }
    in.reset();
    return Arrays.copyOf(head, got);
  }
}
