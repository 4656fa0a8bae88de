package dev.vmlp.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Accuracy, loss and the confusion matrix against counts made by hand, dense and sparse alike. */
class EvaluationTest {
  /** Adds {@code n} random (truth, predicted) pairs to an accumulator of {@code classes} and to a plain table. */
  private static Evaluation random(int classes, int n, long seed, long[][] table, double[] lossSum) {
    Random r = new Random(seed);
    Evaluation.Accumulator acc = Evaluation.accumulator(true, classes);
    for (int i = 0; i < n; i++) {
      int t = r.nextInt(Math.min(classes, 12)) * (classes / 12 + 1) % classes; // a few classes, spread out
      int p = r.nextBoolean() ? t : r.nextInt(Math.min(classes, 12)) * (classes / 12 + 1) % classes;
      double loss = r.nextDouble();
      acc.addClassified(t, p, loss);
      lossSum[0] += loss;
      if (table != null) {
        table[t][p]++;
      }
    }
    return acc.build();
  }

  @Test
  void denseCountsAccuracyAndLossMatchAHandCount() {
    long[][] table = new long[10][10];
    double[] loss = {0};
    Evaluation e = random(10, 5000, 1, table, loss);
    ConfusionMatrix c = e.confusion();
    assertArrayEquals(table, c.toArray());
    long correct = 0;
    for (int i = 0; i < 10; i++) {
      correct += table[i][i];
    }
    assertEquals(correct, c.correct());
    assertEquals(5000, c.total());
    assertEquals((double) correct / 5000, e.accuracy());
    assertEquals(loss[0] / 5000, e.meanLoss(), 1e-12);
    long row3 = 0;
    long col3 = 0;
    for (int i = 0; i < 10; i++) {
      row3 += table[3][i];
      col3 += table[i][3];
    }
    assertEquals((double) table[3][3] / row3, c.recall(3));
    assertEquals((double) table[3][3] / col3, c.precision(3));
    assertTrue(c.format().startsWith("      predicted\n true "), c.format());
  }

  @Test
  void manyClassesKeepOnlyThePairsThatOccur() {
    // 60,000 classes: a dense table would be 28.8 GB of counts
    int classes = 60_000;
    double[] loss = {0};
    Evaluation e = random(classes, 20_000, 2, null, loss);
    ConfusionMatrix c = e.confusion();
    assertEquals(20_000, c.total());
    assertEquals(Math.round(e.accuracy() * 20_000), c.correct());
    List<long[]> entries = c.entries();
    assertTrue(entries.size() <= 144, "at most 12 x 12 pairs occur");
    long sum = 0;
    for (long[] entry : entries) {
      assertEquals(entry[2], c.count((int) entry[0], (int) entry[1]));
      sum += entry[2];
    }
    assertEquals(20_000, sum);
    assertEquals(0, c.count(classes - 1, 0));
    assertThrows(IllegalStateException.class, c::toArray);
    assertThrows(IndexOutOfBoundsException.class, () -> c.count(classes, 0));
    assertTrue(c.format().startsWith("60000 classes, too many for a table"), c.format());
    assertEquals(c, random(classes, 20_000, 2, null, new double[1]).confusion(), "the same pairs, the same matrix");
  }

  @Test
  void sparseAndDenseAgreeWhereBothApply() {
    // the same samples counted by a dense matrix (1,024 classes) and a sparse one (1,025)
    for (int classes : new int[] {ConfusionMatrix.DENSE_MAX, ConfusionMatrix.DENSE_MAX + 1}) {
      Evaluation.Accumulator acc = Evaluation.accumulator(true, classes);
      acc.addClassified(0, 0, 0.1).addClassified(5, 7, 0.2).addClassified(5, 7, 0.3).addClassified(1000, 5, 0.4);
      ConfusionMatrix c = acc.build().confusion();
      assertEquals(List.of("0 0 1", "5 7 2", "1000 5 1"),
          c.entries().stream().map(x -> x[0] + " " + x[1] + " " + x[2]).toList());
      assertEquals(1.0, c.recall(0));
      assertEquals(0.0, c.recall(5));
      assertEquals(0.0, c.precision(7));
      assertTrue(Double.isNaN(c.recall(3)));
    }
  }

