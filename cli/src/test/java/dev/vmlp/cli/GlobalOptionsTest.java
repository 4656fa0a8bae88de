package dev.vmlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The global flags and the log format. */
class GlobalOptionsTest {

  @Test
  void globalFlagsWorkBeforeAndAfterTheCommand() {
    for (List<String> args : List.of(List.of("--verbose", "--quiet", "train"), List.of("train", "--verbose", "--quiet"))) {
      Main main = new Main(System.out, System.err, false);
      new CommandLine(main).parseArgs(args.toArray(String[]::new));
      assertTrue(main.verbose, args::toString);
      assertTrue(main.quiet, args::toString);
    }
  }

  /** {@code --version}: vmlp's version (the one model files record) and Java's, on stdout, status 0. */
  @Test
  void versionSaysVmlpsAndJavasVersions() throws Exception {
    for (String flag : List.of("--version", "-V")) {
      CliRun run = CliRun.of(flag);
      assertEquals(0, run.exit(), run::toString);
      assertEquals("", run.err(), run::toString);
      List<String> lines = run.out().lines().toList();
      java.util.Properties built = new java.util.Properties();
      try (var in = Main.class.getResourceAsStream("/dev/vmlp/io/version.properties")) {
        built.load(in);
      }
      assertFalse(built.getProperty("version", "").isEmpty());
      assertEquals(List.of("vmlp " + built.getProperty("version"), "Java " + Runtime.version() + " ("
          + System.getProperty("java.vendor") + ", " + System.getProperty("java.home") + ")"), lines);
    }
  }

  /**
   * A '%' in Java's vendor or home (a JDK unpacked in /opt/100%d/jdk) is shown as it is: picocli reads the
   * version lines as format strings, so such a line was printed after a '[picocli WARN] Could not format'
   * on stderr, '%%' showed as '%' and '%n' as a line break.
   */
  @Test
  void aPercentInJavasVendorOrHomeIsShownAsItIs() throws Exception {
    String vendor = System.getProperty("java.vendor");
    try {
      for (String odd : List.of("Vendor 100%%", "Vendor a%nb")) {
        System.setProperty("java.vendor", odd);
        CliRun run = CliRun.of("--version");
        assertEquals(0, run.exit(), run::toString);
        assertEquals("", run.err(), run::toString);
        assertEquals("Java " + Runtime.version() + " (" + odd + ", " + System.getProperty("java.home") + ")",
            run.out().lines().toList().get(1), run::toString);
        assertEquals(2, run.out().lines().count(), run::toString);
      }
    } finally {
      System.setProperty("java.vendor", vendor);
    }
  }

  @Test
  void unexpectedFailuresShowTheirStackTraceOnlyWhenVerbose() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Exception boom = new IllegalStateException("boom\nsecond line");

    assertEquals(Main.EXIT_FAILURE, Errors.failure(boom, err, false));
    assertEquals(List.of("vmlp: error: boom; second line (IllegalStateException)"),
        bytes.toString(StandardCharsets.UTF_8).lines().toList());

    bytes.reset();
    assertEquals(Main.EXIT_FAILURE, Errors.failure(boom, err, true));
    List<String> verbose = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals("vmlp: error: boom; second line (IllegalStateException)", verbose.get(0));
    assertTrue(verbose.stream().anyMatch(l -> l.strip().startsWith("at dev.vmlp.cli.GlobalOptionsTest.")), verbose::toString);

