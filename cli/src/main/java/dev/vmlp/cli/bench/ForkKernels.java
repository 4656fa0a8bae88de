package dev.vmlp.cli.bench;

import dev.vmlp.internal.kernel.KernelProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The kernels that the benchmark forks choose. Their options can pick other kernels than those of the
 * JVM that runs {@code vmlp bench} ({@code -Dvmlp.vectorBits=256}, {@code -Dvmlp.kernels=scalar},
 * {@code -XX:UseAVX=2}), so a JVM is started as JMH starts a fork (this JVM's {@code java} and class
 * path, the forks' options) and prints {@link KernelProvider}'s choice.
 */
final class ForkKernels {
  static final String UNKNOWN = "unknown";
  private static final long WAIT_SECONDS = 60;
  /** Starts the answer's line, which JVM logging on stdout cannot be mistaken for. */
  static final String MARK = "vmlp-fork-kernels\t";

  /** The kernels' name (e.g. {@code vector-256}, or {@value #UNKNOWN}) and why they were chosen (or not). */
  record Choice(String name, String reason) {}

  private ForkKernels() {}

  /** The choice of a JVM started with {@code jvmArgs}. */
  static Choice of(List<String> jvmArgs) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ForkKernels.class.getName()));
    Path out = null;
    try {
      // to a file, so that the wait below has a time limit whatever the JVM does with its output
      out = Files.createTempFile("vmlp-fork-kernels", ".txt");
      // both streams: HotSpot writes why it could not start (-Xmx1k, a mistyped -XX option) to either
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Choice(UNKNOWN, "a JVM with the forks' options did not answer in " + WAIT_SECONDS + " s");
      }
      // decoded leniently: a fork under another locale may write bytes that are not UTF-8
      List<String> lines = new String(Files.readAllBytes(out), StandardCharsets.UTF_8).lines().toList();
      // the forks' options may make the JVM log to stdout too (-Xlog, -verbose:gc): only the marked line counts
      for (String line : lines) {
        if (line.startsWith(MARK)) {
          String[] f = line.substring(MARK.length()).split("\t", 2);
          return f.length == 2 ? new Choice(f[0], f[1]) : new Choice(UNKNOWN, f[0]);
        }
      }
      String said = lines.stream().map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("WARNING: Using incubator modules")).findFirst().orElse("");
      return new Choice(UNKNOWN, "a JVM with the forks' options exited with " + p.exitValue()
          + (said.isEmpty() ? " without an answer" : ": " + said));
    } catch (IOException e) {
      return new Choice(UNKNOWN, "a JVM with the forks' options did not start: " + Report.firstLineOf(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Choice(UNKNOWN, "interrupted");
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException ignored) {
          // a temporary file left behind is no reason to fail the report
        }
      }
    }
  }

  /**
   * Prints, on a line of its own after {@link #MARK}, this JVM's kernels and why, separated by a tab;
   * or why it has none, and exits with 1.
   */
  public static void main(String[] args) {
    try {
      System.out.println(MARK + KernelProvider.get().name() + "\t" + KernelProvider.reason());
    } catch (RuntimeException e) {
      System.out.println(MARK + Report.firstLineOf(e));
      System.exit(1);
    }
  }
}
