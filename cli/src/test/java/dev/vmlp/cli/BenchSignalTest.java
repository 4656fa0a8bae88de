package dev.vmlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmlp.cli.bench.JmhJson;
import dev.vmlp.cli.bench.JmhResult;
import dev.vmlp.cli.bench.MachineInfo;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** {@code vmlp bench} stopped by a signal: the benchmarks that finished are reported, marked as interrupted. */
@DisabledOnOs(OS.WINDOWS) // ProcessHandle.destroy sends SIGTERM on Unix only
class BenchSignalTest {
  @TempDir
  Path dir;

  /**
   * Runs the 4 quick forwardOutputMajor benchmarks into {@code out} in a child JVM and sends it alone
   * SIGTERM once the fork of the benchmark whose progress line starts with {@code line} runs; asserts that
   * the exit status is SIGTERM's, within half the report's grace, and that the forks are gone.
   *
   * @return standard output and standard error, one after the other
   */
  static String runUntilSignal(Path out, String line) throws Exception {
    return runUntilSignal(out, line, "--include", "KernelBenchmark\\.forwardOutputMajor");
  }

  /** {@link #runUntilSignal(Path, String)} of the benchmarks that {@code args} choose. */
  static String runUntilSignal(Path out, String line, String... args) throws Exception {
    List<String> cmd = CliRun.inNewJvm(List.of("-Djmh.ignoreLock=true"), "bench", "--out", out.toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (java.io.IOException e) {
        return e.toString();
      }
    });
    List<String> lines = new ArrayList<>();
    List<ProcessHandle> forks = new ArrayList<>();
    long signalled = 0;
    try (BufferedReader o = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String l = o.readLine(); l != null; l = o.readLine()) {
        lines.add(l);
        if (l.startsWith(line)) {
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          while (forks.isEmpty() && System.nanoTime() < deadline) { // that benchmark's fork
            Thread.sleep(50);
            forks.addAll(p.toHandle().children().toList());
          }
          signalled = System.nanoTime();
          p.toHandle().destroy(); // SIGTERM to the bench JVM alone; Process.destroy would close this stream
        }
      }
    } finally {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    String said = String.join("\n", lines) + "\n" + err.get(10, TimeUnit.SECONDS);
    assertEquals(143, p.exitValue(), said); // 128 + SIGTERM: the run did not end
    assertFalse(forks.isEmpty(), said);
    for (ProcessHandle fork : forks) {
      // before, a fork ran on after the bench JVM had gone, until its next iteration ended
      assertFalse(fork.isAlive(), "the fork " + fork.pid() + " outlived the bench JVM: " + fork.info().command().orElse("?"));
    }
    double seconds = (System.nanoTime() - signalled) * 1e-9;
    assertTrue(seconds < SignalStop.SAVE_WAIT_SECONDS / 2.0, "exited " + seconds + " s after the signal");
    return said;
  }

  /** The first benchmark's report is written, marked as interrupted. About 8 s. */
  @Test
  void aSignalWritesTheReportOfTheBenchmarksThatFinishedAndStopsTheFork() throws Exception {
    Path out = dir.resolve("report");
    String said = runUntilSignal(out, "[2/4] ");
    assertTrue(said.contains("vmlp: stopped by a signal: the report holds the 1 benchmark of 4 planned that finished "
        + "before it, and says that the run was interrupted"), said);

    List<JmhResult> results = JmhJson.read(out.resolve("results.json"));
    assertEquals(1, results.size(), said);
    assertEquals("impl=scalar shape=784x256", results.get(0).paramsText(), said);
    MachineInfo.Run run = MachineInfo.read(out.resolve("machine.json")).run();
    assertTrue(run.interrupted(), "machine.json says the run was interrupted");
    assertEquals(4, run.planned());
    assertEquals(0, run.failed(), "the benchmark the signal stopped did not fail");
    String summary = Files.readString(out.resolve("summary.md"));
    assertTrue(summary.contains("**Incomplete:** interrupted by a signal: 1 result of 4 planned"), summary);
    assertTrue(summary.contains("| 1 result of 4 planned, 0 failed, interrupted |"), summary);
    assertTrue(Files.readString(out.resolve("index.html")).contains("incomplete: interrupted by a signal"));
  }

  /**
   * A run stopped after a benchmark failed but before any gave a result says that one failed, as a run with
   * results does; it said that no benchmark had finished. About 4 s.
   */
  @Test
  void aSignalAfterAFailureBeforeAnyResultSaysThatItFailed() throws Exception {
    Path out = dir.resolve("report");
    // the native BLAS peer fails where its library is not found
    String said = runUntilSignal(out, "[2/2] ", "--include", "PeerKernelBenchmark\\.(forward_netlibNative|rank1_ejml)",
        "--jvm-arg=-Ddev.ludovic.netlib.blas.nativeLibPath=" + dir.resolve("no-such-blas.so"));
    assertTrue(said.contains("[1/2] PeerKernelBenchmark.forward_netlibNative layout=rowMajor shape=784x256 failed"), said);
    assertTrue(said.contains("\nvmlp: error: 1 of 2 benchmarks failed; their errors are in " + out.resolve("jmh.log")
        + "\nvmlp: stopped by a signal before any benchmark gave a result: no report; JMH's log is in "
        + out.resolve("jmh.log")), said);
    assertFalse(Files.exists(out.resolve("results.json")), said);
  }

  /**
   * A run into the folder of an earlier one, stopped before any benchmark finished, writes no report, and
   * leaves none of the earlier run's beside its own jmh.log (they stayed, and read as this run's); the
   * folder's other files, and the file a report file linked to, stay. About 4 s.
   */
  @Test
  void aRunThatWritesNoReportLeavesNoEarlierOneBesideItsLog() throws Exception {
    Path out = Files.createDirectories(dir.resolve("report"));
    for (String name : BenchCommand.REPORT_FILES) {
      Files.writeString(out.resolve(name), "earlier run");
    }
    Files.writeString(out.resolve("jmh.log"), "earlier run");
    Files.writeString(out.resolve("notes.md"), "mine");
    Path elsewhere = Files.writeString(dir.resolve("elsewhere.md"), "earlier run");
    Files.delete(out.resolve("summary.md"));
    Files.createSymbolicLink(out.resolve("summary.md"), elsewhere);
    String said = runUntilSignal(out, "[1/4] ");
    assertTrue(said.contains("vmlp: stopped by a signal before any benchmark gave a result: no report; JMH's log is in "
        + out.resolve("jmh.log")), said);
    try (Stream<Path> files = Files.list(out)) {
      assertEquals(Set.of("jmh.log", "notes.md"), files.map(f -> f.getFileName().toString()).collect(Collectors.toSet()),
          said);
    }
    assertTrue(Files.readString(out.resolve("jmh.log")).contains("KernelBenchmark.forwardOutputMajor"), "this run's log");
    assertEquals("mine", Files.readString(out.resolve("notes.md")));
    assertEquals("earlier run", Files.readString(elsewhere), "a link is removed, not the file it points to");
  }
}
