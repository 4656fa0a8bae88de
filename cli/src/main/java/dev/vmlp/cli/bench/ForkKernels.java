package dev.vmlp.cli.bench;

import dev.vmlp.internal.kernel.KernelProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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

  /** The kernels' name (e.g. {@code vector-256}, or {@value #UNKNOWN}) and why they were chosen (or not). */
  record Choice(String name, String reason) {}

  private ForkKernels() {}

  /** The choice of a JVM started with {@code jvmArgs}. */
  static Choice of(List<String> jvmArgs) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ForkKernels.class.getName()));
    try {
      // stderr has the kernels' log line and the incubator warning; the answer is on stdout
      Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      }
      if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Choice(UNKNOWN, "a JVM with the forks' options did not answer in " + WAIT_SECONDS + " s");
      }
      String[] f = out.split("\t", 2);
      if (p.exitValue() == 0 && f.length == 2) {
        return new Choice(f[0], f[1]);
      }
      return new Choice(UNKNOWN, out.isEmpty() ? "a JVM with the forks' options exited with " + p.exitValue() : out);
    } catch (IOException e) {
      return new Choice(UNKNOWN, "a JVM with the forks' options did not start: " + Report.firstLineOf(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Choice(UNKNOWN, "interrupted");
    }
  }

  /** Prints this JVM's kernels and why, separated by a tab; or why it has none, and exits with 1. */
  public static void main(String[] args) {
    try {
      System.out.println(KernelProvider.get().name() + "\t" + KernelProvider.reason());
    } catch (RuntimeException e) {
      System.out.println(Report.firstLineOf(e));
      System.exit(1);
    }
  }
}
