package dev.vmlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/vmlp itself, run by bash in a copy of the repository's layout whose jar is current and whose JDK
 * is a stand-in that prints what the real one would be given instead of running vmlp.
 */
class VmlpScriptTest {
  static final Path SCRIPT = Path.of("..", "bin", "vmlp").toAbsolutePath().normalize();

  @TempDir
  Path root;

  @BeforeEach
  void layout() throws IOException {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash");
    Path bin = Files.createDirectories(root.resolve("bin"));
    Files.copy(SCRIPT, bin.resolve("vmlp"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.writeString(root.resolve("pom.xml"), "").toFile();
    Files.setLastModifiedTime(root.resolve("pom.xml"), FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
    Files.writeString(Files.createDirectories(root.resolve("cli/target")).resolve("vmlp-cli-0-all.jar"), "");
    Files.createDirectories(root.resolve("jdk/bin"));
    standIn("/bin/sh", """
        echo "OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS-unset}"
        """);
    Files.setPosixFilePermissions(root.resolve("jdk/bin/java"), PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** Kills the script and everything it started (the stand-in java's loops, a sleeping mkfifo). */
  static void killAll(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  /** Makes the stand-in java a {@code shell} script that says it is JDK 25 to {@code -version} and runs {@code body} otherwise. */
  void standIn(String shell, String body) throws IOException {
    Files.writeString(root.resolve("jdk/bin/java"), "#!" + shell + "\n"
        + "if [ \"$1\" = -version ]; then echo 'openjdk version \"25.0.1\" 2025-10-21' >&2; exit 0; fi\n" + body);
  }

  /** What the stand-in java saw of OPENBLAS_NUM_THREADS, run with {@code openblas} in the environment (null: none). */
  String openblasThreads(String openblas, String... args) throws IOException, InterruptedException {
    return output(openblas == null ? Map.of() : Map.of("OPENBLAS_NUM_THREADS", openblas), args);
  }

  /**
   * What bin/vmlp {@code args} printed on standard output, run on the stand-in java with {@code env} added to
   * an environment without VMLP_JAVA_OPTS and OPENBLAS_NUM_THREADS; it must exit 0 within 30 s.
   */
  String output(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("/bin/bash", root.resolve("bin/vmlp").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> environment = pb.environment();
    environment.remove("VMLP_JAVA_OPTS");
    environment.remove("OPENBLAS_NUM_THREADS");
    environment.put("JAVA_HOME", root.resolve("jdk").toString());
    environment.putAll(env);
    long id = System.nanoTime();
    Path outFile = root.resolve("out-" + id + ".txt");
    Path errFile = root.resolve("err-" + id + ".txt");
    // to files, so that the wait below has a time limit
    Process p = pb.redirectOutput(outFile.toFile()).redirectError(errFile.toFile()).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("bin/vmlp " + String.join(" ", args) + " did not finish in 30 s");
    }
    String out = Files.readString(outFile, StandardCharsets.UTF_8).strip();
    assertEquals(0, p.exitValue(), out + "\n" + Files.readString(errFile, StandardCharsets.UTF_8));
    return out;
  }

  @Test
  void benchRunsOpenBlasOnOneThreadUnlessTold() throws Exception {
    assertEquals("OPENBLAS_NUM_THREADS=1", openblasThreads(null, "bench", "--dry-run"));
    assertEquals("OPENBLAS_NUM_THREADS=1", openblasThreads(null, "--quiet", "bench"));
    assertEquals("OPENBLAS_NUM_THREADS=1", openblasThreads("", "bench"));
    assertEquals("OPENBLAS_NUM_THREADS=4", openblasThreads("4", "bench"));
  }

  /** A TMPDIR that names a folder which is gone does not stop the script: its pipe's folder goes in /tmp. */
  @Test
  void aTmpdirThatIsGoneFallsBackToTmp() throws Exception {
    assertEquals("OPENBLAS_NUM_THREADS=1", output(Map.of("TMPDIR", root.resolve("gone").toString()), "bench"));
  }

  /**
   * A TMPDIR on a filesystem without named pipes (vfat, exFAT) does not stop the script either: mkfifo
   * failed there, and the script exited 1 where /tmp would have held its pipe.
   */
  @Test
  void aTmpdirWithoutNamedPipesFallsBackToTmp() throws Exception {
    Path mkfifo = Path.of("/usr/bin/mkfifo");
    assumeTrue(Files.isExecutable(mkfifo), "mkfifo");
    Path tmp = Files.createDirectories(root.resolve("vfat"));
    // a stand-in mkfifo that refuses in that TMPDIR as vfat does
    Path tools = Files.createDirectories(root.resolve("tools"));
    Files.writeString(tools.resolve("mkfifo"), """
        #!/bin/sh
        case "$1" in
          %s/*) echo "mkfifo: cannot create fifo '$1': Operation not permitted" >&2; exit 1 ;;
        esac
        exec %s "$@"
        """.formatted(tmp, mkfifo));
    Files.setPosixFilePermissions(tools.resolve("mkfifo"), PosixFilePermissions.fromString("rwxr-xr-x"));
    assertEquals("OPENBLAS_NUM_THREADS=1", output(Map.of("TMPDIR", tmp.toString(),
        "PATH", tools + ":" + System.getenv("PATH")), "bench"));
    try (var files = Files.list(tmp)) {
      assertEquals(List.of(), files.map(f -> f.getFileName().toString()).toList(), "left in TMPDIR");
    }
  }

  @Test
  void otherCommandsLeaveItAlone() throws Exception {
    assertEquals("OPENBLAS_NUM_THREADS=unset", openblasThreads(null, "train", "--help"));
    assertEquals("OPENBLAS_NUM_THREADS=unset", openblasThreads(null, "predict", "bench"));
  }

  /**
   * VMLP_JAVA_OPTS whose last word ends in a byte that is not valid UTF-8 (Latin-1 here) reaches java as
   * it is: bash's read said 1 for it in a UTF-8 locale, and set -e ended the script with status 1 and
   * not a word.
   */
  @Test
  void javaOptionsEndingInAByteThatIsNotUtf8ReachJava() throws Exception {
    standIn("/bin/sh", """
        for a in "$@"; do case "$a" in -Dvmlp.*) echo "$a" ;; esac; done
        """);
    // a byte that a Java string cannot carry into the environment: bash puts it there
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", "-c",
        "VMLP_JAVA_OPTS=$'-Dvmlp.a=1 -Dvmlp.b=caf\\351' exec /bin/bash \"$0\" train",
        root.resolve("bin/vmlp").toString());
    pb.environment().put("JAVA_HOME", root.resolve("jdk").toString());
    pb.environment().put("LC_ALL", "C.UTF-8");
    Path outFile = root.resolve("opts.txt");
    Path errFile = root.resolve("opts-err.txt");
    Process p = pb.redirectOutput(outFile.toFile()).redirectError(errFile.toFile()).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("bin/vmlp train did not finish in 30 s");
    }
    assertEquals(0, p.exitValue(), Files.readString(errFile, StandardCharsets.ISO_8859_1));
    assertEquals("-Dvmlp.a=1\n-Dvmlp.b=caf\351\n", Files.readString(outFile, StandardCharsets.ISO_8859_1));
  }

  /**
   * VMLP_JAVA_OPTS is split into words as a shell splits a command's words, quotes and backslashes
   * included, with nothing expanded or run: it was split on blanks alone, so that no option could hold a
   * space (-Dvmlp.note="a b" reached java as the two words -Dvmlp.note="a and b", quotes and all).
   */
  @Test
  void javaOptionsAreSplitAsAShellSplitsWordsWithNothingRun() throws Exception {
    standIn("/bin/sh", """
        # the options between the launcher's own and -jar
        for a in "$@"; do
          case "$a" in
            --add-modules | jdk.incubator.vector | --sun-misc-unsafe-memory-access=allow | -XX:+UseParallelGC) ;;
            -jar) break ;;
            *) printf '[%s]\n' "$a" ;;
          esac
        done
        """);
    assertEquals("[-Dvmlp.note=a b]\n[-Xmx1g]", output(Map.of("VMLP_JAVA_OPTS", "-Dvmlp.note=\"a b\" -Xmx1g"), "train"));
    assertEquals("[-Dvmlp.a=it's]\n[-Dvmlp.b=c d]\n[-Dvmlp.c=\"q\" \\ $x]\n[-Dvmlp.d=]\n[-Xmx1g]",
        output(Map.of("VMLP_JAVA_OPTS", " '-Dvmlp.a=it'\\''s'\t-Dvmlp.b=c\\ d\n\"-Dvmlp.c=\\\"q\\\" \\\\ \\$x\" -Dvmlp.d='' -Xmx1g "),
            "train"));
    // command substitution, a glob, a variable and a second command stay text
    Path ran = root.resolve("ran");
    String code = "-Dvmlp.a=$(touch " + ran + ") -Dvmlp.b=`touch " + ran + "` -Dvmlp.c=* -Dvmlp.d=;touch " + ran
        + " -Dvmlp.e=$HOME \"-Dvmlp.f=$(touch " + ran + ")\"";
    assertEquals("[-Dvmlp.a=$(touch]\n[" + ran + ")]\n[-Dvmlp.b=`touch]\n[" + ran + "`]\n[-Dvmlp.c=*]\n"
        + "[-Dvmlp.d=;touch]\n[" + ran + "]\n[-Dvmlp.e=$HOME]\n[-Dvmlp.f=$(touch " + ran + ")]", output(Map.of("VMLP_JAVA_OPTS", code), "train"));
    assertFalse(Files.exists(ran), "a command in VMLP_JAVA_OPTS was run");
  }

  /** A quote in VMLP_JAVA_OPTS that is not closed is an error that names it, and java is not run. */
  @Test
  void javaOptionsWithAQuoteNotClosedAreRefused() throws Exception {
    ScriptRun r = ScriptRun.of(List.of("/bin/bash", root.resolve("bin/vmlp").toString(), "train"),
        Map.of("JAVA_HOME", root.resolve("jdk").toString(), "VMLP_JAVA_OPTS", "-Xmx1g '-Dvmlp.note=a b"));
    assertEquals(1, r.exit(), r.err());
    assertEquals("", r.out(), "java ran");
    assertTrue(r.err().startsWith("vmlp: VMLP_JAVA_OPTS has a ' at character 8 that is not closed: -Xmx1g '-Dvmlp.note=a b\n"),
        r.err());
    // the quote's place in characters, not bytes, in a UTF-8 locale: it was said to be at 17, the bytes of
    // '-Dnote=日本語"' (the 11 characters up to it)
    // (bash puts the UTF-8 bytes in the environment: Java writes them in the test's locale, which may be C)
    String japanese = "\\346\\227\\245\\346\\234\\254\\350\\252\\236";
    ScriptRun utf8 = ScriptRun.of(List.of("/bin/bash", "-c", "s=$'" + japanese + "'; echo ${#s}"), Map.of("LC_ALL", "C.UTF-8"));
    assumeTrue(utf8.out().strip().equals("3"), "a C.UTF-8 locale");
    ScriptRun wide = ScriptRun.of(List.of("/bin/bash", "-c", "VMLP_JAVA_OPTS=$'-Dnote=" + japanese + "\"x' exec /bin/bash \"$0\" train",
        root.resolve("bin/vmlp").toString()), Map.of("JAVA_HOME", root.resolve("jdk").toString(), "LC_ALL", "C.UTF-8"));
    assertEquals(1, wide.exit(), wide.err());
    assertTrue(wide.err().startsWith("vmlp: VMLP_JAVA_OPTS has a \" at character 11 that is not closed: -Dnote=日本語\"x\n"),
        wide.err());
  }

  @Test
  void aClosedStandardInputReachesJavaAsAnEmptyOne() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "/proc");
    // java would otherwise open its lib/modules as its file 0, and --input /dev/stdin would read that
    standIn("/bin/sh", """
        echo "stdin=$(readlink /proc/self/fd/0 2>/dev/null || echo closed)"
        """);
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", "-c", "exec /bin/bash \"$0\" predict <&-",
        root.resolve("bin/vmlp").toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().remove("VMLP_JAVA_OPTS");
    pb.environment().put("JAVA_HOME", root.resolve("jdk").toString());
    Path outFile = root.resolve("stdin.txt");
    pb.redirectOutput(outFile.toFile());
    Process p = pb.start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("bin/vmlp predict did not finish in 30 s");
    }
    assertEquals("stdin=/dev/null", Files.readString(outFile, StandardCharsets.UTF_8).strip());
  }

  /** Puts a stand-in {@code mvn} first on the PATH: it runs {@code body} (sh) in the root and counts its builds. */
  Map<String, String> standInMaven(ProcessBuilder pb, String body) throws IOException {
    Path mvn = Files.createDirectories(root.resolve("mvnbin")).resolve("mvn");
    Files.writeString(mvn, "#!/bin/sh\necho build >> builds.log\n" + body + "\n");
    Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
    Map<String, String> env = pb.environment();
    env.put("PATH", mvn.getParent() + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    return env;
  }

  /** Runs bin/vmlp {@code args} with the stand-in JDK and Maven, and returns its exit code. */
  int runWithMaven(String mavenBody, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("/bin/bash", root.resolve("bin/vmlp").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = standInMaven(pb, mavenBody);
    env.remove("VMLP_JAVA_OPTS");
    env.put("JAVA_HOME", root.resolve("jdk").toString());
    Process p = pb.start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("bin/vmlp " + String.join(" ", args) + " did not finish in 30 s");
    }
    return p.exitValue();
  }

  int builds() throws IOException {
    Path log = root.resolve("builds.log");
    return Files.exists(log) ? Files.readAllLines(log).size() : 0;
  }

  @Test
  void aSourceSavedDuringTheBuildLeavesTheJarStale() throws Exception {
    Files.delete(root.resolve("cli/target/vmlp-cli-0-all.jar"));
    Path source = Files.createDirectories(root.resolve("core/src")).resolve("A.java");
    Files.writeString(source, "");
    Files.setLastModifiedTime(source, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
    // the jar is written, then a source is saved before Maven returns
    String build = "mkdir -p cli/target && : > cli/target/vmlp-cli-0-all.jar && sleep 1 && touch core/src/A.java";
    assertEquals(0, runWithMaven(build, "train", "--help"));
    assertEquals(1, builds());
    assertEquals(0, runWithMaven(build.replace(" && sleep 1 && touch core/src/A.java", ""), "train", "--help"));
    assertEquals(2, builds(), "the edit made during the first build was not built");
    assertEquals(0, runWithMaven("exit 1", "train", "--help"));
    assertEquals(2, builds(), "a current jar was built again");
  }

  /**
   * A build that fails, or that Ctrl-C stops, once Maven has begun to write the jar leaves a file newer
   * than the sources: the next run builds again rather than run it.
   */
  @Test
  void aBuildThatFailsOrIsStoppedLeavesNoJarThatPassesForCurrent() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "setsid");
    Path jar = root.resolve("cli/target/vmlp-cli-0-all.jar");
    Path source = Files.createDirectories(root.resolve("core/src")).resolve("A.java");
    Files.writeString(source, "");
    long now = System.currentTimeMillis();
    Files.setLastModifiedTime(jar, FileTime.fromMillis(now - 3_600_000));
    Files.setLastModifiedTime(source, FileTime.fromMillis(now - 1_800_000)); // newer than the jar, older than a build
    String half = ": > cli/target/vmlp-cli-0-all.jar; echo half > cli/target/vmlp-cli-0-all.jar";
    assertEquals(1, runWithMaven(half + "; exit 1", "train", "--help"));
    assertEquals(1, builds());
    assertEquals(0, runWithMaven(": > cli/target/vmlp-cli-0-all.jar", "train", "--help"));
    assertEquals(2, builds(), "the jar that a failed build left passed for current");

    Files.setLastModifiedTime(jar, FileTime.fromMillis(now - 3_600_000)); // the source is edited again
    // Ctrl-C in the middle of the build: SIGINT to the process group, which setsid makes its own
    ProcessBuilder pb = new ProcessBuilder("/usr/bin/setsid", "/bin/bash", root.resolve("bin/vmlp").toString(),
        "train", "--help").directory(root.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = standInMaven(pb, half + "; kill -INT 0; sleep 5");
    env.put("JAVA_HOME", root.resolve("jdk").toString());
    Process p = pb.start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("bin/vmlp did not end after SIGINT");
    }
    assertEquals(3, builds());
    assertEquals(0, runWithMaven(": > cli/target/vmlp-cli-0-all.jar", "train", "--help"));
    assertEquals(4, builds(), "the jar that an interrupted build left passed for current");
  }

  /**
   * A signal sent to the script alone (kill PID) while Maven builds the jar stops the build: SIGINT
   * waited for the whole build and then ran java (exit status 0), and SIGTERM ended the script at once
   * while Maven went on building, its lock released. Maven is now stopped, the script exits with the
   * signal's status, and the jar that Maven had begun to rewrite is the one from before the build (or
   * none, where there was none).
   */
  @Test
  void aSignalToTheScriptAloneStopsTheBuild() throws Exception {
    assertEquals("good", stopTheBuild("TERM", 143, true));
    assertEquals("good", stopTheBuild("INT", 130, true));
    assertEquals(2, builds());
    assertEquals(0, runWithMaven(": > cli/target/vmlp-cli-0-all.jar", "train", "--help"));
    assertEquals(3, builds(), "the jar that was put back passed for current");
    assertEquals(null, stopTheBuild("TERM", 143, false));
    assumeTrue(!ignoredHere(1), "SIGHUP is ignored (nohup)");
    assertEquals("good", stopTheBuild("HUP", 129, true));
  }

  /**
   * Runs bin/vmlp train with a stale jar that holds "good" ({@code jar}) or none, on a stand-in Maven that
   * rewrites the jar and would then take 20 s more; sends {@code signal} to the script's pid once the
   * jar is half written, and returns what the jar holds once the script has ended (null: there is none).
   */
  String stopTheBuild(String signal, int status, boolean jar) throws Exception {
    Path jarFile = root.resolve("cli/target/vmlp-cli-0-all.jar");
    Path source = Files.createDirectories(root.resolve("core/src")).resolve("A.java");
    Files.writeString(source, "");
    Files.deleteIfExists(jarFile);
    Files.deleteIfExists(root.resolve("cli/target/.vmlp-build-unfinished")); // left by a build that made no jar
    if (jar) { // from a finished build, and older than a source
      Files.writeString(jarFile, "good");
      Files.setLastModifiedTime(jarFile, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
    }
    Path ready = root.resolve("mvn-ready");
    Path finished = root.resolve("mvn-finished");
    Files.deleteIfExists(ready);
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", root.resolve("bin/vmlp").toString(), "train")
        .directory(root.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = standInMaven(pb, """
        mkdir -p cli/target && echo half > cli/target/vmlp-cli-0-all.jar
        echo $$ > %s.tmp && mv %s.tmp %s
        i=0; while [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done
        echo built > cli/target/vmlp-cli-0-all.jar; : > %s
        """.formatted(ready, ready, ready, finished));
    env.remove("VMLP_JAVA_OPTS");
    env.put("JAVA_HOME", root.resolve("jdk").toString());
    Path outFile = root.resolve("stopped-build.txt");
    Process p = pb.redirectOutput(outFile.toFile()).start();
    try {
      for (int i = 0; i < 1000 && !Files.exists(ready); i++) {
        Thread.sleep(10);
      }
      long maven = Long.parseLong(Files.readString(ready).strip());
      assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        fail("bin/vmlp did not end within 10 s of SIG" + signal + " during the build");
      }
      assertEquals(status, p.exitValue(), "the status of the signal the script got");
      assertFalse(ProcessHandle.of(maven).map(ProcessHandle::isAlive).orElse(false), "Maven went on after SIG" + signal);
      assertFalse(Files.exists(finished), "Maven finished the build");
      assertEquals("", Files.readString(outFile, StandardCharsets.UTF_8), "java ran");
      assertTrue(Files.notExists(root.resolve("cli/target/.vmlp-build.lock")), "the lock is left");
    } finally {
      killAll(p);
    }
    return Files.exists(jarFile) ? Files.readString(jarFile).strip() : null;
  }

  /**
   * Ctrl-\ (SIGQUIT to the process group) during the build makes Maven's JVM print a thread dump and go
   * on. It ended the subshell that ran Maven: the script said the build had failed and exited 1 (its lock
   * released) while Maven went on building in the background.
   */
  @Test
  void aQuitDuringTheBuildLetsItFinish() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "setsid");
    Files.delete(root.resolve("cli/target/vmlp-cli-0-all.jar"));
    ProcessBuilder pb = new ProcessBuilder("/usr/bin/setsid", "/bin/bash", root.resolve("bin/vmlp").toString(),
        "train").directory(root.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
    // a Maven that, like a JVM, goes on after SIGQUIT (and ignores it when it came in ignored)
    Map<String, String> env = standInMaven(pb, "trap 'echo dump >&2' QUIT; kill -QUIT 0; sleep 1; "
        + "mkdir -p cli/target && : > cli/target/vmlp-cli-0-all.jar");
    env.remove("VMLP_JAVA_OPTS");
    env.put("JAVA_HOME", root.resolve("jdk").toString());
    Path outFile = root.resolve("quit-build.txt");
    Process p = pb.redirectOutput(outFile.toFile()).start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        fail("bin/vmlp did not end after SIGQUIT during the build");
      }
    } finally {
      killAll(p);
    }
    assertEquals(0, p.exitValue(), "the build was taken for failed");
    assertEquals("OPENBLAS_NUM_THREADS=unset", Files.readString(outFile, StandardCharsets.UTF_8).strip(), "java ran");
    assertEquals(1, builds());
  }

