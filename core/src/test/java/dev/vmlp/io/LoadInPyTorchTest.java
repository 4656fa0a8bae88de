package dev.vmlp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmlp.Activation;
import dev.vmlp.Architecture;
import dev.vmlp.Head;
import dev.vmlp.Model;
import dev.vmlp.Workspace;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A saved model loads into PyTorch as its format says: a {@code layers} ModuleList of {@code nn.Linear}
 * filled by {@code load_state_dict(strict=True)} from the file's tensors (load_in_pytorch.py beside the
 * fixtures), with the activations its metadata names, and computes the logits this library does. Runs
 * where python3 has torch; skipped elsewhere.
 */
class LoadInPyTorchTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  private static boolean hasTorch() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import torch").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  @Test
  void aSavedModelLoadsIntoALayersModuleListAndComputesItsLogits() throws Exception {
    assumeTrue(hasTorch(), "python3 with torch");
    Architecture arch = Architecture.builder(20).hidden(16, Activation.RELU).hidden(12, Activation.TANH)
        .hidden(8, Activation.LEAKY_RELU).output(5, Head.SOFTMAX_CROSS_ENTROPY);
    Model m = Model.initialize(arch, 9);
    Path file = tmp.resolve("model.safetensors");
    ModelFiles.save(m, file);
    Path script = TestResources.copy("load_in_pytorch.py", tmp);

    Random r = new Random(4);
    float[][] rows = new float[6][20];
    for (float[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        row[i] = (float) r.nextGaussian() * 3;
      }
    }
    Process p = new ProcessBuilder("python3", script.toString(), file.toString()).redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(JSON.writeValueAsBytes(rows));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("load_in_pytorch.py did not finish in 120 s");
    }
    assertEquals(0, p.exitValue(), out);
    JsonNode logits = JSON.readTree(out);
    assertEquals(rows.length, logits.size(), out);
    Workspace ws = m.newWorkspace();
    float[] z = new float[5];
    double largest = 0;
    for (int k = 0; k < rows.length; k++) {
      m.predictLogits(rows[k], 0, z, 0, ws);
      for (int c = 0; c < 5; c++) {
        double want = logits.get(k).get(c).asDouble();
        // float32 sums of up to 20 products in another order
        assertEquals(want, z[c], 1e-5 * Math.max(1, Math.abs(want)), "row " + k + " logit " + c);
        largest = Math.max(largest, Math.abs(want));
      }
    }
    assertTrue(largest > 0.1, "the logits are not all near zero: " + largest);
  }
}
