package dev.vmlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jmh/scripts/built.sh, sourced by bash from the root of a copy of the repository's layout (as the scripts
 * there source it) whose bin/vmlp is a stand-in and whose jars are empty files.
 */
class BuiltScriptTest {
  static final Path SCRIPTS = Path.of("..", "jmh", "scripts").toAbsolutePath().normalize();

  @TempDir
  Path tmp;

  /** Whether this system has a C locale in UTF-8, and a locale command to say so. */
  static boolean cUtf8() throws IOException, InterruptedException {
    if (!Files.isExecutable(Path.of("/usr/bin/locale"))) {
      return false;
    }
    return ScriptRun.of(List.of("/usr/bin/locale", "charmap"), Map.of("LC_ALL", "C.UTF-8")).out().strip().equals("UTF-8");
  }

  /**
   * In the C locale (cron, many containers), whose character set is ASCII, the java it sets up reads file
   * names in UTF-8: it read them in ASCII, so in a clone whose path has other letters ('it's ü') java found
   * no class in the jar ('Could not find or load main class dev.vmlp.InterleavedScaling').
   */
  @Test
  void javaReadsFileNamesInUtf8InTheCLocale() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash");
    assumeTrue(cUtf8(), "a C.UTF-8 locale");
    Path root = Files.createDirectories(tmp.resolve("it's ü"));
    Path scripts = Files.createDirectories(root.resolve("jmh/scripts"));
    for (String script : List.of("built.sh", "find-java.sh", "utf8-locale.sh")) {
      Files.copy(SCRIPTS.resolve(script), scripts.resolve(script), StandardCopyOption.COPY_ATTRIBUTES);
    }
    Path vmlp = Files.createDirectories(root.resolve("bin")).resolve("vmlp");
    Files.writeString(vmlp, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(vmlp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(Files.createDirectories(root.resolve("cli/target")).resolve("vmlp-cli-0-all.jar"), "");
    Files.writeString(Files.createDirectories(root.resolve("jmh/target")).resolve("vmlp-jmh-0-benchmarks.jar"), "");
    // the real JDK says what it reads file names in
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (Map<String, String> locale : List.of(Map.of("LC_ALL", "C"), Map.of("LC_ALL", "", "LC_CTYPE", "", "LANG", "C"))) {
      Map<String, String> env = new HashMap<>(locale);
      env.put("JAVA", java);
      ScriptRun r = ScriptRun.of(List.of("/bin/bash", "-c", "set -euo pipefail; cd \"$0\"; source jmh/scripts/built.sh; "
          + "\"$JAVA\" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *sun.jnu.encoding = //p'", root.toString()), env);
      assertEquals(0, r.exit(), r.err());
      assertEquals("UTF-8", r.out().strip(), locale.toString());
    }
  }
}
