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
   * A sparse step takes the time of its values, not of its input's width: each step cleared the whole
   * dense row it writes its values into, so a network of 2^20 inputs trained on 8 non-zero values a
   * sample ran 4 MB of zeros per step, about 100 times slower than on 16,384 inputs. Here 2^18 inputs
   * and 1,024, with the same 4 values a sample, must step at nearly the same speed.
   */
  @org.junit.jupiter.api.Test
  void aSparseStepOnAWideInputTakesTheTimeOfItsValues() {
    long narrow = Long.MAX_VALUE;
    long wide = Long.MAX_VALUE;
    SgdStep small = sparseStepper(1024);
    SgdStep large = sparseStepper(1 << 18);
    for (int round = 0; round < 7; round++) { // the best of several rounds: the first ones warm up
      narrow = Math.min(narrow, timeSparseSteps(small, 1024));
      wide = Math.min(wide, timeSparseSteps(large, 1 << 18));
    }
    org.junit.jupiter.api.Assertions.assertTrue(wide < 8 * narrow,
        "2,000 sparse steps took " + wide / 1000 + " µs on 262,144 inputs, " + narrow / 1000 + " µs on 1,024");
  }

  private static SgdStep sparseStepper(int inputs) {
    Architecture arch = Architecture.builder(inputs).hidden(1, Activation.RELU).output(2,
        Head.SOFTMAX_CROSS_ENTROPY);
    return new SgdStep(KernelProvider.get(), Params.initialize(arch, 7), 0.01f);
  }

  /** Nanoseconds of 2,000 steps on samples of 4 values spread over {@code inputs}. */
  private static long timeSparseSteps(SgdStep step, int inputs) {
    int[] nz = new int[4 * 16];
    float[] values = new float[nz.length];
    for (int i = 0; i < nz.length; i++) {
      nz[i] = (int) ((long) (i % 4) * inputs / 4 + i / 4);
      values[i] = 0.25f * (1 + i % 3);
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < 2000; i++) {
      int sample = i % 16;
      step.stepSparse(values, nz, 4 * sample, 4, i % 2, null, 0);
    }
    return System.nanoTime() - t0;
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