  @Test
  void theBuildIsToldOfTheJdkFound() throws Exception {
    // the toolchain plugin does not look where bin/vmlp does (/opt/jdk*, java on PATH): it is told
    Files.delete(root.resolve("cli/target/vmlp-cli-0-all.jar"));
    String build = "echo \"$JAVA_VMLP_HOME\" > toolchain.txt; mkdir -p cli/target; : > cli/target/vmlp-cli-0-all.jar";
    assertEquals(0, runWithMaven(build, "train", "--help"));
    assertEquals(root.resolve("jdk").toRealPath().toString(), Files.readString(root.resolve("toolchain.txt")).strip());
  }

  /**
   * An exported CDPATH does not move the repository root when the script is run by a relative path, as
   * the README does (bin/vmlp): its cd's went to a folder of CDPATH's that has a bin/, which held no jar
   * (so Maven was run there), and with CDPATH=. to this one with its path printed, twice in the root.
   */
  @Test
  void anExportedCdpathLeavesTheRootAlone() throws Exception {
    Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
    Files.createDirectories(elsewhere.resolve("bin"));
    for (String cdpath : List.of(elsewhere.toString(), ".")) {
      ProcessBuilder pb = new ProcessBuilder("/bin/bash", "bin/vmlp", "train").directory(root.toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD);
      Map<String, String> env = standInMaven(pb, "exit 1");
      env.remove("VMLP_JAVA_OPTS");
      env.remove("OPENBLAS_NUM_THREADS");
      env.put("JAVA_HOME", root.resolve("jdk").toString());
      env.put("CDPATH", cdpath);
      Path outFile = root.resolve("cdpath.txt");
      Process p = pb.redirectOutput(outFile.toFile()).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("bin/vmlp train did not finish in 30 s");
      }
      assertEquals(0, p.exitValue(), "CDPATH=" + cdpath);
      assertEquals("OPENBLAS_NUM_THREADS=unset", Files.readString(outFile, StandardCharsets.UTF_8).strip(), "java ran");
    }
    assertEquals(0, builds(), "the current jar was not found");
    assertTrue(Files.notExists(elsewhere.resolve("cli")), "nothing written in CDPATH's folder");
  }

  /**
   * In the C locale (cron, many containers), whose character set is ASCII, java reads file names in UTF-8:
   * it read them in ASCII, so a jar in a folder named with other letters ('it's ü') could not be opened
   * ('Error: An unexpected error occurred while trying to open file .../it's ??/...'), nor Maven build it.
   */
  @Test
  void javaReadsFileNamesInUtf8InTheCLocale() throws Exception {
    Path locale = Path.of("/usr/bin/locale");
    assumeTrue(Files.isExecutable(locale), "locale");
    ScriptRun utf8 = ScriptRun.of(List.of(locale.toString(), "charmap"), Map.of("LC_ALL", "C.UTF-8"));
    assumeTrue(utf8.out().strip().equals("UTF-8"), "a C.UTF-8 locale");
    // the real JDK says what it reads file names in
    standIn("/bin/sh", """
        exec %s -XshowSettings:properties -version 2>&1 | sed -n 's/^ *sun.jnu.encoding = //p'
        """.formatted(Path.of(System.getProperty("java.home"), "bin", "java")));
    assertEquals("UTF-8", output(Map.of("LC_ALL", "C"), "train"));
    assertEquals("UTF-8", output(Map.of("LC_ALL", "", "LC_CTYPE", "POSIX"), "train"));
    assertEquals("UTF-8", output(Map.of("LC_ALL", "", "LC_CTYPE", "", "LANG", "C"), "train"));
  }

  /**
   * A signal to the process group (Ctrl-C, or SIGTERM as here) reaches java, which may take a moment to
   * stop and write its last lines (train --save saves the model so far): the script lets those lines
   * through and exits after java, with its status.
   */
  @Test
  void aSignalToTheGroupLetsJavaFinishItsLastLines() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "setsid");
    Path done = root.resolve("java-done");
    standIn("/bin/bash", """
        trap 'sleep 0.5; echo "stopping, saved" >&2; : > %s; exit 143' TERM
        echo ready >&2
        while :; do sleep 0.05; done
        """.formatted(done));
    GroupRun run = signalTheGroup("TERM");
    List<String> lines = run.lines();
    lines.removeIf(l -> l.endsWith("Terminated")); // the stand-in's shell reports its sleep, which the signal ended
    assertEquals(List.of("ready", "stopping, saved"), lines, "the filter outlived the signal");
    assertEquals(143, run.exit(), "java's status");
    assertTrue(Files.exists(done), "the script ended after java");
  }

  /**
   * A signal that comes just as java ends (here a java that ends at once on the group's SIGTERM) can
   * cost bash java's status: its wait then said -1, and the script exited 255 (about one run in twelve
   * here). The status is then that of the signal the script got.
   */
  @Test
  void aSignalAsJavaEndsStillGivesTheSignalsStatus() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "setsid");
    standIn("/bin/bash", """
        trap 'exit 143' TERM
        echo ready >&2
        while :; do sleep 0.01; done
        """);
    for (int run = 0; run < 100; run++) {
      assertEquals(143, signalTheGroup("TERM").exit(), "the status after SIGTERM (run " + run + ")");
    }
  }

  /** The standard error lines and exit status of a run of bin/vmlp. */
  record GroupRun(List<String> lines, int exit) {}

  /**
   * Runs bin/vmlp train on the stand-in java in a process group of its own, sends {@code signal} to the
   * whole group (as the terminal does) once java has said ready, and waits at most 30 s for the script.
   */
  GroupRun signalTheGroup(String signal) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("/usr/bin/setsid", "/bin/bash", root.resolve("bin/vmlp").toString(),
        "train").redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("JAVA_HOME", root.resolve("jdk").toString());
    Process p = pb.start(); // setsid runs bash in a new process group whose id is this pid
    List<String> lines = new ArrayList<>();
    try {
      readErrors(p, lines, () -> assertEquals(0, new ProcessBuilder("kill", "-" + signal, "--", "-" + p.pid()).start()
          .waitFor()));
    } finally {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        killAll(p);
        fail("bin/vmlp did not end after SIG" + signal + ": " + lines);
      }
    }
    return new GroupRun(lines, p.exitValue());
  }

  /**
   * Ctrl-\ (SIGQUIT to the process group) makes the JVM print a thread dump and go on. It also reached the
   * stderr filter's grep, which it ended: java's later stderr (its errors, the line of a save) went to the
   * filter's drain and was lost. The filter now ignores it.
   */
  @Test
  void aQuitToTheGroupLeavesTheFilterReadingJavasStderr() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "setsid");
    standIn("/bin/bash", """
        trap 'echo "thread dump" >&2; dumped=1' QUIT
        echo ready >&2
        until [ -n "${dumped:-}" ]; do sleep 0.05; done
        sleep 0.5
        echo "went on" >&2
        exit 3
        """);
    GroupRun run = signalTheGroup("QUIT");
    List<String> lines = run.lines();
    lines.removeIf(l -> l.startsWith("Quit")); // the stand-in's shell reports its sleep, which the signal ended
    assertEquals(List.of("ready", "thread dump", "went on"), lines, "java's stderr after Ctrl-\\");
    assertEquals(3, run.exit(), "java's status");
  }

  /**
   * A signal sent to the script's own process alone (kill PID, as a supervisor stops a service) is passed
   * on to java: bash had deferred its trap until java ended, so that training went on to its end and the
   * exit status was 0. SIGINT is passed on as SIGTERM (a background job's SIGINT may be ignored), and the
   * status is that of the signal the script got. Under nohup (SIGHUP ignored from the start, as it then is
   * in every process the tests start) bash can trap no SIGHUP, nor the stand-in java: that round is skipped
   * (it failed after 30 s with status 137, so that 'nohup .ci/run' failed).
   */
  @Test
  void aSignalToTheScriptAloneReachesJava() throws Exception {
    assertEquals(List.of("ready", "stopping, saved"), stopByASignalToTheScript("TERM", 143));
    assertEquals(List.of("ready", "stopping, saved"), stopByASignalToTheScript("INT", 130));
    assumeTrue(!ignoredHere(1), "SIGHUP is ignored (nohup)");
    assertEquals(List.of("ready", "stopping, saved"), stopByASignalToTheScript("HUP", 129));
  }

  /** Whether this process ignores signal {@code number}, as the processes it starts then do (false without /proc). */
  static boolean ignoredHere(int number) throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return false;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16) >>> (number - 1) & 1) != 0;
      }
    }
    return false;
  }

  /**
   * A signal that comes after the script has set its traps but before java runs (here while it makes the
   * named pipe) is passed on to java as soon as it is started, which was once before java had opened that
   * pipe by its name: the stderr filter then waited for a writer forever, and the script for the filter, so that
   * bin/vmlp never ended (and its filter, which ignores signals, outlived a kill of the script); or the
   * signal was lost, and java ran to its end.
   */
  @Test
  void aSignalBeforeJavaOpensItsStandardErrorStillEndsTheScript() throws Exception {
    Path mkfifo = Path.of("/usr/bin/mkfifo");
    assumeTrue(Files.isExecutable(mkfifo), "mkfifo");
    standIn("/bin/bash", """
        : > %s
        exec sleep 20
        """.formatted(root.resolve("java-started")));
    // a stand-in mkfifo that says when the pipe is made, and then gives the signal time to come
    Path made = root.resolve("pipe-made");
    Path tools = Files.createDirectories(root.resolve("tools"));
    Files.writeString(tools.resolve("mkfifo"), """
        #!/bin/sh
        %s "$@" || exit
        : > %s
        sleep 1
        """.formatted(mkfifo, made));
    Files.setPosixFilePermissions(tools.resolve("mkfifo"), PosixFilePermissions.fromString("rwxr-xr-x"));
    for (int run = 0; run < 20; run++) { // a signal lost in the race below was about one run in ten
      Files.deleteIfExists(made);
      ProcessBuilder pb = new ProcessBuilder("/bin/bash", root.resolve("bin/vmlp").toString(), "train")
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
      pb.environment().put("JAVA_HOME", root.resolve("jdk").toString());
      pb.environment().put("PATH", tools + ":" + System.getenv("PATH"));
      Process p = pb.start();
      try {
        for (int i = 0; i < 1000 && !Files.exists(made); i++) {
          Thread.sleep(10);
        }
        assertTrue(Files.exists(made), "the script made its named pipe");
        assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor());
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
          fail("bin/vmlp did not end after a SIGTERM that came before java ran (run " + run + ")");
        }
        assertEquals(143, p.exitValue(), "the status of the signal the script got");
        // passed on to the subshell that starts java as it began, before it reset the script's traps, the
        // signal could be lost, and java ran to its end (exit status 0): java is now not started at all
        assertFalse(Files.exists(root.resolve("java-started")), "java started after the signal (run " + run + ")");
      } finally {
        killAll(p);
      }
    }
  }

  /**
   * The named pipe between java and the stderr filter, and its folder, are gone before java starts: a
   * script killed by SIGKILL (a CI's time limit, the OOM killer), which runs no trap, left them in TMPDIR
   * for good. Java's stderr still passes through the filter, less the incubator warning.
   */
  @Test
  void aKilledScriptLeavesNothingInTmpdir() throws Exception {
    standIn("/bin/bash", """
        echo 'WARNING: Using incubator modules: jdk.incubator.vector' >&2
        echo 'training' >&2
        echo ready >&2
        exec sleep 20
        """);
    Path tmp = Files.createDirectories(root.resolve("tmp"));
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", root.resolve("bin/vmlp").toString(), "train")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("JAVA_HOME", root.resolve("jdk").toString());
    pb.environment().put("TMPDIR", tmp.toString());
    Process p = pb.start();
    List<String> lines = new ArrayList<>();
    List<String> whileJavaRan = new ArrayList<>();
    try {
      readErrors(p, lines, () -> {
        try (var files = Files.list(tmp)) {
          files.forEach(f -> whileJavaRan.add(f.getFileName().toString()));
        }
        List<ProcessHandle> children = p.descendants().toList();
        p.toHandle().destroyForcibly(); // SIGKILL to the script (its stderr still read), then to java and the filter
        children.forEach(ProcessHandle::destroyForcibly);
      });
    } finally {
      killAll(p);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        fail("bin/vmlp did not end after SIGKILL");
      }
    }
    assertEquals(List.of("training", "ready"), lines, "java's stderr through the filter");
    try (var files = Files.list(tmp)) {
      assertEquals(List.of(), files.map(f -> f.getFileName().toString()).toList(), "left in TMPDIR by a killed script");
    }
    assertEquals(List.of(), whileJavaRan, "in TMPDIR while java ran");
  }

  /**
   * A signal to the process group (Ctrl-C, or SIGTERM as here) while the script removes its named pipe's
   * folder ended rm with the script's other children, and the folder and its pipe stayed in TMPDIR for
   * good (the EXIT trap that had removed them was already reset).
   */
  @Test
  void aSignalToTheGroupAsThePipeIsRemovedLeavesNothingInTmpdir() throws Exception {
    Path rm = Path.of("/bin/rm");
    assumeTrue(Files.isExecutable(rm), "rm");
    assertEquals(List.of(), leftInTmpdirByASignalDuring("rm", """
        : > "$STARTED"
        sleep 1
        exec %s "$@"
        """.formatted(rm)), "left in TMPDIR");
  }

  /**
   * A signal to the process group as mktemp had made the pipe's folder but not yet named it ended mktemp,
   * and the empty folder stayed in TMPDIR for good, as the script had no name to remove it by.
   */
  @Test
  void aSignalToTheGroupAsThePipesFolderIsMadeLeavesNothingInTmpdir() throws Exception {
    Path mktemp = Path.of("/usr/bin/mktemp");
    assumeTrue(Files.isExecutable(mktemp), "mktemp");
    assertEquals(List.of(), leftInTmpdirByASignalDuring("mktemp", """
        d="$(%s "$@")" || exit
        : > "$STARTED"
        sleep 1
        echo "$d"
        """.formatted(mktemp)), "left in TMPDIR");
  }

  /**
   * Runs bin/vmlp train in a process group of its own, with TMPDIR a new folder and first on the PATH a
   * stand-in {@code tool} whose {@code body} (sh) makes the file $STARTED to say that the signal may come;
   * sends SIGTERM to the group then, and returns what is left in TMPDIR once the script has ended with
   * the status of that signal.
   */
  List<String> leftInTmpdirByASignalDuring(String tool, String body) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "setsid");
    Path tmp = Files.createDirectories(root.resolve("tmp"));
    Path started = root.resolve(tool + "-started");
    Path tools = Files.createDirectories(root.resolve("tools"));
    Files.writeString(tools.resolve(tool), "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(tools.resolve(tool), PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder pb = new ProcessBuilder("/usr/bin/setsid", "/bin/bash", root.resolve("bin/vmlp").toString(),
        "train").redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("JAVA_HOME", root.resolve("jdk").toString());
    pb.environment().put("TMPDIR", tmp.toString());
    pb.environment().put("STARTED", started.toString());
    pb.environment().put("PATH", tools + ":" + System.getenv("PATH"));
    Process p = pb.start(); // setsid runs bash in a new process group whose id is this pid
    try {
      for (int i = 0; i < 1000 && !Files.exists(started); i++) {
        Thread.sleep(10);
      }
      assertTrue(Files.exists(started), "the script ran " + tool);
      assertEquals(0, new ProcessBuilder("kill", "-TERM", "--", "-" + p.pid()).start().waitFor());
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        fail("bin/vmlp did not end after SIGTERM");
      }
    } finally {
      killAll(p);
    }
    assertEquals(143, p.exitValue(), "the status of the signal the script got");
    try (var files = Files.list(tmp)) {
      return files.map(f -> f.getFileName().toString()).toList();
    }
  }

  /**
   * A process that java started and that keeps java's stderr (here one that java sent to the background)
   * does not hold the script after java has ended: the script waited for the stderr filter, which reads
   * until every writer has closed the pipe, and so for that process as long as it ran, a signal to the
   * script notwithstanding. It now waits 3 s at most, exits with java's status, and the filter goes on
   * alone, still passing on that process's lines (less the incubator warning).
   */
  @Test
  void aProcessThatKeepsJavasStderrDoesNotHoldTheScript() throws Exception {
    Path child = root.resolve("child.pid");
    standIn("/bin/sh", """
        echo 'java: last line' >&2
        sh -c 'sleep 6; echo "WARNING: Using incubator modules: jdk.incubator.vector" >&2; echo "child: later" >&2; exec sleep 30' &
        echo $! > %s
        exit 3
        """.formatted(child));
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", root.resolve("bin/vmlp").toString(), "train")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("JAVA_HOME", root.resolve("jdk").toString());
    Path errFile = root.resolve("kept-stderr.txt");
    long start = System.nanoTime();
    Process p = pb.redirectError(errFile.toFile()).start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        fail("bin/vmlp did not end in 30 s");
      }
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      assertEquals(3, p.exitValue(), "java's status");
      assertTrue(seconds < 6, "the script waited " + seconds + " s, for java's child");
      assertEquals("java: last line\n", Files.readString(errFile, StandardCharsets.UTF_8), "java's stderr");
      for (int i = 0; i < 1000 && !Files.readString(errFile, StandardCharsets.UTF_8).contains("later"); i++) {
        Thread.sleep(10);
      }
      assertEquals("java: last line\nchild: later\n", Files.readString(errFile, StandardCharsets.UTF_8),
          "the child's stderr, through the filter");
    } finally {
      killAll(p);
      if (Files.exists(child)) {
        ProcessHandle.of(Long.parseLong(Files.readString(child).strip())).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  /**
   * A stderr filter that cannot write (standard error closed here) must still read java's lines to their
   * end: java's writes would otherwise fail, and end this stand-in with SIGPIPE (when the script held the
   * pipe open, and so was one of its readers, java waited forever once the pipe was full).
   */
  @Test
  void javaIsNotHeldUpWhenStandardErrorIsClosed() throws Exception {
    standIn("/bin/bash", """
        for i in $(seq 4000); do echo "epoch $i of a long run, as train --json writes them to stderr" >&2; done
        echo done
        """);
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", "-c", "exec /bin/bash \"$0\" train 2>&-",
        root.resolve("bin/vmlp").toString());
    pb.environment().put("JAVA_HOME", root.resolve("jdk").toString());
    Path outFile = root.resolve("closed-stderr.txt");
    pb.redirectOutput(outFile.toFile());
    Process p = pb.start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        fail("bin/vmlp did not finish in 30 s with its standard error closed");
      }
    } finally {
      killAll(p);
    }
    assertEquals("done", Files.readString(outFile, StandardCharsets.UTF_8).strip());
    assertEquals(0, p.exitValue());
  }

  /**
   * With standard error closed, a run that must build the jar builds it and runs java: the line that
   * says a build begins failed to be written, and set -e ended the script (status 1, no word said).
   */
  @Test
  void aBuildWithStandardErrorClosedStillRuns() throws Exception {
    Files.delete(root.resolve("cli/target/vmlp-cli-0-all.jar"));
    standIn("/bin/sh", "echo ran\n");
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", "-c", "exec /bin/bash \"$0\" train 2>&-",
        root.resolve("bin/vmlp").toString()).directory(root.toFile());
    Map<String, String> env = standInMaven(pb, "mkdir -p cli/target && : > cli/target/vmlp-cli-0-all.jar");
    env.remove("VMLP_JAVA_OPTS");
    env.put("JAVA_HOME", root.resolve("jdk").toString());
    Path outFile = root.resolve("closed-stderr-build.txt");
    Process p = pb.redirectOutput(outFile.toFile()).start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        fail("bin/vmlp did not finish in 30 s with its standard error closed");
      }
    } finally {
      killAll(p);
    }
    assertEquals(1, builds());
    assertEquals("ran", Files.readString(outFile, StandardCharsets.UTF_8).strip());
    assertEquals(0, p.exitValue());
  }

  /**
   * Every byte of java's stderr but the incubator warning's line passes the filter, text or not: grep
   * took a line that is not valid in the locale's encoding (a byte of Latin-1 in a UTF-8 locale, as the
   * JVM's launcher prints an option from VMLP_JAVA_OPTS) for binary data and dropped it, and after a NUL
   * byte it dropped every later line (an error, the line of a save), saying 'binary file matches'.
   */
  @Test
  void bytesThatAreNotTextPassTheFilter() throws Exception {
    standIn("/bin/bash", """
        echo 'WARNING: Using incubator modules: jdk.incubator.vector' >&2
        printf 'Unrecognized option: -Xcaf\\351\\n' >&2
        printf 'a NUL \\000 here\\n' >&2
        echo 'error: the last line' >&2
        exit 3
        """);
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", root.resolve("bin/vmlp").toString(), "train")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("JAVA_HOME", root.resolve("jdk").toString());
    pb.environment().put("LC_ALL", "C.UTF-8");
    Path errFile = root.resolve("binary-stderr.txt");
    Process p = pb.redirectError(errFile.toFile()).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("bin/vmlp train did not finish in 30 s");
    }
    assertEquals("Unrecognized option: -Xcaf\\351\na NUL \\000 here\nerror: the last line\n",
        new String(Files.readAllBytes(errFile), StandardCharsets.ISO_8859_1)
            .replace("\351", "\\351").replace("\0", "\\000"), "java's stderr through the filter");
    assertEquals(3, p.exitValue(), "java's status");
  }

  /** What a test does when the stand-in java says it is ready. */
  @FunctionalInterface
  interface OnReady {
    void run() throws Exception;
  }

  /** Reads {@code p}'s standard error to its end into {@code lines}, calling {@code onReady} at the line "ready". */
  static void readErrors(Process p, List<String> lines, OnReady onReady) throws Exception {
    try (var err = new java.io.BufferedReader(new java.io.InputStreamReader(p.getErrorStream(),
        StandardCharsets.UTF_8))) {
      for (String line = err.readLine(); line != null; line = err.readLine()) {
        lines.add(line);
        if (line.equals("ready")) {
          onReady.run();
        }
      }
    }
  }

  /** Runs bin/vmlp train on a stand-in java that stops on SIGTERM or SIGHUP, sends {@code signal} to the script's pid. */
  List<String> stopByASignalToTheScript(String signal, int status) throws Exception {
    Path done = root.resolve("java-done-" + signal);
    standIn("/bin/bash", """
        trap 'sleep 0.5; echo "stopping, saved" >&2; : > %s; exit 143' TERM
        trap 'sleep 0.5; echo "stopping, saved" >&2; : > %s; exit 129' HUP
        echo ready >&2
        while :; do sleep 0.05; done
        """.formatted(done, done));
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", root.resolve("bin/vmlp").toString(), "train")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("JAVA_HOME", root.resolve("jdk").toString());
    Process p = pb.start();
    List<String> lines = new ArrayList<>();
    try {
      readErrors(p, lines, () -> {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
        // a signal that never reaches java would leave the reading forever: end it all after 30 s
        CompletableFuture.delayedExecutor(30, TimeUnit.SECONDS).execute(() -> {
          killAll(p);
        });
      });
    } finally {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("bin/vmlp did not end after SIG" + signal + " to its pid: " + lines);
      }
    }
    lines.removeIf(l -> l.endsWith("Terminated") || l.endsWith("Hangup"));
    assertEquals(status, p.exitValue(), "the status of the signal the script got");
    assertTrue(Files.exists(done), "the script ended after java");
    return lines;
  }
}
