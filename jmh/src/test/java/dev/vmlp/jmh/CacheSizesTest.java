package dev.vmlp.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache sizes the memory probes size their buffers by, as read from the system or assumed. */
class CacheSizesTest {
  @Test
  void eachLevelsBufferIsHalfItsCacheAndAtLeastTwiceTheLevelBelow() {
    CacheSizes c = new CacheSizes(48 << 10, 2 << 20, 32 << 20, "sysfs");
    assertEquals(24 << 10, c.probeBytes("L1"));
    assertEquals(1 << 20, c.probeBytes("L2"));
    assertEquals(16 << 20, c.probeBytes("L3"));
    // twice L3, between 256 MiB and 1 GiB
    assertEquals(256L << 20, c.probeBytes("DRAM"));
    assertEquals(1L << 30, new CacheSizes(48 << 10, 2 << 20, 1L << 30, "sysfs").probeBytes("DRAM"));
    assertEquals(600L << 20, new CacheSizes(48 << 10, 2 << 20, 300L << 20, "sysfs").probeBytes("DRAM"));
    // no buffer over 1 GiB, whatever L3 a machine reports
    assertEquals(1L << 30, new CacheSizes(48 << 10, 2 << 20, 6L << 30, "sysfs").probeBytes("L3"));
    // an L2 hardly larger than L1: twice L1, so that L1 cannot hold it
    CacheSizes small = new CacheSizes(64 << 10, 80 << 10, 96 << 10, "sysfs");
    assertEquals(128 << 10, small.probeBytes("L2"));
    assertEquals(160 << 10, small.probeBytes("L3"));
    // whole KiB
    assertEquals(1000 << 10, new CacheSizes(2000 * 1024 + 5, 0, 0, "x").probeBytes("L1"));
  }

  @Test
  void unknownSizesAreAssumedAtLeastFourTimesTheLevelBelow() {
    CacheSizes none = new CacheSizes(0, 0, 0, "none");
    assertEquals(16 << 10, none.probeBytes("L1"));
    assertEquals(256 << 10, none.probeBytes("L2"));
    assertEquals(4 << 20, none.probeBytes("L3"));
    assertEquals(256L << 20, none.probeBytes("DRAM"));
    // a known L1 of 16 MiB: L2 assumed 64 MiB, L3 256 MiB
    CacheSizes l1 = new CacheSizes(16 << 20, 0, 0, "x");
    assertEquals(32 << 20, l1.probeBytes("L2"));
    assertEquals(128 << 20, l1.probeBytes("L3"));
    assertEquals(512L << 20, l1.probeBytes("DRAM"));
    // a known L2 of 64 MiB: L3 assumed 256 MiB
    assertEquals(512L << 20, new CacheSizes(0, 64 << 20, 0, "x").probeBytes("DRAM"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> none.probeBytes("L4"));
    assertEquals("unknown level L4; expected one of [L1, L2, L3, DRAM]", e.getMessage());
  }

  @Test
  void sizesReadAsTheSystemWritesThem() {
    assertEquals(32 << 10, CacheSizes.parseSize("32K\n"));
    assertEquals(32 << 10, CacheSizes.parseSize("32k"));
    assertEquals(2 << 20, CacheSizes.parseSize("2M"));
    assertEquals(1L << 30, CacheSizes.parseSize("1G"));
    assertEquals(4096, CacheSizes.parseSize(" 4096 "));
  }

  static void index(Path dir, String name, String type, String level, String size) throws IOException {
    Path i = Files.createDirectories(dir.resolve(name));
    Files.writeString(i.resolve("type"), type + "\n");
    Files.writeString(i.resolve("level"), level + "\n");
    if (size != null) {
      Files.writeString(i.resolve("size"), size + "\n");
    }
  }

  @Test
  void sysfsGivesTheDataAndUnifiedCachesOfEachLevel(@TempDir Path dir) throws IOException {
    assertNull(CacheSizes.fromSysfs(dir.resolve("absent")));
    assertNull(CacheSizes.fromSysfs(dir), "no index folders");
    index(dir, "index0", "Data", "1", "48K");
    index(dir, "index1", "Instruction", "1", "32K");
    index(dir, "index2", "Unified", "2", "2048K");
    index(dir, "index3", "Unified", "3", "32M");
    index(dir, "index4", "Unified", "4", "128M");
    index(dir, "index5", "Unified", "0", "1M");
    index(dir, "index6", "Unified", "2", null);
    Files.createDirectories(dir.resolve("power"));
    assertEquals(new CacheSizes(48 << 10, 2 << 20, 32 << 20, "sysfs"), CacheSizes.fromSysfs(dir));
  }

  @Test
  void aSysfsFolderThatCannotBeReadGivesNothing(@TempDir Path dir) throws IOException {
    index(dir, "index0", "Data", "one", "48K");
    assertNull(CacheSizes.fromSysfs(dir));
  }

  @Test
  void getconfAndSysctlOutputIsReadByKey() {
    String getconf = "LEVEL1_ICACHE_SIZE                 32768\nLEVEL1_DCACHE_SIZE                 49152\n"
        + "LEVEL2_CACHE_SIZE                  2097152\nLEVEL3_CACHE_SIZE                  \n";
    assertEquals(new CacheSizes(49152, 2097152, 0, "getconf"), CacheSizes.parseKeyValues("getconf", getconf,
        "LEVEL1_DCACHE_SIZE", "LEVEL2_CACHE_SIZE", "LEVEL3_CACHE_SIZE"));
    String sysctl = "hw.l1dcachesize: 65536\r\nhw.l2cachesize: 4194304\r\nhw.l3cachesize: x\r\n";
    assertEquals(new CacheSizes(65536, 4194304, 0, "sysctl"), CacheSizes.parseKeyValues("sysctl", sysctl,
        "hw.l1dcachesize", "hw.l2cachesize", "hw.l3cachesize"));
    assertNull(CacheSizes.parseKeyValues("sysctl", "sysctl: unknown oid 'hw.l1dcachesize'\n",
        "hw.l1dcachesize", "hw.l2cachesize", "hw.l3cachesize"));
  }

  @Test
  void aCommandThatFailsOrIsMissingGivesNothing() {
    assertNull(CacheSizes.fromCommand("x", List.of("/no/such/command"), "A", "B", "C"));
    assertNull(CacheSizes.fromCommand("x", List.of("sh", "-c", "echo A 1; exit 3"), "A", "B", "C"));
    assertEquals(new CacheSizes(1, 2, 0, "x"),
        CacheSizes.fromCommand("x", List.of("sh", "-c", "echo A 1; echo B: 2"), "A", "B", "C"));
  }

  @Test
  void thisMachinesSizesHaveASource() {
    CacheSizes c = CacheSizes.detect();
    assertTrue(List.of("sysfs", "getconf", "sysctl", "none").contains(c.source()), c.source());
    assertTrue(c.source().equals("none") || c.l1d() > 0 || c.l2() > 0 || c.l3() > 0, c.toString());
  }
}
