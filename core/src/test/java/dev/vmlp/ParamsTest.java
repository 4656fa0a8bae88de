package dev.vmlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * {@link Params#firstNonFinite}: every weight and bias of every layer is looked at, and NaN and both
 * infinities are all named, in either layout.
 */
class ParamsTest {
  private static final float[] NOT_FINITE = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};

  /**
   * {@link Model#weightsSha256}, which every {@link Trainer#snapshot} and every save computes, hashes the
   * weights where they are: it made a portable copy of them first, as much heap again as the model.
   */
  @Test
  void theWeightsHashCopiesNoWeights() {
    Model m = Model.initialize(Architecture.builder(1024).hidden(256, Activation.RELU).output(10,
        Head.SOFTMAX_CROSS_ENTROPY), 3);
    String expected = dev.vmlp.internal.hash.FloatSha256.ofLayers(m.weights());
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = mx.getCurrentThreadAllocatedBytes();
    String hash = m.weightsSha256();
    long allocated = mx.getCurrentThreadAllocatedBytes() - before;
    assertEquals(expected, hash);
    org.junit.jupiter.api.Assertions.assertTrue(allocated < 256 << 10,
        "hashing 1 MB of weights allocated " + allocated + " bytes");
  }

  @Test
  void firstNonFiniteNamesAnyWeightOrBiasThatIsNotFinite() {
    // 70 hidden units: the first layer's training layout has two column blocks, a model's one
    Architecture arch = Architecture.builder(5).hidden(70, Activation.TANH).hidden(17, Activation.RELU).output(3,
        Head.SOFTMAX_CROSS_ENTROPY);
    for (boolean oneBlock : new boolean[] {false, true}) {
      Params p = Params.zeros(arch, oneBlock);
      assertNull(p.firstNonFinite());
      for (Layer layer : p.layers) {
        for (float v : NOT_FINITE) {
          for (int o = 0; o < layer.out; o++) {
            layer.b[o] = v;
            assertEquals("layer " + layer.index + " bias [" + o + "] = " + v, p.firstNonFinite());
            layer.b[o] = 0f;
            for (int i = 0; i < layer.in; i++) {
              layer.setWeight(o, i, v);
              assertEquals("layer " + layer.index + " weight [" + o + ", " + i + "] = " + v, p.firstNonFinite(),
                  "one block: " + oneBlock);
              layer.setWeight(o, i, 0f);
            }
          }
        }
      }
      assertNull(p.firstNonFinite());
    }
  }

  /**
   * A trainer stores a narrow first layer of many inputs in one block, as a model does
   * ({@link dev.vmlp.internal.kernel.Layout#firstInOneBlock}): 87,382 inputs and 16 units took 22 MB in
   * 64-wide blocks instead of 5.6 MB. With 784 inputs the 64-wide blocks stay.
   */
  @Test
  void aNarrowFirstLayerOfManyInputsTrainsInOneBlock() {
    for (int in : new int[] {784, 87_382}) {
      Architecture arch = Architecture.builder(in).hidden(16, Activation.RELU).output(2, Head.SOFTMAX_CROSS_ENTROPY);
      Layer training = Params.zeros(arch).layers[0];
      Layer model = Params.zeros(arch, true).layers[0];
      assertEquals(in > 784 ? 16 : 64, training.block, in + " inputs");
      assertEquals(in > 784 ? model.w.byteSize() : 4L * in * 64, training.w.byteSize(), in + " inputs");
    }
  }

  /**
   * {@link Layer#row}, which the weights' hash and every export read, gives each unit's weights in
   * input order in every layout: input-major and output-major, one block or several (70 and 1,100 units
   * take two column blocks in training), odd widths.
   */
  @Test
  void aRowHoldsTheUnitsWeightsInInputOrderInEveryLayout() {
    Architecture arch = Architecture.builder(17).hidden(70, Activation.TANH).hidden(1100, Activation.RELU)
        .hidden(15, Activation.RELU).output(3, Head.SOFTMAX_CROSS_ENTROPY);
    for (boolean oneBlock : new boolean[] {false, true}) {
      Params p = Params.initialize(arch, 11).copy(oneBlock);
      for (Layer layer : p.layers) {
        float[] row = new float[layer.in + 2];
        for (int o = 0; o < layer.out; o++) {
          java.util.Arrays.fill(row, -7f);
          layer.row(o, row, 1);
          assertEquals(-7f, row[0], "before the row");
          assertEquals(-7f, row[layer.in + 1], "after the row");
          for (int i = 0; i < layer.in; i++) {
            assertEquals(layer.weight(o, i), row[1 + i], "layer " + layer.index + " [" + o + ", " + i + "]");
          }
        }
      }
    }
  }
}
