package dev.vmlp.cli.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

/**
 * JMH's output for {@code vmlp bench}: everything JMH says goes to {@code log} (its usual text), and
 * {@code out} gets one line as each benchmark and parameter combination starts, with how many are left
 * and an estimate of the time to go, and one line for each that fails.
 *
 * <p>The estimate is the planned time of what is left (iterations x forks, plus a fork's start-up),
 * scaled by how the finished benchmarks' actual time compared with their plan.
 *
 * <p>It keeps the result of each benchmark as it finishes ({@link #finished}), so that a run stopped by
 * a signal ({@link #stop}) can still report those; after a stop, the next benchmark to start throws
 * {@link Stopped}, which ends JMH's run.
 */
public final class Progress implements OutputFormat {
  private final PrintStream out;
  private final OutputFormat log;
  private final int total;
  private final double plannedTotal;
  private final long startNanos = System.nanoTime();
  private int started;
  private int failed;
  private double plannedDone;
  private String current = "";
  private boolean currentHasResult;
  private final List<RunResult> finished = new ArrayList<>();
  private volatile boolean stopped;

  /** What {@link #startBenchmark} throws after {@link #stop}: JMH's run ends there, with no further fork. */
  public static final class Stopped extends RuntimeException {
    Stopped() {
      super("stopped by a signal", null, false, false);
    }
  }

  /**
   * @param out where the progress lines go
   * @param log JMH's own text output
   * @param total benchmark and parameter combinations planned
   * @param plannedSeconds their planned time
   */
  public Progress(PrintStream out, OutputFormat log, int total, double plannedSeconds) {
    this.out = out;
    this.log = log;
    this.total = total;
    this.plannedTotal = plannedSeconds;
  }

  /**
   * Stops the run (from a signal's hook): the benchmark under way, whose forks the caller stops, counts
   * neither as finished nor as failed, and the next to start throws {@link Stopped}.
   */
  public void stop() {
    stopped = true;
  }

  /** Whether {@link #stop} was called. */
  public boolean stopped() {
    return stopped;
  }

  /**
   * The results of the combinations that finished so far, one per combination (its forks' iterations
   * together, as JMH passes them to {@link #endBenchmark}).
   */
  public List<RunResult> finished() {
    return List.copyOf(finished);
  }

  /** Combinations that produced no result so far. */
  public int failed() {
    return failed;
  }

  @Override
  public void startBenchmark(BenchmarkParams params) {
    if (stopped) {
      throw new Stopped();
    }
    started++;
    current = name(params);
    currentHasResult = false;
    out.println(String.format(Locale.ROOT, "[%d/%d] %s, ETA %s", started, total, current, clock(etaSeconds())));
    out.flush();
    log.startBenchmark(params);
  }

  @Override
  public void iterationResult(BenchmarkParams bp, IterationParams ip, int iteration, IterationResult data) {
    currentHasResult = true;
    log.iterationResult(bp, ip, iteration, data);
  }

  @Override
  public void endBenchmark(BenchmarkResult result) {
    plannedDone += planned(result != null ? result.getParams() : null);
    if (stopped) {
      // its forks were stopped by the signal: not a failure of the benchmark, and no whole result
    } else if (result == null || !currentHasResult) {
      failed++;
      out.println(String.format(Locale.ROOT, "[%d/%d] %s failed (see jmh.log)", started, total, current));
      out.flush();
    } else {
      finished.add(new RunResult(result.getParams(), List.of(result)));
    }
    log.endBenchmark(result);
  }

  /** Seconds left: the plan's, scaled by how long the finished part took against its plan. */
  double etaSeconds() {
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    double left = Math.max(0, plannedTotal - plannedDone);
    return plannedDone > 0 ? left * elapsed / plannedDone : left;
  }

  private double planned(BenchmarkParams p) {
    if (p == null) {
      return plannedTotal / Math.max(1, total);
    }
    double w = p.getWarmup().getCount() * p.getWarmup().getTime().convertTo(java.util.concurrent.TimeUnit.MILLISECONDS) / 1e3;
    double m = p.getMeasurement().getCount() * p.getMeasurement().getTime().convertTo(java.util.concurrent.TimeUnit.MILLISECONDS) / 1e3;
    return Math.max(1, p.getForks()) * (w + m + BenchPlan.FORK_OVERHEAD_SECONDS);
  }

  /** {@code KernelBenchmark.forwardInputMajor impl=vector shape=784x256}. */
  static String name(BenchmarkParams p) {
    String b = p.getBenchmark();
    int dot = b.lastIndexOf('.', b.lastIndexOf('.') - 1);
    StringBuilder s = new StringBuilder(b.substring(dot + 1));
    for (Object k : p.getParamsKeys()) {
      s.append(' ').append(k).append('=').append(p.getParam((String) k));
    }
    return s.toString();
  }

  public static String clock(double seconds) {
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  // ---- the rest goes to the log

  @Override
  public void iteration(BenchmarkParams bp, IterationParams ip, int iteration) {
    log.iteration(bp, ip, iteration);
  }

  @Override
  public void startRun() {
    log.startRun();
  }

  @Override
  public void endRun(Collection<RunResult> result) {
    log.endRun(result);
  }

  @Override
  public void print(String s) {
    log.print(s);
  }

  @Override
  public void println(String s) {
    log.println(s);
  }

  @Override
  public void flush() {
    log.flush();
  }

  @Override
  public void close() {
    log.flush();
  }

  @Override
  public void verbosePrintln(String s) {
    log.verbosePrintln(s);
  }

  @Override
  public void write(int b) {
    log.write(b);
  }

  @Override
  public void write(byte[] b) throws IOException {
    log.write(b);
  }
}
