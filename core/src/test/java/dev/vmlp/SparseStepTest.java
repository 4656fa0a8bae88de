package dev.vmlp;

import static dev.vmlp.internal.kernel.KernelFixtures.vector;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vmlp.internal.kernel.KernelProvider;
import dev.vmlp.internal.kernel.Kernels;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link SgdStep#stepSparse}: a sparse sample given as its non-zero values (as a training pass reads
 * it) trains to the same bits as the same sample given as its dense row, in any mix with dense steps
 * and flushes, and whatever the caller does to the values array after a step.
 */
class SparseStepTest {
  @Property(tries = 60)
  void compactSparseSamplesTrainToTheBitsOfTheirDenseRows(
      @ForAll @IntRange(min = 1, max = 100) int inputs, @ForAll @IntRange(min = 1, max = 70) int hidden,
      @ForAll long seed) {
    Random rnd = new Random(seed);
    Architecture arch = Architecture.builder(inputs).hidden(hidden, Activation.RELU).output(3,
        Head.SOFTMAX_CROSS_ENTROPY);
    int samples = 40;
    float[] x = rows(rnd, samples, inputs);
    int[] labels = rnd.ints(samples, 0, 3).toArray();
    SparseRows rows = SparseRows.of(x, samples, inputs);
    Kernels k = KernelProvider.get();
    Params viaRows = Params.initialize(arch, seed);
    Params viaValues = viaRows.copy();
    SgdStep a = new SgdStep(k, viaRows, 0.05f);
    SgdStep b = new SgdStep(k, viaValues, 0.05f);
    // the caller's copy of the values, overwritten after every step: stepSparse must not read it later
    float[] values = rows.values().clone();
    for (int r = 0; r < samples; r++) {
      int s0 = rows.start()[r];
      int len = rows.start()[r + 1] - s0;
      switch (rnd.nextInt(4)) {
        case 0 -> {
          assertEquals(a.step(x, r * inputs, null, 0, -1, labels[r], null, 0),
              b.step(x, r * inputs, null, 0, -1, labels[r], null, 0));
        }
        case 1 -> {
          a.flush();
          b.flush();
        }
        default -> {
          assertEquals(a.step(x, r * inputs, rows.index(), s0, len, labels[r], null, 0),
              b.stepSparse(values, rows.index(), s0, len, labels[r], null, 0));
          Arrays.fill(values, s0, s0 + len, Float.NaN);
        }
      }
    }
    a.flush();
    b.flush();
    assertEquals(viaRows.sha256(), viaValues.sha256(), "the parameters' bits");
  }

  /**
   * Deferring each first-layer update to the next step gives the bits of applying it at once (a
   * {@link SgdStep#flush()} after every step), in any mix of dense and sparse steps, and across a step
   * whose loss is not finite: that step applies the previous sample's update, changes nothing of its own,
   * and leaves nothing for the next step to apply again.
   */
  @Property(tries = 40)
  void deferredUpdatesGiveTheBitsOfImmediateOnes(
      @ForAll @IntRange(min = 1, max = 100) int inputs, @ForAll @IntRange(min = 1, max = 70) int hidden,
      @ForAll long seed) {
    Random rnd = new Random(seed);
    Architecture arch = Architecture.builder(inputs).hidden(hidden, Activation.TANH).output(2,
        Head.SQUARED_ERROR);
    int samples = 40;
    float[] x = rows(rnd, samples, inputs);
    float[] t = new float[samples * 2];
    for (int i = 0; i < t.length; i++) {
      t[i] = rnd.nextInt(8) == 0 ? Float.NaN : (float) rnd.nextGaussian();
    }
    SparseRows rows = SparseRows.of(x, samples, inputs);
    Kernels k = KernelProvider.get();
    Params deferred = Params.initialize(arch, seed);
    Params immediate = deferred.copy();
    SgdStep a = new SgdStep(k, deferred, 0.05f);
    SgdStep b = new SgdStep(k, immediate, 0.05f);
    for (int r = 0; r < samples; r++) {
      int s0 = rows.start()[r];
      int len = rows.start()[r + 1] - s0;
      double la;
      double lb;
      if (rnd.nextBoolean()) {
        la = a.step(x, r * inputs, null, 0, -1, -1, t, 2 * r);
        lb = b.step(x, r * inputs, null, 0, -1, -1, t, 2 * r);
      } else {
        la = a.step(x, r * inputs, rows.index(), s0, len, -1, t, 2 * r);
        lb = b.step(x, r * inputs, rows.index(), s0, len, -1, t, 2 * r);
      }
      b.flush();
      assertEquals(lb, la, "loss of sample " + r);
    }
    a.flush();
    assertEquals(immediate.sha256(), deferred.sha256(), "the parameters' bits");
  }

  /**
   * {@link Forward#scatter} clears a row of few values at the indices it held, not over its whole
   * width: each step used to zero the whole dense row, so 2^20 inputs of 8 values a sample ran 4 MB of
   * zeros per step. A value planted where no sample wrote survives a step on a row of few values, and is
   * cleared (as the whole row is) after a row of many; every row read back holds exactly its sample.
   */
  @org.junit.jupiter.api.Test
  void aRowOfFewValuesIsClearedAtTheIndicesItHeldAndADenseOneWhole() {
    int inputs = 1024;
    Buffers buf = new Buffers(Architecture.builder(inputs).hidden(1, Activation.RELU).output(2,
        Head.SOFTMAX_CROSS_ENTROPY), true);
    int planted = 777;
    int[] few = {3, 500, 1023};
    int[] many = new int[inputs / Forward.CLEAR_EACH_BELOW + 1];
    for (int i = 0; i < many.length; i++) {
      many[i] = 2 * i;
    }
    float[] prev = buf.zeros;
    for (int round = 0; round < 6; round++) { // few, few, many, few, many, many: both rows, each way
      int[] nz = round == 2 || round >= 4 ? many : few;
      float[] values = new float[nz.length];
      Arrays.fill(values, round + 1f);
      float[] next = buf.sparseX[buf.sparseX[0] == prev ? 1 : 0];
      boolean fewBefore = buf.sparseHeld[next == buf.sparseX[0] ? 0 : 1] >= 0;
      next[planted] = -1f; // no sample writes here; only clearing the whole row removes it
      float[] x = Forward.scatter(buf, prev, values, nz, 0, nz.length);
      assertEquals(next, x, "the row not holding the previous sample");
      float[] want = new float[inputs];
      for (int j : nz) {
        want[j] = round + 1f;
      }
      if (fewBefore) {
        want[planted] = -1f;
      }
      org.junit.jupiter.api.Assertions.assertArrayEquals(want, x, "round " + round);
      x[planted] = 0f; // as if no value had been planted
      prev = x;
    }
  }

  /** {@code samples} rows of {@code inputs} values, each row with its own share of zeros. */
  private static float[] rows(Random rnd, int samples, int inputs) {
    float[] x = new float[samples * inputs];
    for (int r = 0; r < samples; r++) {
      System.arraycopy(vector(rnd, inputs, inputs, rnd.nextDouble()), 0, x, r * inputs, inputs);
    }
    return x;
  }
}
