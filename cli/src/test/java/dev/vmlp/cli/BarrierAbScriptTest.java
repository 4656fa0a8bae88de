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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jmh/scripts/barrier-ab.sh, run by bash in a copy of the repository's layout whose JDK is a stand-in
 * that answers as JMH does: "Can not touch the result file" when the folder of -rff is missing, else a
 * result line and the file.
 */
class BarrierAbScriptTest {
  static final Path SCRIPT = Path.of("..", "jmh", "scripts", "barrier-ab.sh").toAbsolutePath().normalize();

  @TempDir
  Path root;

  @BeforeEach
  void layout() throws IOException {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash");
    Path scripts = Files.createDirectories(root.resolve("jmh/scripts"));
    Files.copy(SCRIPT, scripts.resolve("barrier-ab.sh"), StandardCopyOption.COPY_ATTRIBUTES);
    Path java = Files.createDirectories(root.resolve(".devrt/jdk/bin")).resolve("java");
    Files.writeString(java, """
        #!/bin/bash
        while [ $# -gt 0 ]; do [ "$1" = -rff ] && rff="$2"; shift; done
        [ -d "$(dirname "$rff")" ] || { echo "ERROR: org.openjdk.jmh.runner.RunnerException: Can not touch the result file: $rff"; exit 1; }
        echo '[]' > "$rff"
        echo "ThreadScalingBenchmark.pass  784-256-10  dense  2  avgt  4  5.0 ± 0.1  ns/op"
        """);
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(Files.createDirectories(root.resolve(".devrt/jars")).resolve("old.jar"), "");
    Files.writeString(root.resolve(".devrt/jars/new.jar"), "");
  }

  /** The script's exit code, stdout and stderr, run from the root with OUT={@code out}. */
  String[] run(String out) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", "jmh/scripts/barrier-ab.sh").directory(root.toFile());
    pb.environment().put("OUT", out);
    Path stdout = root.resolve("stdout.txt");
    Path stderr = root.resolve("stderr.txt");
    pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    Process p = pb.start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("barrier-ab.sh did not finish in 30 s");
    }
    return new String[] {Integer.toString(p.exitValue()), Files.readString(stdout, StandardCharsets.UTF_8),
        Files.readString(stderr, StandardCharsets.UTF_8)};
  }

  @Test
  void aNewOutFolderIsMade() throws Exception {
    String[] r = run("ab/first"); // was: every run "Can not touch the result file", dropped by the grep
    assertEquals("0", r[0], r[1] + r[2]);
    for (String f : new String[] {"old-1.json", "new-1.json", "old-2.json", "new-2.json"}) {
      assertTrue(Files.isRegularFile(root.resolve("ab/first").resolve(f)), f);
    }
    assertTrue(r[1].contains("new ThreadScalingBenchmark.pass"), r[1]);
  }

  @Test
  void aMissingJarOrJdkIsNamed() throws Exception {
    Files.delete(root.resolve(".devrt/jars/new.jar"));
    String[] r = run("ab"); // was: nproc's count alone on stdout, nothing on stderr
    assertEquals("1", r[0]);
    assertEquals("barrier-ab.sh: no benchmark jar .devrt/jars/new.jar\n", r[2]);
    Files.delete(root.resolve(".devrt/jdk/bin/java"));
    r = run("ab");
    assertEquals("1", r[0]);
    assertEquals("barrier-ab.sh: no JDK at .devrt/jdk/bin/java (run it from the repository root)\n", r[2]);
  }
}
