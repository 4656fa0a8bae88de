package dev.vmlp.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vmlp.internal.kernel.KernelProvider;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The build's runs at a narrower width ({@code -Dvmlp.vectorBits=256}, {@code 128}) leave the choice to
 * the provider, so that a JVM without vectors that wide (128-bit NEON on Apple silicon or Graviton2, where
 * a forced {@code -Dvmlp.kernels=vector} made every kernel test of the 256-bit run fail) runs them on the
 * scalar kernels and says so here; a JVM that has the width must run the vector kernels at it.
 */
class WidthRunTest {
  @Test
  void aWidthRunRunsTheVectorKernelsAtThatWidthWhereTheJvmHasIt() {
    String bits = System.getProperty("vmlp.vectorBits", "").trim();
    assumeTrue(!bits.isEmpty(), "runs in the build's runs at a narrower width only");
    int max = FloatVector.SPECIES_MAX.vectorBitSize();
    assumeTrue(Integer.parseInt(bits) <= max, () -> "this JVM's vectors have " + max + " bits, fewer than "
        + "-Dvmlp.vectorBits=" + bits + ": the run's tests ran on " + KernelProvider.get().name() + " ("
        + KernelProvider.reason() + ")");
    assertEquals("vector-" + bits, KernelProvider.get().name(), KernelProvider.reason());
  }
}
