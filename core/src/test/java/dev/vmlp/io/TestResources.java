package dev.vmlp.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test resources of this package, read from the class path (a folder or the test jar). */
final class TestResources {
  private TestResources() {}

  static byte[] bytes(String name) {
    try (InputStream in = TestResources.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("test resource " + name + " is missing");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies a resource into {@code dir}, so that it loads through {@link ModelFiles#load(Path)}. */
  static Path copy(String name, Path dir) throws IOException {
    return Files.write(dir.resolve(name), bytes(name));
  }

  static JsonNode json(String name) {
    try {
      return SafetensorsBytes.JSON.readTree(bytes(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static float[] floats(JsonNode array) {
    float[] v = new float[array.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) array.get(i).asDouble();
    }
    return v;
  }
}
