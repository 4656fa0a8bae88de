package dev.vmlp.io;


import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vmlp.Activation;
import dev.vmlp.StoredFuzzInputs;
import java.io.IOException;
import java.net.URISyntaxException;
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

  /** The stored inputs are where Jazzer looks for them (a missing folder would replay nothing). */
  @Test
  void theStoredInputsAreWhereJazzerLooks() throws IOException, URISyntaxException {
    StoredFuzzInputs.assertWhereJazzerLooks(getClass(), 100);
  }
}
