package dev.vmlp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A batch gives every row the bits of predicting that row alone, over random shapes (no hidden layer up
 * to three, every activation, both heads, one input to a few hundred), batch sizes from 0, and inputs
 * mixing dense and sparse rows, {@code -0}, subnormals and extra values after the last row; with the
 * finite check on or off; and it writes nothing past its rows' outputs. The build runs core's tests
 * with the scalar kernels and with the vector kernels, so this holds on both.
 */
class BatchPropertyTest {
  @Property(tries = 80)
  void aBatchGivesEachRowTheBitsOfTheRowAlone(@ForAll @IntRange(min = 1, max = 300) int inputs,
      @ForAll @IntRange(min = 0, max = 3) int hidden, @ForAll @IntRange(min = 0, max = 6) int rows,
      @ForAll boolean classifies, @ForAll boolean check, @ForAll long seed) {
    Random rnd = new Random(seed);
    Activation[] activations = Activation.values();
    Architecture.Builder b = Architecture.builder(inputs);
    for (int h = 0; h < hidden; h++) {
      b.hidden(1 + rnd.nextInt(70), activations[rnd.nextInt(activations.length)]);
    }
    int outputs = (classifies ? 2 : 1) + rnd.nextInt(30);
    Model m = Model.initialize(b.output(outputs, classifies ? Head.SOFTMAX_CROSS_ENTROPY : Head.SQUARED_ERROR),
        seed);
    float[] x = new float[rows * inputs + rnd.nextInt(3)];
    for (int r = 0; r < rows; r++) {
      double density = rnd.nextDouble(); // some rows take the sparse path, some the dense one
      for (int i = r * inputs; i < (r + 1) * inputs; i++) {
        double u = rnd.nextDouble();
        x[i] = u > density ? (rnd.nextBoolean() ? 0f : -0f)
            : u < 0.05 * density ? Float.MIN_VALUE * (1 + rnd.nextInt(1000)) : (float) rnd.nextGaussian() * 3;
      }
    }
    Workspace ws = m.newWorkspace().checkFinite(check);
    float[] out = new float[rows * outputs + 2];
    out[rows * outputs] = 7f;
    out[rows * outputs + 1] = -7f;
    m.predictBatchProbabilities(x, rows, out, ws);
    assertEquals(7f, out[rows * outputs], "past the last row's outputs");
    assertEquals(-7f, out[rows * outputs + 1], "past the last row's outputs");
    int[] classes = new int[rows];
    if (classifies) {
      m.predictBatch(x, rows, classes, ws);
    }
    for (int r = 0; r < rows; r++) {
      float[] row = java.util.Arrays.copyOfRange(x, r * inputs, (r + 1) * inputs);
      float[] alone = new float[outputs];
      int k = m.predictProbabilities(row, alone); // this thread's workspace, not the batch's
      for (int o = 0; o < outputs; o++) {
        assertEquals(Float.floatToRawIntBits(alone[o]), Float.floatToRawIntBits(out[r * outputs + o]),
            m.architecture() + " row " + r + " output " + o);
      }
      if (classifies) {
        assertEquals(k, classes[r], m.architecture() + " row " + r);
        assertEquals(k, m.predict(row), m.architecture() + " row " + r);
      }
    }
  }
}
