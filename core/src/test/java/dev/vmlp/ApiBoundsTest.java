package dev.vmlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vmlp.metrics.ConfusionMatrix;
import dev.vmlp.metrics.Evaluation;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Indexes and ranges passed to the public API are checked by it, with errors that say what is wrong. */
class ApiBoundsTest {
  static final Dataset DATA = Dataset.ofClasses("d", new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, new int[] {0, 1, 0}, 2);

  @Test
  void layerAccessorsCheckTheLayer() {
    Architecture arch = Architecture.of(3, new int[] {4}, Activation.RELU, 2, Head.SOFTMAX_CROSS_ENTROPY);
    assertEquals(4, arch.layerInputs(1));
    // layer 2 does not exist: its "inputs" used to be the output width
    assertThrows(IndexOutOfBoundsException.class, () -> arch.layerInputs(2));
    assertThrows(IndexOutOfBoundsException.class, () -> arch.layerInputs(-1));
    assertThrows(IndexOutOfBoundsException.class, () -> arch.layerUnits(2));
    assertThrows(IndexOutOfBoundsException.class, () -> arch.activation(2));
  }

  @Test
  void rowsOfADatasetAreChecked() {
    assertEquals(7f, DATA.feature(2, 0));
    IndexOutOfBoundsException row = assertThrows(IndexOutOfBoundsException.class, () -> DATA.feature(3, 0));
    assertEquals("Index 3 out of bounds for length 3", row.getMessage()); // the row, not a flat index
    assertThrows(IndexOutOfBoundsException.class, () -> DATA.label(3));
    assertThrows(IndexOutOfBoundsException.class, () -> DATA.label(-1));
    float[] dst = new float[5];
    DATA.copyRow(1, dst, 2);
    assertEquals("[0.0, 0.0, 4.0, 5.0, 6.0]", Arrays.toString(dst));
    IllegalArgumentException short_ = assertThrows(IllegalArgumentException.class, () -> DATA.copyRow(0, new float[2], 0));
    assertEquals("a row of 3 features does not fit at offset 0 of an array of 2", short_.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DATA.copyRow(0, dst, -1));
    NullPointerException labels = assertThrows(NullPointerException.class,
        () -> Dataset.ofUnsignedBytes("x", new byte[3], 3, null, 2));
    assertEquals("labels", labels.getMessage());
  }

  @Test
  void nullWeightsAreNamed() {
    Architecture arch = Architecture.of(1, new int[] {1}, Activation.RELU, 2, Head.SOFTMAX_CROSS_ENTROPY);
    LayerWeights first = new LayerWeights(1, 1, new float[] {1}, new float[] {0});
    NullPointerException layer = assertThrows(NullPointerException.class,
        () -> Model.of(arch, Arrays.asList(first, null), InputScaling.none()));
    assertEquals("weights of layer 1", layer.getMessage());
    NullPointerException row = assertThrows(NullPointerException.class,
        () -> LayerWeights.of(new float[][] {{1}, null}, new float[2]));
    assertEquals("weights row 1", row.getMessage());
    // the bias was an NPE naming "[F.clone()"
    assertEquals("bias", assertThrows(NullPointerException.class,
        () -> LayerWeights.of(new float[][] {{1}}, null)).getMessage());
    assertEquals("weights", assertThrows(NullPointerException.class,
        () -> LayerWeights.of(null, new float[1])).getMessage());
  }

  @Test
  void nullHiddenWidthsActivationsAndTrainingSetsAreNamed() {
    // they were NPEs naming "<local6>", "coll", nothing, and "data" (the model's parameter, not fit's)
    assertEquals("hidden", assertThrows(NullPointerException.class,
        () -> Architecture.of(2, null, Activation.RELU, 2, Head.SOFTMAX_CROSS_ENTROPY)).getMessage());
    assertEquals("activations", assertThrows(NullPointerException.class,
        () -> dev.vmlp.io.LoadOptions.defaults().withActivations(null)).getMessage());
    assertEquals("activation 1 is null", assertThrows(NullPointerException.class,
        () -> dev.vmlp.io.LoadOptions.defaults().withActivations(Arrays.asList(Activation.RELU, null))).getMessage());
    Architecture arch = Architecture.of(3, new int[] {4}, Activation.RELU, 2, Head.SOFTMAX_CROSS_ENTROPY);
    try (Trainer t = Trainer.builder(arch).build()) {
      assertEquals("train", assertThrows(NullPointerException.class, () -> t.fit(null, DATA, 1)).getMessage());
    }
  }

