package dev.vmlp.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vmlp.Model;
import dev.vmlp.NonFiniteException;
import dev.vmlp.Workspace;
import dev.vmlp.data.Compressed;
import dev.vmlp.data.Csv;
import dev.vmlp.data.DataFormatException;
import dev.vmlp.data.Idx;
import dev.vmlp.internal.io.FirstBytes;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vmlp predict}: the class of every row of a file, one line each: {@code row class probability},
 * or with {@code --json} one object per line, {@code {"row":0,"class":7,"probability":0.98}}; with
 * {@code --probabilities}, every class's probability follows ({@code row class probability p0 p1 ...},
 * or {@code "probabilities":[...]}). A
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

  /** How messages name standard input ({@code --input -}). */
  static final Path STANDARD_INPUT = Path.of("(standard input)");

  @Option(names = "--input", required = true, paramLabel = "FILE",
      description = "CSV rows of raw features (plain or gzip; a first line with no number in it is a header), "
          + "or IDX images (idx3-ubyte, plain or gzip); told apart by their content. - reads standard input.")
  Path input;

  @Option(names = "--label-column", paramLabel = "N",
      description = "A CSV column to skip, such as the label of a labelled file (not read: it may hold names, or "
          + "nothing); 0-based, negative counts from the end.")
  Integer labelColumn;

  @Option(names = "--json", description = "One JSON object per row instead of text.")
  boolean json;

  @Option(names = "--probabilities",
      description = "Also print every class's probability, in class order (a classifier's; a regression model "
          + "prints all its outputs anyway).")
  boolean probabilities;

  @Override
  public Integer call() throws Exception {
    Model m = model.load();
    if (probabilities && !m.architecture().head().classifies()) {
      throw new IllegalArgumentException("--probabilities is for a classifier; the model of " + model.file
          + " has head " + m.architecture().head().id() + " (a regression model), whose outputs predict prints anyway");
    }
    int inputs = m.architecture().inputs();
    Printer printer = new Printer(m, main.out);
    boolean standardInput = input.toString().equals("-");
    if (standardInput) {
      input = STANDARD_INPUT; // as messages name it
    }
    // the input is read once, row by row: it may be a pipe (--input -), and of any length
    // the rows predicted so far are printed before a read from standard input, or from a named pipe (a FIFO,
    // /dev/stdin, <(...)), waits for more (a pipe fed a row at a time): held back for blocks of output, they
    // would come only at the end
    InputStream piped = standardInput ? System.in : pipe(input) ? Files.newInputStream(input) : null;
    try (Input in = piped != null ? Input.of(Compressed.open(new PrintBeforeWaiting(piped, printer), input), input)
        : Input.open(input)) {
      if (in.idx()) {
        if (labelColumn != null) {
          throw new IllegalArgumentException(input + " holds IDX images, which have no label column; --label-column "
              + "is for CSV input");
        }
        float[] x = new float[inputs];
        Idx.forEachImage(in.stream(), input, (dims, pixels, i) -> {
          if (pixels.length != inputs) {
            throw new DataFormatException(input, "images are " + dims[1] + "x" + dims[2] + " = "
                + Errors.count(pixels.length, "value") + ", the model takes " + Errors.count(inputs, "input"));
          }
          for (int j = 0; j < inputs; j++) {
            x[j] = pixels[j] & 0xff;
          }
          printer.row(x, "image " + i);
        });
      } else {
        CsvRows rows = new CsvRows(inputs, printer);
        if (labelColumn == null) {
          Csv.forEachRow(in.stream(), input, ',', rows);
        } else {
          Csv.forEachRow(in.stream(), input, ',', labelColumn, rows); // unread: it may be a name, or empty
        }
      }
    } catch (IOException | RuntimeException e) {
      printer.print(); // rows predicted before a bad one are printed too
      throw e;
    }
    printer.flush();
    return Main.EXIT_OK;
  }

  /**
   * Whether {@code file} is read as a pipe: it exists and is neither a regular file nor a folder (a named
   * pipe, {@code /dev/stdin}, a device). A folder and a missing file are left to {@link Input#open}, which
   * names what is wrong.
   */
  private static boolean pipe(Path file) {
    return Files.exists(file) && !Files.isRegularFile(file) && !Files.isDirectory(file);
  }

  /** Predicts one row at a time and prints the results in blocks. */
  private final class Printer {
    private final Model m;
    private final Workspace ws;
    private final float[] p;
    private final boolean classifies;
    private final PrintStream out;
    private final StringBuilder b = new StringBuilder();
    private long rows; // piped input may go on past 2^31 rows
    /** Whether a print before a wait for input found standard output closed: the next row stops the run. */
    private boolean unwritable;

    Printer(Model m, PrintStream out) {
      this.m = m;
      this.ws = m.newWorkspace();
      this.p = new float[m.architecture().outputs()];
      this.classifies = m.architecture().head().classifies();
      this.out = out;
    }

    /** Predicts and prints row {@code x}; {@code where} names it in the input (its line, or image). */
    void row(float[] x, String where) throws IOException {
      long i = rows++;
      int c;
      try {
        c = m.predictProbabilities(x, 0, p, 0, ws); // one pass gives both
      } catch (NonFiniteException e) {
        throw new DataFormatException(input, where + " (row " + i + "): " + e.getMessage(), e);
      }
      if (classifies) {
        b.append(json ? classJson(i, c, p[c], probabilities ? p : null)
            : String.format(Locale.ROOT, "%d %d %.6f", i, c, p[c]));
        if (probabilities && !json) {
          appendFloats(b, p);
        }
      } else {
        b.append(json ? valuesJson(i, p) : valuesText(i, p));
      }
      b.append(System.lineSeparator());
      if (b.length() > 1 << 16 || unwritable) {
        flush();
      }
    }

    /** Prints the rows held back, if any, as the input is about to wait for more. */
    void printBeforeWaiting() {
      if (!b.isEmpty()) {
        print();
        unwritable = out.checkError();
      }
    }

    /** Prints the rows held back; {@link Main} reports a failed write at the end. */
    void print() {
      out.print(b);
      b.setLength(0);
      out.flush();
    }

    /** Prints the rows held back, and stops the run when standard output can no longer be written. */
    void flush() throws IOException {
      print();
      if (out.checkError()) {
        // e.g. a closed pipe (| head): stop reading the input rather than predict it all for nothing
        throw new IOException("cannot write to standard output");
      }
    }
  }

  /**
   * Standard input (or a named pipe) that has the printer print the rows held back before a read that
   * would wait (no bytes available; a pipe opened by its path always says none, so there the rows are
   * printed before every read of a block): one check per read of a block, not per row.
   */
  private static final class PrintBeforeWaiting extends java.io.FilterInputStream {
    private final Printer printer;

    PrintBeforeWaiting(InputStream in, Printer printer) {
      super(in);
      this.printer = printer;
    }

    @Override
    public int read() throws IOException {
      printIfWaiting();
      return super.read();
    }

    @Override
    public int read(byte[] bytes, int off, int len) throws IOException {
      printIfWaiting();
      return super.read(bytes, off, len);
    }

    private void printIfWaiting() throws IOException {
      if (in.available() == 0) {
        printer.printBeforeWaiting();
      }
    }
  }

  /** CSV rows, without a label column, to the printer: the width is checked on the first row. */
  private final class CsvRows implements Csv.RowConsumer {
    private final int inputs;
    private final Printer printer;
    private boolean checked;

    CsvRows(int inputs, Printer printer) {
      this.inputs = inputs;
      this.printer = printer;
    }

    @Override
    public void accept(float[] values, long line) throws IOException {
      if (!checked) {
        checkWidth(values.length);
        checked = true;
      }
      printer.row(values, "line " + line);
    }

    private void checkWidth(int width) throws DataFormatException {
      if (labelColumn == null) {
        if (width != inputs) {
          throw new DataFormatException(input, "rows have " + columns(width) + ", the model takes " + inputs
              + " inputs" + (width == inputs + 1 ? "; if one column is a label, say which with --label-column" : ""));
        }
      } else if (width != inputs) {
        throw new DataFormatException(input, "rows have " + columns(width + 1) + ", " + width
            + " without the label column, but the model takes " + inputs + " inputs");
      }
    }
  }

  /** The row's JSON object; {@code all} (may be null) adds every class's probability. */
  private static String classJson(long row, int c, float p, float[] all) throws JsonProcessingException {
    ObjectNode o = JSON.createObjectNode();
    o.put("row", row);
    o.put("class", c);
    o.put("probability", p);
    if (all != null) {
      putFloats(o, "probabilities", all);
    }
    return JSON.writeValueAsString(o);
  }

  private static String valuesJson(long row, float[] v) throws JsonProcessingException {
    ObjectNode o = JSON.createObjectNode();
    o.put("row", row);
    putFloats(o, "values", v);
    return JSON.writeValueAsString(o);
  }

  private static String valuesText(long row, float[] v) {
    return appendFloats(new StringBuilder(Long.toString(row)), v).toString();
  }

  /** {@code v} as the array {@code name} of {@code o}. */
  private static void putFloats(ObjectNode o, String name, float[] v) {
    ArrayNode a = o.putArray(name);
    for (float f : v) {
      a.add(f);
    }
  }

  /** {@code v} after {@code b}, each value after a space, as {@link Float#toString} writes it. */
  private static StringBuilder appendFloats(StringBuilder b, float[] v) {
    for (float f : v) {
      b.append(' ').append(f);
    }
    return b;
  }

  /**
   * The input, opened once and decompressed when it is gzip, with what its first bytes say: IDX
   * images start with two zero bytes; CSV text starts with a UTF-16 or UTF-32 byte-order mark, or
   * with neither a zero byte nor another control character than a tab or a line break, so anything
   * else is refused here by its first bytes.
   */
  record Input(InputStream stream, boolean idx) implements AutoCloseable {
    static Input open(Path file) throws IOException {
      return of(Compressed.open(file), file);
    }

    /** Classifies a stream from {@link Compressed#open}; {@code file} names it in errors. */
    static Input of(InputStream in, Path file) throws IOException {
      try {
        byte[] head = peek(in, 4);
        // UTF-16 or UTF-32 text with its byte-order mark, which the CSV reader decodes (as train and eval read it)
        boolean wide = startsWith(head, 0xff, 0xfe) || startsWith(head, 0xfe, 0xff)
            || startsWith(head, 0x00, 0x00, 0xfe, 0xff);
        boolean idx = !wide && head.length >= 2 && head[0] == 0 && head[1] == 0;
        if (!idx && !wide && head.length > 0 && (contains(head, (byte) 0) || binaryStart(head[0]))) {
          StringBuilder hex = new StringBuilder();
          for (byte b : head) {
            hex.append(String.format(Locale.ROOT, " %02x", b & 0xff));
          }
          boolean gzipInGzip = head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
          throw new DataFormatException(file, "is neither CSV text nor IDX images: it starts with bytes" + hex
              + (gzipInGzip ? " once decompressed, which is gzip again (compressed twice?)"
                  : ", and an IDX file starts with 00 00"));
        }
        return new Input(in, idx);
      } catch (IOException | RuntimeException e) {
        in.close();
        throw e;
      }
    }

    /** Up to {@code n} first bytes: {@link FirstBytes#peek}, which resets {@code in} to them. */
    private static byte[] peek(InputStream in, int n) throws IOException {
      try {
        return FirstBytes.peek(in, n);
      } catch (java.util.zip.ZipException | java.io.EOFException e) {
        in.reset(); // to the start that FirstBytes marked
        return new byte[0]; // the reader then says what is wrong with the data
      }
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
      if (bytes.length < prefix.length) {
        return false;
      }
      for (int i = 0; i < prefix.length; i++) {
        if ((bytes[i] & 0xff) != prefix[i]) {
          return false;
        }
      }
      return true;
    }

    private static boolean contains(byte[] bytes, byte b) {
      for (byte x : bytes) {
        if (x == b) {
          return true;
        }
      }
      return false;
    }

    private static boolean binaryStart(byte b) {
      return (b & 0xff) < 0x20 && b != '\t' && b != '\n' && b != '\r';
    }

    @Override
    public void close() throws IOException {
      stream.close();
    }
  }

  private static String columns(int n) {
    return Errors.count(n, "column");
  }
}
