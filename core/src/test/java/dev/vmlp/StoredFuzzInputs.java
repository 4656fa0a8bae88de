package dev.vmlp;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Checks on the stored inputs that a fuzz test class replays in every build. */
public final class StoredFuzzInputs {
  private StoredFuzzInputs() {}

  /**
   * Jazzer replays the folder named after the class and the method, and a missing folder replays only
   * the empty input without a word: renaming either, or moving the files, must fail here instead. Each
   * {@link FuzzTest} method of {@code fuzzTests} must find at least {@code minimum} inputs there.
   */
  public static void assertWhereJazzerLooks(Class<?> fuzzTests, int minimum) throws IOException, URISyntaxException {
    for (Method m : fuzzTests.getDeclaredMethods()) {
      if (!m.isAnnotationPresent(FuzzTest.class)) {
        continue;
      }
      String folder = fuzzTests.getSimpleName() + "Inputs/" + m.getName();
      URL url = fuzzTests.getResource(folder);
      assertNotNull(url, () -> "no stored inputs for " + m.getName() + ": expected the resource folder " + folder);
      try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
        long n = files.filter(Files::isRegularFile).count();
        assertTrue(n >= minimum, () -> folder + " holds " + n + " inputs; the stored corpus has at least " + minimum);
      }
    }
  }
}
