package dev.vmlp.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vmlp.internal.kernel.KernelProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

/** machine.json: the facts a run records. */
class MachineInfoTest {
  @Test
  void theKernelsAreTheForksNotThisJvms() {
    MachineInfo m = MachineInfo.collect(List.of("-Dvmlp.kernels=scalar"));
    assertEquals("scalar", m.kernels());
    assertEquals("forced by -Dvmlp.kernels=scalar", m.kernelsReason());
  }

  @Test
  void aForcedVectorWidthIsRecorded() {
    assumeTrue(KernelProvider.vector().isPresent(), "the vector kernels run here");
    assertEquals("vector-128", MachineInfo.collect(List.of("-Dvmlp.vectorBits=128")).kernels());
  }

  @Test
  void openBlasThreadsAreRecordedAsTheForksInheritThem() {
    assertEquals("1", MachineInfo.openblasThreads(java.util.Map.of("OPENBLAS_NUM_THREADS", "1")));
    assertEquals("unset", MachineInfo.openblasThreads(java.util.Map.of()));
    assertEquals(MachineInfo.openblasThreads(System.getenv()), MachineInfo.collect(List.of()).openblasThreads());
  }

  @Test
  void forksThatCannotChooseTheirKernelsAreRecordedWithWhy() {
    MachineInfo m = MachineInfo.collect(List.of("-Dvmlp.vectorBits=100"));
    assertEquals("unknown", m.kernels());
    assertTrue(m.kernelsReason().contains("-Dvmlp.vectorBits=100 is not one of 128, 256, 512"), m.kernelsReason());
  }

  @Test
  void forkOptionsThatLogToStandardOutputDoNotGetIntoTheAnswer() {
    MachineInfo m = MachineInfo.collect(List.of("-Xlog:gc", "-verbose:class", "-Dvmlp.kernels=scalar"));
    assertEquals("scalar", m.kernels());
    assertEquals("forced by -Dvmlp.kernels=scalar", m.kernelsReason());
  }

  @Test
  void aForkThatCannotStartSaysWhy() {
    MachineInfo m = MachineInfo.collect(List.of("-Xmx1k"));
    assertEquals("unknown", m.kernels());
    assertTrue(m.kernelsReason().contains("Error occurred during initialization of VM"), m.kernelsReason());
  }
}