  @Test
  void nullOnlineSamplesAreNamed() {
    Architecture classifier = Architecture.of(2, new int[] {3}, Activation.RELU, 2, Head.SOFTMAX_CROSS_ENTROPY);
    Architecture regressor = Architecture.of(2, new int[] {3}, Activation.RELU, 2, Head.SQUARED_ERROR);
    try (Trainer c = Trainer.builder(classifier).build(); Trainer r = Trainer.builder(regressor).build()) {
      assertEquals("input", assertThrows(NullPointerException.class, () -> c.trainSample(null, 0)).getMessage());
      assertEquals("input", assertThrows(NullPointerException.class,
          () -> r.trainSample(null, new float[2])).getMessage());
      assertEquals("target", assertThrows(NullPointerException.class,
          () -> r.trainSample(new float[2], (float[]) null)).getMessage());
    }
  }

  @Test
  void onlineSamplesAreReadNotModified() {
    Architecture classifier = Architecture.of(2, new int[] {3}, Activation.RELU, 2, Head.SOFTMAX_CROSS_ENTROPY);
    Architecture regressor = Architecture.of(2, new int[] {3}, Activation.RELU, 2, Head.SQUARED_ERROR);
    try (Trainer c = Trainer.builder(classifier).scaling(InputScaling.divideBy(4)).build();
        Trainer r = Trainer.builder(regressor).scaling(InputScaling.divideBy(4)).build()) {
      float[] x = {8, -2};
      float[] target = {0.5f, -1};
      c.trainSample(x, 1);
      r.trainSample(x, target);
      assertEquals("[8.0, -2.0] [0.5, -1.0]", Arrays.toString(x) + " " + Arrays.toString(target));
    }
  }

  @Test
  void nullMetadataIsNamed() {
    Model m = Model.initialize(Architecture.of(1, new int[0], Activation.RELU, 2, Head.SOFTMAX_CROSS_ENTROPY), 1);
    java.util.Map<String, String> nullValue = new java.util.HashMap<>();
    nullValue.put("dataset", null);
    NullPointerException value = assertThrows(NullPointerException.class, () -> m.withMetadata(nullValue));
    assertEquals("metadata key 'dataset' has a null value", value.getMessage());
    java.util.Map<String, String> nullKey = new java.util.HashMap<>();
    nullKey.put(null, "x");
    NullPointerException key = assertThrows(NullPointerException.class, () -> m.withMetadata(nullKey));
    assertEquals("a metadata key is null", key.getMessage());
    NullPointerException map = assertThrows(NullPointerException.class, () -> m.withMetadata(null));
    assertEquals("metadata", map.getMessage());
  }

  @Test
  void aScalingForAnotherWidthIsNamedAgainstTheModel() {
    Model m = Model.initialize(Architecture.of(3, new int[0], Activation.RELU, 2, Head.SOFTMAX_CROSS_ENTROPY), 1);
    InputScaling four = InputScaling.perFeature(new float[4], new float[] {1, 1, 1, 1});
    IllegalArgumentException with = assertThrows(IllegalArgumentException.class, () -> m.withScaling(four));
    assertEquals("input scaling is for 4 features, the model has 3 inputs", with.getMessage());
    IllegalArgumentException of = assertThrows(IllegalArgumentException.class,
        () -> Model.of(m.architecture(), m.weights(), four));
    assertEquals("input scaling is for 4 features, the model has 3 inputs", of.getMessage());
  }

