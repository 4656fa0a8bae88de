package dev.vmlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmlp.Model;
import dev.vmlp.io.ModelFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** {@code vmlp train --save} stopped by a signal: the model so far is saved, and goes on from there. */
@DisabledOnOs(OS.WINDOWS) // ProcessHandle.destroy sends SIGTERM on Unix only
class SignalStopTest {
  @TempDir
  Path dir;

  /**
   * Runs {@code vmlp train --epochs 100000 --hidden 16 --json} plus {@code args} in a child JVM, runs
   * {@code beforeSignal} and sends SIGTERM once the second epoch's line is out, and returns the lines of
   * standard error; the child's exit status is asserted to be SIGTERM's, within half the save's grace.
   */
  private static List<String> trainUntilSignal(Runnable beforeSignal, String... args) throws Exception {
    List<String> cmd = CliRun.inNewJvm(List.of(), "train", "--epochs", "100000", "--hidden", "16", "--json");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    List<String> lines = new ArrayList<>();
    long signalled = 0;
    try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String line = err.readLine(); line != null; line = err.readLine()) {
        lines.add(line);
        if (line.startsWith("epoch 2/")) {
          beforeSignal.run();
          signalled = System.nanoTime();
          p.toHandle().destroy(); // SIGTERM, in the third epoch or later; Process.destroy would close this stream
        }
      }
    } finally {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    assertEquals(143, p.exitValue(), String.join("\n", lines)); // 128 + SIGTERM, as for any JVM the signal ends
    // the hook lets the JVM exit once the command is done, not after the save's grace of SAVE_WAIT_SECONDS
    double seconds = (System.nanoTime() - signalled) * 1e-9;
    assertTrue(seconds < SignalStop.SAVE_WAIT_SECONDS / 2.0, "exited " + seconds + " s after the signal");
    return lines;
  }

  @Test
  void aSignalDuringTrainingSavesTheModelSoFarWhichGoesOnFromThere() throws Exception {
    Path file = dir.resolve("stopped.safetensors");
    List<String> lines = trainUntilSignal(() -> { }, "--seed", "9", "--save", file.toString());
    String said = String.join("\n", lines);
    String last = lines.get(lines.size() - 1);
    assertTrue(last.matches("vmlp: stopped by a signal (in epoch \\d+, after [0-9,]+ of its samples|as epoch \\d+ "
        + "ended); saved the model so far to " + Pattern.quote(file + ", which goes on from there with --resume "
        + file)), said);
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList(), "the model alone, no temporary file");
    }

    Model stopped = ModelFiles.load(file);
    int epochs = Integer.parseInt(stopped.metadata().get("epochs"));
    assertTrue(epochs >= 2, stopped.metadata().toString());
    // the message says where the saved model stopped: the epoch under way and its samples, or the epoch that ended
    String samples = stopped.metadata().get("epoch_samples");
    String where = samples != null
        ? "in epoch " + (epochs + 1) + ", after " + String.format(java.util.Locale.ROOT, "%,d", Long.parseLong(samples))
            + " of its samples"
        : "as epoch " + epochs + " ended";
    assertTrue(last.startsWith("vmlp: stopped by a signal " + where + ";"), last + " / " + stopped.metadata());
    // one more epoch ends the stopped one (or runs the next, if the signal came as an epoch ended)
    JsonNode resumed = CliRun.of("train", "--resume", file.toString(), "--epochs", "1", "--json").json();
    JsonNode straight = CliRun.of("train", "--epochs", Integer.toString(epochs + 1), "--hidden", "16", "--seed", "9",
        "--json").json();
    assertEquals(straight.path("weights_sha256").asText(), resumed.path("weights_sha256").asText(),
        "the weights of one run that never stopped; stopped at " + stopped.metadata());
  }

  @org.junit.jupiter.api.RepeatedTest(5) // the race it checks was lost about one time in three
  void aSaveThatFailsAfterASignalSaysWhyBeforeTheJvmExits() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("gone"));
    Path file = folder.resolve("stopped.safetensors");
    List<String> lines = trainUntilSignal(() -> {
      try {
        Files.delete(folder); // the save after the signal fails
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, "--save", file.toString());
    String said = String.join("\n", lines);
    // the hook let the JVM exit as soon as the command closed it, before Main could report the failure
    assertTrue(lines.get(lines.size() - 1).startsWith("vmlp: error: " + folder), said);
  }
}
