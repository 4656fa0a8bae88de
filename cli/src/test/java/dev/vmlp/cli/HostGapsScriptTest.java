package dev.vmlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jmh/scripts/host-gaps.sh, run by bash with a stand-in for its C program (BIN, as the script allows). */
class HostGapsScriptTest {
  static final Path SCRIPT = Path.of("..", "jmh", "scripts", "host-gaps.sh").toAbsolutePath().normalize();

  @TempDir
  Path tmp;

  @Test
  void leavesNoTemporaryFolder() throws Exception {
    Path bin = standIn();
    Path temp = Files.createDirectories(tmp.resolve("temp"));
    Path out = tmp.resolve("gaps.txt");
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", SCRIPT.toString(), "1", out.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("BIN", bin.toString());
    pb.environment().put("TMPDIR", temp.toString());
    Process p = pb.start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("host-gaps.sh did not finish in 30 s");
    }
    assertEquals(0, p.exitValue());
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertTrue(lines.contains("cpu 0 alone: {\"seconds\": 1}") && lines.contains("cpu 0, all busy: {\"seconds\": 1}"),
        lines::toString);
    try (var left = Files.list(temp)) {
      assertEquals(List.of(), left.toList(), "its mktemp folder (each CPU's line, the build) was left behind");
    }
  }

  /**
   * Without OUT_FILE the lines go to the script's own standard output, as written to: a file that the
   * caller appends to keeps what it held (a reopened /dev/stdout truncated it).
   */
  @Test
  void withoutAnOutFileWritesToStandardOutputAsItIs() throws Exception {
    Path bin = standIn();
    Path log = tmp.resolve("log.txt");
    Files.writeString(log, "header\n");
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", SCRIPT.toString(), "1")
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("BIN", bin.toString());
    Process p = pb.start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("host-gaps.sh did not finish in 30 s");
    }
    assertEquals(0, p.exitValue());
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    assertEquals("header", lines.get(0), lines::toString);
    assertTrue(lines.contains("cpu 0 alone: {\"seconds\": 1}") && lines.contains("cpu 0, all busy: {\"seconds\": 1}"),
        lines::toString);
  }

  /** A stand-in for the C program that prints its argument as the seconds of a JSON line. */
  private Path standIn() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/taskset")), "taskset");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/nproc")), "nproc");
    Path bin = tmp.resolve("host-gaps");
    Files.writeString(bin, "#!/bin/sh\necho '{\"seconds\": '\"$1\"'}'\n");
    Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }
}
