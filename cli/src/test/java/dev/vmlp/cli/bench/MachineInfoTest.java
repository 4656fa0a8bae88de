package dev.vmlp.cli.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
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
  void theVectorModulesWarningIsNotTakenForWhyAForkCannotStart() {
    // the warning comes first, then the error: a system class loader that does not exist
    MachineInfo m = MachineInfo.collect(List.of("-Xshare:off", "-Djava.system.class.loader=no.Such"));
    assertEquals("unknown", m.kernels());
    assertTrue(m.kernelsReason().endsWith(": Error occurred during initialization of VM"), m.kernelsReason());
  }

  @Test
  void aBlankOpenBlasThreadCountIsUnset() {
    assertEquals("unset", MachineInfo.openblasThreads(java.util.Map.of("OPENBLAS_NUM_THREADS", " ")));
  }

  @Test
  void theWidestVectorExtensionIsNamed() {
    assertEquals("avx512f", MachineInfo.vectorIsa("fpu sse4_2 avx avx2 AVX512F fma"));
    assertEquals("avx2", MachineInfo.vectorIsa("fpu sse4_2 avx2 avx fma"));
    assertEquals("asimd", MachineInfo.vectorIsa("fp asimd evtstrm"));
    assertEquals("", MachineInfo.vectorIsa("fpu vme"));
  }

  @Test
  void aFieldOfTheWrongTypeIsNamed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws java.io.IOException {
    // was "not a machine description (Cannot deserialize value of type `int` from String "many": ...)": which int?
    java.nio.file.Path f = java.nio.file.Files.writeString(tmp.resolve("machine.json"),
        "{\"logicalCores\": 2, \"run\": {\"planned\": 3, \"failed\": \"many\"}}");
    java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> MachineInfo.read(f));
    assertTrue(e.getMessage().startsWith(f + ": not a machine description (run.failed: "), e.getMessage());
    java.nio.file.Files.writeString(f, "{\"probeBuffers\": {\"L1\": [1]}}");
    e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> MachineInfo.read(f));
    assertTrue(e.getMessage().startsWith(f + ": not a machine description (probeBuffers.L1: "), e.getMessage());
  }

  @Test
  void aRunValueNoRunCanHaveIsNamed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws java.io.IOException {
    // a hand-edited wallSeconds of -65 showed as "-1:-5 min", "NaN" (read as a number) as "0:00 min"
    java.nio.file.Path f = tmp.resolve("machine.json");
    for (String[] c : new String[][] {
        {"\"wallSeconds\": -65", "run.wallSeconds: -65.0 is not a finite, non-negative number of seconds"},
        {"\"wallSeconds\": \"NaN\"", "run.wallSeconds: NaN is not a finite, non-negative number of seconds"},
        {"\"wallSeconds\": 1e300", "run.wallSeconds: 1.0E300 is more than a year (31536000 s)"},
        {"\"wallSeconds\": 31536000.5", "run.wallSeconds: 3.15360005E7 is more than a year (31536000 s)"},
        {"\"wallSeconds\": 225.1, \"planned\": -3", "run.planned: -3 is negative"},
        {"\"planned\": 3, \"failed\": -1", "run.failed: -1 is negative"}}) {
      java.nio.file.Files.writeString(f, "{\"cpuModel\": \"x\", \"run\": {" + c[0] + "}}");
      java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
          () -> MachineInfo.read(f), c[0]);
      assertEquals(f + ": not a machine description (" + c[1] + ")", e.getMessage());
    }
    java.nio.file.Files.writeString(f, "{\"run\": {\"wallSeconds\": 0, \"planned\": 0, \"failed\": 0}}");
    assertEquals("0:00 min", ReportPage.minutes(MachineInfo.read(f).run().wallSeconds()), "a run of no time is one");
    java.nio.file.Files.writeString(f, "{\"run\": {\"wallSeconds\": 31536000}}");
    assertEquals("525600:00 min", ReportPage.minutes(MachineInfo.read(f).run().wallSeconds()), "a year is the longest");
  }

  @Test
  void theRunsOwnMachineDescriptionComesBeforeTheFoldersOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws java.io.IOException {
    java.nio.file.Path json = tmp.resolve("run.json");
    assertEquals(null, MachineInfo.besides(json));
    java.nio.file.Files.writeString(tmp.resolve("machine.json"), "{\"cpuModel\": \"folder\"}");
    assertEquals("folder", MachineInfo.besides(json).cpuModel());
    java.nio.file.Files.writeString(tmp.resolve("run.machine.json"), "{\"cpuModel\": \"run\"}");
    assertEquals("run", MachineInfo.besides(json).cpuModel());
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

  @Test
  void theCpuIsNamedFromTheFirstProcessorsFields() {
    List<String> x86 = List.of("processor\t: 0", "vendor_id\t: GenuineIntel", "cpu family\t: 6", "model\t\t: 85",
        "model name\t: Intel(R) Xeon(R) CPU @ 2.00GHz", "flags\t\t: fpu avx2 avx512f", "", "processor\t: 1",
        "model name\t: another", "");
    java.util.Map<String, String> cpu = MachineInfo.cpuInfo(x86);
    assertEquals("Intel(R) Xeon(R) CPU @ 2.00GHz", cpu.get("model name"));
    assertEquals("0", cpu.get("processor"), "the first processor's");
    assertEquals("Intel(R) Xeon(R) CPU @ 2.00GHz (family 6, model 85)", MachineInfo.model(cpu, "amd64"));
    // a value with a colon keeps it; a line without one is no field
    assertEquals(java.util.Map.of("Model", "Raspberry Pi 5: rev 1.0"),
        MachineInfo.cpuInfo(List.of("", "Model : Raspberry Pi 5: rev 1.0", "no field here")));
    assertEquals("Raspberry Pi 5", MachineInfo.model(java.util.Map.of("Model", "Raspberry Pi 5"), "aarch64"));
    assertEquals("aarch64", MachineInfo.model(java.util.Map.of("model", "1"), "aarch64"),
        "a model number alone is no name");
  }

  @Test
  void memoryIsMemTotalInKibibytes() {
    assertEquals(16_318_412L * 1024, MachineInfo.physicalMemory(List.of("MemTotal:       16318412 kB",
        "MemFree:         1234567 kB")));
    assertEquals(0, MachineInfo.physicalMemory(List.of("MemFree: 5 kB")), "unknown");
  }

  @Test
  void theCacheSourceIsKeptAndOnlyAMissingOneIsBlank() {
    MachineInfo m = new MachineInfo("cpu", 2, "avx2", 1L << 30, "Linux", new dev.vmlp.jmh.CacheSizes(1, 2, 3, "sysfs"),
        java.util.Map.of(), "25", "vendor", "vm", "vector-256", "", java.util.Arrays.asList("-Xmx1g", null, "-ea"),
        " ", null);
    assertEquals("sysfs", m.caches().source());
    assertEquals(List.of("-Xmx1g", "-ea"), m.jvmArgs(), "the options given, without the missing ones");
    assertEquals(null, m.openblasThreads(), "blank is unknown");
    assertTrue(m.forksStart());
    MachineInfo.Run run = new MachineInfo.Run("vmlp bench", "quick", List.of(), "now", 1, 2, 0, false);
    assertEquals(run, m.withRun(run).run());
    assertEquals(m, m.withRun(run).withRun(null));
    MachineInfo noSource = new MachineInfo(null, 2, null, 0, null, new dev.vmlp.jmh.CacheSizes(1, 2, 3, null),
        java.util.Map.of(), null, null, null, ForkKernels.UNKNOWN, null, null, null, null);
    assertEquals("", noSource.caches().source());
    assertFalse(noSource.forksStart());
  }

  @Test
  void thisMachinesProcessorAndMemoryAreRead() {
    assumeTrue(java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/cpuinfo"))
        && java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/meminfo")), "Linux");
    assertFalse(MachineInfo.cpuInfo().isEmpty());
    assertTrue(MachineInfo.physicalMemory() > 0);
  }

  @Test
  void aLineStartingWithAColonIsNoField() {
    assertEquals(java.util.Map.of("model name", "A"), MachineInfo.cpuInfo(List.of(": stray", "model name : A")));
  }

  @Test
  void aWrittenDescriptionReadsBackTheSame(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws java.io.IOException {
    MachineInfo m = new MachineInfo("cpu", 2, "avx2", 1L << 30, "Linux", new dev.vmlp.jmh.CacheSizes(1, 2, 3, "sysfs"),
        java.util.Map.of("L1", 1024L), "25", "vendor", "vm", "vector-256", "auto", List.of("-Xmx1g"), "1",
        new MachineInfo.Run("bin/vmlp bench", "quick", List.of("-f 1"), "2026-01-01T00:00:00Z", 12.5, 3, 1, true));
    java.nio.file.Path file = tmp.resolve("machine.json");
    m.write(file);
    assertEquals(m, MachineInfo.read(file));
  }
}