  @Test
  void scalingChecksItsRanges() {
    InputScaling std = InputScaling.standardize(DATA);
    float[] out = new float[3];
    std.apply(new float[] {1, 2, 3}, 0, out, 0, 3);
    IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
        () -> std.apply(new float[5], 0, new float[5], 0, 5));
    assertEquals("5 values, but the scaling is for 3 features", width.getMessage());
    IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
        () -> InputScaling.divideBy(2).apply(new float[2], 0, new float[2], 0, 5));
    assertEquals("5 values do not fit at offset 0 of 2 (source) or 0 of 2 (destination)", range.getMessage());
    assertThrows(IllegalArgumentException.class, () -> InputScaling.none().apply(new float[4], 2, new float[4], 0, 3));
    IllegalArgumentException dst = assertThrows(IllegalArgumentException.class,
        () -> InputScaling.divideBy(2).apply(new float[5], 0, new float[4], 2, 3));
    assertEquals("3 values do not fit at offset 0 of 5 (source) or 2 of 4 (destination)", dst.getMessage());
    assertThrows(IllegalArgumentException.class, () -> InputScaling.none().apply(new float[4], 0, new float[4], -1, 3));
    // no values at the end of both arrays: nothing to do, nothing refused
    for (InputScaling s : new InputScaling[] {InputScaling.none(), InputScaling.divideBy(2)}) {
      float[] end = {1, 2};
      s.apply(end, 2, end, 2, 0);
      assertArrayEquals(new float[] {1, 2}, end, s.toString());
    }
    // a negative count was said not to fit ("-1 values do not fit at offset 0 of 4 (source) or 0 of 4
    // (destination)"), or to be of the wrong width ("-1 values, but the scaling is for 3 features")
    for (InputScaling s : new InputScaling[] {InputScaling.none(), std}) {
      assertEquals("a count of -1 values; the count cannot be negative", assertThrows(IllegalArgumentException.class,
          () -> s.apply(new float[4], 0, new float[4], 0, -1)).getMessage(), s.toString());
    }
    assertEquals("dataset 'empty' has no rows to standardize by", assertThrows(IllegalArgumentException.class,
        () -> InputScaling.standardize(Dataset.ofClasses("empty", new float[0], 3, new int[0], 2))).getMessage());
    assertThrows(IllegalArgumentException.class, () -> InputScaling.perFeature(new float[0], new float[0]));
  }

  @Test
  void scalingInPlaceAtAnotherOffsetMapsEveryValueOnce() {
    for (InputScaling s : new InputScaling[] {InputScaling.none(), InputScaling.divideBy(2),
        InputScaling.perFeature(new float[] {1, 2, 3}, new float[] {2, 4, 8})}) {
      for (int dstOff : new int[] {0, 1, 2}) {
        for (int srcOff : new int[] {0, 1, 2}) {
          float[] data = {2, 4, 6, 8, 10};
          float[] expected = data.clone();
          s.apply(data.clone(), srcOff, expected, dstOff, 3);
          // the arrays overlap: the forward loop read values it had already written when dstOff > srcOff
          s.apply(data, srcOff, data, dstOff, 3);
          assertEquals(Arrays.toString(expected), Arrays.toString(data), s + " from " + srcOff + " to " + dstOff);
        }
      }
    }
  }

  @Test
  void confusionMatrixChecksClassesAndPrintsAsciiDigits() {
    Evaluation.Accumulator acc = Evaluation.accumulator(true, 3);
    acc.addClassified(1, 2, 0.5);
    ConfusionMatrix cm = acc.build().confusion();
    assertThrows(IndexOutOfBoundsException.class, () -> cm.recall(5));
    assertThrows(IndexOutOfBoundsException.class, () -> cm.recall(-1));
    assertThrows(IndexOutOfBoundsException.class, () -> cm.precision(3));
    assertEquals(0.0, cm.recall(1));
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("th-TH-u-nu-thai"));
      String table = cm.format();
      assertEquals(table, table.replaceAll("[^\\x00-\\x7f]", ""), "digits of the default locale: " + table);
      assertEquals(true, table.contains("    1 "), table);
    } finally {
      Locale.setDefault(before);
    }
  }

  /**
   * A model's prediction calls check their rows, batches and output arrays before anything is
   * written: each of these checks could be removed with every other test passing, the later per-row
   * checks then answering with other words, after earlier rows' results were written.
   */
  @Test
  void predictionsCheckRowsBatchesAndOutputsBeforeWriting() {
    Architecture arch = Architecture.of(2, new int[] {3}, Activation.RELU, 3, Head.SOFTMAX_CROSS_ENTROPY);
    Model m = Model.initialize(arch, 4);
    Workspace ws = m.newWorkspace();
    assertEquals(dev.vmlp.internal.kernel.KernelProvider.get().name(), m.kernelsName());
    IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
        () -> m.predictProbabilities(new float[3], new float[3]));
    assertEquals("input has 3 values, the model expects 2", length.getMessage());

    int[] classes = {-7, -7, -7};
    IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
        () -> m.predictBatch(new float[5], 3, classes, ws));
    assertEquals("3 rows of 2 inputs need 6 values, the array has 5", batch.getMessage());
    assertArrayEquals(new int[] {-7, -7, -7}, classes, "no row was predicted");
    m.predictBatch(new float[0], 0, new int[0], ws); // no rows: nothing to do, nothing refused

    float[] out = new float[8];
    Arrays.fill(out, -7f);
    IllegalArgumentException output = assertThrows(IllegalArgumentException.class,
        () -> m.predictBatchProbabilities(new float[6], 3, out, ws));
    assertEquals("output needs 9 values at offset 0, the array has 8", output.getMessage());
    float[] untouched = new float[8];
    Arrays.fill(untouched, -7f);
    assertArrayEquals(untouched, out, "no row was written");

    // one row in place: its 3 outputs overwrite its own 2 inputs only after they were read
    float[] x = {0.5f, -1f, 0f};
    float[] expected = new float[3];
    m.predictProbabilities(new float[] {0.5f, -1f}, 0, expected, 0, ws);
    m.predictBatchProbabilities(x, 1, x, ws);
    assertArrayEquals(expected, x);
  }

  /** A regressor has no class to predict, in any call; its evaluation refuses data of another kind or width of targets. */
  @Test
  void aRegressorPredictsNoClassAndEvaluatesOnlyItsOwnTargets() {
    Model reg = Model.initialize(Architecture.of(2, new int[0], Activation.RELU, 1, Head.SQUARED_ERROR), 1);
    IllegalStateException one = assertThrows(IllegalStateException.class, () -> reg.predict(new float[2]));
    assertEquals("the model's head is squared_error; use predictProbabilities for values", one.getMessage());
    assertThrows(IllegalStateException.class, () -> reg.predict(new float[2], 0, reg.newWorkspace()));
    IllegalArgumentException targets = assertThrows(IllegalArgumentException.class,
        () -> reg.evaluate(Dataset.ofTargets("t2", new float[] {1, 1}, 2, new float[] {4, 3}, 2)));
    assertEquals("dataset 't2' has 2 targets, the model has 1 outputs", targets.getMessage());
    Model two = Model.initialize(Architecture.of(2, new int[0], Activation.RELU, 2, Head.SQUARED_ERROR), 1);
    IllegalArgumentException fewer = assertThrows(IllegalArgumentException.class,
        () -> two.evaluate(Dataset.ofTargets("t1", new float[] {1, 1}, 2, new float[] {4}, 1)));
    assertEquals("dataset 't1' has 1 targets, the model has 2 outputs", fewer.getMessage());
    IllegalArgumentException labels = assertThrows(IllegalArgumentException.class,
        () -> reg.evaluate(Dataset.ofClasses("c", new float[] {1, 1}, 2, new int[] {0}, 2)));
    assertEquals("dataset 'c' has class labels, the model's head is squared_error", labels.getMessage());
    Model cls = Model.initialize(Architecture.of(2, new int[0], Activation.RELU, 2, Head.SOFTMAX_CROSS_ENTROPY), 1);
    IllegalArgumentException real = assertThrows(IllegalArgumentException.class,
        () -> cls.evaluate(Dataset.ofTargets("t", new float[] {1, 1}, 2, new float[] {4}, 1)));
    assertEquals("dataset 't' has real targets, the model's head is softmax", real.getMessage());
  }

  /** Layers are equal by their shape and values, with equal hash codes, and print their shape. */
  @Test
  void layerWeightsAreEqualByTheirValues() {
    LayerWeights a = new LayerWeights(2, 1, new float[] {1, 2}, new float[] {0, 3});
    LayerWeights same = LayerWeights.of(new float[][] {{1}, {2}}, new float[] {0, 3});
    assertEquals(a, same);
    assertEquals(a.hashCode(), same.hashCode());
    assertNotEquals(a, new LayerWeights(2, 1, new float[] {1, 2}, new float[] {0, 4}), "another bias");
    assertNotEquals(a, new LayerWeights(2, 1, new float[] {1, 5}, new float[] {0, 3}), "another weight");
    assertNotEquals(a, new LayerWeights(1, 2, new float[] {1, 2}, new float[] {0}), "another shape");
    assertNotEquals(a, "a string");
    assertEquals("LayerWeights[2 x 1]", a.toString());
  }
}
