package dev.vmlp;

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
  void trainStepVectorWithoutTheModuleNamesTheModule() throws Exception {
    String said = Forks.answer(List.of("-Dvmlp.kernels=scalar"), TrainStepVector.class);
    assertTrue(said.contains("jdk.incubator.vector is not readable"), said);
    assertFalse(said.contains("forced by"), said);
  }

  /** Prints why {@code impl=vector} cannot run, or that it can. */
  public static final class TrainStepVector {
    public static void main(String[] args) {
      try {
        System.out.println(Forks.MARK + TrainStepBenchmark.kernels("vector").name());
      } catch (IllegalStateException e) {
        System.out.println(Forks.MARK + e.getMessage());
      }
    }
  }
}
