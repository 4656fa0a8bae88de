package dev.vmlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vmlp.EpochStats;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The epoch lines of {@code vmlp train} without a progress bar (standard output not a terminal). */
class EpochPrinterTest {
  @Test
  void eachEpochsLineIsWrittenOutAsTheEpochEnds() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    // no flush on println: the line reaches a pipe (tee, a log) only when the printer flushes it
    PrintStream out = new PrintStream(new BufferedOutputStream(bytes, 1 << 16), false, StandardCharsets.UTF_8);
    try (EpochPrinter printer = new EpochPrinter(out, 1, 3, 100, false, false)) {
      printer.progress(1, 50, 100);
      assertEquals("", bytes.toString(StandardCharsets.UTF_8), "no bar");
      printer.epochEnd(new EpochStats(1, 100, 0.5, 0.75, Double.NaN, Double.NaN, 0.5));
      assertEquals("epoch 1/3  loss 0.5000  train acc 75.00%  200 samples/s" + System.lineSeparator(),
          bytes.toString(StandardCharsets.UTF_8));
    }
  }
}
