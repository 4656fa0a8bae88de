package dev.vmlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jmh/scripts/find-java.sh, sourced by bash as the scripts there source it, with stand-in JDKs that only
 * say their version: it picks the JDK that bin/vmlp would.
 */
class FindJavaScriptTest {
  static final Path SCRIPT = Path.of("..", "jmh", "scripts", "find-java.sh").toAbsolutePath().normalize();

  @TempDir
  Path tmp;

  @BeforeEach
  void bash() {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash");
  }

  /** A stand-in JDK in {@code home} whose java says it is {@code version}. */
  static Path jdk(Path home, String version) throws IOException {
    Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"" + version + "\" 2025-10-21' >&2\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return java;
  }

  /** The JAVA that find-java.sh set, sourced under set -euo pipefail with {@code env} added; it must not exit. */
  static String java(Map<String, String> env) throws IOException, InterruptedException {
    ScriptRun r = ScriptRun.of(List.of("/bin/bash", "-c", "set -euo pipefail; unset JAVA; source \"$0\"; printf %s \"$JAVA\"",
        SCRIPT.toString()), env);
    assertEquals(0, r.exit(), r.err());
    return r.out();
  }

  /** A JAVA_HOME with spaces in it is taken whole: it was split into words, none a JDK, and passed over. */
  @Test
  void aJavaHomeWithSpacesIsTheOneTaken() throws Exception {
    Path java = jdk(tmp.resolve("my jdks/it's jdk 25"), "25.0.1");
    assertEquals(java.toString(), java(Map.of("JAVA_HOME", java.getParent().getParent().toString())));
  }

  /**
   * Without a JDK 25 in JAVA_HOME it looks where bin/vmlp does, such as ~/.jdks (where IntelliJ puts the
   * JDKs it downloads) and SDKMAN's folder, and takes the newest: it looked in /usr/lib/jvm alone, so a
   * script failed with "no JDK 25 or newer found" where bin/vmlp had just found one and built the jars.
   */
  @Test
  void theUsualPlacesAreThoseOfBinVmlp() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path old = jdk(tmp.resolve("jdk-17"), "17.0.15");
    Path jdks = jdk(home.resolve(".jdks/temurin-998"), "998.0.1");
    assertEquals(jdks.toString(), java(Map.of("HOME", home.toString(), "JAVA_HOME", old.getParent().getParent().toString())));
    Path sdkman = jdk(home.resolve(".sdkman/candidates/java/999-tem"), "999");
    assertEquals(sdkman.toString(), java(Map.of("HOME", home.toString(), "JAVA_HOME", old.getParent().getParent().toString())));
  }
}
