package dev.vmlp.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmlp.Dataset;
import dev.vmlp.InputScaling;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DigitsTest {
  private static TrainTest digits;
  /** The raw resource, one array per line: 64 features then the label. */
  private static List<float[]> raw;

  @BeforeAll
  static void load() throws IOException {
    digits = Digits.load();
    raw = new ArrayList<>();
    try (InputStream in = Digits.class.getResourceAsStream("/dev/vmlp/data/digits.csv.gz")) {
      assertNotNull(in, "resource");
      BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.US_ASCII));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        String[] parts = line.split(",");
        float[] v = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
          v[i] = Float.parseFloat(parts[i]);
        }
        raw.add(v);
      }
    }
  }

  @Test
  void sizesAndScaling() {
    Dataset train = digits.train();
    Dataset test = digits.test();
    assertEquals(1438, train.size());
    assertEquals(359, test.size());
    assertEquals(Digits.SAMPLES, train.size() + test.size());
    assertEquals(64, train.featureCount());
    assertEquals(64, test.featureCount());
    assertEquals(10, train.classCount());
    assertEquals(10, test.classCount());
    assertTrue(train.hasLabels());
    assertEquals(InputScaling.divideBy(16f), digits.scaling());
    assertEquals(1f / 16f, digits.scaling().factor());
  }

  @Test
  void featuresAreIntegralCounts0To16() {
    for (Dataset d : List.of(digits.train(), digits.test())) {
      float max = 0;
      for (int i = 0; i < d.size(); i++) {
        for (float v : d.row(i)) {
          assertTrue(v >= 0 && v <= 16 && v == Math.rint(v), d.name() + " row " + i + " has " + v);
          max = Math.max(max, v);
        }
      }
      assertEquals(16f, max, d.name());
    }
  }

  @Test
  void everyClassInBothParts() {
    for (Dataset d : List.of(digits.train(), digits.test())) {
      int[] counts = new int[10];
      for (int i = 0; i < d.size(); i++) {
        counts[d.label(i)]++;
      }
      for (int c = 0; c < 10; c++) {
        assertTrue(counts[c] > 0, d.name() + " lacks class " + c);
      }
    }
  }

  @Test
  void knownRows() {
    // row 0 of the file: a 0, training sample 0
    assertEquals(0, digits.train().label(0));
    assertArrayEquals(new float[] {0, 0, 5, 13, 9, 1, 0, 0}, java.util.Arrays.copyOf(digits.train().row(0), 8));
    // row 4: a 4, test sample 0
    assertEquals(4, digits.test().label(0));
    assertArrayEquals(new float[] {0, 0, 0, 1, 11, 0, 0, 0}, java.util.Arrays.copyOf(digits.test().row(0), 8));
    // row 9: a 9, test sample 1
    assertEquals(9, digits.test().label(1));
    assertEquals(11f, digits.test().feature(1, 2));
    // row 1796 (the last): an 8, training sample 1437
    assertEquals(8, digits.train().label(1437));
    assertEquals(10f, digits.train().feature(1437, 2));
  }

  @Test
  void splitIsEveryFifthRowToTest() {
    assertEquals(Digits.SAMPLES, raw.size());
    int train = 0;
    int test = 0;
    for (int i = 0; i < raw.size(); i++) {
      float[] line = raw.get(i);
      assertEquals(65, line.length, "line " + (i + 1));
      float[] features = java.util.Arrays.copyOf(line, 64);
      int label = (int) line[64];
      Dataset d = i % 5 == 4 ? digits.test() : digits.train();
      int k = i % 5 == 4 ? test++ : train++;
      assertEquals(label, d.label(k), "label of file row " + i);
      assertArrayEquals(features, d.row(k), "features of file row " + i);
    }
    assertEquals(1438, train);
    assertEquals(359, test);
  }
}
