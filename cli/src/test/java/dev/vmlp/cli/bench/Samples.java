package dev.vmlp.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * JMH JSON written by this project's own runs, committed under test resources:
 * <ul>
 *   <li>{@code quick.json}: {@code bin/vmlp bench --quick} (with {@code quick.machine.json});
 *   <li>{@code quick-256.json}: kernels and training again, forks at 256-bit vectors
 *       ({@code --jvm-arg=-Dvmlp.vectorBits=256}); its machine.json predates the forks' kernels being
 *       recorded and names the bench JVM's {@code vector-512};
 *   <li>{@code peers.json}: {@code bin/vmlp bench --quick} with the peer benchmarks ({@code dev.vmlp.jmh.peers})
 *       on the class path (the run behind docs/benchmarks.md).
 * </ul>
 */
final class Samples {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Samples() {}

  static Path path(String name) {
    try {
      return Path.of(Samples.class.getResource(name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test resource " + name, e);
    }
  }

  static List<JmhResult> results(String name) {
    try {
      return JmhJson.read(path(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Report report(String name) {
    try {
      return new Report(name, MachineInfo.besides(path(name)), JmhJson.read(path(name)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The raw JSON object of the result of {@code benchmark} with exactly {@code params}, read independently of {@link JmhJson}. */
  static JsonNode raw(String name, String benchmark, Map<String, String> params) {
    try {
      for (JsonNode r : JSON.readTree(Files.readString(path(name)))) {
        if (!r.get("benchmark").asText().equals(benchmark)) {
          continue;
        }
        boolean match = true;
        for (var e : params.entrySet()) {
          match &= r.path("params").path(e.getKey()).asText().equals(e.getValue());
        }
        if (match) {
          return r;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new AssertionError(benchmark + " " + params + " is not in " + name);
  }

  /** The primary score of that result. */
  static double score(String name, String benchmark, Map<String, String> params) {
    return raw(name, benchmark, params).get("primaryMetric").get("score").asDouble();
  }
}
