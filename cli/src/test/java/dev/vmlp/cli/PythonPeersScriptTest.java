package dev.vmlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jmh/scripts/python-peers.py on a few MNIST-format images, where python3 has numpy (skipped elsewhere):
 * each peer prints one JSON line with its measurement, or says that its module is missing.
 */
class PythonPeersScriptTest {
  static final Path SCRIPT = Path.of("..", "jmh", "scripts", "python-peers.py").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  private static ScriptRun run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("python3", SCRIPT.toString()));
    command.addAll(List.of(args));
    return ScriptRun.of(command, Map.of("OPENBLAS_NUM_THREADS", "1"));
  }

  private static boolean hasNumpy() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** 40 training images (gzipped) in MNIST format. */
  private Path mnistLike() throws IOException {
    return MnistFiles.write(tmp.resolve("data"), 40, 10, 3);
  }

  @Test
  void eachPeerPrintsItsMeasurementOrThatItIsMissing() throws Exception {
    assumeTrue(hasNumpy(), "python3 with numpy");
    ScriptRun r = run(mnistLike().toString(), "--hidden", "8", "--samples", "30", "--warmup", "5", "--peers", "numpy,pytorch");
    assertEquals(0, r.exit(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(2, lines.size(), r.out());
    JsonNode numpy = JSON.readTree(lines.get(0));
    assertEquals("numpy", numpy.path("peer").asText());
    assertEquals("1", numpy.path("threads").asText());
    assertEquals(8, numpy.path("hidden").asInt());
    assertEquals(30, numpy.path("samples").asInt());
    assertTrue(numpy.path("seconds").asDouble() > 0, lines.get(0));
    assertEquals(30 / numpy.path("seconds").asDouble(), numpy.path("samples_per_sec").asDouble(), 1e-6 * 30
        / numpy.path("seconds").asDouble());
    // ten classes, weights drawn small: the first steps' log loss is near log 10 = 2.3
    double loss = numpy.path("mean_loss").asDouble();
    assertTrue(loss > 1.5 && loss < 3.5, lines.get(0));
    JsonNode torch = JSON.readTree(lines.get(1));
    assertEquals("pytorch", torch.path("peer").asText());
    if (torch.has("missing")) {
      assertTrue(torch.path("missing").asText().contains("torch"), lines.get(1));
    } else {
      assertEquals(1, torch.path("threads").asInt(), lines.get(1));
      assertEquals(30, torch.path("samples").asInt());
      double torchLoss = torch.path("mean_loss").asDouble();
      assertTrue(torchLoss > 1.5 && torchLoss < 3.5, lines.get(1));
    }
  }

  @Test
  void anUnknownPeerOrAMissingFolderIsNamed() throws Exception {
    assumeTrue(hasNumpy(), "python3 with numpy");
    ScriptRun unknown = run(mnistLike().toString(), "--peers", "tensorflow");
    assertEquals(1, unknown.exit(), unknown.err());
    assertEquals("python-peers.py: unknown peer 'tensorflow' (pytorch, numpy)", unknown.err().strip());
    Path none = Files.createDirectories(tmp.resolve("none"));
    MnistFiles.writeIdx(none.resolve("train-images-idx3-ubyte"), false, new int[] {0, 28, 28}, new byte[0]);
    MnistFiles.writeIdx(none.resolve("train-labels-idx1-ubyte"), false, new int[] {0}, new byte[0]);
    ScriptRun noImages = run(none.toString());
    assertEquals(1, noImages.exit(), noImages.err());
    assertEquals("python-peers.py: " + none + " holds 0 images and 0 labels of 0-9; the peers need at least one of "
        + "each, as many of both", noImages.err().strip());
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    ScriptRun missing = run(empty.toString());
    assertEquals(1, missing.exit(), missing.err());
    assertEquals("python-peers.py: no " + empty.resolve("train-images-idx3-ubyte") + " (or .gz)", missing.err().strip());
  }
}
