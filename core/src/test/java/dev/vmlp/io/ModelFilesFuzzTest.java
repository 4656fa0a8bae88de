package dev.vmlp.io;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vmlp.Activation;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Arbitrary bytes given to the loader either load or fail with a {@link ModelFormatException} whose
 * message holds no control character: any other exception, an out-of-memory error or a hang is a finding.
 *
 * <p>{@code mvn test} replays the stored inputs in
 * {@code src/test/resources/dev/vmlp/io/ModelFilesFuzzTestInputs/loadArbitraryBytes/}: the files of
 * {@link ModelFileRejectionTest} (written there by running it with
 * {@code -Dvmlp.fuzzSeeds=core/src/test/resources/dev/vmlp/io/ModelFilesFuzzTestInputs/loadArbitraryBytes})
 * and valid files. To fuzz for new inputs, run this class with {@code JAZZER_FUZZ=1}; findings land
 * beside the stored inputs as {@code crash-*} files, to be fixed and then kept there.
 */
class ModelFilesFuzzTest {
  private static final LoadOptions DEFAULTS = LoadOptions.defaults();
  /** Gets files without metadata past the activation check, and keeps NaN weights. */
  private static final LoadOptions LENIENT = LoadOptions.defaults().withActivation(Activation.RELU)
      .withAllowNonFinite(true);

  @FuzzTest(maxDuration = "5m")
  void loadArbitraryBytes(byte[] bytes) {
    for (LoadOptions options : new LoadOptions[] {DEFAULTS, LENIENT}) {
      try {
        ModelFiles.read(bytes, null, options);
      } catch (ModelFormatException expected) {
        if (expected.field() == null || expected.getMessage() == null) {
          throw new AssertionError("a format error must name what is wrong", expected);
        }
        if (expected.getMessage().chars().anyMatch(Character::isISOControl)) {
          throw new AssertionError("a format error must escape the control characters it quotes", expected);
        }
      }
    }
  }

  /**
   * Jazzer replays the folder named after the class and the method, and a missing folder replays only
   * the empty input without a word: renaming either, or moving the files, must fail here instead.
   */
  @Test
  void theStoredInputsAreWhereJazzerLooks() throws IOException, URISyntaxException {
    for (Method m : ModelFilesFuzzTest.class.getDeclaredMethods()) {
      if (!m.isAnnotationPresent(FuzzTest.class)) {
        continue;
      }
      String folder = getClass().getSimpleName() + "Inputs/" + m.getName();
      URL url = getClass().getResource(folder);
      assertNotNull(url, () -> "no stored inputs for " + m.getName() + ": expected the resource folder " + folder);
      try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
        long n = files.filter(Files::isRegularFile).count();
        assertTrue(n >= 100, () -> folder + " holds " + n + " inputs; the stored corpus has over 100");
      }
    }
  }
}