  @Test
  void theTableLabelsRowsAndColumnsWithTheirClasses() {
    Evaluation.Accumulator acc = Evaluation.accumulator(true, 3);
    acc.addClassified(0, 0, 0).addClassified(2, 1, 0).addClassified(2, 1, 0).addClassified(1, 2, 0);
    assertEquals("""
              predicted
         true  0 1 2
            0  1 0 0
            1  0 0 1
            2  0 2 0
        """, acc.build().confusion().format());
  }

  @Test
  void manyClassesListTheMostFrequentConfusionsFirst() {
    Evaluation.Accumulator acc = Evaluation.accumulator(true, 40);
    acc.addClassified(1, 2, 0).addClassified(5, 6, 0).addClassified(5, 6, 0).addClassified(5, 6, 0)
        .addClassified(7, 8, 0).addClassified(7, 8, 0).addClassified(3, 3, 0);
    assertEquals("""
        40 classes, too many for a table; the most frequent confusions (true -> predicted: samples):
          5 -> 6: 3
          7 -> 8: 2
          1 -> 2: 1
        """, acc.build().confusion().format());
  }

  @Test
  void anUnansweredSampleIsAWrongAnswerInNoCell() {
    Evaluation e = Evaluation.accumulator(true, 3).addClassified(1, 1, 0.5).addUnanswered(2, 1.5).build();
    assertEquals(2, e.samples());
    assertEquals(0.5, e.accuracy());
    assertEquals(1.0, e.meanLoss());
    assertEquals(1, e.confusion().total());
    assertEquals(List.of("1 1 1"), e.confusion().entries().stream().map(x -> x[0] + " " + x[1] + " " + x[2]).toList());
  }

  @Test
  void aMatrixOfExactlyDenseMaxClassesIsStillATable() {
    ConfusionMatrix c = Evaluation.accumulator(true, ConfusionMatrix.DENSE_MAX).addClassified(1023, 2, 0).build().confusion();
    long[][] table = c.toArray();
    assertEquals(ConfusionMatrix.DENSE_MAX, table.length);
    assertEquals(1, table[1023][2]);
  }

  @Test
  void sparseEntriesComeByTrueThenPredictedClass() {
    // keys 2000 and 1 of a hash map of 16 buckets iterate as (1, 0) before (0, 1)
    ConfusionMatrix c = Evaluation.accumulator(true, 2000).addClassified(1, 0, 0).addClassified(0, 1, 0)
        .addClassified(1999, 1998, 0).addClassified(0, 1, 0).build().confusion();
    assertEquals(List.of("0 1 2", "1 0 1", "1999 1998 1"),
        c.entries().stream().map(x -> x[0] + " " + x[1] + " " + x[2]).toList());
  }

  @Test
  void countRefusesEitherClassOutOfRange() {
    ConfusionMatrix c = Evaluation.accumulator(true, 3).addClassified(1, 0, 0).build().confusion();
    // a predicted class of 3 would otherwise read the next row's first cell, count(1, 0)
    assertThrows(IndexOutOfBoundsException.class, () -> c.count(0, 3));
    assertThrows(IndexOutOfBoundsException.class, () -> c.count(0, -1));
    assertThrows(IndexOutOfBoundsException.class, () -> c.count(-1, 0));
  }

  @Test
  void precisionOfAClassNeverPredictedIsNaN() {
    ConfusionMatrix c = Evaluation.accumulator(true, 3).addClassified(2, 0, 0).build().confusion();
    assertTrue(Double.isNaN(c.precision(2)));
    assertEquals(0.0, c.recall(2));
    assertEquals(0.0, c.precision(0));
  }

  /** Matrices with the same counts but different class counts differ (a mutant comparing counts alone passed before). */
  @Test
  void matricesOfDifferentClassCountsDifferWhateverTheirCounts() {
    ConfusionMatrix three = Evaluation.accumulator(true, 3).addClassified(0, 1, 0).build().confusion();
    ConfusionMatrix four = Evaluation.accumulator(true, 4).addClassified(0, 1, 0).build().confusion();
    assertNotEquals(three, four);
    assertNotEquals(four, three);
    assertEquals(three, Evaluation.accumulator(true, 3).addClassified(0, 1, 0).build().confusion());
  }

