package dev.vmlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmlp.internal.kernel.KernelProvider;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** {@code vmlp train} on the bundled digits. */
class TrainDigitsTest {

  @Test
  void jsonReportHasEveryFieldWithSaneValues() {
    CliRun run = CliRun.of("train", "--epochs", "2", "--json");
    JsonNode j = run.json();
    String why = run.describe();

    assertEquals("digits", j.path("dataset").asText(), why);
    assertEquals(List.of(64, 256, 10), ints(j.path("layers")), why);
    assertEquals("relu", j.path("activation").asText(), why);
    assertEquals("softmax", j.path("head").asText(), why);
    assertEquals(2, j.path("epochs").asInt(), why);
    assertEquals(0.01, j.path("lr").asDouble(), 1e-12, why);
    assertEquals(42, j.path("seed").asLong(), why);
    assertEquals(1, j.path("threads").asInt(), why + " (auto keeps 64-256-10 on one thread)");
    assertEquals("auto", j.path("threads_requested").asText(), why);
    assertTrue(j.path("kernels").isTextual() && !j.path("kernels").asText().isEmpty(), why);
    assertTrue(j.path("sparse_inputs").isBoolean(), why);
    assertEquals(1438, j.path("train_samples").asLong(), why);
    assertEquals(359, j.path("test_samples").asLong(), why);
    assertTrue(j.path("train_samples_per_sec").isNumber() && j.path("train_samples_per_sec").asDouble() > 0, why);
    assertTrue(j.path("test_accuracy").isNumber(), why);
    double acc = j.path("test_accuracy").asDouble();
    assertTrue(acc > 0.9 && acc <= 1.0, why);
    assertTrue(j.path("test_loss").isNumber() && j.path("test_loss").asDouble() > 0
        && j.path("test_loss").asDouble() < 1, why);
    assertTrue(j.path("seconds").isNumber() && j.path("seconds").asDouble() > 0, why);
    assertTrue(j.path("weights_sha256").asText().matches("[0-9a-f]{64}"), why);

    JsonNode epochs = j.path("epochs_detail");
    assertEquals(2, epochs.size(), why);
    for (int i = 0; i < 2; i++) {
      JsonNode e = epochs.get(i);
      assertEquals(i + 1, e.path("epoch").asInt(), why);
      assertEquals(1438, e.path("samples").asLong(), why);
      for (String f : List.of("train_loss", "train_accuracy", "test_loss", "test_accuracy", "train_seconds")) {
        assertTrue(e.path(f).isNumber(), () -> f + " missing\n" + why);
      }
    }
    // The report's test figures are those of the last epoch.
    assertEquals(epochs.get(1).path("test_accuracy").asDouble(), acc, why);
    assertTrue(epochs.get(1).path("train_loss").asDouble() < epochs.get(0).path("train_loss").asDouble(), why);

    // Standard output holds the JSON alone (a pipe to jq reads it); the epoch lines go to standard error.
    assertEquals(1, run.outLines().size(), why);
    List<String> lines = run.errLines().stream().filter(l -> l.startsWith("epoch ")).toList();
    assertEquals(2, lines.size(), why);
    assertTrue(lines.get(0).startsWith("epoch 1/2  loss "), why);
    assertTrue(lines.get(1).matches("epoch 2/2  loss \\d+\\.\\d{4}  train acc \\d+\\.\\d\\d%  test loss \\d+\\.\\d{4}"
        + "  test acc \\d+\\.\\d\\d%  [\\d,]+ samples/s"), why);
  }

  @Test
  void theJsonSaysWhichKernelsAndWhichInputPathRan() {
    String kernels = KernelProvider.get().name();
    assertTrue(kernels.matches("scalar|vector-(128|256|512)"), kernels);
    for (String inputs : List.of("sparse", "dense")) {
      CliRun run = CliRun.of("train", "--epochs", "1", "--hidden", "8", "--inputs", inputs, "--json");
      JsonNode j = run.json();
      assertEquals(kernels, j.path("kernels").asText(), run::describe);
      assertEquals(inputs.equals("sparse"), j.path("sparse_inputs").asBoolean(!inputs.equals("sparse")),
          run::describe);
      CliRun text = CliRun.of("train", "--epochs", "1", "--hidden", "8", "--inputs", inputs);
      assertTrue(text.out().contains("(kernels " + kernels + ", " + inputs + " inputs, 1 thread)"), text::describe);
    }
  }

