package dev.vmlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Checks the math: the double-precision reference's analytic gradients against central finite
 * differences, then two float SGD steps of the library against the reference's gradients, over random
 * small networks (depth 1-4, widths 1-20, every activation, both heads, random biases) and over tanh and
 * sigmoid units saturated by a first layer of 20 times the initial weights (with softmax logits of
 * ±100 or more in half of them); and the
 * library's logits against the reference's where a later layer's input spans several chunks.
 */
class GradientCheckTest {
  /** Finite-difference step of the five-point central difference. */
  static final double EPS = 1e-4;
  /** Largest relative error |a - n| / (|a| + |n|) between analytic and numeric gradients. */
  static final double MAX_RELATIVE_ERROR = 1e-6;
  /**
   * Differences below this times {@code 1 + |loss|} are round-off of the finite difference itself
   * (about 1e-14 |loss| / h), not errors.
   */
  static final double MIN_ABSOLUTE_ERROR = 1e-9;
  /**
   * The float step's weight update must equal {@code -η ∇} of the double reference within this
   * fraction of the layer's largest update, plus what cancellation costs and 4 ulps of the weight.
   */
  static final double FLOAT_TOLERANCE = 2e-4;
  /**
   * Float rounding units allowed per unit of {@link DoubleReference#cancellationBounds}: the digits
   * that {@code p - onehot(y)} and a saturated unit's {@code 1 - o²} lose however the rest is rounded.
   */
  static final double CANCELLATION_ULPS = 8 * 0x1p-24;

  record Case(Architecture arch, long seed) {}

  @Provide
  Arbitrary<Case> networks() {
    Arbitrary<Integer> depth = Arbitraries.integers().between(1, 4);
    Arbitrary<List<Integer>> widths = Arbitraries.integers().between(1, 20).list().ofSize(5);
    Arbitrary<List<Activation>> acts = Arbitraries.of(Activation.class).list().ofSize(4);
    Arbitrary<Head> head = Arbitraries.of(Head.class);
    Arbitrary<Long> seed = Arbitraries.longs();
    return Combinators.combine(depth, widths, acts, head, seed).as((d, w, a, h, s) -> {
      Architecture.Builder b = Architecture.builder(w.get(0));
      for (int l = 0; l < d - 1; l++) {
        b.hidden(w.get(l + 1), a.get(l));
      }
      int out = h == Head.SOFTMAX_CROSS_ENTROPY ? Math.max(2, w.get(d) % 11) : Math.max(1, w.get(d) % 5);
      return new Case(b.output(out, h), s);
    });
  }

  /**
   * The initial weights with random biases: initialisation leaves them at 0, where a bias missing
   * from the forward product or its update would change nothing.
   */
  private static Model withBiases(Model m, Random rnd) {
    List<LayerWeights> w = new ArrayList<>();
    for (LayerWeights lw : m.weights()) {
      float[] b = new float[lw.outputs()];
      for (int i = 0; i < b.length; i++) {
        b[i] = (float) (0.5 * rnd.nextGaussian());
      }
      w.add(new LayerWeights(lw.outputs(), lw.inputs(), lw.weights(), b));
    }
    return Model.of(m.architecture(), w, InputScaling.none());
  }

