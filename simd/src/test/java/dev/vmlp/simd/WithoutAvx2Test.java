package dev.vmlp.simd;

import static dev.vmlp.PredictAllocationTest.allocatedPerRound;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vmlp.Activation;
import dev.vmlp.Architecture;
import dev.vmlp.Head;
import dev.vmlp.InputScaling;
import dev.vmlp.Model;
import dev.vmlp.Workspace;
import dev.vmlp.internal.kernel.KernelProvider;
import dev.vmlp.internal.kernel.Kernels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * On x86 without AVX2 ({@code -XX:UseAVX=1}: 128-bit vectors and FMA, as a CPU with AVX and FMA but not
 * AVX2 has) the provider picks the 128-bit vector kernels, and C2 has no vector instructions for
 * {@code IntVector.compress} or a gathered load: the index lists of the sparse path ran as the Vector
 * API's Java fallback, and every prediction of a 64-input row allocated 1,600 bytes. They now take the
 * scalar loops there, and allocate nothing, as with AVX2.
 */
class WithoutAvx2Test {
  static final int CALLS = dev.vmlp.PredictAllocationTest.CALLS;

  /** Prints the kernels, then the fewest bytes a round of predictions, of nonZeros and of zerosAt calls allocated. */
  public static final class Probe {
    static int sink;

    public static void main(String[] args) {
      Architecture arch = Architecture.builder(64).hidden(48, Activation.RELU).output(10, Head.SOFTMAX_CROSS_ENTROPY);
      Model model = Model.initialize(arch, 1).withScaling(InputScaling.divideBy(16));
      float[] dense = new float[64];
      float[] sparse = new float[64];
      for (int i = 0; i < 64; i++) {
        dense[i] = 1 + (i * 7) % 16;
        sparse[i] = i % 9 == 0 ? 1 + i % 16 : 0;
      }
      Workspace ws = model.newWorkspace();
      long predict = allocatedPerRound(i -> sink += model.predict((i & 1) == 0 ? dense : sparse, 0, ws));
      // the two index lists themselves: nonZeros builds each prediction's, zerosAt serves sparse training (fit)
      Kernels k = KernelProvider.get();
      int[] nz = new int[64];
      int[] rows = new int[64];
      for (int i = 0; i < 64; i++) {
        rows[i] = 63 - i;
      }
      int[] out = new int[64];
      long nonZeros = allocatedPerRound(i -> sink += k.nonZeros((i & 1) == 0 ? dense : sparse, 0, 64, nz));
      long zerosAt = allocatedPerRound(i -> sink += k.zerosAt(rows, 0, 64, (i & 1) == 0 ? dense : sparse, 0, out));
      System.out.println(k.name() + " " + predict + " " + nonZeros + " " + zerosAt);
    }
  }

  /**
   * Which JVMs take the vector index lists: x86 with AVX2 (or flags that cannot be read), AArch64 with SVE
   * (NEON has no gather: Apple silicon's vectors would allocate as x86's without AVX2 did), nothing else.
   */
  @Test
  void theVectorIndexListsAreTakenWhereC2CompilesTheirCompressAndGather() {
    assumeTrue(KernelProvider.vector().isPresent(), "VectorConstants needs jdk.incubator.vector");
    assertTrue(VectorConstants.compressAndGather("amd64", 3, -1));
    assertTrue(VectorConstants.compressAndGather("x86_64", 2, -1));
    assertTrue(VectorConstants.compressAndGather("amd64", -1, -1), "a flag that cannot be read: AVX2, as nearly always");
    assertFalse(VectorConstants.compressAndGather("amd64", 1, -1));
    assertFalse(VectorConstants.compressAndGather("amd64", 0, -1));
    assertTrue(VectorConstants.compressAndGather("aarch64", -1, 1));
    assertTrue(VectorConstants.compressAndGather("aarch64", -1, 2));
    assertFalse(VectorConstants.compressAndGather("aarch64", -1, 0), "NEON alone");
    assertFalse(VectorConstants.compressAndGather("aarch64", -1, -1), "a flag that cannot be read: no SVE");
    assertFalse(VectorConstants.compressAndGather("riscv64", -1, -1));
    assertFalse(VectorConstants.compressAndGather("ppc64le", -1, -1));
  }

  @Test
  void theIndexListsAllocateNothingWithoutAvx2() throws Exception {
    // the build's main vector run only: the other runs add nothing (the probe is a JVM of its own)
    assumeTrue("vector".equals(System.getProperty("vmlp.kernels")) && System.getProperty("vmlp.vectorBits") == null,
        "runs in the build's main vector run only");
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    assumeTrue(arch.equals("amd64") || arch.equals("x86_64"), "-XX:UseAVX is an x86 flag");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules=jdk.incubator.vector", "-XX:UseAVX=1", "-cp", System.getProperty("java.class.path"),
        Probe.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the probe JVM did not finish");
    assertEquals(0, p.exitValue(), out);
    // a CPU without AVX (UseAVX=0 then) or FMA runs the scalar kernels, which have nothing of this to show
    assumeTrue(out.startsWith("vector-128 "), "the vector kernels do not run with -XX:UseAVX=1 here: " + out);
    assertEquals("vector-128 0 0 0", out, "kernels, then the bytes of " + CALLS + " predictions, nonZeros and "
        + "zerosAt calls");
  }
}
