package dev.vmlp.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code vmlp} command. Each subcommand is a class of this package registered in
 * {@link Command#subcommands()}; it reaches the streams and the global flags through its
 * {@link CommandLine.ParentCommand} field.
 *
 * <p>Exit codes: 0 success, 1 a failure while running (bad data file, training error), 2 a bad
 * command line, and 128 plus the signal's number after Ctrl-C, SIGTERM or SIGHUP (130, 143, 129).
 */
@Command(
    name = "vmlp",
    description = "Multilayer perceptrons on the CPU, trained by per-sample SGD.",
    subcommands = {TrainCommand.class, EvalCommand.class, PredictCommand.class, BenchCommand.class},
    synopsisSubcommandLabel = "COMMAND",
    versionProvider = Main.Version.class,
    usageHelpAutoWidth = true)
public final class Main implements Callable<Integer> {
  static final int EXIT_OK = 0;
  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;
  /** Training stopped by Ctrl-C, as a shell reports a command that SIGINT ended (128 + 2). */
  static final int EXIT_STOPPED = 130;

  @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help and exit.")
  boolean help;

  @Option(names = {"-V", "--version"}, versionHelp = true, description = "Show the versions of vmlp and Java, and exit.")
  boolean version;

  @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print the stack trace of unexpected errors.")
  boolean verbose;

  @Option(names = "--quiet", scope = ScopeType.INHERIT, description = "Log only warnings and errors.")
  boolean quiet;

  @Spec
  CommandSpec spec;

  final PrintStream out;
  final PrintStream err;
  /** Whether {@link #out} is an interactive terminal (progress bars are drawn on it). */
  final boolean interactive;

  Main(PrintStream out, PrintStream err, boolean interactive) {
    this.out = out;
    this.err = err;
    this.interactive = interactive;
  }

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code == EXIT_STOPPED) {
      // a signal's shutdown is under way and exits with 128 + its number once the hooks return; an exit
      // call made after they have returned would set this code instead (130 for a SIGTERM)
      return;
    }
    System.exit(code);
  }

  /**
   * Runs the command line {@code args}, writing to {@code out} and {@code err}, and returns the exit
   * code. Progress bars are drawn only when {@code out} is {@link System#out} on a terminal.
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    var console = System.console();
    boolean interactive = out == System.out && console != null && console.isTerminal();
    Main main = new Main(out, err, interactive);
    CommandLine cl = new CommandLine(main);
    BenchCommand.showCompareOnce(cl.getSubcommands().get("bench"));
    cl.setOut(new PrintWriter(out, true, out.charset()));
    cl.setErr(new PrintWriter(err, true, err.charset()));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // Path.of("") is the current folder: an empty value (an unset variable) would read or write there
    cl.registerConverter(Path.class, s -> {
      if (s.isEmpty()) {
        throw new CommandLine.TypeConversionException("'' names no file or folder");
      }
      return Path.of(s);
    });
    cl.setParameterExceptionHandler(Errors::usage);
    cl.setExecutionExceptionHandler((e, c, parsed) -> Errors.failure(e, main.err, main.verbose));
    cl.setExecutionStrategy(parsed -> {
      if (ModuleLayer.boot().findModule("java.logging").isEmpty()) {
        // a jlinked image without it: Logs would end in a NoClassDefFoundError and its stack trace
        err.println(Errors.PREFIX + "vmlp needs the java.logging module, which this Java runtime lacks; use a full "
            + "JDK or add it to the image (jlink --add-modules java.logging)");
        return EXIT_FAILURE;
      }
      Logs.configure(main.err, main.quiet);
      try {
        return new CommandLine.RunLast().execute(parsed);
      } catch (ExceptionInInitializerError e) {
        // the library's one-time setup refused a setting, e.g. -Dvmlp.kernels=vector where it cannot run
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return Errors.failure(cause instanceof Exception ex ? ex : new IllegalStateException(cause), main.err,
            main.verbose);
      }
    });
    try {
      int code = cl.execute(args);
      if (out.checkError()) {
        if (code != EXIT_OK) {
          return code; // the command has said what went wrong
        }
        err.println(Errors.PREFIX + "cannot write to standard output");
        return EXIT_FAILURE;
      }
      return code;
    } catch (OutOfMemoryError e) {
      err.println("vmlp: error: out of memory (" + e.getMessage()
          + "); give the JVM more heap, e.g. VMLP_JAVA_OPTS=-Xmx8g");
      return EXIT_FAILURE;
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * What {@code --version} prints: vmlp's version, the one model files record as
   * {@code vmlp.library_version} (the build writes it into core's {@code version.properties}), and the
   * Java runtime's, which a report of a problem needs beside it.
   */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws java.io.IOException {
      java.util.Properties p = new java.util.Properties();
      try (var in = Main.class.getResourceAsStream("/dev/vmlp/io/version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      // picocli reads each line as a format string: a '%' (a JDK in /opt/100%/jdk) is written as '%%'
      return java.util.stream.Stream.of(
          "vmlp " + p.getProperty("version", "unknown"),
          "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ", "
              + System.getProperty("java.home", "unknown home") + ")")
          .map(line -> line.replace("%", "%%")).toArray(String[]::new);
    }
  }

  /** Without a subcommand: a usage error. */
  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "missing command; try 'vmlp train', 'vmlp eval', 'vmlp predict' or 'vmlp bench'");
  }
}