  @Test
  void theJsonSecondsAreTheTrainingsOwnTime() {
    // at least its epochs' training time, at most the whole run's
    long t0 = System.nanoTime();
    JsonNode j = CliRun.of("train", "--epochs", "2", "--hidden", "8", "--json").json();
    double wall = (System.nanoTime() - t0) * 1e-9;
    double epochs = 0;
    for (JsonNode e : j.path("epochs_detail")) {
      epochs += e.path("train_seconds").asDouble();
    }
    double seconds = j.path("seconds").asDouble();
    assertTrue(epochs > 0 && seconds >= epochs && seconds <= wall,
        () -> "seconds " + seconds + ", epochs " + j.path("epochs_detail") + ", run " + wall + " s");
  }

  @Test
  void sameSeedSameWeightsOtherSeedOtherWeights() {
    String a = sha("--seed", "7");
    String b = sha("--seed", "7");
    String c = sha("--seed", "8");
    assertEquals(a, b);
    assertNotEquals(a, c);
  }

  @Test
  void threadCountsGiveTheSameWeights() {
    JsonNode one = CliRun.of("train", "--epochs", "1", "--threads", "1", "--json").json();
    JsonNode three = CliRun.of("train", "--epochs", "1", "--threads", "3", "--json").json();
    assertEquals(3, three.path("threads").asInt());
    assertEquals("3", three.path("threads_requested").asText());
    assertEquals(one.path("weights_sha256").asText(), three.path("weights_sha256").asText());
    // 256 units are 4 chunks: more threads than that run as 4, and the summary says so
    CliRun many = CliRun.of("train", "--epochs", "1", "--threads", "9");
    assertEquals(0, many.exit(), many::describe);
    assertTrue(many.out().contains("4 threads of the 9 asked for, the most this network can use"), many::describe);
  }

