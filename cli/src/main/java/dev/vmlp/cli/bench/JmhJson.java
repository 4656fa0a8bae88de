package dev.vmlp.cli.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the JSON that JMH writes with {@code -rf json}. */
public final class JmhJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** JMH's short mode names; any other would be read as a time per operation. */
  private static final java.util.Set<String> MODES = java.util.Set.of("thrpt", "avgt", "sample", "ss");

  private JmhJson() {}

  /**
   * The results in {@code file}: an {@link IOException} naming the file and what is wrong when it
   * cannot be read, is not JMH's JSON, holds no result, or holds a result the report cannot read.
   */
  public static List<JmhResult> read(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new FileSystemException(file.toString(), null, "is a folder, not a JMH JSON file");
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (CharacterCodingException e) {
      throw new IOException(file + ": not a JMH JSON result file (not UTF-8 text)", e);
    }
    if (text.startsWith("\uFEFF")) {
      // a byte-order mark (an editor's): JSON readers may ignore it, and machine.json's reader (Jackson on the file) does
      text = text.substring(1);
    }
    List<JmhResult> results;
    try {
      results = parse(text);
    } catch (BadResult e) {
      throw new IOException(file + ": " + Report.firstLine(e.getMessage()), e);
    } catch (IllegalArgumentException | JsonProcessingException e) {
      throw new IOException(file + ": not a JMH JSON result file (" + Report.firstLine(e.getMessage()) + ")", e);
    }
    if (results.isEmpty()) {
      throw new IOException(file + ": no results (an empty array)");
    }
    return results;
  }

  /** A result that JMH's JSON holds but the report cannot read; its message names the result. */
  static final class BadResult extends IllegalArgumentException {
    BadResult(String message) {
      super(message);
    }
  }

  /**
   * Parses JMH's JSON: an array of results, and nothing after it (two files joined with {@code cat} were
   * read as the first alone).
   */
  public static List<JmhResult> parse(String text) throws JsonProcessingException {
    JsonNode root;
    try (JsonParser parser = JSON.createParser(text)) {
      root = JSON.readTree(parser);
      if (root != null && parser.nextToken() != null) {
        throw new IllegalArgumentException("more JSON after the array of results at line "
            + parser.currentTokenLocation().getLineNr() + " (two files joined?)");
      }
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // a String has no I/O to fail
    }
    if (root == null || !root.isArray()) {
      throw new IllegalArgumentException("expected an array of results");
    }
    List<JmhResult> out = new ArrayList<>();
    for (JsonNode r : root) {
      out.add(result(r, out.size() + 1));
    }
    return out;
  }

  /** The {@code index}-th result (from 1): one without a name is named by its place in the array. */
  private static JmhResult result(JsonNode r, int index) {
    JsonNode benchmarkNode = r.get("benchmark");
    if (benchmarkNode == null || !benchmarkNode.isTextual()) {
      throw new IllegalArgumentException("result " + index + " has no 'benchmark'");
    }
    String benchmark = benchmarkNode.asText();
    Map<String, String> params = new LinkedHashMap<>();
    JsonNode p = r.get("params");
    if (p != null) {
      p.properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
    }
    // named with the parameters: the results of one method differ in them alone
    String name = JmhResult.label(benchmark, params);
    JsonNode modeNode = r.get("mode");
    if (modeNode == null || !modeNode.isTextual()) {
      throw new BadResult(name + ": no 'mode'");
    }
    String mode = modeNode.asText();
    if (!MODES.contains(mode)) {
      throw new BadResult(name + ": unknown mode '" + mode + "' (JMH writes thrpt, avgt, sample or ss)");
    }
    JsonNode primary = r.get("primaryMetric");
    if (primary == null || !primary.isObject()) {
      throw new IllegalArgumentException(name + " has no primaryMetric");
    }
    Map<String, Double> percentiles = new LinkedHashMap<>();
    JsonNode pc = primary.get("scorePercentiles");
    if (pc != null) {
      pc.properties().forEach(e -> percentiles.put(e.getKey(), number(name, "percentile " + e.getKey(), e.getValue())));
    }
    Map<String, JmhResult.Metric> secondary = new LinkedHashMap<>();
    JsonNode sec = r.get("secondaryMetrics");
    if (sec != null) {
      sec.properties().forEach(e -> secondary.put(e.getKey(), metric(name, e.getValue())));
    }
    List<String> jvmArgs = new ArrayList<>();
    JsonNode args = r.get("jvmArgs");
    if (args != null) {
      args.forEach(a -> jvmArgs.add(a.asText()));
    }
    List<List<Double>> raw = new ArrayList<>();
    JsonNode rawData = primary.get("rawData");
    if (rawData != null && rawData.isArray()) {
      for (JsonNode fork : rawData) {
        List<Double> iterations = new ArrayList<>();
        fork.forEach(v -> iterations.add(number(name, "an iteration", v)));
        raw.add(iterations);
      }
    }
    JmhResult.Iterations iterations = new JmhResult.Iterations(r.path("warmupIterations").asInt(0),
        r.path("warmupTime").asText(""), r.path("measurementIterations").asInt(0), r.path("measurementTime").asText(""));
    JmhResult.Metric score = metric(name, primary);
    checkPrimary(name, mode, score);
    return new JmhResult(benchmark, mode, params, score, percentiles, secondary,
        r.path("forks").asInt(0), jvmArgs, r.path("jdkVersion").asText(""), r.path("vmVersion").asText(""), raw,
        iterations, r.path("threads").asInt(1));
  }

  private static JmhResult.Metric metric(String name, JsonNode m) {
    JsonNode score = m.get("score");
    if (score == null) {
      throw new BadResult(name + ": a metric has no score");
    }
    JsonNode unit = m.get("scoreUnit");
    if (unit == null || !unit.isTextual() || unit.asText().isBlank()) {
      throw new BadResult(name + ": a metric has no scoreUnit");
    }
    double error = number(name, "scoreError", m.get("scoreError"));
    JmhResult.Metric metric = new JmhResult.Metric(number(name, "score", score), error, unit.asText());
    if (error < 0) {
      // a half-width is never negative: the comparison read score ± -5 as two intervals apart, a change of +0.0%
      throw new BadResult(name + ": scoreError " + error + " is negative");
    }
    return metric;
  }

  /**
   * Refuses a primary score that is not a positive finite number (the report divides by it and draws
   * it), or whose unit does not fit the mode: a time per operation for {@code avgt}, {@code sample} and
   * {@code ss}, operations per a time for {@code thrpt}.
   */
  private static void checkPrimary(String name, String mode, JmhResult.Metric m) {
    if (!(Double.isFinite(m.score()) && m.score() > 0)) {
      throw new BadResult(name + ": score " + m.score() + " is not a positive finite number");
    }
    ScoreUnit u = ScoreUnit.of(m.unit());
    if (u == null || u.perOp() == mode.equals("thrpt")) {
      throw new BadResult(name + ": unit '" + m.unit() + "' does not fit mode " + mode + " ("
          + (mode.equals("thrpt") ? "ops per a time, e.g. ops/s" : "a time per op, e.g. ns/op") + ")");
    }
  }

  /** {@link #number(JsonNode)}, refusing what is not a number with the result's name and what the value was. */
  private static double number(String name, String what, JsonNode n) {
    try {
      return number(n);
    } catch (IllegalArgumentException e) {
      throw new BadResult(name + ": " + what + ": " + e.getMessage());
    }
  }

  /** JMH writes NaN and infinities as strings. */
  private static double number(JsonNode n) {
    if (n == null || n.isNull()) {
      return Double.NaN;
    }
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (n.isContainerNode()) {
      throw new IllegalArgumentException(n + " is not a number"); // its asText() is empty: "'' is not a number"
    }
    try {
      return Double.parseDouble(n.asText());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + n.asText() + "' is not a number");
    }
  }
}
