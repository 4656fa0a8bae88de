package dev.vmlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jmh/scripts/record-run.sh, run by bash in a copy of the repository's layout whose bin/vmlp, JDK and
 * jars are stand-ins: each JMH run writes a one-result file where -rff says, bin/vmlp bench a report
 * folder, so the script's own path handling and its joining with jq are what is tested.
 */
class RecordRunScriptTest {
  static final Path SCRIPT = Path.of("..", "jmh", "scripts", "record-run.sh").toAbsolutePath().normalize();

  @TempDir
  Path tmp;

  static void executable(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void aRelativeOutDirIsTheCallersNotTheRepositorysFolder() throws Exception {
    Path caller = Files.createDirectories(tmp.resolve("caller"));
    Path root = layout(tmp.resolve("repo"));
    record(caller, scriptIn(root).toString(), Map.of());
    assertTrue(Files.notExists(root.resolve("runs")), "nothing written in the repository");
  }

  /**
   * An exported CDPATH changes neither the repository root the script finds when it is run by a relative
   * path nor where a relative OUT_DIR is: its cd's went to CDPATH's folders of those names (the
   * repository's, a second copy here, held no built.sh, and the results went to CDPATH's runs/today).
   */
  @Test
  void anExportedCdpathChangesNoFolder() throws Exception {
    Path caller = layout(tmp.resolve("caller"));
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.createDirectories(elsewhere.resolve("runs/today"));
    Files.createDirectories(elsewhere.resolve("jmh/scripts"));
    record(caller, "jmh/scripts/record-run.sh", Map.of("CDPATH", elsewhere.toString()));
    try (var files = Files.walk(elsewhere)) {
      assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "written in CDPATH's folders");
    }
  }

  /** A copy of the repository's layout in {@code root} with a stand-in built.sh, JDK and bin/vmlp. */
  static Path layout(Path root) throws IOException {
    Path scripts = Files.createDirectories(root.resolve("jmh/scripts"));
    Files.copy(SCRIPT, scripts.resolve("record-run.sh"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.writeString(scripts.resolve("built.sh"), "JAVA=\"$ROOT/java\"; CLI_JAR=cli.jar; JMH_JAR=jmh.jar\n");
    executable(root.resolve("java"), """
        #!/bin/bash
        while [ $# -gt 0 ]; do [ "$1" = -rff ] && echo '[{"benchmark": "b"}]' > "$2"; shift; done
        exit 0
        """);
    executable(Files.createDirectories(root.resolve("bin")).resolve("vmlp"), """
        #!/bin/bash
        while [ $# -gt 0 ]; do
          case "$1" in --out) out="$2" ;; --from) [ -f "$2" ] || { echo "no $2" >&2; exit 1; } ;; esac
          shift
        done
        mkdir -p "$out" && echo '[{"benchmark": "probe"}]' > "$out/results.json" && echo '{}' > "$out/machine.json"
        """);
    return root;
  }

  static Path scriptIn(Path root) {
    return root.resolve("jmh/scripts/record-run.sh");
  }

  /** Runs {@code script} runs/today from {@code caller} with {@code env} added, and checks the record it made there. */
  static void record(Path caller, String script, Map<String, String> env) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/jq")) || Files.isExecutable(Path.of("/bin/jq")), "jq");
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", script, "runs/today")
        .directory(caller.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().putAll(env);
    Path outFile = caller.resolveSibling("out.txt");
    pb.redirectOutput(outFile.toFile());
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("record-run.sh did not finish in 60 s");
    }
    String out = Files.readString(outFile, StandardCharsets.UTF_8).strip();
    assertEquals(0, p.exitValue(), out);
    Path record = caller.resolve("runs/today/record.json");
    // they went to the repository's runs/today (after its cd), and the path it printed named nothing from here
    assertTrue(Files.isRegularFile(record), "record.json where the caller said");
    assertEquals(11, Files.readString(record).split("\"benchmark\"").length - 1, "the probe and ten runs joined");
    assertTrue(Files.isRegularFile(caller.resolve("runs/today/record.machine.json")));
    assertTrue(Files.isRegularFile(caller.resolve(out)), "the path it prints names the record: " + out);
  }
}
