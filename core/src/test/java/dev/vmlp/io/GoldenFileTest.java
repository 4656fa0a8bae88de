package dev.vmlp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmlp.InputScaling;
import dev.vmlp.Model;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model file written by the first format version (test resource {@code golden-v1.safetensors}, made
 * once by {@link MakeGoldenFile} and never to be regenerated) stays loadable by every later version,
 * with the same weights, architecture, scaling and provenance, and predicts what it predicted then.
 */
class GoldenFileTest {
  @TempDir
  Path tmp;

  @Test
  void theFirstFormatVersionStillLoadsAndPredictsTheSame() throws IOException {
    Model m = ModelFiles.load(TestResources.copy("golden-v1.safetensors", tmp));
    JsonNode expected = TestResources.json("golden-v1-expected.json");

    assertEquals(expected.path("architecture").asText(), m.architecture().toString());
    assertEquals("64-32(relu)-10(softmax)", m.architecture().toString());
    assertEquals(expected.path("weights_sha256").asText(), m.weightsSha256());
    assertEquals(InputScaling.divideBy(16), m.scaling());
    assertEquals("1", m.metadata().get("vmlp.format_version"));
    assertEquals("0.1.0-SNAPSHOT", m.metadata().get("vmlp.library_version"));
    assertEquals("5", m.metadata().get("seed"));
    assertEquals("3", m.metadata().get("epochs"));
    assertEquals("0.02", m.metadata().get("learning_rate"));
    assertEquals("1", m.metadata().get("threads"));

    JsonNode rows = expected.path("rows");
    assertEquals(MakeGoldenFile.ROWS, rows.size());
    float[] p = new float[10];
    for (int i = 0; i < rows.size(); i++) {
      JsonNode r = rows.get(i);
      float[] x = TestResources.floats(r.path("input"));
      assertEquals(r.path("class").asInt(), m.predict(x), "row " + i);
      m.predictProbabilities(x, p);
      float[] want = TestResources.floats(r.path("probabilities"));
      for (int k = 0; k < 10; k++) {
        // The file is the subject here, not the arithmetic: a later version may sum in another order.
        assertEquals(want[k], p[k], 1e-6f, "row " + i + " class " + k);
      }
    }
  }
}
