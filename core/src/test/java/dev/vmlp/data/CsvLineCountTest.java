package dev.vmlp.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The CSV reader's line count past 2^31 lines: 2 GB of text read through, so the simd module's reruns
 * of core's tests leave it out (no kernel is involved).
 */
class CsvLineCountTest {

  /**
   * Jackson counts lines in an {@code int}, which turned negative after 2^31 lines: a stream as long
   * as that (a pipe into {@code vmlp predict}) had its rows handed over, and its errors named, at
   * negative lines. The rows here are quoted cells of a number and ten million line breaks, so that
   * 2^31 lines take 215 rows (about 2 GB of text, made as it is read).
   */
  @Test
  void linesPastTwoToThe31AreCountedOn() throws IOException {
    int breaks = 10_000_000;
    long rows = (1L << 31) / breaks + 1;
    byte[] row = new byte[breaks + 4];
    java.util.Arrays.fill(row, (byte) '\n');
    row[0] = '"';
    row[1] = '1';
    row[breaks + 2] = '"';
    java.io.InputStream tall = new java.io.SequenceInputStream(new java.util.Enumeration<java.io.InputStream>() {
      long made;

      @Override
      public boolean hasMoreElements() {
        return made <= rows;
      }

      @Override
      public java.io.InputStream nextElement() {
        return new java.io.ByteArrayInputStream(made++ < rows ? row : "x\n".getBytes(StandardCharsets.UTF_8));
      }
    });
    long[] last = {0, 0}; // rows, the last one's line
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> Csv.forEachRow(tall, Path.of("tall.csv"), ',', (values, line) -> {
          assertEquals(1 + last[0] * (breaks + 1), line, "line of row " + last[0]);
          last[0]++;
          last[1] = line;
        }));
    assertEquals(rows, last[0]);
    long lastLine = 1 + rows * (breaks + 1);
    assertTrue(lastLine > Integer.MAX_VALUE);
    assertTrue(e.getMessage().contains("tall.csv: line " + lastLine + ", column 1: 'x' is not a number"),
        e.getMessage());
  }
}
