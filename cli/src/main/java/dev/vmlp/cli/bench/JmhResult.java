package dev.vmlp.cli.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One benchmark and parameter combination of a JMH JSON file.
 *
 * @param benchmark the full name, {@code package.Class.method}
 * @param mode JMH's short mode name: {@code thrpt}, {@code avgt}, {@code sample} or {@code ss}
 * @param params the {@code @Param} values, sorted by name
 * @param primary the score, its error (half the 99.9% confidence interval; NaN when JMH had too few
 *     samples) and unit
 * @param percentiles the primary metric's percentiles by JMH's key ({@code "50.0"}, {@code "99.9"}...)
 * @param secondary the secondary metrics by name (profilers' and auxiliary counters')
 * @param forks forks measured
 * @param jvmArgs the forks' JVM arguments
 * @param jdkVersion the forks' JDK version
 * @param vmVersion the forks' VM version
 * @param raw the primary metric of each measured iteration, per fork (empty for sample time, which
 *     JMH writes as histograms)
 * @param iterations the warm-up and measured iterations of each fork
 * @param threads the threads JMH ran the benchmark on at once ({@code -t}); 1 for vmlp's own runs
 */
public record JmhResult(
    String benchmark, String mode, Map<String, String> params, Metric primary, Map<String, Double> percentiles,
    Map<String, Metric> secondary, int forks, List<String> jvmArgs, String jdkVersion, String vmVersion,
    List<List<Double>> raw, Iterations iterations, int threads) {

  /**
   * A fork's iterations as JMH wrote them.
   *
   * @param warmups warm-up iterations, 0 when unknown
   * @param warmupTime each one's time, e.g. {@code 500 ms}, or empty
   * @param measurements measured iterations, 0 when unknown
   * @param measurementTime each one's time, or empty
   */
  public record Iterations(int warmups, String warmupTime, int measurements, String measurementTime) {
    static final Iterations UNKNOWN = new Iterations(0, "", 0, "");
  }

  /** A result run on one thread. */
  public JmhResult(String benchmark, String mode, Map<String, String> params, Metric primary,
      Map<String, Double> percentiles, Map<String, Metric> secondary, int forks, List<String> jvmArgs,
      String jdkVersion, String vmVersion, List<List<Double>> raw, Iterations iterations) {
    this(benchmark, mode, params, primary, percentiles, secondary, forks, jvmArgs, jdkVersion, vmVersion, raw,
        iterations, 1);
  }

  /** A result whose iterations are not known. */
  public JmhResult(String benchmark, String mode, Map<String, String> params, Metric primary,
      Map<String, Double> percentiles, Map<String, Metric> secondary, int forks, List<String> jvmArgs,
      String jdkVersion, String vmVersion, List<List<Double>> raw) {
    this(benchmark, mode, params, primary, percentiles, secondary, forks, jvmArgs, jdkVersion, vmVersion, raw,
        Iterations.UNKNOWN);
  }

  /** A score with its error margin and unit. */
  public record Metric(double score, double error, String unit) {
    /** The lower end of {@code score ± error} (the score itself when the error is unknown). */
    public double low() {
      return Double.isFinite(error) ? score - error : score;
    }

    /** The upper end of {@code score ± error}. */
    public double high() {
      return Double.isFinite(error) ? score + error : score;
    }
  }

  public JmhResult {
    params = new TreeMap<>(params);
    threads = Math.max(1, threads);
  }

  /** The simple class name, e.g. {@code KernelBenchmark}. */
  public String className() {
    String[] parts = benchmark.split("\\.");
    return parts.length >= 2 ? parts[parts.length - 2] : benchmark;
  }

  /** The method name, e.g. {@code forwardInputMajor}. */
  public String method() {
    return benchmark.substring(benchmark.lastIndexOf('.') + 1);
  }

  /** A parameter's value, or null. */
  public String param(String name) {
    return params.get(name);
  }

  /**
   * Identifies the measurement across files: benchmark, mode, JMH's thread count where it is not 1 (a
   * time per operation on 4 threads at once is not the same measurement as on one) and parameters.
   */
  public String key() {
    return benchmark + " " + modeText() + (params.isEmpty() ? "" : " " + paramsText());
  }

  /** The mode, with JMH's thread count where it is not 1: {@code avgt}, {@code avgt, 4 threads}. */
  public String modeText() {
    return threads == 1 ? mode : mode + ", " + threads + " threads";
  }

  /** E.g. {@code impl=vector shape=784x256}. */
  public String paramsText() {
    return paramsText(params);
  }

  private static String paramsText(Map<String, String> params) {
    StringBuilder b = new StringBuilder();
    new TreeMap<>(params).forEach((k, v) -> b.append(b.isEmpty() ? "" : " ").append(k).append('=').append(v));
    return b.toString();
  }

  /** The result in messages: {@code KernelBenchmark.forwardInputMajor impl=vector shape=784x256}. */
  public String label() {
    return label(benchmark, params);
  }

  static String label(String benchmark, Map<String, String> params) {
    int dot = benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1);
    String name = benchmark.substring(dot + 1);
    return params.isEmpty() ? name : name + " " + paramsText(params);
  }

  /** The secondary metric whose name ends with {@code suffix} (e.g. {@code gc.alloc.rate.norm}), or null. */
  public Metric secondaryEndingWith(String suffix) {
    for (Map.Entry<String, Metric> e : secondary.entrySet()) {
      if (e.getKey().endsWith(suffix)) {
        return e.getValue();
      }
    }
    return null;
  }

  /**
   * Whether the iterations of some fork differ by more than half of the smallest: typically code that
   * was still being compiled when the measurement began (too short a warm-up).
   */
  public boolean unsettled() {
    for (List<Double> fork : raw) {
      double min = fork.stream().mapToDouble(Double::doubleValue).min().orElse(0);
      double max = fork.stream().mapToDouble(Double::doubleValue).max().orElse(0);
      if (min > 0 && max > 1.5 * min) {
        return true;
      }
    }
    return false;
  }

  /** How it was run, e.g. {@code 2 forks, 5 x 1 s warm-up, 5 x 1 s}; empty when the JSON does not say. */
  public String settings() {
    if (forks <= 0 || iterations.measurements() <= 0) {
      return "";
    }
    return Format.count(forks, "fork") + ", " + iterations.warmups() + " x " + iterations.warmupTime()
        + " warm-up, " + iterations.measurements() + " x " + iterations.measurementTime()
        + (threads == 1 ? "" : ", " + threads + " threads");
  }

  /** Whether a lower score is better: time per operation, as opposed to operations per time. */
  public boolean lowerIsBetter() {
    return !mode.equals("thrpt");
  }
}
