package dev.vmlp.data;

import static dev.vmlp.data.IdxFiles.gzip;
import static dev.vmlp.data.IdxFiles.idx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vmlp.Dataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Random files written and read back give what was written. */
class ReadBackPropertyTest {
  private static Path tempFile(String suffix) throws IOException {
    Path f = Files.createTempFile("vmlp-readback", suffix);
    f.toFile().deleteOnExit();
    return f;
  }

  @Property(tries = 50)
  void idxLabelsReadBack(@ForAll byte[] labels, @ForAll boolean compressed) throws IOException {
    byte[] data = labels.length == 0 ? new byte[] {7} : labels;
    byte[] file = idx(new int[] {data.length}, data);
    Path f = tempFile(".idx1");
    try {
      Files.write(f, compressed ? gzip(file) : file);
      int[] read = Idx.readLabels(f);
      assertEquals(data.length, read.length);
      for (int i = 0; i < data.length; i++) {
        assertEquals(data[i] & 0xff, read[i]);
      }
    } finally {
      Files.delete(f);
    }
  }

  @Property(tries = 50)
  void idxImagesReadBack(
      @ForAll @IntRange(min = 1, max = 20) int count,
      @ForAll @IntRange(min = 1, max = 30) int rows,
      @ForAll @IntRange(min = 1, max = 30) int cols,
      @ForAll long seed,
      @ForAll boolean compressed) throws IOException {
    byte[] data = new byte[count * rows * cols];
    new java.util.Random(seed).nextBytes(data);
    byte[] file = idx(new int[] {count, rows, cols}, data);
    Path f = tempFile(".idx3");
    try {
      Files.write(f, compressed ? gzip(file) : file);
      Idx.Contents c = Idx.readImages(f);
      assertArrayEquals(new int[] {count, rows, cols}, c.dims());
      assertArrayEquals(data, c.data());
    } finally {
      Files.delete(f);
    }
  }

  /** A table: rows of (label, features...). */
  record Table(int[] labels, float[][] features) {}

  @Provide
  Arbitrary<Table> tables() {
    // any finite float, subnormals and -0 included, with the small integers of pixel data mixed in
    Arbitrary<Float> values = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.integers().map(Float::intBitsToFloat).filter(Float::isFinite)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 255).map(i -> (float) i)));
    return Arbitraries.integers().between(1, 8).flatMap(width -> {
      Arbitrary<float[]> row = values.array(float[].class).ofSize(width);
      return Combinators.combine(
              Arbitraries.integers().between(0, 9).array(int[].class).ofMinSize(1).ofMaxSize(40),
              row.array(float[][].class).ofSize(40))
          .as((labels, rows) -> new Table(labels, java.util.Arrays.copyOf(rows, labels.length)));
    });
  }

  @Property(tries = 50)
  void csvReadsBack(@ForAll("tables") Table t, @ForAll boolean header, @ForAll boolean labelLast,
      @ForAll boolean compressed) throws IOException {
    int width = t.features()[0].length;
    StringBuilder sb = new StringBuilder();
    if (header) {
      sb.append(labelLast ? "" : "label,");
      for (int j = 0; j < width; j++) {
        sb.append(j > 0 ? "," : "").append("x").append(j);
      }
      sb.append(labelLast ? ",label" : "").append('\n');
    }
    for (int i = 0; i < t.labels().length; i++) {
      sb.append(labelLast ? "" : t.labels()[i] + ",");
      for (int j = 0; j < width; j++) {
        sb.append(j > 0 ? "," : "").append(t.features()[i][j]); // Float.toString round-trips
      }
      sb.append(labelLast ? "," + t.labels()[i] : "").append('\n');
    }
    byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
    Path f = tempFile(".csv");
    try {
      Files.write(f, compressed ? gzip(text) : text);
      Dataset d = Csv.read(f, Csv.Options.defaults().withLabelColumn(labelLast ? -1 : 0));
      assertEquals(t.labels().length, d.size());
      assertEquals(width, d.featureCount());
      int maxLabel = java.util.Arrays.stream(t.labels()).max().getAsInt();
      assertEquals(Math.max(2, maxLabel + 1), d.classCount());
      for (int i = 0; i < d.size(); i++) {
        assertEquals(t.labels()[i], d.label(i), "label " + i);
        assertArrayEquals(t.features()[i], d.row(i), "row " + i);
      }
    } finally {
      Files.delete(f);
    }
  }
}