    // Expected failures (bad files, bad values) never get a stack trace.
    bytes.reset();
    Errors.failure(new java.nio.file.NoSuchFileException("/x/y.csv"), err, true);
    assertEquals(List.of("vmlp: error: /x/y.csv: no such file or folder"),
        bytes.toString(StandardCharsets.UTF_8).lines().toList());
  }

  @Test
  void fileSystemErrorsNameTheFileAndWhatIsWrong() {
    assertEquals("/m.safetensors: permission denied",
        Errors.describe(new java.nio.file.AccessDeniedException("/m.safetensors")));
    assertEquals("/a/b: not a folder", Errors.describe(new java.nio.file.NotDirectoryException("/a/b")));
    assertEquals("/m.tmp: already exists (/m.safetensors)",
        Errors.describe(new java.nio.file.FileAlreadyExistsException("/m.tmp", "/m.safetensors", null)));
    assertEquals("/x: cannot access (/y)", Errors.describe(new java.nio.file.FileSystemException("/x", "/y", null)));
    // a reason the file system gave is its own message; an UncheckedIOException says what it wraps
    assertEquals("/x: busy", Errors.describe(new java.nio.file.FileSystemException("/x", null, "busy")));
    assertEquals("/z.csv: no such file or folder", Errors.describe(
        new java.io.UncheckedIOException(new java.nio.file.NoSuchFileException("/z.csv"))));
  }

  @Test
  void logRecordsBecomeOneLineEachAndQuietKeepsOnlyWarnings() {
    System.Logger log = System.getLogger("dev.vmlp");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    Logs.configure(err, false);
    log.log(System.Logger.Level.INFO, "vmlp kernels: {0} ({1})", "vector-256", "jdk.incubator.vector");
    log.log(System.Logger.Level.WARNING, "vmlp kernels: scalar fallback, {0}", "two\nlines");
    log.log(System.Logger.Level.DEBUG, "not shown");
    assertEquals(List.of("vmlp kernels: vector-256 (jdk.incubator.vector)",
        "vmlp kernels: scalar fallback, two; lines"), bytes.toString(StandardCharsets.UTF_8).lines().toList());

    bytes.reset();
    Logs.configure(err, true);
    log.log(System.Logger.Level.INFO, "hidden when quiet");
    log.log(System.Logger.Level.WARNING, "shown when quiet");
    List<String> quiet = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(List.of("vmlp: shown when quiet"), quiet);
    assertFalse(quiet.contains("vmlp: hidden when quiet"));
    Logs.configure(System.err, false);
  }

  @Test
  void aLogRecordsExceptionIsNamedOnItsLine() {
    // a record with a throwable (a library's fallback, say) says what went wrong, as an error line would
    System.Logger log = System.getLogger("dev.vmlp");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Logs.configure(err, false);
    try {
      log.log(System.Logger.Level.WARNING, "cannot read the cache",
          new java.nio.file.NoSuchFileException("/c/cache.bin"));
      log.log(System.Logger.Level.WARNING, "odd state", new IllegalStateException("two\nlines"));
      assertEquals(List.of("vmlp: cannot read the cache: /c/cache.bin: no such file or folder",
          "vmlp: odd state: two; lines (IllegalStateException)"), bytes.toString(StandardCharsets.UTF_8).lines().toList());
    } finally {
      Logs.configure(System.err, false);
    }
  }

  @Test
  void theCommandLineLogsItsOwnLinesAndQuietHidesThem() throws Exception {
    // in JVMs of their own: the kernels are chosen, and say so, once per JVM
    List<String> loud = stderrOf("train", "--epochs", "1", "--hidden", "8");
    assertEquals(1, loud.stream().filter(l -> l.startsWith("vmlp kernels: ")).count(), loud::toString);
    assertTrue(loud.stream().allMatch(l -> l.startsWith("vmlp") || l.startsWith("WARNING: Using incubator")),
        () -> "a line not in vmlp's format: " + loud);
    List<String> quiet = stderrOf("--quiet", "train", "--epochs", "1", "--hidden", "8");
    assertTrue(quiet.stream().noneMatch(l -> l.contains("vmlp kernels")), quiet::toString);
  }

  private static List<String> stderrOf(String... args) throws Exception {
    Process p = new ProcessBuilder(CliRun.inNewJvm(List.of("--add-modules=jdk.incubator.vector"), args))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), err);
    return err.lines().toList();
  }
}