  /** The values as floats (they were drawn as floats, so nothing is rounded). */
  private static float[] floats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  private static double[] input(Architecture arch, Random rnd) {
    double[] x = new double[arch.inputs()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    return x;
  }

  private static double[] target(Architecture arch, Random rnd) {
    double[] t = new double[arch.outputs()];
    for (int i = 0; i < t.length; i++) {
      t[i] = (float) rnd.nextGaussian();
    }
    return t;
  }

  /** Skips cases where a ReLU-family pre-activation sits so near its kink that differences cross it. */
  private static void assumeAwayFromKinks(DoubleReference ref, double[] x) {
    double[][] z = ref.forward(x);
    for (int l = 0; l < ref.arch.layerCount() - 1; l++) {
      if (ref.arch.activation(l).reluFamily()) {
        for (double v : z[l]) {
          Assume.that(Math.abs(v) > 1e-3);
        }
      }
    }
  }

  @Property(tries = 80)
  void referenceGradientsMatchCentralDifferences(@ForAll("networks") Case c) {
    Random rnd = new Random(c.seed);
    Model m = withBiases(Model.initialize(c.arch, c.seed), rnd);
    DoubleReference ref = new DoubleReference(c.arch, m.weights());
    double[] x = input(c.arch, rnd);
    int label = rnd.nextInt(c.arch.outputs());
    double[] t = target(c.arch, rnd);
    assumeAwayFromKinks(ref, x);
    double[][][][] g = ref.gradients(x, label, t);
    double floor = MIN_ABSOLUTE_ERROR * (1 + Math.abs(ref.loss(x, label, t)));
    String kinks = kinkSignature(ref, x);
    int checked = 0;
    int skipped = 0;
    for (int l = 0; l < c.arch.layerCount(); l++) {
      for (int o = 0; o < ref.w[l].length; o++) {
        for (int i = 0; i <= ref.w[l][o].length; i++) {
          double[] holder = i < ref.w[l][o].length ? ref.w[l][o] : ref.b[l];
          int at = i < ref.w[l][o].length ? i : o;
          String name = (i < ref.w[l][o].length ? "W" + l + "[" + o + "][" + i + "]" : "b" + l + "[" + o + "]");
          double analytic = i < ref.w[l][o].length ? g[0][l][o][i] : g[1][l][0][o];
          double keep = holder[at];
          double[] f = new double[4];
          boolean crossed = false;
          double[] steps = {2 * EPS, EPS, -EPS, -2 * EPS};
          for (int k = 0; k < 4; k++) {
            holder[at] = keep + steps[k];
            f[k] = ref.loss(x, label, t);
            crossed |= !kinks.equals(kinkSignature(ref, x));
          }
          holder[at] = keep;
          if (crossed) {
            skipped++;
            continue;
          }
          // five-point central difference: error O(h^4)
          double numeric = (-f[0] + 8 * f[1] - 8 * f[2] + f[3]) / (12 * EPS);
          check(name, analytic, numeric, floor);
          checked++;
        }
      }
    }
    assertTrue(skipped <= checked / 10 + 2, "too many parameters sit at a ReLU kink: " + skipped + " of " + checked);
  }

  /** Which ReLU-family pre-activations are positive: finite differences must not change this. */
  private static String kinkSignature(DoubleReference ref, double[] x) {
    double[][] z = ref.forward(x);
    StringBuilder sb = new StringBuilder();
    for (int l = 0; l < ref.arch.layerCount() - 1; l++) {
      if (ref.arch.activation(l).reluFamily()) {
        for (double v : z[l]) {
          sb.append(v > 0 ? '+' : '-');
        }
      }
    }
    return sb.toString();
  }

  private static void check(String what, double analytic, double numeric, double floor) {
    double abs = Math.abs(analytic - numeric);
    if (abs < floor) {
      return;
    }
    double rel = abs / (Math.abs(analytic) + Math.abs(numeric));
    assertTrue(rel < MAX_RELATIVE_ERROR,
        () -> what + ": analytic " + analytic + ", numeric " + numeric + ", relative error " + rel);
  }

  /**
   * Two float SGD steps, each against the double reference's gradient at the weights the step starts
   * from: the second from the trainer's snapshot after the first. So the trainer may keep no state that
   * its weights do not show: a sigmoid unit in a layer's padding ({@code σ(0) = ½}, where every real
   * activation leaves 0) would move the next layer's padding weights in the first step, and they would
   * enter the second step's product unseen.
   */
  @Property(tries = 80)
  void floatStepFollowsTheReferenceGradient(@ForAll("networks") Case c) {
    Random rnd = new Random(c.seed ^ 0x5DEECE66DL);
    assertTwoStepsFollowTheReference(c, withBiases(Model.initialize(c.arch, c.seed), rnd), rnd);
  }

  @Provide
  Arbitrary<Case> saturating() {
    Arbitrary<Integer> depth = Arbitraries.integers().between(2, 4);
    Arbitrary<List<Integer>> widths = Arbitraries.integers().between(1, 20).list().ofSize(5);
    Arbitrary<List<Activation>> acts = Arbitraries.of(Activation.TANH, Activation.SIGMOID).list().ofSize(3);
    return Combinators.combine(depth, widths, acts, Arbitraries.of(Head.class), Arbitraries.longs())
        .as((d, w, a, h, s) -> {
          Architecture.Builder b = Architecture.builder(w.get(0));
          for (int l = 0; l < d - 1; l++) {
            b.hidden(w.get(l + 1), a.get(l));
          }
          int out = h == Head.SOFTMAX_CROSS_ENTROPY ? Math.max(2, w.get(d) % 11) : Math.max(1, w.get(d) % 5);
          return new Case(b.output(out, h), s);
        });
  }

  /**
   * Saturated units: tanh and sigmoid layers behind a first layer whose weights are 20 times their
   * initial scale, so that most of its units sit where {@code σ'} is small and, computed as
   * {@code 1 - o²} or {@code o (1 - o)} from a rounded {@code o}, has lost most of its digits. The float
   * steps must still follow the reference within the cancellation bounds. Initial weights put few units
   * there.
   */
  @Property(tries = 80)
  void saturatedUnitsFollowTheReferenceGradient(@ForAll("saturating") Case c) {
    Random rnd = new Random(c.seed ^ 0x5DEECE66DL);
    Model start = withBiases(Model.initialize(c.arch, c.seed), rnd);
    List<LayerWeights> w = new ArrayList<>(start.weights());
    w.set(0, timesWeights(w.get(0), 20f));
    if (c.arch.head().classifies() && rnd.nextBoolean()) {
      // and logits of ±100 or more, far past exp's range: a softmax of a one-hot 1 and zeros, a loss of
      // the logits' difference (a regressor's outputs that large would round beyond the tolerances)
      w.set(w.size() - 1, timesWeights(w.getLast(), 150f));
    }
    assertTwoStepsFollowTheReference(c, Model.of(c.arch, w, InputScaling.none()), rnd);
  }

  /** {@code layer} with its weights, not its bias, multiplied by {@code factor}. */
  private static LayerWeights timesWeights(LayerWeights layer, float factor) {
    float[] w = layer.weights();
    for (int i = 0; i < w.length; i++) {
      w[i] *= factor;
    }
    return new LayerWeights(layer.outputs(), layer.inputs(), w, layer.bias());
  }

  private static void assertTwoStepsFollowTheReference(Case c, Model start, Random rnd) {
    float eta = 0.05f;
    try (Trainer tr = Trainer.builder(start).learningRate(eta).build()) {
      Model before = start;
      for (int step = 1; step <= 2; step++) {
        DoubleReference ref = new DoubleReference(c.arch, before.weights());
        double[] x = input(c.arch, rnd);
        int label = rnd.nextInt(c.arch.outputs());
        double[] t = target(c.arch, rnd);
        assumeAwayFromKinks(ref, x);
        float[] xf = floats(x);
        float[] tf = floats(t);
        double floatLoss = c.arch.head().classifies() ? tr.trainSample(xf, label) : tr.trainSample(xf, tf);
        Model after = tr.snapshot();
        assertStepFollowsTheReference(c.arch, "step " + step, ref, x, label, t, eta, floatLoss, before.weights(),
            after.weights());
        before = after;
      }
    }
  }

  /** The largest sum of the magnitudes of an output's terms, {@code |b| + Σ |w o|}. */
  private static double outputMagnitude(DoubleReference ref, double[] x) {
    double[][] z = ref.forward(x);
    int last = ref.arch.layerCount() - 1;
    double largest = 0;
    for (int o = 0; o < ref.w[last].length; o++) {
      double m = Math.abs(ref.b[last][o]);
      for (int i = 0; i < ref.w[last][o].length; i++) {
        double in = last == 0 ? x[i] : DoubleReference.act(ref.arch.activation(last - 1), z[last - 1][i]);
        m += Math.abs(ref.w[last][o][i] * in);
      }
      largest = Math.max(largest, m);
    }
    return largest;
  }

  /** One float step from {@code before} to {@code after}, with the loss it returned, against the reference. */
  private static void assertStepFollowsTheReference(Architecture arch, String step, DoubleReference ref, double[] x,
      int label, double[] t, float eta, double floatLoss, List<LayerWeights> before, List<LayerWeights> after) {
    double refLoss = ref.loss(x, label, t);
    // float round-off of the outputs grows with their terms' magnitudes (logits of ±100 in the saturated
    // networks); a wrong loss formula is far above this
    assertEquals(refLoss, floatLoss, 1e-5 * (1 + Math.abs(refLoss)) + 4e-6 * outputMagnitude(ref, x),
        step + ": loss");
    double[][][][] g = ref.gradients(x, label, t);
    double[][][][] cancel = ref.cancellationBounds(x, label, t);
    for (int l = 0; l < arch.layerCount(); l++) {
      double largest = 0;
      for (double[] row : g[0][l]) {
        for (double v : row) {
          largest = Math.max(largest, Math.abs(eta * v));
        }
      }
      for (double v : g[1][l][0]) {
        largest = Math.max(largest, Math.abs(eta * v));
      }
      LayerWeights b0 = before.get(l);
      LayerWeights b1 = after.get(l);
      List<String> bad = new ArrayList<>();
      for (int o = 0; o < b0.outputs(); o++) {
        for (int i = 0; i < b0.inputs(); i++) {
          double expected = -eta * g[0][l][o][i];
          double actual = (double) b1.weight(o, i) - b0.weight(o, i);
          double tol = FLOAT_TOLERANCE * largest + eta * CANCELLATION_ULPS * cancel[0][l][o][i]
              + 4 * Math.ulp(b0.weight(o, i));
          if (Math.abs(expected - actual) > tol) {
            bad.add("W" + l + "[" + o + "][" + i + "]: expected update " + expected + ", got " + actual);
          }
        }
        double expected = -eta * g[1][l][0][o];
        double actual = (double) b1.bias()[o] - b0.bias()[o];
        double tol = FLOAT_TOLERANCE * largest + eta * CANCELLATION_ULPS * cancel[1][l][0][o]
            + 4 * Math.ulp(b0.bias()[o] + 1e-30f);
        if (Math.abs(expected - actual) > tol) {
          bad.add("b" + l + "[" + o + "]: expected update " + expected + ", got " + actual);
        }
      }
      int layer = l;
      assertTrue(bad.isEmpty(),
          () -> arch + " " + step + ", layer " + layer + ": " + bad.subList(0, Math.min(5, bad.size())));
    }
  }

  @Provide
  Arbitrary<Case> wideNetworks() {
    // hidden widths past one 64-input chunk (65, 100), past 1,024 inputs (chunks of 128), and odd ones
    Arbitrary<Integer> width = Arbitraries.of(65, 100, 129, 1023, 1100);
    Arbitrary<Activation> act = Arbitraries.of(Activation.class);
    return Combinators.combine(Arbitraries.integers().between(1, 9), width, width, act, act, Arbitraries.longs())
        .as((in, w1, w2, a1, a2, seed) -> new Case(
            Architecture.builder(in).hidden(w1, a1).hidden(w2, a2).output(10, Head.SOFTMAX_CROSS_ENTROPY), seed));
  }

  @Property(tries = 12)
  void logitsFollowTheReferenceAcrossChunks(@ForAll("wideNetworks") Case c) {
    Random rnd = new Random(c.seed);
    Model m = withBiases(Model.initialize(c.arch, c.seed), rnd);
    DoubleReference ref = new DoubleReference(c.arch, m.weights());
    double[] x = input(c.arch, rnd);
    float[] xf = floats(x);
    float[] logits = new float[c.arch.outputs()];
    m.predictLogits(xf, 0, logits, 0, m.newWorkspace());
    double[][] z = ref.forward(x);
    int last = c.arch.layerCount() - 1;
    double[] prev = new double[z[last - 1].length];
    for (int i = 0; i < prev.length; i++) {
      prev[i] = DoubleReference.act(c.arch.activation(last - 1), z[last - 1][i]);
    }
    for (int o = 0; o < logits.length; o++) {
      // float round-off grows with the sum of the terms' magnitudes; a missing chunk of 64 terms or
      // its misplaced partial is orders of magnitude above this
      double magnitude = Math.abs(ref.b[last][o]);
      for (int i = 0; i < prev.length; i++) {
        magnitude += Math.abs(ref.w[last][o][i] * prev[i]);
      }
      assertEquals(z[last][o], logits[o], 2e-4 * (1 + magnitude), "logit " + o + " of " + c.arch);
    }
  }
}
