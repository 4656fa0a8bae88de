package dev.vmlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What the datasets' factories refuse, and the numbers the input scalings compute. */
class DataContractTest {

  @Test
  void standardizeUsesTheMeanAndPopulationDeviationOfEachFeature() {
    // feature 0: 1, 2, 3, 6 (mean 3, population variance (4 + 1 + 0 + 9) / 4 = 3.5)
    // feature 1: 5, 5, 5, 5 (no spread: scale 1)
    // feature 2: -2, 2, -2, 2 (mean 0, deviation 2)
    float[] f = {1, 5, -2, 2, 5, 2, 3, 5, -2, 6, 5, 2};
    Dataset d = Dataset.ofClasses("hand", f, 3, new int[] {0, 1, 0, 1}, 2);
    InputScaling s = InputScaling.standardize(d);
    assertArrayEquals(new float[] {3f, 5f, 0f}, s.shift());
    assertArrayEquals(new float[] {(float) (1 / Math.sqrt(3.5)), 1f, 0.5f}, s.scale());
    float[] mapped = new float[3];
    s.apply(new float[] {6, 5, 2}, 0, mapped, 0, 3);
    assertArrayEquals(new float[] {(float) (6 - 3) * (float) (1 / Math.sqrt(3.5)), 0f, 1f}, mapped);

    // after the map, every feature with spread has mean 0 and variance 1
    Dataset z = s.apply(d);
    for (int i : new int[] {0, 2}) {
      double sum = 0;
      double sq = 0;
      for (int r = 0; r < z.size(); r++) {
        float[] row = new float[3];
        z.copyRow(r, row, 0);
        sum += row[i];
        sq += (double) row[i] * row[i];
      }
      assertEquals(0, sum / z.size(), 1e-6, "mean of feature " + i);
      assertEquals(1, sq / z.size(), 1e-6, "variance of feature " + i);
    }
  }

  @Test
  void standardizeMapsItsOwnDataWhenTheFloatDifferenceOverflows() {
    // feature 0: -3e38 once, 3e38 three times (mean 1.5e38, deviation 2.6e38); -3e38 - 1.5e38 overflows
    // a float, but the standardised value is about -1.73
    float[] f = {-3e38f, 1, 3e38f, 2, 3e38f, 3, 3e38f, 4};
    Dataset d = Dataset.ofClasses("wide", f, 2, new int[] {0, 1, 0, 1}, 2);
    InputScaling s = InputScaling.standardize(d);
    Dataset z = s.apply(d);
    float[] row = new float[2];
    z.copyRow(0, row, 0);
    assertEquals(-Math.sqrt(3), row[0], 1e-6);
    z.copyRow(1, row, 0);
    assertEquals(1 / Math.sqrt(3), row[0], 1e-6);
    // where the float formula stays finite, its bits are kept
    s.apply(new float[] {1e38f, 0f}, 0, row, 0, 2);
    assertEquals((1e38f - s.shift()[0]) * s.scale()[0], row[0], 0f);
    // a value whose standardised value does not fit a float is still refused
    InputScaling tight = InputScaling.perFeature(new float[] {0f}, new float[] {1e10f});
    assertThrows(IllegalArgumentException.class,
        () -> tight.apply(Dataset.ofClasses("big", new float[] {3e38f}, 1, new int[] {0}, 2)));
    // past the first row, the message names the row, the feature and the value as it was
    InputScaling second = InputScaling.perFeature(new float[] {0f, 0f}, new float[] {1f, 1e10f});
    String message = assertThrows(IllegalArgumentException.class, () -> second.apply(
        Dataset.ofClasses("big", new float[] {1f, 2f, 3f, 3e38f}, 2, new int[] {0, 1}, 2))).getMessage();
    assertEquals("feature 1 of row 1 of 'big' is 3.0E38, which the input scaling (standardize(2 features)) maps to "
        + "Infinity", message);
  }