  @Test
  void anEvaluationKeepsItsCountsWhenTheAccumulatorGoesOn() {
    Evaluation.Accumulator acc = Evaluation.accumulator(true, 3).addClassified(0, 0, 0);
    Evaluation first = acc.build();
    acc.addClassified(0, 0, 0).addClassified(1, 2, 0);
    assertEquals(1, first.confusion().total());
    assertEquals(1, first.confusion().count(0, 0));
    assertEquals(0, first.confusion().count(1, 2));
  }

  @Test
  void anUnansweredSampleIsRefusedOutOfRangeOrForARegressor() {
    assertThrows(IllegalArgumentException.class, () -> Evaluation.accumulator(true, 3).addUnanswered(3, 0));
    assertThrows(IllegalArgumentException.class, () -> Evaluation.accumulator(true, 3).addUnanswered(-1, 0));
    assertThrows(IllegalStateException.class, () -> Evaluation.accumulator(false, 1).addUnanswered(0, 0));
    // the first and the last class are in range
    Evaluation e = Evaluation.accumulator(true, 3).addUnanswered(0, 1).addUnanswered(2, 3).build();
    assertEquals(2, e.samples());
    assertEquals(2.0, e.meanLoss());
  }

  @Test
  void manyClassesListTwentyConfusionsAndBreakTiesByTrueThenPredictedClass() {
    Evaluation.Accumulator acc = Evaluation.accumulator(true, 40);
    for (int t = 1; t <= 25; t++) {
      for (int k = 0; k < t; k++) {
        acc.addClassified(t, 0, 0); // t samples of t -> 0
      }
    }
    acc.addClassified(30, 4, 0).addClassified(30, 3, 0).addClassified(29, 5, 0); // three ties of 1 (not shown)
    String[] lines = acc.build().confusion().format().split("\n");
    assertEquals(21, lines.length, String.join("\n", lines));
    assertEquals("  25 -> 0: 25", lines[1]);
    assertEquals("  6 -> 0: 6", lines[20]);

    Evaluation.Accumulator ties = Evaluation.accumulator(true, 40);
    ties.addClassified(9, 1, 0).addClassified(2, 3, 0).addClassified(2, 1, 0).addClassified(9, 0, 0);
    assertEquals("""
        40 classes, too many for a table; the most frequent confusions (true -> predicted: samples):
          2 -> 1: 1
          2 -> 3: 1
          9 -> 0: 1
          9 -> 1: 1
        """, ties.build().confusion().format());
  }

