package dev.vmlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The throughput a training report gives: the epochs after the first, or the only one. */
class TrainingReportTest {
  private static EpochStats epoch(int n, long samples, double seconds) {
    return new EpochStats(n, samples, 0.5, 0.9, 0.4, 0.9, seconds);
  }

  private static TrainingReport report(EpochStats... epochs) {
    return new TrainingReport(List.of(epochs), null, null, "scalar", false, 1);
  }

  @Test
  void samplesPerSecondLeavesOutTheFirstEpochOnly() {
    // every epoch at another speed, so that leaving out another one (or none) gives another figure
    assertEquals((600 + 300) / (2.0 + 3.0),
        report(epoch(1, 100, 10), epoch(2, 600, 2), epoch(3, 300, 3)).samplesPerSecond());
    assertEquals(600 / 2.0, report(epoch(1, 100, 10), epoch(2, 600, 2)).samplesPerSecond());
    assertEquals(100 / 10.0, report(epoch(1, 100, 10)).samplesPerSecond(), "the only epoch counts");
    assertEquals(50.0, epoch(1, 100, 2).samplesPerSecond());
    assertTrue(Double.isNaN(epoch(1, 100, 0).samplesPerSecond()), "an epoch with no time measured");
    assertTrue(Double.isNaN(report(epoch(1, 100, 10), epoch(2, 600, 0)).samplesPerSecond()), "no time measured");
    assertTrue(Double.isNaN(report().samplesPerSecond()));
  }

  @Test
  void nullEpochStatisticsAreNamed() {
    // List.copyOf's NPEs named "coll" for a null list, and nothing for a null element
    assertEquals("epochs", assertThrows(NullPointerException.class,
        () -> new TrainingReport(null, null, null, "scalar", false, 1)).getMessage());
    assertEquals("epoch statistics 1 is null", assertThrows(NullPointerException.class,
        () -> new TrainingReport(Arrays.asList(epoch(1, 100, 10), null), null, null, "scalar", false, 1))
        .getMessage());
  }
}
