package dev.vmlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jmh/scripts/c-train.sh on a few MNIST-format images, where gcc is installed: each of its three loops
 * trains every epoch over every image and learns (the same images twice give a lower loss the second
 * time), and a missing file is named.
 */
class CTrainScriptTest {
  static final Path SCRIPT = Path.of("..", "jmh", "scripts", "c-train.sh").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  private record Run(int exit, String out, String err) {}

  private Run run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("/bin/bash", SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("TMPDIR", Files.createDirectories(tmp.resolve("temp")).toString());
    Process p = pb.start();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread drain = Thread.ofVirtual().start(() -> {
      try {
        p.getErrorStream().transferTo(err);
      } catch (IOException e) {
        // the process ended
      }
    });
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("c-train.sh did not finish in 120 s");
    }
    drain.join();
    return new Run(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
  }

  /** 50 images of 28x28 pixels, each its label's row of pixels lit, the images gzipped. */
  private Path images() throws IOException {
    Random r = new Random(5);
    int n = 50;
    byte[] images = new byte[16 + n * 784];
    byte[] labels = new byte[8 + n];
    images[2] = 8;
    images[3] = 3;
    images[7] = (byte) n;
    images[11] = 28;
    images[15] = 28;
    labels[2] = 8;
    labels[3] = 1;
    labels[7] = (byte) n;
    for (int k = 0; k < n; k++) {
      int label = r.nextInt(10);
      labels[8 + k] = (byte) label;
      for (int c = 0; c < 28; c++) {
        images[16 + k * 784 + (2 * label + 4) * 28 + c] = (byte) (128 + r.nextInt(128));
      }
    }
    Path dir = Files.createDirectories(tmp.resolve("data"));
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("train-images-idx3-ubyte.gz")))) {
      out.write(images);
    }
    Files.write(dir.resolve("train-labels-idx1-ubyte"), labels);
    return dir;
  }

  @Test
  void eachLoopTrainsEveryEpochOverEveryImage() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "gcc");
    Run r = run(images().toString(), "16", "2");
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
    byte[] labels = Files.readAllBytes(dir.resolve("train-labels-idx1-ubyte"));
    labels[8 + 7] = 10;
    Files.write(dir.resolve("train-labels-idx1-ubyte"), labels);
    Run r = run(dir.toString(), "16", "1");
    assertEquals(1, r.exit(), r.err());
    assertEquals("c-train: label 7 is 10; the network has 10 classes", r.err().strip());
    assertEquals("", r.out());
  }

  @Test
  void aMissingFileIsNamed() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Run r = run(empty.toString());
    assertEquals(1, r.exit(), r.err());
    assertEquals("c-train.sh: no " + empty + "/train-images-idx3-ubyte (or .gz)", r.err().strip());
  }
}
