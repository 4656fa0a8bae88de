package dev.vmlp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmlp.Activation;
import dev.vmlp.Head;
import dev.vmlp.InputScaling;
import dev.vmlp.Model;
import dev.vmlp.Workspace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file written by PyTorch ({@code make_pytorch_fixture.py} beside the resources:
 * {@code nn.Sequential(Linear(64, 32), ReLU(), Linear(32, 10))}, keys renamed to
 * {@code layers.{i}.*}) loads with the activation given and predicts what PyTorch computed.
 */
class PyTorchFileTest {
  static final String FILE = "pytorch-64-32-10.safetensors";

  @TempDir
  Path tmp;

  @Test
  void loadsWithTheActivationGivenAndPredictsWhatPyTorchComputed() throws IOException {
    Model m = ModelFiles.load(TestResources.copy(FILE, tmp), LoadOptions.defaults().withActivation(Activation.RELU));
    assertEquals("64-32(relu)-10(softmax)", m.architecture().toString());
    assertEquals(InputScaling.none(), m.scaling());
    assertEquals(Map.of("format", "pt"), m.metadata());

    JsonNode expected = TestResources.json("pytorch-64-32-10-expected.json");
    JsonNode inputs = expected.path("inputs");
    assertEquals(8, inputs.size());
    Workspace ws = m.newWorkspace();
    float[] z = new float[10];
    float[] p = new float[10];
    double worstLogit = 0;
    double worstProbability = 0;
    for (int i = 0; i < inputs.size(); i++) {
      float[] x = TestResources.floats(inputs.get(i));
      float[] wantZ = TestResources.floats(expected.path("logits").get(i));
      float[] wantP = TestResources.floats(expected.path("probabilities").get(i));
      m.predictLogits(x, 0, z, 0, ws);
      m.predictProbabilities(x, 0, p, 0, ws);
      int best = 0;
      for (int k = 0; k < 10; k++) {
        // float32 sums of up to 64 products in another order: a few ulps of the logits' magnitude
        assertEquals(wantZ[k], z[k], 1e-5 * Math.max(1, Math.abs(wantZ[k])), "row " + i + " logit " + k);
        assertEquals(wantP[k], p[k], 1e-6, "row " + i + " probability " + k);
        worstLogit = Math.max(worstLogit, Math.abs(wantZ[k] - z[k]));
        worstProbability = Math.max(worstProbability, Math.abs(wantP[k] - p[k]));
        best = wantZ[k] > wantZ[best] ? k : best;
      }
      assertEquals(best, m.predict(x, 0, ws), "row " + i);
    }
    // Not bit-equal in general, but close: and not vacuously so (the model is not trivial).
    assertTrue(worstLogit < 1e-5 && worstProbability < 1e-6, worstLogit + " " + worstProbability);
  }

  @Test
  void withoutTheActivationItIsRefusedNamingWhatIsMissing() throws IOException {
    Path f = TestResources.copy(FILE, tmp);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(f));
    assertEquals("vmlp.activations", e.field());
    assertTrue(e.getMessage().contains("1 hidden layer") && e.getMessage().contains("--activation"), e.getMessage());
  }

  @Test
  void savedAgainItBecomesAFileOfThisLibraryWithTheSameWeights() throws IOException {
    Model m = ModelFiles.load(TestResources.copy(FILE, tmp), LoadOptions.defaults().withActivation(Activation.RELU)
        .withHead(Head.SOFTMAX_CROSS_ENTROPY));
    Path again = tmp.resolve("again.safetensors");
    ModelFiles.save(m, again);
    Model back = ModelFiles.load(again);
    assertEquals(m.architecture(), back.architecture());
    assertEquals(m.weightsSha256(), back.weightsSha256());
    assertEquals("pt", back.metadata().get("format"));
    assertEquals(m.weightsSha256(), back.metadata().get("weights_sha256"));
  }
}
