package dev.vmlp.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A script's run to its end: exit status, standard output and standard error, read at once. */
record ScriptRun(int exit, String out, String err) {
  /** Runs {@code command} with {@code env} added to the environment; fails the test after 120 s. */
  static ScriptRun of(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    Process p = pb.start();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread drain = Thread.ofVirtual().start(() -> {
      try {
        p.getErrorStream().transferTo(err);
      } catch (IOException e) {
        // the process ended
      }
    });
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(command + " did not finish in 120 s");
    }
    drain.join();
    return new ScriptRun(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
  }
}
