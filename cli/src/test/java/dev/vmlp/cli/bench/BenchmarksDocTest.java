package dev.vmlp.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/benchmarks.md is the Markdown summary of the committed run in docs/bench/: regenerate it with
 * {@code bin/vmlp bench --from docs/bench/quick.json --markdown > docs/benchmarks.md} whenever that
 * run changes.
 */
class BenchmarksDocTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void docsMatchTheCommittedRun() throws IOException {
    Path json = ROOT.resolve("docs/bench/quick.json");
    Report run = new Report(json.getFileName().toString(), MachineInfo.besides(json), JmhJson.read(json));
    String expected = new ReportPage(List.of(run), "docs/bench/quick.json").markdown();
    assertEquals(expected, Files.readString(ROOT.resolve("docs/benchmarks.md")),
        "docs/benchmarks.md is stale: bin/vmlp bench --from docs/bench/quick.json --markdown > docs/benchmarks.md");
  }
}