  @Test
  void aRealSpreadIsScaledAndAConstantIsNot() {
    // feature 0: 0, 2e-9 (deviation 1e-9, a real spread); feature 1: 1, 1 + 2^-23 (deviation 2^-24 ~ 6e-8);
    // feature 2: 7, 7 (none)
    float[] f = {0f, 1f, 7f, 2e-9f, 1f + 0x1p-23f, 7f};
    InputScaling s = InputScaling.standardize(Dataset.ofClasses("tiny", f, 3, new int[] {0, 1}, 2));
    assertEquals(1e9f, s.scale()[0], 1e3f);
    assertEquals(0x1p24f, s.scale()[1], 0f);
    assertEquals(1f, s.scale()[2], 0f);
  }

  @Test
  void aSpreadUnder1eMinus12IsStillStandardized() {
    // feature 0: 1e-13, 3e-13, 2e-13 (a quantity in small units: deviation about 8.2e-14, not a constant);
    // feature 1: 1e-40, 3e-40 (subnormal: 1 / deviation overflows a float, so scale 1)
    float[] f = {1e-13f, 1e-40f, 3e-13f, 3e-40f, 2e-13f, 1e-40f};
    Dataset d = Dataset.ofClasses("small", f, 2, new int[] {0, 1, 0}, 2);
    InputScaling s = InputScaling.standardize(d);
    assertEquals(1 / Math.sqrt(2.0 / 3) * 1e13, s.scale()[0], 1e13 * 1e-5);
    assertEquals(1f, s.scale()[1], 0f);
    Dataset z = s.apply(d);
    assertEquals(-Math.sqrt(1.5), z.feature(0, 0), 1e-5);
    assertEquals(Math.sqrt(1.5), z.feature(1, 0), 1e-5);
  }

