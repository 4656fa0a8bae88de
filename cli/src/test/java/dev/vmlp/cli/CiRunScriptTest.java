package dev.vmlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .ci/run, run by bash in a copy of the repository's layout whose mvn is a stand-in that says where it ran. */
class CiRunScriptTest {
  static final Path SCRIPT = Path.of("..", ".ci", "run").toAbsolutePath().normalize();

  @TempDir
  Path tmp;

  /**
   * Run by a relative path (.ci/run), it builds in the repository even with an exported CDPATH: its cd
   * went to a folder of CDPATH's that has a .ci/, and ran the build there.
   */
  @Test
  void anExportedCdpathLeavesTheBuildInTheRepository() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash");
    Path root = Files.createDirectories(tmp.resolve("repo"));
    Files.copy(SCRIPT, Files.createDirectories(root.resolve(".ci")).resolve("run"), StandardCopyOption.COPY_ATTRIBUTES);
    Path mvn = Files.createDirectories(tmp.resolve("mvnbin")).resolve("mvn");
    Files.writeString(mvn, "#!/bin/sh\necho \"mvn $* in $(pwd -P)\"\n");
    Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.createDirectories(elsewhere.resolve(".ci"));
    ScriptRun r = ScriptRun.of(List.of("/bin/bash", "-c", "cd \"$0\" && exec /bin/bash .ci/run", root.toString()),
        Map.of("CDPATH", elsewhere.toString(), "PATH", mvn.getParent() + ":" + System.getenv("PATH")));
    assertEquals(0, r.exit(), r.err());
    assertEquals("mvn -B verify in " + root.toRealPath(), r.out().strip());
  }
}
