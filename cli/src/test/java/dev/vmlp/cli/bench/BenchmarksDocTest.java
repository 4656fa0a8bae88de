package dev.vmlp.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/benchmarks.md is the Markdown summary of a run committed under docs/bench/, the one it names in
 * its "Rendered from" line: regenerate it with
 * {@code bin/vmlp bench --from docs/bench/NAME.json --markdown > docs/benchmarks.md} whenever that
 * run (or its notes, {@code NAME.notes.md}) changes.
 */
class BenchmarksDocTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void docsAreTheSummaryOfTheCommittedRun() throws IOException {
    String doc = Files.readString(ROOT.resolve("docs/benchmarks.md"));
    Matcher m = Pattern.compile("Rendered from `(docs/bench/[^`]+\\.json)`").matcher(doc);
    assertTrue(m.find(), "docs/benchmarks.md names the run it was rendered from");
    String source = m.group(1);
    Path json = ROOT.resolve(source);
    Report run = new Report(json.getFileName().toString(), MachineInfo.besides(json), JmhJson.read(json));
    assertEquals(new ReportPage(List.of(run), source, ReportPage.notes(json)).markdown(), doc,
        "docs/benchmarks.md is stale: bin/vmlp bench --from " + source + " --markdown > docs/benchmarks.md");
  }
}
