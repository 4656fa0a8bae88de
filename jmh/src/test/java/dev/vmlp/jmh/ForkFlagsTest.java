package dev.vmlp.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Every benchmark's forks get the same JVM flags, so that no family runs under another collector. */
class ForkFlagsTest {
  @Test
  void everyBenchmarkAppendsTheSameFlags() {
    var quiet = OutputFormatFactory.createFormatInstance(
        new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8), VerboseMode.SILENT);
    Map<String, List<String>> appended = new TreeMap<>();
    for (BenchmarkListEntry e : BenchmarkList.defaultList().getAll(quiet, List.of())) {
      appended.put(e.getUsername(), List.copyOf(e.getJvmArgsAppend().orElse(List.of())));
    }
    assertTrue(appended.keySet().stream().anyMatch(b -> b.contains(".peers.")), appended.keySet()::toString);
    for (var e : appended.entrySet()) {
      assertEquals(List.of("--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"), e.getValue(), e.getKey());
    }
  }
}
