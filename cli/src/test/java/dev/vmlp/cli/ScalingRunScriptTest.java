package dev.vmlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * jmh/scripts/scaling-run.sh and two-core-run.sh (the device machine's runs), run by bash with a stand-in
 * JAVA that says what the real one reads file names in.
 */
class ScalingRunScriptTest {
  static final Path SCRIPTS = Path.of("..", "jmh", "scripts").toAbsolutePath().normalize();

  @TempDir
  Path tmp;

  /**
   * In the C locale (cron, many containers), whose character set is ASCII, java reads file names in
   * UTF-8: it read them in ASCII, so a JAR whose path has other letters ('it's ü') held no class for it
   * ('Could not find or load main class dev.vmlp.jmh.MnistLike'), and the script ended there.
   */
  @ParameterizedTest
  @ValueSource(strings = {"scaling-run.sh", "two-core-run.sh"})
  void javaReadsFileNamesInUtf8InTheCLocale(String script) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash");
    assumeTrue(BuiltScriptTest.cUtf8(), "a C.UTF-8 locale");
    Path said = tmp.resolve("said.txt");
    Path java = tmp.resolve("java");
    // each call says it, and fails: the script stops at its first java run (the data), which it needs
    Files.writeString(java, "#!/bin/sh\n'" + Path.of(System.getProperty("java.home"), "bin", "java")
        + "' -XshowSettings:properties -version 2>&1 | sed -n 's/^ *sun.jnu.encoding = //p' >> '" + said + "'\nexit 1\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path jar = Files.writeString(Files.createDirectories(tmp.resolve("it's ü")).resolve("vmlp-cli-0-all.jar"), "");
    ScriptRun r = ScriptRun.of(List.of("/bin/bash", SCRIPTS.resolve(script).toString(), tmp.resolve("out").toString()),
        Map.of("LC_ALL", "C", "JAVA", java.toString(), "JAR", jar.toString()));
    assertEquals(1, r.exit(), r.err());
    // java -version for machine.txt, then the data's
    assertEquals(List.of("UTF-8", "UTF-8"), Files.readAllLines(said));
  }
}
