package dev.vmlp;

import dev.vmlp.internal.kernel.KernelProvider;
import dev.vmlp.internal.kernel.Kernels;
import java.util.Arrays;
import java.util.Locale;

/**
 * The trainer's speed-up on N threads, measured with both engines in one JVM: a one-thread engine and
 * an N-thread engine, each on its own copy of the same initial parameters, run the same pass of
 * {@value #PASS} MNIST-format samples in every round, which of them goes first alternating, so that a
 * host whose speed drifts from minute to minute slows both alike. {@link ThreadScalingBenchmark} runs each
 * configuration in its own forks, minutes apart; on a shared machine the drift between them can exceed
 * the effect. The first quarter of the rounds is warm-up. Prints the quartiles of each engine's time
 * per sample and of the per-round speed-up, and checks that both engines trained to the same bits
 * (exit status 1 if not). The kernels are those {@code Trainer.fit} picks ({@code -Dvmlp.kernels} chooses).
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp cli/target/vmlp-cli-*-all.jar
 * dev.vmlp.InterleavedScaling [NET [ROUNDS [THREADS [dense|sparse]]]]}, by default
 * {@code 784-1024-10 240 2 dense}.
 */
public final class InterleavedScaling {
  static final int PASS = ThreadScalingBenchmark.PASS;

  private InterleavedScaling() {}

  public static void main(String[] args) {
    String net = args.length > 0 ? args[0] : "784-1024-10";
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 240;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    String path = args.length > 3 ? args[3] : "dense";
    if (!path.equals("dense") && !path.equals("sparse")) {
      throw new IllegalArgumentException("the input path is dense or sparse, not " + path);
    }
    boolean sparse = path.equals("sparse");
    if (rounds < 8 || threads < 2) {
      throw new IllegalArgumentException("at least 8 rounds and 2 threads, not " + rounds + " and " + threads);
    }
    Architecture arch = TrainStepBenchmark.architecture(net);
    Dataset pool = ThreadScalingBenchmark.pool();
    Kernels k = KernelProvider.get(); // the kernels Trainer.fit picks, as ThreadScalingBenchmark does
    Params oneParams = Params.initialize(arch, 42);
    Params manyParams = Params.initialize(arch, 42);
    long[] one = new long[rounds];
    long[] many = new long[rounds];
    try (Engine e1 = new SingleEngine(k, oneParams, 0.01f);
        Engine en = new ParallelEngine(k, manyParams, 0.01f, threads)) {
      SparseRows rows = sparse ? pool.sparseRows() : null;
      for (int r = 0; r < rounds; r++) {
        Pass pass = ThreadScalingBenchmark.pass(pool, rows, r);
        boolean oneFirst = (r & 1) == 0; // neither engine always runs on the caches the other left
        for (int turn = 0; turn < 2; turn++) {
          boolean single = oneFirst == (turn == 0);
          long t0 = System.nanoTime();
          (single ? e1 : en).run(pass);
          (single ? one : many)[r] = System.nanoTime() - t0;
        }
      }
    }
    int from = rounds / 4;
    double[] speedUp = new double[rounds - from];
    for (int r = from; r < rounds; r++) {
      speedUp[r - from] = (double) one[r] / many[r];
    }
    String hash = oneParams.sha256();
    boolean same = hash.equals(manyParams.sha256());
    System.out.printf(Locale.ROOT, "%s %s, %s kernels, %d rounds of %d samples (the first %d dropped)%n", net,
        sparse ? "sparse" : "dense", k.name(), rounds, PASS, from);
    System.out.printf(Locale.ROOT, "1 thread:   %s µs per sample (p25 p50 p75)%n", quartiles(one, from, 1e3 * PASS));
    System.out.printf(Locale.ROOT, "%d threads:  %s µs per sample%n", threads, quartiles(many, from, 1e3 * PASS));
    Arrays.sort(speedUp);
    int n = speedUp.length;
    System.out.printf(Locale.ROOT, "speed-up:   %.2f %.2f %.2f per round%n", speedUp[n / 4], speedUp[n / 2],
        speedUp[3 * n / 4]);
    System.out.println("same weights: " + same + " (" + hash.substring(0, 12) + ")");
    if (!same) {
      System.exit(1);
    }
  }

  private static String quartiles(long[] nanos, int from, double scale) {
    long[] x = Arrays.copyOfRange(nanos, from, nanos.length);
    Arrays.sort(x);
    int n = x.length;
    return String.format(Locale.ROOT, "%.2f %.2f %.2f", x[n / 4] / scale, x[n / 2] / scale, x[3 * n / 4] / scale);
  }
}