  /**
   * A class at or past {@code classes} is refused before it is counted: a predicted class of 3 of 3
   * would otherwise land in the next row's first cell of the dense table, as if it were (truth + 1, 0).
   */
  @Test
  void aClassOutOfRangeIsRefusedAndNotCounted() {
    Evaluation.Accumulator acc = Evaluation.accumulator(true, 3);
    for (int[] pair : new int[][] {{0, 3}, {3, 0}, {2, 3}, {-1, 0}, {0, -1}}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> acc.addClassified(pair[0], pair[1], 1.0));
      assertEquals("class out of range [0, 3): truth " + pair[0] + ", predicted " + pair[1], e.getMessage());
    }
    acc.addClassified(2, 2, 0.5);
    Evaluation e = acc.build();
    assertEquals(1, e.samples());
    assertEquals(1.0, e.accuracy());
    assertEquals(0.5, e.meanLoss());
    assertEquals(List.of("2 2 1"), e.confusion().entries().stream().map(x -> x[0] + " " + x[1] + " " + x[2]).toList());
    assertThrows(IllegalArgumentException.class, () -> Evaluation.accumulator(true, 0));
  }

  /** A loss that is NaN or negative is refused by each kind of sample and counts nothing; +∞ is taken. */
  @Test
  void aLossThatIsNaNOrNegativeIsRefusedAndNotCounted() {
    Evaluation.Accumulator acc = Evaluation.accumulator(true, 3);
    Evaluation.Accumulator reg = Evaluation.accumulator(false, 1);
    for (double bad : new double[] {Double.NaN, -1e-300, -0.5, Double.NEGATIVE_INFINITY}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> acc.addClassified(1, 1, bad));
      assertEquals("loss must be 0 or more (+Infinity allowed), got " + bad, e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> acc.addUnanswered(1, bad));
      assertThrows(IllegalArgumentException.class, () -> reg.addRegressed(bad));
    }
    Evaluation e = acc.addClassified(1, 1, -0.0).addUnanswered(2, Double.POSITIVE_INFINITY).build();
    assertEquals(2, e.samples());
    assertEquals(0.5, e.accuracy());
    assertEquals(Double.POSITIVE_INFINITY, e.meanLoss());
    assertEquals(List.of("1 1 1"), e.confusion().entries().stream().map(x -> x[0] + " " + x[1] + " " + x[2]).toList());
    assertEquals(0, reg.build().samples());
  }

  /** A regressor's evaluation is the mean of its losses, with no accuracy and no matrix; each kind refuses the other's samples. */
  @Test
  void aRegressionAccumulatorMeansItsLossesAndHasNoAccuracyOrMatrix() {
    Evaluation empty = Evaluation.accumulator(false, 1).build();
    assertEquals(0, empty.samples());
    assertTrue(Double.isNaN(empty.meanLoss()));
    Evaluation e = Evaluation.accumulator(false, 2).addRegressed(1.0).addRegressed(2.5).addRegressed(0.0).build();
    assertEquals(3, e.samples());
    assertEquals(3.5 / 3, e.meanLoss());
    assertTrue(Double.isNaN(e.accuracy()));
    assertEquals(null, e.confusion());
    assertThrows(IllegalStateException.class, () -> Evaluation.accumulator(false, 2).addClassified(0, 0, 0));
    assertThrows(IllegalStateException.class, () -> Evaluation.accumulator(true, 2).addRegressed(0));
  }

  /**
   * Matrices of the same classes and the same cells in use differ when a count differs, dense and
   * sparse; equal ones hash alike.
   */
  @Test
  void matricesDifferInTheirCountsNotOnlyInWhichCellsAreUsed() {
    for (int classes : new int[] {3, ConfusionMatrix.DENSE_MAX + 1}) {
      ConfusionMatrix once = Evaluation.accumulator(true, classes).addClassified(0, 1, 0).build().confusion();
      ConfusionMatrix twice = Evaluation.accumulator(true, classes).addClassified(0, 1, 0).addClassified(0, 1, 0)
          .build().confusion();
      ConfusionMatrix elsewhere = Evaluation.accumulator(true, classes).addClassified(1, 0, 0).build().confusion();
      assertEquals(classes, once.classes());
      assertNotEquals(once, twice);
      assertNotEquals(once, elsewhere);
      ConfusionMatrix same = Evaluation.accumulator(true, classes).addClassified(0, 1, 0).build().confusion();
      assertEquals(once, same);
      assertEquals(once.hashCode(), same.hashCode());
    }
  }

  /**
   * Up to {@link ConfusionMatrix#TABLE_MAX} classes make a table, one more a list; a table's columns
   * are as wide as its largest class number needs, and no wider (10 classes: 0 to 9, one digit).
   */
  @Test
  void aTableHasAtMostTableMaxClassesAndColumnsAsWideAsTheirLabels() {
    assertTrue(Evaluation.accumulator(true, ConfusionMatrix.TABLE_MAX).addClassified(0, 1, 0).build().confusion()
        .format().startsWith("      predicted\n"));
    assertTrue(Evaluation.accumulator(true, ConfusionMatrix.TABLE_MAX + 1).addClassified(0, 1, 0).build().confusion()
        .format().startsWith((ConfusionMatrix.TABLE_MAX + 1) + " classes, too many for a table"));
    String ten = Evaluation.accumulator(true, 10).addClassified(9, 0, 0).build().confusion().format();
    assertEquals(" true  0 1 2 3 4 5 6 7 8 9", ten.split("\n")[1], ten);
    assertEquals("    9  1 0 0 0 0 0 0 0 0 0", ten.split("\n")[11], ten);
    String eleven = Evaluation.accumulator(true, 11).addClassified(9, 0, 0).build().confusion().format();
    assertEquals(" true   0  1  2  3  4  5  6  7  8  9 10", eleven.split("\n")[1], eleven);
  }
}
