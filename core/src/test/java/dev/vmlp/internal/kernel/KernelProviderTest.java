package dev.vmlp.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The release rule of the kernel choice, which a child JVM cannot test: the build has one JDK release. */
class KernelProviderTest {
  @Test
  void theVectorKernelsRunOnlyOnTheReleaseTheyWereBuiltForUnlessForced() {
    assertEquals(25, KernelProvider.BUILT_FOR, "the release of the Vector API that simd compiles against");
    assertNull(KernelProvider.otherRelease(25, false));
    assertEquals("the vector kernels are built for the Vector API of Java 25, this is Java 26; "
        + "-Dvmlp.kernels=vector tries them anyway", KernelProvider.otherRelease(26, false));
    assertEquals("the vector kernels are built for the Vector API of Java 25, this is Java 24; "
        + "-Dvmlp.kernels=vector tries them anyway", KernelProvider.otherRelease(24, false));
    assertNull(KernelProvider.otherRelease(26, true), "-Dvmlp.kernels=vector tries them on another release");
  }

  /** The scalar kernels' name, which training reports and model files record as {@code kernels}. */
  @Test
  void theScalarKernelsAreNamedScalar() {
    assertEquals("scalar", KernelProvider.scalar().name());
  }
}
