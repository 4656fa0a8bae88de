package dev.vmlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One in-process run of {@link Main#run}, with what it printed. */
record CliRun(String[] args, int exit, String out, String err) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static CliRun of(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = Main.run(args, o, e);
    }
    return new CliRun(args, exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * The command that runs the command line in a JVM of its own: this JVM's {@code java} and class path,
   * with {@code jvmFlags} before them and {@code args} after the main class; a list the caller may extend.
   */
  static List<String> inNewJvm(List<String> jvmFlags, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  List<String> outLines() {
    return out.lines().toList();
  }

  List<String> errLines() {
    return err.lines().toList();
  }

  /** The last line of stdout, parsed as JSON, after checking that the run succeeded. */
  JsonNode json() {
    assertEquals(0, exit, this::describe);
    List<String> lines = outLines();
    assertFalse(lines.isEmpty(), this::describe);
    try {
      JsonNode node = JSON.readTree(lines.get(lines.size() - 1));
      assertTrue(node.isObject(), this::describe);
      return node;
    } catch (Exception e) {
      throw new AssertionError("last stdout line is not JSON\n" + describe(), e);
    }
  }

  /**
   * Checks a failed run: the exit code, exactly one {@code vmlp: error:} line on stderr which contains
   * {@code fragment}, and no exception names or stack frames anywhere.
   */
  String assertError(int expectedExit, String fragment) {
    assertEquals(expectedExit, exit, this::describe);
    List<String> errors = errLines().stream().filter(l -> l.startsWith("vmlp: error: ")).toList();
    assertEquals(1, errors.size(), () -> "expected one error line\n" + describe());
    assertTrue(errors.get(0).contains(fragment), () -> "error line lacks '" + fragment + "'\n" + describe());
    for (String text : List.of(out, err)) {
      assertFalse(text.contains("Exception"), () -> "exception name in the output\n" + describe());
      assertFalse(text.lines().anyMatch(l -> l.strip().startsWith("at ")), () -> "stack frame in the output\n" + describe());
    }
    assertTrue(errLines().size() <= 3, () -> "too much on stderr\n" + describe());
    return errors.get(0);
  }

  String describe() {
    return "vmlp " + String.join(" ", args) + "\nexit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
