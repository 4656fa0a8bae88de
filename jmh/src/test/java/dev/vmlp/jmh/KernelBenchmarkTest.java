package dev.vmlp.jmh;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code impl=vector} says in a fork where the vector kernels cannot run. */
class KernelBenchmarkTest {
  @Test
  void vectorWithoutTheModuleNamesTheModuleNotTheKernelSetting() throws Exception {
    // a command-line -jvmArgsAppend "-Dvmlp.kernels=scalar" replaces the annotation's --add-modules
    String said = Forks.answer(List.of("-Dvmlp.kernels=scalar"), VectorKernels.class);
    assertTrue(said.contains("jdk.incubator.vector is not readable"), said);
    assertFalse(said.contains("forced by"), said);
  }

  /** Prints why {@code impl=vector} cannot run, or that it can. */
  public static final class VectorKernels {
    public static void main(String[] args) {
      try {
        System.out.println(Forks.MARK + KernelBenchmark.kernels("vector").name());
      } catch (IllegalStateException e) {
        System.out.println(Forks.MARK + e.getMessage());
      }
    }
  }
}
