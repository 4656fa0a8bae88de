package dev.vmlp.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a class's {@code main} in a JVM of its own, as JMH runs a fork: this JVM's {@code java} and class
 * path, with the given options only (so without {@code --add-modules=jdk.incubator.vector} unless they
 * name it). For what depends on the JVM's one-time kernel choice, which no test can change in its own JVM.
 */
public final class Forks {
  /** Starts the answer's line among the JVM's log lines. */
  public static final String MARK = "fork-answer: ";

  private Forks() {}

  /** The text after {@link #MARK} on the line {@code main} printed; fails when the JVM exits otherwise than with 0. */
  public static String answer(List<String> jvmArgs, Class<?> main) throws IOException, InterruptedException {
    return answer(jvmArgs, main, 120);
  }

  /** {@link #answer(List, Class)}, failing when the JVM has not exited after {@code timeoutSeconds}. */
  static String answer(List<String> jvmArgs, Class<?> main, int timeoutSeconds) throws IOException,
      InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    // read while it runs, not before the wait: reading to the end waits for as long as the JVM runs
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, r -> Thread.ofPlatform().daemon(true).start(r));
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError(main.getName() + " did not exit within " + timeoutSeconds + " s: " + output.join());
    }
    String out = output.join();
    assertEquals(0, p.exitValue(), out);
    return out.lines().filter(l -> l.startsWith(MARK)).map(l -> l.substring(MARK.length())).findFirst()
        .orElseThrow(() -> new AssertionError("no answer in: " + out));
  }
}
