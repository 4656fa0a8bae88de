package dev.vmlp.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vmlp.Model;
import dev.vmlp.Workspace;
import dev.vmlp.data.Csv;
import dev.vmlp.data.DataFormatException;
import dev.vmlp.data.Idx;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vmlp predict}: the class of every row of a file, one line each: {@code row class probability},
 * or with {@code --json} one object per line, {@code {"row":0,"class":7,"probability":0.98}}. A
 * regression model prints its outputs instead: {@code row v1 v2 ...}, or {@code {"row":0,"values":[...]}}.
 *
 * <p>The input is IDX images (its first two bytes, after gzip decompression, are zero, which no CSV
 * file starts with) or CSV rows of raw features, as many as the model has inputs; a file with a label
 * column says which with {@code --label-column}, and that column is skipped.
 */
@Command(
    name = "predict",
    description = "Predict the class (and its probability) of every row of a CSV file or every image of an IDX file.",
    sortOptions = false,
    usageHelpAutoWidth = true)
final class PredictCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParentCommand
  Main main;

  @Spec
  CommandSpec spec;

  @Mixin
  ModelOptions model;

  @Option(names = "--input", required = true, paramLabel = "FILE",
      description = "CSV rows of raw features (plain or gzip; a first line that is not numbers is a header), "
          + "or IDX images (idx3-ubyte, plain or gzip); told apart by their content.")
  Path input;

  @Option(names = "--label-column", paramLabel = "N",
      description = "A CSV column to skip, such as the label of a labelled file; 0-based, negative counts from the end.")
  Integer labelColumn;

  @Option(names = "--json", description = "One JSON object per row instead of text.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Model m = model.load();
    int inputs = m.architecture().inputs();
    boolean idx = isIdx(input);
    if (idx && labelColumn != null) {
      throw new IllegalArgumentException(input + " holds IDX images, which have no label column; --label-column is "
          + "for CSV input");
    }
    float[][] rows = idx ? images(input, inputs) : csvRows(input, inputs);
    int outputs = m.architecture().outputs();
    boolean classifies = m.architecture().head().classifies();
    Workspace ws = m.newWorkspace();
    float[] p = new float[outputs];
    PrintStream out = main.out;
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < rows.length; i++) {
      m.predictProbabilities(rows[i], 0, p, 0, ws);
      if (classifies) {
        int c = m.predict(rows[i], 0, ws);
        b.append(json ? classJson(i, c, p[c]) : String.format(Locale.ROOT, "%d %d %.6f", i, c, p[c]));
      } else {
        b.append(json ? valuesJson(i, p) : valuesText(i, p));
      }
      b.append(System.lineSeparator());
      if (b.length() > 1 << 16) {
        out.print(b);
        b.setLength(0);
      }
    }
    out.print(b);
    out.flush();
    return Main.EXIT_OK;
  }

  private static String classJson(int row, int c, float p) throws JsonProcessingException {
    ObjectNode o = JSON.createObjectNode();
    o.put("row", row);
    o.put("class", c);
    o.put("probability", p);
    return JSON.writeValueAsString(o);
  }

  private static String valuesJson(int row, float[] v) throws JsonProcessingException {
    ObjectNode o = JSON.createObjectNode();
    o.put("row", row);
    ArrayNode a = o.putArray("values");
    for (float f : v) {
      a.add(f);
    }
    return JSON.writeValueAsString(o);
  }

  private static String valuesText(int row, float[] v) {
    StringBuilder b = new StringBuilder(Integer.toString(row));
    for (float f : v) {
      b.append(' ').append(f);
    }
    return b.toString();
  }

  /** Whether the (possibly gzip-compressed) file starts with two zero bytes, as IDX files do. */
  static boolean isIdx(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      return false; // not IDX: the CSV reader names the folder as such
    }
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      InputStream in = raw;
      if (b0 == 0x1f && b1 == 0x8b) {
        try {
          in = new GZIPInputStream(raw);
        } catch (IOException e) {
          return false; // not really gzip: the CSV reader says what is wrong
        }
      }
      byte[] head = in.readNBytes(2);
      return head.length == 2 && head[0] == 0 && head[1] == 0;
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      return false;
    }
  }

  private static float[][] images(Path file, int inputs) throws IOException {
    Idx.Contents c = Idx.readImages(file);
    int count = c.dims()[0];
    long pixels = (long) c.dims()[1] * c.dims()[2];
    if (pixels != inputs) {
      throw new DataFormatException(file, "images are " + c.dims()[1] + "x" + c.dims()[2] + " = " + pixels
          + " values, the model takes " + inputs + " inputs");
    }
    float[][] rows = new float[count][inputs];
    for (int r = 0; r < count; r++) {
      for (int j = 0; j < inputs; j++) {
        rows[r][j] = c.unsigned(r * inputs + j);
      }
    }
    return rows;
  }

  private float[][] csvRows(Path file, int inputs) throws IOException {
    float[][] rows = Csv.readRows(file, ',');
    int width = rows[0].length;
    if (labelColumn == null) {
      if (width != inputs) {
        throw new DataFormatException(file, "rows have " + width + " columns, the model takes " + inputs + " inputs"
            + (width == inputs + 1 ? "; if one column is a label, say which with --label-column" : ""));
      }
      return rows;
    }
    int skip = labelColumn >= 0 ? labelColumn : width + labelColumn;
    if (skip < 0 || skip >= width) {
      throw new DataFormatException(file, "label column " + labelColumn + " does not exist: rows have " + width
          + " columns");
    }
    if (width - 1 != inputs) {
      throw new DataFormatException(file, "rows have " + width + " columns, " + (width - 1)
          + " without the label column, but the model takes " + inputs + " inputs");
    }
    for (int r = 0; r < rows.length; r++) {
      float[] x = new float[inputs];
      System.arraycopy(rows[r], 0, x, 0, skip);
      System.arraycopy(rows[r], skip + 1, x, skip, width - skip - 1);
      rows[r] = x;
    }
    return rows;
  }
}