  @Test
  void humanOutputEndsWithASummary() {
    CliRun run = CliRun.of("train", "--epochs", "2", "--hidden", "32,16", "--activation", "tanh", "--lr", "0.05");
    assertEquals(0, run.exit(), run::describe);
    List<String> lines = run.outLines();
    assertEquals(2, lines.stream().filter(l -> l.startsWith("epoch ")).count(), run::describe);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("trained 64-32(tanh)-16(tanh)-10(softmax) on digits")),
        run::describe);
    assertTrue(lines.stream().anyMatch(l -> l.matches("test accuracy \\d+\\.\\d\\d%.*")), run::describe);
    assertTrue(lines.stream().anyMatch(l -> l.matches("speed [\\d,]+ samples/s  \\(kernels .+")), run::describe);
    assertTrue(lines.get(lines.size() - 1).matches("weights sha256 [0-9a-f]{64}"), run::describe);
    assertTrue(run.errLines().stream().allMatch(l -> l.startsWith("vmlp: ") || l.startsWith("vmlp kernels: ")),
        run::describe);
  }

  @Test
  void hiddenZeroTrainsWithoutAHiddenLayer() {
    JsonNode o = CliRun.of("train", "--epochs", "3", "--hidden", "0", "--json").json();
    assertEquals("[64,10]", o.path("layers").toString());
    assertEquals(650, o.path("parameters").asInt()); // 64 x 10 weights and 10 biases
    assertTrue(o.path("activation").isNull(), o::toString); // no hidden layer has one
    // a linear model on the digits still learns: far above the 10% of chance
    assertTrue(o.path("test_accuracy").asDouble() > 0.8, o::toString);
    CliRun human = CliRun.of("train", "--epochs", "1", "--hidden", "0");
    assertEquals(0, human.exit(), human::describe);
    assertTrue(human.outLines().stream().anyMatch(l -> l.matches("trained 64-10\\(softmax\\) on digits \\(1,438 samples\\) "
        + "for 1 epoch in \\d+\\.\\d\\d s")), human::describe);
  }

  @Test
  void anActivationForNoHiddenLayerIsRefused() {
    // it was dropped without a word: the run trained 64-10(softmax), as without it
    CliRun.of("train", "--epochs", "1", "--hidden", "0", "--activation", "tanh")
        .assertError(2, "vmlp: error: --activation is for hidden layers, and --hidden 0 makes none");
    // the default is not an option given
    assertEquals(0, CliRun.of("train", "--epochs", "1", "--hidden", "0", "--json").exit());
  }

  @Test
  void theFiguresAgreeAcrossTheJsonTheEpochLinesAndTheSummary() {
    // no --epochs: the default of 10
    CliRun run = CliRun.of("train", "--hidden", "8", "--threads", "1", "--json");
    JsonNode j = run.json();
    String why = run.describe();
    assertEquals(10, j.path("epochs").asInt(), why);
    JsonNode epochs = j.path("epochs_detail");
    assertEquals(10, epochs.size(), why);

    // each epoch line on standard error says what its entry in epochs_detail says
    List<String> lines = run.errLines().stream().filter(l -> l.startsWith("epoch ")).toList();
    assertEquals(10, lines.size(), why);
    long samples = 0;
    double seconds = 0;
    for (int i = 0; i < 10; i++) {
      JsonNode e = epochs.get(i);
      assertEquals(String.format(Locale.ROOT, "epoch %d/10  loss %.4f  train acc %.2f%%  test loss %.4f  test acc "
          + "%.2f%%  %,d samples/s", i + 1, e.path("train_loss").asDouble(), 100 * e.path("train_accuracy").asDouble(),
          e.path("test_loss").asDouble(), 100 * e.path("test_accuracy").asDouble(),
          Math.round(e.path("samples_per_sec").asDouble())), lines.get(i), why);
      assertEquals(e.path("samples").asDouble() / e.path("train_seconds").asDouble(),
          e.path("samples_per_sec").asDouble(), 1e-9 * e.path("samples_per_sec").asDouble(), why);
      if (i > 0) { // the first epoch, with the JIT's warm-up, is left out of the run's speed
        samples += e.path("samples").asLong();
        seconds += e.path("train_seconds").asDouble();
      }
    }
    assertEquals(samples / seconds, j.path("train_samples_per_sec").asDouble(), 1e-9 * samples / seconds, why);
    assertEquals(epochs.get(9).path("test_loss").asDouble(), j.path("test_loss").asDouble(), why);

    // the same run for people (same seed, same weights): its summary gives the same test figures
    CliRun human = CliRun.of("train", "--hidden", "8", "--threads", "1");
    assertEquals(0, human.exit(), human::describe);
    List<String> out = human.outLines();
    assertEquals(j.path("weights_sha256").asText(), out.get(out.size() - 1).substring("weights sha256 ".length()),
        human::describe);
    assertTrue(out.contains(String.format(Locale.ROOT, "test accuracy %.2f%%  (loss %.4f, 359 samples)",
        100 * j.path("test_accuracy").asDouble(), j.path("test_loss").asDouble())), human::describe);
    // one thread asked for and used: nothing is said of a cap
    assertTrue(out.stream().anyMatch(l -> l.startsWith("speed ") && l.endsWith(" inputs, 1 thread)")), human::describe);
  }

  @Test
  void aSpeedThatWasNotMeasuredIsADash() {
    // an epoch with no time measured has no throughput (NaN): a dash, not "0 samples/s"
    assertEquals("- samples/s", TrainOutput.rate(Double.NaN));
    assertEquals("1,235 samples/s", TrainOutput.rate(1234.5));
  }

  private static String sha(String... extra) {
    String[] args = new String[5 + extra.length];
    System.arraycopy(new String[] {"train", "--epochs", "1", "--json", "--hidden=32"}, 0, args, 0, 5);
    System.arraycopy(extra, 0, args, 5, extra.length);
    CliRun run = CliRun.of(args);
    String sha = run.json().path("weights_sha256").asText();
    assertTrue(sha.matches("[0-9a-f]{64}"), run::describe);
    return sha;
  }

  static List<Integer> ints(JsonNode array) {
    assertTrue(array.isArray(), "not an array: " + array);
    return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asInt).toList();
  }
}
