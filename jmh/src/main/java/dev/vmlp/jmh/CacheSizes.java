package dev.vmlp.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The data cache sizes of this machine (per level, as the first core sees them), and the buffer sizes
 * {@link MachineProbeBenchmark} reads to measure each level's bandwidth.
 *
 * <p>Sources, first found wins: Linux {@code /sys/devices/system/cpu/cpu0/cache/index*}, then
 * {@code getconf} (glibc, from CPUID; used where {@code /sys} hides the caches, as in some containers),
 * then macOS {@code sysctl}. A level that none reports is 0 and the probe assumes a typical size.
 *
 * @param l1d level-1 data cache bytes, or 0 when unknown
 * @param l2 level-2 cache bytes, or 0 when unknown
 * @param l3 level-3 cache bytes, or 0 when unknown
 * @param source where the sizes came from: {@code sysfs}, {@code getconf}, {@code sysctl} or {@code none}
 */
public record CacheSizes(long l1d, long l2, long l3, String source) {
  /** The levels the bandwidth probe measures, smallest first. */
  public static final List<String> LEVELS = List.of("L1", "L2", "L3", "DRAM");

  static final long ASSUMED_L1D = 32 << 10;
  static final long ASSUMED_L2 = 512 << 10;
  static final long ASSUMED_L3 = 8 << 20;
  static final long MIN_DRAM_BUFFER = 256L << 20;
  static final long MAX_DRAM_BUFFER = 1L << 30;

  /** This machine's caches. */
  public static CacheSizes detect() {
    CacheSizes c = fromSysfs(Path.of("/sys/devices/system/cpu/cpu0/cache"));
    if (c == null) {
      c = fromCommand("getconf", List.of("getconf", "-a"), "LEVEL1_DCACHE_SIZE", "LEVEL2_CACHE_SIZE", "LEVEL3_CACHE_SIZE");
    }
    if (c == null) {
      c = fromCommand("sysctl", List.of("sysctl", "hw.l1dcachesize", "hw.l2cachesize", "hw.l3cachesize"),
          "hw.l1dcachesize", "hw.l2cachesize", "hw.l3cachesize");
    }
    return c != null ? c : new CacheSizes(0, 0, 0, "none");
  }

  /**
   * The bytes the probe reads for {@code level}: half the level's size (so that it stays resident next
   * to everything else), at least twice the level below; for DRAM, twice the last cache, between 256
   * MiB and 1 GiB. No buffer is over 1 GiB (the probe's loop indexes bytes with an int). Levels nobody
   * reported get a typical size (32 KiB, 512 KiB, 8 MiB).
   */
  public long probeBytes(String level) {
    long a1 = l1d > 0 ? l1d : ASSUMED_L1D;
    long a2 = l2 > 0 ? l2 : Math.max(ASSUMED_L2, 4 * a1);
    long a3 = l3 > 0 ? l3 : Math.max(ASSUMED_L3, 4 * a2);
    long bytes = switch (level) {
      case "L1" -> a1 / 2;
      case "L2" -> Math.max(a2 / 2, 2 * a1);
      case "L3" -> Math.min(MAX_DRAM_BUFFER, Math.max(a3 / 2, 2 * a2));
      case "DRAM" -> Math.min(MAX_DRAM_BUFFER, Math.max(MIN_DRAM_BUFFER, 2 * a3));
      default -> throw new IllegalArgumentException("unknown level " + level + "; expected one of " + LEVELS);
    };
    return bytes & ~1023L; // whole KiB, a multiple of any vector size
  }

  /** From sysfs, or null when it lists no data or unified cache. */
  static CacheSizes fromSysfs(Path dir) {
    if (!Files.isDirectory(dir)) {
      return null;
    }
    long[] bytes = new long[4];
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path index : entries.filter(p -> p.getFileName().toString().startsWith("index")).toList()) {
        String type = read(index.resolve("type"));
        String level = read(index.resolve("level"));
        String size = read(index.resolve("size"));
        if (type == null || level == null || size == null || type.equals("Instruction")) {
          continue;
        }
        int l = Integer.parseInt(level);
        if (l >= 1 && l <= 3) {
          bytes[l] = parseSize(size);
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return bytes[1] == 0 && bytes[2] == 0 && bytes[3] == 0 ? null : new CacheSizes(bytes[1], bytes[2], bytes[3], "sysfs");
  }

  /** From a command printing {@code KEY VALUE} or {@code KEY: VALUE} lines; null when it fails or reports nothing. */
  static CacheSizes fromCommand(String source, List<String> command, String l1Key, String l2Key, String l3Key) {
    String text;
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      try (InputStream in = p.getInputStream()) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return null;
      }
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    return parseKeyValues(source, text, l1Key, l2Key, l3Key);
  }

  static CacheSizes parseKeyValues(String source, String text, String l1Key, String l2Key, String l3Key) {
    Map<String, Long> values = new HashMap<>();
    for (String line : text.split("\\R")) {
      String[] kv = line.trim().split("[:\\s]+", 2);
      if (kv.length == 2 && List.of(l1Key, l2Key, l3Key).contains(kv[0]) && kv[1].trim().matches("\\d{1,18}")) {
        values.put(kv[0], Long.parseLong(kv[1].trim()));
      }
    }
    long l1 = values.getOrDefault(l1Key, 0L);
    long l2 = values.getOrDefault(l2Key, 0L);
    long l3 = values.getOrDefault(l3Key, 0L);
    return l1 == 0 && l2 == 0 && l3 == 0 ? null : new CacheSizes(l1, l2, l3, source);
  }

  /** {@code 48K}, {@code 1024K}, {@code 32M}, {@code 512} (bytes). */
  static long parseSize(String s) {
    String t = s.trim().toUpperCase(Locale.ROOT);
    long unit = 1;
    if (t.endsWith("K")) {
      unit = 1L << 10;
    } else if (t.endsWith("M")) {
      unit = 1L << 20;
    } else if (t.endsWith("G")) {
      unit = 1L << 30;
    }
    if (unit != 1) {
      t = t.substring(0, t.length() - 1);
    }
    return Long.parseLong(t.trim()) * unit;
  }

  private static String read(Path p) throws IOException {
    return Files.isReadable(p) ? Files.readString(p).trim() : null;
  }
}
