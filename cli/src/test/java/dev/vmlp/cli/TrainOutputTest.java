package dev.vmlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmlp.Activation;
import dev.vmlp.Architecture;
import dev.vmlp.EpochStats;
import dev.vmlp.Head;
import dev.vmlp.Model;
import dev.vmlp.TrainingReport;
import dev.vmlp.metrics.Evaluation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The summary's speed says when it includes the JIT's warm-up: a single epoch, or a first epoch (which
 * the figure leaves out) shorter than the warm-up's samples.
 */
class TrainOutputTest {
  private static final Architecture ARCH = Architecture.builder(4).hidden(8, Activation.RELU)
      .output(3, Head.SOFTMAX_CROSS_ENTROPY);
  private static final String NOTE = "  (includes the JIT's warm-up, about the first 20,000 samples; steady speeds: "
      + "docs/benchmarks.md)";

  private static List<String> summary(long samplesPerEpoch, int epochs) {
    return summary(samplesPerEpoch, epochs, "data", null, null);
  }

  private static List<String> summary(long samplesPerEpoch, int epochs, String dataset, Path model, Path resumed) {
    return summary(samplesPerEpoch, epochs, dataset, model, resumed, null);
  }

  private static List<String> summary(
      long samplesPerEpoch, int epochs, String dataset, Path model, Path resumed, Evaluation test) {
    List<EpochStats> stats = new ArrayList<>();
    for (int e = 1; e <= epochs; e++) {
      stats.add(new EpochStats(e, samplesPerEpoch, 0.5, 0.8, Double.NaN, Double.NaN, 0.01 * e));
    }
    TrainingReport r = new TrainingReport(stats, Model.initialize(ARCH, 1), test, "scalar", false, 1);
    TrainOutput.Run run = new TrainOutput.Run(dataset, ARCH, "relu", epochs, 0.01, 42, 1, samplesPerEpoch, 0, 1.0,
        model, resumed, resumed == null ? 0 : 2, true);
    return TrainOutput.summary(run, r).lines().toList();
  }

  @Test
  void theSpeedSaysWhenItIncludesTheWarmUp() {
    // one epoch: the figure is that epoch's, warm-up and all
    List<String> one = summary(60_000, 1);
    assertEquals(NOTE, one.get(one.indexOf(one.stream().filter(l -> l.startsWith("speed ")).findFirst().get()) + 1));
    // a first epoch shorter than the warm-up: the later ones still warm up (the bundled digits, 1,437 a pass)
    assertTrue(summary(1_437, 10).contains(NOTE));
    assertTrue(summary(TrainOutput.WARM_UP - 1, 2).contains(NOTE));
    // a first epoch as long as the warm-up leaves it out of the figure
    assertFalse(summary(TrainOutput.WARM_UP, 2).contains(NOTE));
    assertFalse(summary(60_000, 3).contains(NOTE));
  }

  /** Names from the command line reach the terminal with their control characters escaped, as errors quote them. */
  @Test
  void namesInTheSummaryHaveTheirControlCharactersEscaped() {
    List<String> lines = summary(100, 1, "d\u001b[2Jata", Path.of("x\u001b[31mred.safetensors"), Path.of("old\u0007.st"));
    assertTrue(lines.getFirst().contains(" on d\\u001B[2Jata ("), lines.getFirst());
    assertTrue(lines.contains("continued old\\u0007.st after its 2 epochs: 3 in all"), lines.toString());
    assertEquals("saved the model to x\\u001B[31mred.safetensors", lines.getLast());
    assertTrue(lines.stream().noneMatch(l -> l.chars().anyMatch(Character::isISOControl)), lines.toString());
  }

  /** One sample is counted in the singular, in the training line and in the test line. */
  @Test
  void oneSampleIsCountedInTheSingular() {
    Evaluation one = Evaluation.accumulator(true, 3).addClassified(1, 2, 0.7).build();
    List<String> lines = summary(1, 1, "a.csv", null, null, one);
    assertTrue(lines.getFirst().startsWith("trained 4-8(relu)-3(softmax) on a.csv (1 sample) for 1 epoch in "),
        lines.getFirst());
    assertEquals("test accuracy 0.00%  (loss 0.7000, 1 sample)", lines.get(1));
    assertTrue(summary(2, 1).getFirst().contains(" (2 samples) "), summary(2, 1).toString());
  }
}