  @Test
  void aDatasetWithoutANameIsRefusedByEveryFactoryAndBySelect() {
    // a null name was taken, and every message about the data then spoke of "dataset 'null'"
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> Dataset.ofClasses(null, new float[] {1f, 2f}, 1, new int[] {0, 1}, 2));
    assertEquals("name", e.getMessage());
    assertThrows(NullPointerException.class,
        () -> Dataset.ofUnsignedBytes(null, new byte[] {1, 2}, 1, new int[] {0, 1}, 2));
    assertThrows(NullPointerException.class, () -> Dataset.ofTargets(null, new float[] {1f, 2f}, 1, new float[] {0f, 1f}, 1));
    Dataset d = Dataset.ofClasses("d", new float[] {1f, 2f}, 1, new int[] {0, 1}, 2);
    e = assertThrows(NullPointerException.class, () -> d.select(null, new int[] {1}));
    assertEquals("newName", e.getMessage());
    assertEquals("d", d.slice(0, 1).name());
  }

  @Test
  void selectingMoreValuesThanAnArrayHoldsNamesTheShape() {
    // 32,768 copies of a row of 65,536 features: 2^31 values, one more than an array's int length
    Dataset wide = Dataset.ofClasses("wide", new float[65536], 65536, new int[] {0}, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> wide.select("many", new int[32768]));
    assertTrue(e.getMessage().contains("32768 rows of 65536 features"), e.getMessage());
    Dataset targets = Dataset.ofTargets("t", new float[] {1f}, 1, new float[65536], 65536);
    e = assertThrows(IllegalArgumentException.class, () -> targets.select("many", new int[32768]));
    assertTrue(e.getMessage().contains("32768 rows of 65536 targets"), e.getMessage());
    assertEquals(2, wide.select("two", new int[2]).size());
  }

  @Test
  void askingForARowThatDoesNotExistAllocatesNothing() {
    // the rows' arrays were made before the rows were looked up: an OutOfMemoryError ("Requested array
    // size exceeds VM limit") where a row of this empty dataset was asked for
    Dataset widest = Dataset.ofClasses("widest", new float[0], Integer.MAX_VALUE, new int[0], 2);
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
        () -> widest.select("one", new int[] {0}));
    assertEquals("Index 0 out of bounds for length 0", e.getMessage());
    Dataset targets = Dataset.ofTargets("t", new float[0], Integer.MAX_VALUE, new float[0], 1);
    assertThrows(IndexOutOfBoundsException.class, () -> targets.select("one", new int[] {0}));
    assertEquals(0, widest.select("none", new int[0]).size());
    assertEquals("Index 0 out of bounds for length 0", assertThrows(IndexOutOfBoundsException.class,
        () -> widest.row(0)).getMessage(), "row made its copy first, as select did");
  }

  /** A per-feature map is immutable: it copies the arrays it is given and the arrays it hands out. */
  @Test
  void perFeatureMapsCopyTheirArraysAndCompareBothOfThem() {
    float[] shift = {1f, 2f};
    float[] scale = {2f, 4f};
    InputScaling s = InputScaling.perFeature(shift, scale);
    shift[0] = 100f;
    scale[0] = 100f;
    s.shift()[1] = 100f;
    s.scale()[1] = 100f;
    float[] out = new float[2];
    s.apply(new float[] {3f, 3f}, 0, out, 0, 2);
    assertArrayEquals(new float[] {4f, 4f}, out);
    assertEquals(InputScaling.perFeature(new float[] {1f, 2f}, new float[] {2f, 4f}), s);
    assertNotEquals(InputScaling.perFeature(new float[] {1f, 2f}, new float[] {2f, 5f}), s, "another scale");
    assertNotEquals(InputScaling.perFeature(new float[] {1f, 3f}, new float[] {2f, 4f}), s, "another shift");
  }

  @Test
  void aDivisorWhoseReciprocalOverflowsIsRefused() {
    // 1e-39 is a positive finite (subnormal) float, but 1 / 1e-39 is not finite
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InputScaling.divideBy(1e-39f));
    assertTrue(e.getMessage().contains("overflows"), e.getMessage());
    assertEquals(0x1p126f, InputScaling.divideBy(0x1p-126f).factor(), 0f);
  }

  @Test
  void uniformScalingsMultiply() {
    float[] out = new float[2];
    InputScaling.divideBy(255f).apply(new float[] {255f, 51f}, 0, out, 0, 2);
    assertArrayEquals(new float[] {255f * (1f / 255f), 51f * (1f / 255f)}, out);
    InputScaling.multiplyBy(4f).apply(new float[] {1.5f, -2f}, 0, out, 0, 2);
    assertArrayEquals(new float[] {6f, -8f}, out);
  }

  /** A per-feature map is for its width, a uniform one for any (0); equal maps hash alike. */
  @Test
  void aScalingNamesItsWidthAndEqualOnesHashAlike() {
    assertEquals(0, InputScaling.none().featureCount());
    assertEquals(0, InputScaling.divideBy(2).featureCount());
    float[] shift = {1, 2, 3};
    InputScaling s = InputScaling.perFeature(shift, new float[] {1, 1, 2});
    assertEquals(3, s.featureCount());
    assertEquals(InputScaling.perFeature(new float[] {1, 2, 3}, new float[] {1, 1, 2}).hashCode(), s.hashCode());
    assertEquals(InputScaling.divideBy(4).hashCode(), InputScaling.multiplyBy(0.25f).hashCode());
  }

  /** A uniform scaling refuses a divisor or a factor of zero (either sign), as it refuses negative and non-finite ones. */
  @Test
  void uniformScalingsRefuseZeroNegativeAndNonFiniteValues() {
    for (float v : new float[] {0f, -0f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      assertEquals("scaling divisor must be finite and positive, got " + v,
          assertThrows(IllegalArgumentException.class, () -> InputScaling.divideBy(v)).getMessage());
      assertEquals("scaling factor must be finite and positive, got " + v,
          assertThrows(IllegalArgumentException.class, () -> InputScaling.multiplyBy(v)).getMessage());
    }
    assertEquals(Float.MIN_VALUE, InputScaling.multiplyBy(Float.MIN_VALUE).factor(), 0f);
  }

  /**
   * A dataset of another width than a per-feature scaling is refused by name, even one of no rows (which
   * maps no row, so only the width check can refuse it).
   */
  @Test
  void aPerFeatureScalingRefusesADatasetOfAnotherWidth() {
    InputScaling three = InputScaling.perFeature(new float[3], new float[] {1, 1, 1});
    for (int rows : new int[] {2, 0}) {
      Dataset two = Dataset.ofClasses("two", new float[rows * 2], 2, new int[rows], 2);
      assertEquals("input scaling is for 3 features, the data has 2",
          assertThrows(IllegalArgumentException.class, () -> three.apply(two)).getMessage(), rows + " rows");
    }
  }

  @Test
  void classDatasetsRefuseWrongShapesLabelsAndValues() {
    IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofClasses("d", new float[5], 2, new int[] {0, 1}, 2));
    assertEquals("features has 5 values, expected rows x featureCount = 2 x 2 = 4", length.getMessage());
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofClasses("d", new float[4], 2, new int[] {0, -1}, 2));
    assertEquals("label of row 1 is -1, outside [0, 2)", negative.getMessage());
    IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofClasses("d", new float[4], 2, new int[] {2, 0}, 2));
    assertEquals("label of row 0 is 2, outside [0, 2)", tooLarge.getMessage());
    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofClasses("d", new float[] {0, 0, 0, Float.NaN}, 2, new int[] {0, 1}, 2));
    assertEquals("feature 1 of row 1 is NaN", nan.getMessage());
    IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofClasses("d", new float[0], 0, new int[0], 2));
    assertEquals("featureCount must be positive, got 0", width.getMessage());
  }

  @Test
  void perFeatureMapsRefuseAZeroScaleAndValuesThatAreNotFinite() {
    float[][][] bad = {{{0f}, {0f}}, {{Float.NaN}, {1f}}, {{0f}, {Float.POSITIVE_INFINITY}}};
    for (float[][] b : bad) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> InputScaling.perFeature(b[0], b[1]));
      assertTrue(e.getMessage().startsWith("scaling feature 0 has shift " + b[0][0] + " and scale " + b[1][0]),
          e.getMessage());
    }
  }

  @Test
  void byteDatasetsRefuseAByteCountThatIsNotRowsTimesWidth() {
    for (int n : new int[] {5, 3}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Dataset.ofUnsignedBytes("d", new byte[n], 2, new int[] {0, 1}, 2));
      assertEquals("bytes has " + n + " values, expected rows x featureCount = 2 x 2", e.getMessage());
    }
  }

  @Test
  void targetDatasetsRefuseWrongShapesAndValues() {
    IllegalArgumentException inf = assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofTargets("t", new float[4], 2, new float[] {0f, Float.POSITIVE_INFINITY}, 1));
    assertEquals("target 0 of row 1 is Infinity", inf.getMessage());
    IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofTargets("t", new float[4], 2, new float[3], 1));
    assertEquals("features has 4 values, expected rows x featureCount = 3 x 2 = 6", rows.getMessage());
    // no count of targets divides 0 values: the count itself is wrong, and the message must say so
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofTargets("t", new float[0], 2, new float[0], 0));
    assertEquals("targetCount must be positive, got 0", none.getMessage());
    IllegalArgumentException negativeCount = assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofTargets("t", new float[0], 2, new float[0], -1));
    assertEquals("targetCount must be positive, got -1", negativeCount.getMessage());
    IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofTargets("t", new float[2], 2, new float[3], 2));
    assertEquals("targets has 3 values, not a multiple of targetCount 2", ragged.getMessage());
    IllegalArgumentException bytes = assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofUnsignedBytes("b", new byte[4], 2, new int[] {0, 3}, 3));
    assertEquals("label of row 1 is 3, outside [0, 3)", bytes.getMessage());
    // as for ofClasses: the count is what is wrong, not the number of bytes
    IllegalArgumentException noFeatures = assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofUnsignedBytes("b", new byte[0], 0, new int[0], 2));
    assertEquals("featureCount must be positive, got 0", noFeatures.getMessage());
    IllegalArgumentException negativeFeatures = assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofUnsignedBytes("b", new byte[0], -1, new int[0], 2));
    assertEquals("featureCount must be positive, got -1", negativeFeatures.getMessage());
  }

  /** {@link Dataset#density}: the non-zero features of every row, the last one's included; -0 is zero. */
  @Test
  void densityCountsTheNonZeroFeaturesOfEveryRow() {
    Dataset d = Dataset.ofClasses("d", new float[] {0, 2, 0, 0, 0, -0f, 0, 0, 1, -1, 0, 5}, 4, new int[] {0, 1, 0}, 2);
    assertEquals(4.0 / 12, d.density());
  }

  /**
   * {@link Dataset#density}, which the trainer's automatic input path asks of every training set, counts
   * in place: it built the sparse path's index lists (8 bytes per non-zero value, kept with the dataset),
   * so a dense set that then trained on the dense path took three times its memory and ran out of a heap
   * that held it twice.
   */
  @Test
  void densityAllocatesNoIndexLists() {
    float[] f = new float[1 << 20];
    java.util.Arrays.fill(f, 1f);
    Dataset d = Dataset.ofClasses("dense", f, 64, new int[f.length / 64], 2);
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = mx.getCurrentThreadAllocatedBytes();
    assertEquals(1.0, d.density());
    long allocated = mx.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < 1 << 20, "density() of 4 MB of features allocated " + allocated + " bytes");
  }

  @Test
  void aClassCountMustBePositiveEvenWithNoRows() {
    assertEquals("classCount must be positive, got 0", assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofClasses("d", new float[0], 2, new int[0], 0)).getMessage());
    assertEquals("classCount must be positive, got 0", assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofUnsignedBytes("b", new byte[0], 2, new int[0], 0)).getMessage());
  }

  /** The factories copy their arrays: a caller's later writes change no dataset. */
  @Test
  void theFactoriesCopyTheirArrays() {
    float[] f = {1, 2, 3, 4};
    int[] l = {0, 1};
    byte[] b = {1, 2, 3, 4};
    int[] bl = {0, 1};
    float[] t = {5, 6};
    Dataset c = Dataset.ofClasses("c", f, 2, l, 2);
    Dataset u = Dataset.ofUnsignedBytes("u", b, 2, bl, 2);
    Dataset r = Dataset.ofTargets("r", f, 2, t, 1);
    f[0] = 9;
    l[0] = 1;
    b[0] = 9;
    bl[0] = 1;
    t[0] = 9;
    assertEquals(1f, c.feature(0, 0));
    assertEquals(0, c.label(0));
    assertEquals(1f, u.feature(0, 0));
    assertEquals(0, u.label(0));
    assertEquals(1f, r.feature(0, 0));
    assertEquals(5f, r.target(0, 0));
  }

  @Test
  void aSliceHoldsItsOwnRowsAndChecksItsRange() {
    Dataset d = Dataset.ofClasses("d", new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 2, new int[] {0, 1, 0, 1}, 2);
    Dataset s = d.slice(1, 3);
    assertEquals(2, s.size());
    assertArrayEquals(new float[] {2, 3}, s.row(0));
    assertArrayEquals(new float[] {4, 5}, s.row(1));
    assertEquals(1, s.label(0));
    assertEquals(0, s.label(1));
    Dataset r = Dataset.ofTargets("r", new float[] {0, 1, 2, 3, 4, 5}, 2, new float[] {10, 11, 12}, 1);
    assertEquals(12f, r.slice(2, 3).target(0, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> d.slice(3, 1));
    assertThrows(IndexOutOfBoundsException.class, () -> d.slice(0, 5));
    assertEquals(0, d.slice(2, 2).size());
    assertEquals(0.0, d.slice(2, 2).density(), "a dataset with no rows has no non-zero features");
  }

  @Test
  void featuresAndTargetsCheckTheirColumn() {
    Dataset r = Dataset.ofTargets("r", new float[] {1, 2, 3, 4}, 2, new float[] {5, 6, 7, 8}, 2);
    assertEquals(8f, r.target(1, 1));
    assertThrows(IndexOutOfBoundsException.class, () -> r.target(0, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> r.feature(0, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> r.target(0, -1));
    assertThrows(IndexOutOfBoundsException.class, () -> r.feature(0, -1));
    assertEquals(2, r.outputCount());
  }

  /**
   * The accessors and copies read the value of the row and column asked for, in every row and column,
   * not only the first; messages name the target and row of a value that is refused.
   */
  @Test
  void accessorsAndSelectionsReadTheRowAndColumnAskedFor() {
    // 3 rows x 3 features; 2 targets per row
    float[] f = {0, 1, 2, 10, 11, 12, 20, 21, 22};
    Dataset d = Dataset.ofTargets("t", f, 3, new float[] {0.5f, 0.25f, 1.5f, 1.25f, 2.5f, 2.25f}, 2);
    assertEquals(21f, d.feature(2, 1));
    assertEquals(12f, d.feature(1, 2));
    Dataset picked = d.select("picked", new int[] {2, 0, 2});
    assertEquals(3, picked.size());
    assertArrayEquals(new float[] {20, 21, 22}, picked.row(0));
    assertArrayEquals(new float[] {0, 1, 2}, picked.row(1));
    float[] targets = {picked.target(0, 0), picked.target(0, 1), picked.target(1, 0), picked.target(1, 1),
        picked.target(2, 0), picked.target(2, 1)};
    assertArrayEquals(new float[] {2.5f, 2.25f, 0.5f, 0.25f, 2.5f, 2.25f}, targets);
    assertEquals("Dataset[t, 3 rows x 3 features, 2 targets]", d.toString());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofTargets("t", new float[3], 1, new float[] {0, 0, 0, 0, 0, 0, 0, Float.NaN, 0}, 3));
    assertEquals("target 1 of row 2 is NaN", e.getMessage());
  }

  /** The smallest datasets a factory takes: one feature, one class. */
  @Test
  void oneFeatureAndOneClassAreTaken() {
    Dataset bytes = Dataset.ofUnsignedBytes("b", new byte[] {(byte) 200, 7}, 1, new int[] {0, 0}, 1);
    assertEquals(1, bytes.featureCount());
    assertEquals(1, bytes.classCount());
    assertEquals(200f, bytes.feature(0, 0));
    assertEquals("Dataset[b, 2 rows x 1 features, 1 classes]", bytes.toString());
    Dataset floats = Dataset.ofClasses("f", new float[] {0.5f, 2}, 1, new int[] {0, 0}, 1);
    assertEquals(1, floats.classCount());
    assertEquals(2f, floats.feature(1, 0));
  }

  /**
   * The density a dataset gives after the sparse path has trained on it: its index lists, built then,
   * count the same non-zero features.
   */
  @Test
  void densityIsTheSameAfterSparseTraining() {
    Dataset d = Dataset.ofClasses("d", new float[] {0, 2, 0, 0, 0, -0f, 0, 0, 1, -1, 0, 5}, 4, new int[] {0, 1, 0}, 2);
    Architecture arch = Architecture.builder(4).output(2, Head.SOFTMAX_CROSS_ENTROPY);
    try (Trainer t = Trainer.builder(arch).inputPath(Trainer.InputPath.SPARSE).threads(1).seed(3).build()) {
      assertTrue(t.fit(d, null, 1).sparseInputs());
    }
    assertEquals(4.0 / 12, d.density());
  }
}
