package dev.vmlp.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class FirstBytesTest {
  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void aFileGivesItsFirstBytesAndIsReadFromTheStartAfterwards() throws IOException {
    InputStream in = new BufferedInputStream(new ByteArrayInputStream(ascii("5\n6\n7\n")));
    assertArrayEquals(ascii("5\n6\n"), FirstBytes.peek(in, 4)); // a line end with more bytes after it: read on
    assertArrayEquals(ascii("5\n6\n7\n"), in.readAllBytes());
  }

  @Test
  void aShortInputGivesWhatItHas() throws IOException {
    assertArrayEquals(ascii("5\n"), FirstBytes.peek(new BufferedInputStream(new ByteArrayInputStream(ascii("5\n"))), 4));
    assertArrayEquals(ascii("12"), FirstBytes.peek(new BufferedInputStream(new ByteArrayInputStream(ascii("12"))), 4));
    assertArrayEquals(new byte[0], FirstBytes.peek(new BufferedInputStream(InputStream.nullInputStream()), 4));
  }

  @Test
  @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aPipeThatPausesAfterALineEndGivesTheLineWithoutWaiting() throws IOException {
    PipedOutputStream client = new PipedOutputStream();
    InputStream in = new BufferedInputStream(new PipedInputStream(client));
    client.write(ascii("5\n"));
    client.flush(); // and the pipe stays open
    assertArrayEquals(ascii("5\n"), FirstBytes.peek(in, 4));
    client.write(ascii("6\n"));
    client.close();
    assertArrayEquals(ascii("5\n6\n"), in.readAllBytes());
  }

  @Test
  @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aPipeThatPausesAfterABareCarriageReturnGivesTheLineWithoutWaiting() throws IOException {
    PipedOutputStream client = new PipedOutputStream();
    InputStream in = new BufferedInputStream(new PipedInputStream(client));
    client.write(ascii("5\r"));
    client.flush(); // an old Mac line end, and the pipe stays open
    assertArrayEquals(ascii("5\r"), FirstBytes.peek(in, 4));
    client.write(ascii("6\r"));
    client.close();
    assertArrayEquals(ascii("5\r6\r"), in.readAllBytes());
  }

  @Test
  @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aPipeThatPausesInsideALineIsWaitedFor() throws Exception {
    PipedOutputStream client = new PipedOutputStream();
    InputStream in = new BufferedInputStream(new PipedInputStream(client));
    client.write(ascii("15"));
    client.flush();
    var peeked = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return FirstBytes.peek(in, 4);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    Thread.sleep(200); // the look waits: "15" ends no line
    client.write(ascii(",6\n"));
    client.close();
    assertArrayEquals(ascii("15,6"), peeked.get());
  }
}
