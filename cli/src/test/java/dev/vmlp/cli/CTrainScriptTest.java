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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jmh/scripts/c-train.sh on a few MNIST-format images, where gcc is installed: each of its three loops
 * trains every epoch over every image and learns (the same images twice give a lower loss the second
 * time), and a bad label or a missing file is named.
 */
class CTrainScriptTest {
  static final Path SCRIPT = Path.of("..", "jmh", "scripts", "c-train.sh").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  private ScriptRun run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("/bin/bash", SCRIPT.toString()));
    command.addAll(List.of(args));
    return ScriptRun.of(command, Map.of("TMPDIR", Files.createDirectories(tmp.resolve("temp")).toString()));
  }

  /** 50 training images (gzipped) in MNIST format, each class a bright block at its own place. */
  private Path images() throws IOException {
    return MnistFiles.write(tmp.resolve("data"), 50, 10, 5);
  }

  @Test
  void eachLoopTrainsEveryEpochOverEveryImage() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "gcc");
    ScriptRun r = run(images().toString(), "16", "2");
    assertEquals(0, r.exit(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(6, lines.size(), r.out());
    String[] loops = {"axpy", "dot", "dot, -ffast-math"};
    for (int l = 0; l < 3; l++) {
      JsonNode first = JSON.readTree(lines.get(2 * l));
      JsonNode second = JSON.readTree(lines.get(2 * l + 1));
      assertEquals(loops[l], first.path("loop").asText());
      assertEquals(loops[l], second.path("loop").asText());
      assertEquals(1, first.path("epoch").asInt());
      assertEquals(2, second.path("epoch").asInt());
      assertEquals(16, first.path("hidden").asInt());
      assertEquals(50, first.path("samples").asInt());
      // seconds printed to 4 decimals: the rate's time within half of the last one
      assertTrue(first.path("samples_per_sec").asDouble() > 0, lines.get(2 * l));
      assertEquals(first.path("seconds").asDouble(), 50 / first.path("samples_per_sec").asDouble(), 0.00006);
      // ten classes at first (log 10 = 2.3), and lower on the second pass over the same images
      double loss1 = first.path("mean_loss").asDouble();
      double loss2 = second.path("mean_loss").asDouble();
      assertTrue(loss1 > 1.5 && loss1 < 3.5 && loss2 < loss1, lines.get(2 * l) + "\n" + lines.get(2 * l + 1));
    }
    try (var left = Files.list(tmp.resolve("temp"))) {
      assertEquals(List.of(), left.toList(), "its mktemp folder was left behind");
    }
  }

  @Test
  void aLabelOutsideTheTenClassesIsNamed() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "gcc");
    Path dir = images();
    byte[] labels = new byte[50];
    labels[7] = 10;
    MnistFiles.writeIdx(dir.resolve("train-labels-idx1-ubyte"), false, new int[] {50}, labels);
    ScriptRun r = run(dir.toString(), "16", "1");
    assertEquals(1, r.exit(), r.err());
    assertEquals("c-train: label 7 is 10; the network has 10 classes", r.err().strip());
    assertEquals("", r.out());
  }

  @Test
  void aMissingFileIsNamed() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    ScriptRun r = run(empty.toString());
    assertEquals(1, r.exit(), r.err());
    assertEquals("c-train.sh: no " + empty + "/train-images-idx3-ubyte (or .gz)", r.err().strip());
  }
}
