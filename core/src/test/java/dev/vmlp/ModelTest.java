package dev.vmlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmlp.data.Digits;
import dev.vmlp.data.TrainTest;
import dev.vmlp.internal.kernel.KernelProvider;
import dev.vmlp.internal.kernel.Layout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModelTest {
  static TrainTest digits;
  static Model trained;

  @BeforeAll
  static void train() {
    digits = Digits.load();
    Architecture arch = Architecture.builder(64).hidden(48, Activation.RELU).hidden(20, Activation.SIGMOID)
        .output(10, Head.SOFTMAX_CROSS_ENTROPY);
    try (Trainer t = Trainer.builder(arch).scaling(digits.scaling()).learningRate(0.02f).build()) {
      trained = t.fit(digits.train(), null, 3).model();
    }
  }

  @Test
  void portableWeightsRoundTripBitForBit() {
    List<LayerWeights> w = trained.weights();
    Model copy = Model.of(trained.architecture(), w, trained.scaling());
    assertEquals(trained.weightsSha256(), copy.weightsSha256());
    assertEquals(w, copy.weights());
    float[] p1 = new float[10];
    float[] p2 = new float[10];
    for (int i = 0; i < 50; i++) {
      trained.predictProbabilities(digits.test().row(i), p1);
      copy.predictProbabilities(digits.test().row(i), p2);
      assertArrayEquals(p1, p2, 0f);
    }
    LayerWeights l0 = trained.layer(0);
    assertEquals(48, l0.outputs());
    assertEquals(64, l0.inputs());
    assertEquals(l0.weight(5, 7), l0.toMatrix()[5][7], 0f);
  }

  @Test
  void aModelKeepsItsFirstLayerInOneBlockWithTheTrainersValuesAndPredictions() {
    // 300 units: blocks of 64 for training, one of 304 for predicting
    Architecture arch = Architecture.of(64, new int[] {300}, Activation.RELU, 10, Head.SOFTMAX_CROSS_ENTROPY);
    try (Trainer t = Trainer.builder(arch).scaling(digits.scaling()).threads(2).build()) {
      t.fit(digits.train().slice(0, 300), null, 1);
      Model snapshot = t.snapshot();
      assertEquals(304, snapshot.params().layers[0].block);
      Params training = snapshot.params().copy(false);
      assertEquals(64, training.layers[0].block);
      Model sameValues = new Model(training, snapshot.scaling(), Map.of(), KernelProvider.get());
      assertEquals(snapshot.weights(), sameValues.weights());
      assertEquals(snapshot.weightsSha256(), sameValues.weightsSha256());
      assertEquals(snapshot.weightsSha256(), new Model(training.copy(true), snapshot.scaling(), Map.of(),
          KernelProvider.get()).weightsSha256(), "and back");
      float[] a = new float[10];
      float[] b = new float[10];
      for (int i = 0; i < 100; i++) {
        snapshot.predictProbabilities(digits.test().row(i), a);
        sameValues.predictProbabilities(digits.test().row(i), b);
        assertArrayEquals(a, b, 0f, "row " + i);
      }
      // and training goes on from a model in the training layout
      try (Trainer again = Trainer.builder(snapshot).threads(2).build()) {
        again.fit(digits.train().slice(0, 100), null, 1);
      }
    }
  }

  @Test
  void theLoadersMemoryBoundCountsWhatAModelStores() {
    // ModelFiles bounds a file's memory by Layout.modelLayerFloats before Model.of allocates it
    int[][] shapes = {{1, 1, 2}, {784, 256, 10}, {17, 1, 1048, 3}, {5, 65, 2}, {1024, 1025, 16, 2}};
    for (int[] sizes : shapes) {
      Architecture.Builder b = Architecture.builder(sizes[0]);
      for (int l = 1; l < sizes.length - 1; l++) {
        b.hidden(sizes[l], Activation.RELU);
      }
      Model m = Model.initialize(b.output(sizes[sizes.length - 1], Head.SOFTMAX_CROSS_ENTROPY), 1);
      for (int l = 0; l < sizes.length - 1; l++) {
        Layer layer = m.params().layers[l];
        assertEquals(Float.BYTES * Layout.modelLayerFloats(l, sizes[l], sizes[l + 1]), layer.w.byteSize(),
            java.util.Arrays.toString(sizes) + " layer " + l);
        assertEquals(Layout.pad(sizes[l + 1]), layer.b.length);
      }
    }
  }

  @Test
  void aBatchGivesTheBitsOfSingleRows() {
    int rows = 37;
    int d = 64;
    float[] x = new float[rows * d];
    for (int r = 0; r < rows; r++) {
      digits.test().copyRow(r, x, r * d);
    }
    Workspace ws = trained.newWorkspace();
    float[] batch = new float[rows * 10];
    trained.predictBatchProbabilities(x, rows, batch, ws);
    int[] classes = new int[rows];
    trained.predictBatch(x, rows, classes, ws);
    for (int r = 0; r < rows; r++) {
      float[] single = new float[10];
      trained.predictProbabilities(digits.test().row(r), single);
      for (int k = 0; k < 10; k++) { // bit for bit: assertArrayEquals with a delta takes -0 for +0
        assertEquals(Float.floatToRawIntBits(single[k]), Float.floatToRawIntBits(batch[r * 10 + k]), "row " + r + " class " + k);
      }
      assertEquals(trained.predict(digits.test().row(r)), classes[r]);
    }
  }

  @Test
  void evaluationCountsWhatPredictionsSay() {
    var e = trained.evaluate(digits.test());
    long correct = 0;
    for (int i = 0; i < digits.test().size(); i++) {
      if (trained.predict(digits.test().row(i)) == digits.test().label(i)) {
        correct++;
      }
    }
    assertEquals(correct, e.confusion().correct());
    assertEquals((double) correct / digits.test().size(), e.accuracy(), 1e-12);
    assertTrue(e.meanLoss() > 0 && e.meanLoss() < 1, "mean log loss " + e.meanLoss());
  }

  @Test
  void badInputsGetMessagesThatNameThem() {
    IllegalArgumentException len = assertThrows(IllegalArgumentException.class, () -> trained.predict(new float[63]));
    assertTrue(len.getMessage().contains("64") && len.getMessage().contains("63"), len.getMessage());
    float[] x = digits.test().row(0);
    x[17] = Float.NaN;
    Workspace checking = trained.newWorkspace().checkFinite(true);
    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> trained.predict(x, 0, checking));
    assertTrue(nan.getMessage().contains("[17]") && nan.getMessage().contains("NaN"), nan.getMessage());
    NonFiniteException out = assertThrows(NonFiniteException.class, () -> trained.predict(x, 0, trained.newWorkspace()));
    assertTrue(out.getMessage().contains("NaN"), out.getMessage());
    Workspace other = Model.initialize(Architecture.of(64, new int[] {5}, Activation.RELU, 10,
        Head.SOFTMAX_CROSS_ENTROPY), 1).newWorkspace();
    assertThrows(IllegalArgumentException.class, () -> trained.predict(digits.test().row(0), 0, other));
  }

  @Test
  void badWeightsAreRejectedNamingTheLayerAndPosition() {
    List<LayerWeights> w = new ArrayList<>(trained.weights());
    LayerWeights l1 = w.get(1);
    float[] vals = l1.weights().clone();
    vals[3 * l1.inputs() + 4] = Float.POSITIVE_INFINITY;
    w.set(1, new LayerWeights(l1.outputs(), l1.inputs(), vals, l1.bias()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Model.of(trained.architecture(), w, InputScaling.none()));
    assertTrue(e.getMessage().contains("layer 1 weight [3, 4] = Infinity"), e.getMessage());
    IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
        () -> Model.of(trained.architecture(), w.subList(0, 2), InputScaling.none()));
    assertTrue(shape.getMessage().contains("2 layers"), shape.getMessage());
    IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
        () -> new LayerWeights(3, 4, new float[11], new float[3]));
    assertTrue(size.getMessage().contains("11") && size.getMessage().contains("12"), size.getMessage());
  }

  @Test
  void negativeZeroBiasesAreStoredAsPositiveZeroAndWeightsAsGiven() {
    Architecture arch = Architecture.of(2, new int[] {}, Activation.IDENTITY, 2, Head.SOFTMAX_CROSS_ENTROPY);
    Model m = Model.of(arch, List.of(new LayerWeights(2, 2, new float[] {-0f, 1, 2, -0f}, new float[] {-0f, 0})),
        InputScaling.none());
    assertEquals(0x80000000, Float.floatToRawIntBits(m.layer(0).weight(0, 0)));
    assertEquals(0, Float.floatToRawIntBits(m.layer(0).bias()[0]));
  }

  @Test
  void layerWeightsCheckTheirShapeAndOfCopies() {
    assertEquals("layer shape must be positive, got [0, 3]", assertThrows(IllegalArgumentException.class,
        () -> new LayerWeights(0, 3, new float[0], new float[0])).getMessage());
    assertEquals("bias has 3 values, expected 2", assertThrows(IllegalArgumentException.class,
        () -> new LayerWeights(2, 1, new float[2], new float[3])).getMessage());
    assertEquals("weights row 1 has 3 values, row 0 has 2", assertThrows(IllegalArgumentException.class,
        () -> LayerWeights.of(new float[][] {{1, 2}, {3, 4, 5}}, new float[2])).getMessage());
    assertEquals("weights has no rows", assertThrows(IllegalArgumentException.class,
        () -> LayerWeights.of(new float[0][], new float[0])).getMessage());
    // 65536 rows of 32768 (one array shared by every row): 2^31 values, an ArithmeticException ("integer overflow")
    float[][] huge = new float[1 << 16][];
    Arrays.fill(huge, new float[1 << 15]);
    assertEquals("weights has 65536 rows of 32768 values, 2147483648 in all; a layer has at most 2147483583 weights",
        assertThrows(IllegalArgumentException.class, () -> LayerWeights.of(huge, new float[1 << 16])).getMessage());
    // the same with a short last row: the rows differ, which is what is wrong, not 65536 rows of 32768
    huge[(1 << 16) - 1] = new float[1];
    assertEquals("weights row 65535 has 1 values, row 0 has 32768",
        assertThrows(IllegalArgumentException.class, () -> LayerWeights.of(huge, new float[1 << 16])).getMessage());
    float[][] m = {{1, 2}, {3, 4}};
    float[] bias = {5, 6};
    LayerWeights lw = LayerWeights.of(m, bias);
    m[0][0] = 9;
    bias[0] = 9;
    lw.toMatrix()[1][1] = 9;
    assertEquals(1f, lw.weight(0, 0));
    assertEquals(5f, lw.bias()[0]);
    assertEquals(4f, lw.weight(1, 1));
    assertThrows(IndexOutOfBoundsException.class, () -> lw.weight(0, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> lw.weight(2, 0));
  }

  /** A model's metadata, weights and layers are copies or read-only views: nothing changes the model. */
  @Test
  void aModelsAccessorsChangeNothing() {
    Model m = trained.withMetadata(Map.of("dataset", "digits"));
    String sha = m.weightsSha256();
    assertThrows(UnsupportedOperationException.class, () -> m.metadata().put("x", "y"));
    assertThrows(UnsupportedOperationException.class, () -> m.weights().set(0, m.layer(1)));
    m.layer(0).weights()[0] = 1e6f;
    m.weights().get(0).bias()[0] = 1e6f;
    assertEquals(sha, m.weightsSha256());
    assertThrows(IndexOutOfBoundsException.class, () -> m.layer(3));
    assertEquals(Map.of("dataset", "digits"), m.withScaling(InputScaling.none()).metadata(), "kept with a scaling");
  }

  /**
   * A regressor's loss is ½ Σ (z - t)² in double: an output of 3e38 against a target of -3e38 is finite
   * on both sides, and the difference, 6e38, overflowed only as a float (the mean loss was infinite for
   * a row that predicts a finite value, which evaluation does not refuse).
   */
  @Test
  void aRegressorsLossDoesNotOverflowWhereOnlyTheFloatDifferenceWould() {
    Model reg = Model.of(Architecture.of(1, new int[0], Activation.RELU, 1, Head.SQUARED_ERROR),
        List.of(new LayerWeights(1, 1, new float[] {3e38f}, new float[] {0})), InputScaling.none());
    float[] out = new float[1];
    reg.predictProbabilities(new float[] {1}, out);
    assertEquals(3e38f, out[0]);
    double expected = 0.5 * Math.pow((double) 3e38f - (double) -3e38f, 2);
    assertEquals(expected, reg.evaluate(Dataset.ofTargets("far", new float[] {1}, 1, new float[] {-3e38f}, 1))
        .meanLoss(), 1e-12 * expected);
  }

  @Test
  void aLayerOfAnotherShapeIsNamedOutputsFirst() {
    Architecture arch = Architecture.of(3, new int[0], Activation.RELU, 2, Head.SQUARED_ERROR);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Model.of(arch, List.of(new LayerWeights(2, 4, new float[8], new float[2])), InputScaling.none()));
    assertEquals("layer 0 weights have shape [2, 4], the architecture needs [2, 3]", e.getMessage());
  }

  /**
   * An output layer as wide as its padding ({@link Layout#LANES} units, no padding left over) predicts,
   * gives probabilities and evaluates: every per-output loop stops at the outputs, not one past them.
   */
  @Test
  void anOutputLayerThatFillsItsPaddingPredictsAndEvaluates() {
    int outputs = Layout.LANES;
    Model m = Model.initialize(Architecture.of(3, new int[] {5}, Activation.TANH, outputs, Head.SOFTMAX_CROSS_ENTROPY),
        2);
    float[] x = {0.5f, -1f, 2f};
    float[] p = new float[outputs];
    int c = m.predictProbabilities(x, p);
    assertEquals(c, m.predict(x));
    double sum = 0;
    for (float v : p) {
      sum += v;
    }
    assertEquals(1.0, sum, 1e-5);
    var e = m.evaluate(Dataset.ofClasses("d", x, 3, new int[] {outputs - 1}, outputs));
    assertEquals(1, e.samples());
    assertEquals(-Math.log(p[outputs - 1]), e.meanLoss(), 1e-4);
  }

  /**
   * {@link Model#evaluate} is not stopped by an interrupt: only the trainer's evaluation of its test set
   * (not strict) stops when asked, and a caller's evaluation on a thread whose interrupt flag is set still
   * counts every row, and leaves the flag set.
   */
  @Test
  void anInterruptedThreadStillEvaluatesEveryRow() {
    Architecture arch = Architecture.of(2, new int[] {3}, Activation.RELU, 2, Head.SOFTMAX_CROSS_ENTROPY);
    int rows = 3 * Engine.checkEvery(arch);
    Dataset data = Dataset.ofClasses("d", new float[2 * rows], 2, new int[rows], 2);
    Model m = Model.initialize(arch, 1);
    var expected = m.evaluate(data);
    Thread.currentThread().interrupt();
    try {
      var e = m.evaluate(data);
      assertTrue(Thread.currentThread().isInterrupted(), "the flag stays set");
      assertEquals(rows, e.samples());
      assertEquals(expected, e);
    } finally {
      Thread.interrupted();
    }
  }

  /**
   * The trainer's evaluation of its test set (not strict) looks for a stop as a training pass does: once
   * every {@link Engine#checkEvery} rows, after each whole interval, and at its end, and returns null at
   * the look that finds one.
   */
  @Test
  void aLenientEvaluationLooksForAStopOnceEveryInterval() {
    Architecture arch = Architecture.of(2, new int[] {3}, Activation.RELU, 2, Head.SOFTMAX_CROSS_ENTROPY);
    int every = Engine.checkEvery(arch);
    int rows = 3 * every + every / 2;
    Dataset data = Dataset.ofClasses("d", new float[2 * rows], 2, new int[rows], 2);
    Model m = Model.initialize(arch, 1);
    Workspace ws = m.newWorkspace();
    int[] looks = {0};
    var e = m.evaluate(data, ws, false, () -> {
      looks[0]++;
      return false;
    });
    assertEquals(rows, e.samples());
    assertEquals(4, looks[0], "after rows " + every + ", " + 2 * every + " and " + 3 * every + ", and at the end");
    looks[0] = 0;
    assertEquals(null, m.evaluate(data, ws, false, () -> ++looks[0] == 2), "stopped at the second look");
    assertEquals(2, looks[0]);
  }
}
