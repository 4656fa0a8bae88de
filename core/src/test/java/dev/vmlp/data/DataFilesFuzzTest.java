package dev.vmlp.data;


import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vmlp.StoredFuzzInputs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Arbitrary bytes given to the data readers (CSV and IDX, plain or gzip, whole or a row at a time) either
 * read or fail with a {@link DataFormatException} that names the input and whose message holds no control
 * character: any other exception, an out-of-memory error or a hang is a finding. Data files come from
 * anywhere (a download, a pipe), and their errors reach a terminal.
 *
 * <p>{@code mvn test} replays the stored inputs in
 * {@code src/test/resources/dev/vmlp/data/DataFilesFuzzTestInputs/<method>/}. To fuzz for new inputs, run
 * this class with {@code JAZZER_FUZZ=1}; findings land beside the stored inputs as {@code crash-*} files,
 * to be fixed and then kept there.
 */
class DataFilesFuzzTest {
  private static final Path NAME = Path.of("fuzzed.csv");
  private static Path scratch;

  @FuzzTest(maxDuration = "5m")
  void csvArbitraryBytes(byte[] bytes) {
    expectReadOrFormatError(() -> Csv.read(new ByteArrayInputStream(bytes), NAME, Csv.Options.defaults()));
    expectReadOrFormatError(() -> Csv.read(new ByteArrayInputStream(bytes), NAME,
        Csv.Options.defaults().withLabelColumn(-1).withSeparator(';')));
    expectReadOrFormatError(() -> Csv.read(new ByteArrayInputStream(bytes), NAME,
        Csv.Options.defaults().asRegression().withSeparator('\t')));
    expectReadOrFormatError(() -> Csv.forEachRow(new ByteArrayInputStream(bytes), NAME, ',',
        (values, line) -> checkLine(line)));
    expectReadOrFormatError(() -> Csv.forEachRow(new ByteArrayInputStream(bytes), NAME, ',', -1,
        (values, line) -> checkLine(line)));
  }

  @FuzzTest(maxDuration = "5m")
  void idxArbitraryBytes(byte[] bytes) throws IOException {
    Path file = scratchFile();
    Files.write(file, bytes);
    expectReadOrFormatError(() -> Idx.read(file, 1));
    expectReadOrFormatError(() -> Idx.read(file, 3));
    expectReadOrFormatError(() -> Idx.forEachImage(new ByteArrayInputStream(bytes), file,
        (dims, pixels, index) -> {
          if (pixels.length != dims[1] * dims[2] || index < 0 || index >= dims[0]) {
            throw new AssertionError("image " + index + " of " + dims[0] + " has " + pixels.length + " pixels");
          }
        }));
  }

  /** A file of bytes on disk for the readers that take a path; one per JVM, rewritten for each input. */
  private static synchronized Path scratchFile() throws IOException {
    if (scratch == null) {
      scratch = Files.createTempFile("vmlp-fuzz", ".idx");
    }
    return scratch;
  }

  @AfterAll
  static void deleteScratch() throws IOException {
    if (scratch != null) {
      Files.deleteIfExists(scratch);
    }
  }

  private static void checkLine(long line) {
    if (line < 1) {
      throw new AssertionError("a row's line must be 1-based, got " + line);
    }
  }

  @FunctionalInterface
  private interface Read {
    void run() throws IOException;
  }

  private static void expectReadOrFormatError(Read read) {
    try {
      read.run();
    } catch (DataFormatException expected) {
      if (expected.file() == null || expected.getMessage() == null) {
        throw new AssertionError("a format error must name the input and what is wrong", expected);
      }
      if (expected.getMessage().chars().anyMatch(Character::isISOControl)) {
        throw new AssertionError("a format error must escape the control characters it quotes", expected);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("only a DataFormatException may come from bytes in memory", e);
    }
  }

  /** The stored inputs are where Jazzer looks for them (a missing folder would replay nothing). */
  @Test
  void theStoredInputsAreWhereJazzerLooks() throws IOException, URISyntaxException {
    StoredFuzzInputs.assertWhereJazzerLooks(getClass(), 10);
  }
}
