package dev.vmlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmlp.jmh.Forks;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kernels of the training benchmarks in forks whose options pick the scalar kernels, as
 * {@code -jvmArgsAppend} or {@code vmlp bench --jvm-arg=-Dvmlp.kernels=scalar} do.
 */
class BenchmarkKernelsTest {
  @Test
  void threadScalingTrainsWithTheKernelsTheForkPicks() throws Exception {
    // with the vector module too: vmlp bench reports these forks' kernels as scalar, so they must be
    assertEquals("scalar", Forks.answer(List.of("--add-modules=jdk.incubator.vector", "-Dvmlp.kernels=scalar"),
        ThreadScalingPass.class));
    // without it (a -jvmArgsAppend that replaced the annotation's): a pass, not "the vector kernels cannot run"
    assertEquals("scalar", Forks.answer(List.of("-Dvmlp.kernels=scalar"), ThreadScalingPass.class));
  }

  @Test
  void trainStepVectorWithoutTheModuleNamesTheModule() throws Exception {
    String said = Forks.answer(List.of("-Dvmlp.kernels=scalar"), TrainStepVector.class);
    assertTrue(said.contains("jdk.incubator.vector is not readable"), said);
    assertFalse(said.contains("forced by"), said);
  }

  /** Sets up 784-256-10 on one thread, runs a pass and prints the kernels it ran on. */
  public static final class ThreadScalingPass {
    public static void main(String[] args) {
      ThreadScalingBenchmark b = new ThreadScalingBenchmark();
      b.net = "784-256-10";
      b.path = "dense";
      b.threads = 1;
      b.setup();
      try {
        if (!Double.isFinite(b.pass())) {
          throw new AssertionError("the pass's loss is not finite");
        }
      } finally {
        b.tearDown();
      }
      System.out.println(Forks.MARK + b.k.name());
    }
  }

  /** Sets up {@code impl=vector} and prints why it cannot run, or that it can. */
  public static final class TrainStepVector {
    public static void main(String[] args) {
      TrainStepBenchmark b = new TrainStepBenchmark();
      b.impl = "vector";
      b.net = "784-128-10";
      b.path = "dense";
      try {
        b.setup();
        System.out.println(Forks.MARK + "set up");
      } catch (IllegalStateException e) {
        System.out.println(Forks.MARK + e.getMessage());
      }
    }
  }
}
