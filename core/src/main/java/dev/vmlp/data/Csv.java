package dev.vmlp.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.vmlp.Architecture;
import dev.vmlp.internal.io.FirstBytes;
import dev.vmlp.internal.text.Excerpt;
import dev.vmlp.Dataset;
import java.io.CharConversionException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipException;

/**
 * Reads numeric CSV files (plain or gzip): one sample per line, a label (or regression target) column
 * and feature columns. A first line none of whose fields is a number is a header; a first line with
 * numbers is data, so a bad cell in it is an error. A line has at most
 * {@link Architecture#MAX_WIDTH} feature columns (and the label's), the inputs a network may take; the
 * cells of a line are counted as they are read, so a longer one is refused before it is held whole.
 * Every problem is a {@link DataFormatException} naming the file, the line, the column and the value.
 *
 * <p>Parsing is done by Jackson's CSV module (quotes, separators and line endings per RFC 4180).
 */
public final class Csv {
  private static final CsvMapper MAPPER = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();

  private Csv() {}

  /**
   * How to read a file.
   *
   * @param labelColumn 0-based column of the label or target; negative counts from the end (-1 = last)
   * @param classes number of classes, or 0 to use the largest label + 1 (at least 2)
   * @param regression whether the label column is a real target (a regression dataset) instead of a class
   * @param separator the field separator
   */
  public record Options(int labelColumn, int classes, boolean regression, char separator) {
    /**
     * @throws IllegalArgumentException for a negative {@code classes}, classes given for a regression
     *     target, or a separator that is a quote or a line break (which RFC 4180 reserves) or a character
     *     of numbers (an ASCII letter or digit, {@code .}, {@code -}, {@code +}: {@code 1e-5}, {@code NaN})
     */
    public Options {
      if (classes < 0) {
        throw new IllegalArgumentException("classes must be 0 (taken from the data) or a count of classes, got "
            + classes);
      }
      if (regression && classes != 0) {
        throw new IllegalArgumentException("a regression target has no classes, got classes " + classes);
      }
      if (separator == '"' || separator == '\n' || separator == '\r') {
        throw new IllegalArgumentException("the separator cannot be a quote or a line break, got "
            + (separator == '"' ? "'\"'" : separator == '\n' ? "'\\n'" : "'\\r'"));
      }
      if ((separator >= '0' && separator <= '9') || (separator >= 'a' && separator <= 'z')
          || (separator >= 'A' && separator <= 'Z') || separator == '.' || separator == '-' || separator == '+') {
        throw new IllegalArgumentException("the separator cannot be a character that numbers are written with (an "
            + "ASCII letter or digit, '.', '-' or '+'), got '" + separator + "'");
      }
    }

    /** Label in the first column, classes from the data, comma-separated. */
    public static Options defaults() {
      return new Options(0, 0, false, ',');
    }

    public Options withLabelColumn(int column) {
      return new Options(column, classes, regression, separator);
    }

    public Options withClasses(int n) {
      return new Options(labelColumn, n, regression, separator);
    }

    public Options asRegression() {
      return new Options(labelColumn, 0, true, separator);
    }

    public Options withSeparator(char sep) {
      return new Options(labelColumn, classes, regression, sep);
    }
  }

  /** Reads {@code file} with the label in the first column. */
  public static Dataset read(Path file) throws IOException {
    return read(file, Options.defaults());
  }

  /**
   * Reads {@code file}.
   *
   * @throws DataFormatException for an empty file, an IDX file, a line with another number of columns, a
   *     value that is not a finite number, a label that is not a class index, or bytes that are not text in
   *     the file's encoding (UTF-8, UTF-16 or UTF-32)
   */
  public static Dataset read(Path file, Options options) throws IOException {
    return read(Compressed.openFile(file), file, options);
  }

  /**
   * Reads CSV from a stream (plain or gzip), closing it; {@code name} names the source in errors.
   *
   * @see #read(Path, Options)
   */
  public static Dataset read(InputStream stream, Path name, Options options) throws IOException {
    Parsed p = parse(stream, name, options, true, null);
    // a root or empty path has no file name; it then names the dataset itself
    String datasetName = (name.getFileName() != null ? name.getFileName() : name).toString();
    if (options.regression()) {
      return Dataset.ofTargets(datasetName, p.features, p.width - 1, p.labels, 1);
    }
    int[] classIdx = new int[p.labels.length];
    int maxLabel = 0;
    for (int i = 0; i < p.labels.length; i++) {
      classIdx[i] = (int) p.labels[i]; // checked by checkLabel
      maxLabel = Math.max(maxLabel, classIdx[i]);
    }
    int classes = options.classes() > 0 ? options.classes() : Math.max(2, maxLabel + 1);
    return Dataset.ofClasses(datasetName, p.features, p.width - 1, classIdx, classes);
  }

  /**
   * Reads rows of numbers without a label column (plain or gzip), e.g. inputs to predict: every
   * column is a feature. A first line none of whose fields is a number is a header.
   *
   * @return one array per data row, all of the same length
   * @throws DataFormatException for an empty file, an IDX file, a line with another number of columns,
   *     or a value that is not a finite number
   */
  public static float[][] readRows(Path file, char separator) throws IOException {
    Parsed p = parse(Compressed.openFile(file), file, Options.defaults().withSeparator(separator), false, null);
    float[][] rows = new float[p.rows][];
    for (int r = 0; r < rows.length; r++) {
      rows[r] = Arrays.copyOfRange(p.features, r * p.width, (r + 1) * p.width);
    }
    return rows;
  }

  /** Receives the rows of {@link #forEachRow} one at a time. */
  @FunctionalInterface
  public interface RowConsumer {
    /**
     * @param values the row's numbers, every column but the one skipped (when a column to skip is given);
     *     the array is reused for the next row
     * @param line the row's 1-based line in the input
     */
    void accept(float[] values, long line) throws IOException;
  }

  /**
   * {@link #readRows(Path, char)} for input of any length: reads {@code stream} (plain or gzip, which
   * this closes) and hands each row to {@code consumer} as soon as it is parsed, so the memory taken
   * does not grow with the input, and input that can be read only once (a pipe) works. {@code name}
   * names the input in errors. A problem is found only when its line is reached: the rows before it
   * have been handed over by then. A row of UTF-8 text is handed over once its line end (a line feed,
   * {@code \r\n} or a bare carriage return) has come, without waiting for the next row's bytes, so a client that sends a row and waits for its answer
   * gets it, even a first row shorter than the 4 bytes that the parser's encoding detection reads.
   *
   * @throws DataFormatException as {@link #readRows(Path, char)}, or from {@code consumer}
   */
  public static void forEachRow(InputStream stream, Path name, char separator, RowConsumer consumer)
      throws IOException {
    // a null consumer read the whole input into memory and returned, as read does
    parse(stream, name, Options.defaults().withSeparator(separator), false,
        Compressed.given(consumer, "consumer", stream));
  }

  /**
   * {@link #forEachRow(InputStream, Path, char, RowConsumer)} for rows with a column to skip, such as the
   * label of a labelled file: column {@code skipColumn} (0-based; negative counts from the end, -1 = last)
   * is not read, so its cells may hold anything (a class name, nothing), and each row reaches
   * {@code consumer} without it.
   *
   * @throws DataFormatException as {@link #forEachRow(InputStream, Path, char, RowConsumer)}, or when the
   *     rows have no column {@code skipColumn} or no other column
   */
  public static void forEachRow(InputStream stream, Path name, char separator, int skipColumn, RowConsumer consumer)
      throws IOException {
    parse(stream, name, Options.defaults().withSeparator(separator).withLabelColumn(skipColumn), true,
        Compressed.given(consumer, "consumer", stream)); // a null one had the skipped column read as labels
  }

  /** Parsed values: {@code rows} lines of {@code width} columns, the label column (if any) apart. */
  private record Parsed(float[] features, float[] labels, int width, int rows) {}

  /**
   * Parses every row, keeping them, or handing each to {@code sink} when it is not null: then without
   * the label column, which is not read.
   */
  private static Parsed parse(InputStream stream, Path name, Options options, boolean labelled, RowConsumer sink)
      throws IOException {
    Compressed.given(options, "options", stream); // else an NPE past the stream's closing: a file's was left open
    Path file = name;
    float[] values = null;
    CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(options.separator());
    FloatList features = new FloatList();
    FloatList labels = new FloatList();
    int width = -1;
    int labelCol = -1;
    long rows = 0; // a streamed input may have more than 2^31 rows
    long line = 0;
    long firstLine = 0; // of the first row that is not blank: it may be a header
    // the stream is a resource of its own: it is closed even when wrapping it fails
    BlankLineWhenIdle text = null;
    try (InputStream raw = stream;
        InputStream in = notIdx(Compressed.wrap(raw, file), file);
        JsonParser it = parser(MAPPER.reader().with(schema), in, text = new BlankLineWhenIdle(in))) {
      // a format error may be gzip damage that only the checksum at the data's end shows: Compressed.damageFirst
      try {
        // the rows are the elements of one array (WRAP_AS_ARRAY); an empty input has not even that
        // the location before a row is its first line; after it, the next line (or the same one at the end of input)
        // Jackson counts the blank lines added while the input waited (BlankLineWhenIdle); a row's line does not
        long at = 0; // Jackson's line
        for (line = it.nextToken() == JsonToken.START_ARRAY
                ? text.lineOf(at = lineAt(at, it.currentLocation().getLineNr())) : 0;
            it.currentToken() != null && it.nextToken() == JsonToken.START_ARRAY;
            line = text.lineOf(at = lineAt(at, it.currentLocation().getLineNr()))) {
          String[] row = readRow(it, file, line, width, labelled);
          // a byte-order mark with nothing after it reaches here as a cell of its own
          if (row.length == 1 && (blank(row[0]) || row[0].equals("\uFEFF"))) {
            continue;
          }
          if (width < 0) {
            firstLine = line;
            if (labelled && row.length < 2) {
              throw new DataFormatException(file, "line " + line + " has " + columns(row)
                  + "; a label and at least one feature are needed");
            }
            width = row.length;
            if (labelled) {
              labelCol = options.labelColumn() >= 0 ? options.labelColumn() : width + options.labelColumn();
              if (labelCol < 0 || labelCol >= width) {
                throw new DataFormatException(file, "label column " + options.labelColumn()
                    + " does not exist: rows have " + width + " columns");
              }
            }
            if (isHeader(row)) {
              continue; // header
            }
          }
          if (row.length != width) {
            throw new DataFormatException(file, "line " + line + " has " + columns(row) + ", expected " + width);
          }
          if (sink != null) {
            if (values == null) {
              values = new float[labelled ? width - 1 : width];
            }
            for (int c = 0, k = 0; c < width; c++) {
              if (c != labelCol) { // a skipped column's cells are not read: they may be names or empty
                values[k++] = parse(file, line, line == firstLine, c, row[c]);
              }
            }
            try {
              sink.accept(values, line);
            } catch (IOException | RuntimeException e) {
              throw new ConsumerFailure(e); // the consumer's own: past the handlers of this input's errors
            }
            rows++;
            continue;
          }
          for (int c = 0; c < width; c++) {
            float v = parse(file, line, line == firstLine, c, row[c]);
            if (c == labelCol) {
              if (!options.regression()) {
                checkLabel(file, line, c, row[c], v, options.classes());
              }
              labels.add(v);
            } else {
              features.add(v);
            }
          }
          rows++;
        }
      } catch (JsonProcessingException e) {
        DataFormatException problem = fromJackson(file, line, e);
        throw isGzipDamage(e) ? problem : Compressed.damageFirst(in, raw, file, problem);
      } catch (CharConversionException e) {
        throw Compressed.damageFirst(in, raw, file, notText(file, line, e)); // the parser's first buffer
      } catch (DataFormatException e) {
        throw Compressed.damageFirst(in, raw, file, e);
      }
    } catch (JsonProcessingException e) {
      throw fromJackson(file, line, e);
    } catch (ZipException | EOFException e) {
      // past the parser's first buffer, the data of some line: the rows before it were read
      throw new DataFormatException(file, "corrupt gzip data" + (line > 0 ? " after line " + line : "") + ": "
          + e.getMessage(), e);
    } catch (CharConversionException e) {
      throw notText(file, line, e); // the parser's first buffer: Jackson throws it unwrapped
    } catch (FloatList.Full e) {
      throw new DataFormatException(file, "line " + line + ": more than " + FloatList.MAX
          + " values, more than one dataset holds; split the file");
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (ConsumerFailure e) {
      throw e.rethrow();
    }
    if (rows == 0) {
      throw new DataFormatException(file, "holds no data rows");
    }
    return new Parsed(features.toArray(), labels.toArray(), width, (int) rows); // kept rows fit: each has a value
  }

  /**
   * The parser of {@code text}, which reads {@code in} (which supports mark): UTF-16 text is decoded by
   * {@link Utf16Text}, which refuses bytes that are not UTF-16, where the parser's own UTF-16 decoding
   * (the JDK's) replaced them with U+FFFD. UTF-8 and UTF-32 text the parser decodes itself, refusing them.
   */
  private static JsonParser parser(ObjectReader reader, InputStream in, BlankLineWhenIdle text) throws IOException {
    // only text that gets no blank lines may be UTF-16: the parser's encoding detection waits for its 4 bytes
    java.io.Reader utf16 = text.bytePerLineFeed() ? null : Utf16Text.of(text, head(in, BlankLineWhenIdle.HEAD));
    return utf16 != null ? reader.createParser(utf16) : reader.createParser(text);
  }

  /** The first {@code n} bytes of {@code in} (fewer where it ends before them), to which it is reset. */
  private static byte[] head(InputStream in, int n) throws IOException {
    in.mark(n);
    byte[] head = in.readNBytes(n);
    in.reset();
    return head;
  }

  /**
   * The line Jackson has reached, {@code jacksonLine}, counted on from {@code line}, the one it reached
   * before: Jackson counts in an {@code int}, which wraps to negative numbers after 2^31 lines, so its
   * count is taken as the low 32 bits of the line (a row spans fewer than 2^32 lines).
   */
  private static long lineAt(long line, int jacksonLine) {
    return line + Integer.toUnsignedLong(jacksonLine - (int) line);
  }

  /**
   * {@code in} (which supports mark), unless it starts with the magic number of an IDX file,
   * {@code 00 00} and an element type: an MNIST file given where CSV belongs read as one column of
   * control characters, and was refused as a line of one column. Closes {@code in} when it throws.
   * Input that is a UTF-16 byte-order mark alone comes back as no bytes (closing {@code in}): the
   * parser's encoding detection needs more than its 2 bytes, and took them for bytes that are not UTF-8.
   */
  private static InputStream notIdx(InputStream in, Path file) throws IOException {
    try {
      byte[] head = FirstBytes.peek(in, 4);
      if (head.length == 2 && ((head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xfe
          || (head[0] & 0xff) == 0xfe && (head[1] & 0xff) == 0xff)) {
        in.close();
        return new java.io.ByteArrayInputStream(new byte[0]); // an empty file, as UTF-8's mark alone is
      }
      if (head.length >= 3 && head[0] == 0 && head[1] == 0 && isIdxType(head[2])) {
        StringBuilder hex = new StringBuilder();
        for (byte b : head) {
          hex.append(String.format(java.util.Locale.ROOT, " %02x", b & 0xff));
        }
        throw new DataFormatException(file, "is an IDX file (it starts with" + hex
            + ", IDX's magic number), not CSV text");
      }
      return in;
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /**
   * Whether {@code b} is one of IDX's element types: unsigned and signed bytes, shorts, ints, floats and
   * doubles ({@code 08}, {@code 09}, {@code 0b} to {@code 0e}). An IDX file of another type than bytes
   * was read as UTF-16 text (its zero bytes), of one column.
   */
  private static boolean isIdxType(byte b) {
    return b == 0x08 || b == 0x09 || (b >= 0x0b && b <= 0x0e);
  }

  /** The most feature columns a line may have: the inputs a network may take. */
  static final int MAX_COLUMNS = Architecture.MAX_WIDTH;

  /**
   * The cells of the row whose array {@code p} has just started, at most {@code width} of them (before
   * the first row, {@code width} < 0: the most a network takes, and the label's): a line of millions of
   * cells (the line breaks of a file lost, say) is refused as it is read, where holding its cells as
   * strings first ran out of memory.
   */
  private static String[] readRow(JsonParser p, Path file, long line, int width, boolean labelled) throws IOException {
    int max = width >= 0 ? width : labelled ? MAX_COLUMNS + 1 : MAX_COLUMNS;
    List<String> cells = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY && t != null; t = p.nextToken()) {
      if (cells.size() == max) {
        String expected = width >= 0 ? ", expected " + width : "; a network takes at most " + MAX_COLUMNS
            + " inputs" + (labelled ? ", and one column is the label" : "");
        throw new DataFormatException(file, "line " + line + " has more than " + max + " columns" + expected);
      }
      cells.add(p.getText());
    }
    return cells.toArray(new String[0]);
  }

  /** Whether Jackson wraps what the decompressing stream threw: damaged gzip data, not the CSV line's fault. */
  private static boolean isGzipDamage(JsonProcessingException e) {
    return e.getCause() instanceof ZipException || e.getCause() instanceof EOFException;
  }

  /** The format error behind Jackson's exception at {@code line}. */
  private static DataFormatException fromJackson(Path file, long line, JsonProcessingException e) {
    if (e.getCause() instanceof CharConversionException c) {
      return notText(file, line, c);
    }
    if (isGzipDamage(e)) {
      // past the parser's first buffer
      return new DataFormatException(file, "corrupt gzip data after line " + line + ": " + e.getCause().getMessage(),
          e.getCause());
    }
    return new DataFormatException(file, "line " + line + ": " + e.getOriginalMessage(), e);
  }

  /**
   * Bytes that are not text in the encoding the parser decodes: UTF-8, or UTF-32 or UTF-16 (decoded by
   * {@link Utf16Text}), whose decoders' messages say "UTF-32" and "UTF-16". The decoder works ahead of
   * the parser, so the bad byte is on the line being parsed or a later one.
   */
  private static DataFormatException notText(Path file, long line, CharConversionException e) {
    String m = e.getMessage() != null ? e.getMessage() : "";
    String encoding = m.contains("UTF-32") ? "UTF-32" : m.contains("UTF-16") ? "UTF-16" : "UTF-8";
    return new DataFormatException(file, "not " + encoding + " text at or after line " + Math.max(1, line) + ": "
        + e.getMessage(), e);
  }

  /**
   * A label must be a class index, below {@code classes} when that is given (positive). It is checked
   * in double precision: {@code 2.0000001} is not a class, although as a float it would round to 2.
   */
  private static void checkLabel(Path file, long line, int column, String s, float v, int classes)
      throws DataFormatException {
    double d = Double.parseDouble(s.strip()); // parseNumber took it, so it parses
    if (d < 0 || d != Math.rint(d) || d > 65535) {
      throw new DataFormatException(file, "line " + line + ", column " + (column + 1) + ": label "
          + abbreviate(s.strip()) + " is not a class index 0, 1, 2, ... (at most 65535)");
    }
    if (classes > 0 && d >= classes) {
      throw new DataFormatException(file, "line " + line + ", column " + (column + 1) + ": label "
          + abbreviate(s.strip()) + " is not one of the " + classes + " classes expected (0 to " + (classes - 1) + ")");
    }
  }

  /**
   * Whether a line's one cell leaves it blank: spaces and tabs. {@link String#isBlank} also took the
   * control characters U+000B, U+000C and U+001C to U+001F for white space, so a line of one was
   * skipped, where a cell holding one is not a number.
   */
  private static boolean blank(String cell) {
    for (int i = 0; i < cell.length(); i++) {
      char c = cell.charAt(i);
      if (!Character.isWhitespace(c) || (Character.isISOControl(c) && c != '\t')) {
        return false;
      }
    }
    return true;
  }

  /**
   * A first line is a header when none of its fields is a number: one with numbers is data, so a bad
   * or empty cell in it is an error rather than a reason to skip it.
   */
  private static boolean isHeader(String[] row) {
    for (String s : row) {
      try {
        parseNumber(s);
        return false;
      } catch (NumberFormatException e) {
        // a name
      }
    }
    return true;
  }

  /**
   * How many cells {@code row} has; a row of one quotes it, since it is then the whole line, and shows
   * why it was not split (another separator, bytes that are not CSV text).
   */
  private static String columns(String[] row) {
    return row.length == 1 ? "1 column ('" + abbreviate(row[0]) + "')" : row.length + " columns";
  }

  /** A value from the file as a message quotes it: at most 40 characters, control characters escaped. */
  private static String abbreviate(String s) {
    return Excerpt.of(s, 40);
  }

  /**
   * {@link Float#parseFloat} without the Java source syntax it also takes: a type suffix ({@code 1f},
   * {@code 2d}) or a hexadecimal float ({@code 0x1p3}) is not a number in a data file.
   */
  private static float parseNumber(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') { // Float.parseFloat would trim a NUL away
        throw new NumberFormatException("a control character in " + s);
      }
    }
    String t = s.trim();
    char last = t.isEmpty() ? '0' : t.charAt(t.length() - 1);
    if (last == 'f' || last == 'F' || last == 'd' || last == 'D' || t.indexOf('x') >= 0 || t.indexOf('X') >= 0) {
      throw new NumberFormatException("not a decimal number: " + s);
    }
    return Float.parseFloat(t);
  }

  /** A cell's value; {@code firstRow}: whether its row is the first (blank lines aside), which may be a header. */
  private static float parse(Path file, long line, boolean firstRow, int column, String s)
      throws DataFormatException {
    float v;
    try {
      v = parseNumber(s);
    } catch (NumberFormatException e) {
      throw new DataFormatException(file, "line " + line + ", column " + (column + 1) + ": '" + abbreviate(s)
          + "' is not a number" + (firstRow ? " (a first line is a header only when none of its fields is one)"
              : ""));
    }
    if (!Float.isFinite(v)) {
      // 1e39 is a finite number, but not as a float: say so rather than call it infinite (1e999 too, which a
      // double cannot hold either); only the words Infinity and NaN are not finite as written
      String word = s.trim().replaceFirst("^[+-]", "");
      boolean tooLarge = !word.equals("Infinity") && !word.equals("NaN");
      throw new DataFormatException(file, "line " + line + ", column " + (column + 1) + ": " + abbreviate(s.strip())
          + " is not finite" + (tooLarge ? " as a 32-bit float, whose largest value is " + Float.MAX_VALUE : ""));
    }
    return v;
  }

  /** A growable float array (no boxing). */
  private static final class FloatList {
    /** The longest array a JVM allocates. */
    static final int MAX = Integer.MAX_VALUE - 8;
    float[] data = new float[1024];
    int size;

    /** Thrown when the list holds {@link #MAX} values already. */
    static final class Full extends RuntimeException {
      Full() {
        super(null, null, false, false);
      }
    }

    void add(float v) {
      if (size == data.length) {
        if (size == MAX) {
          throw new Full();
        }
        data = Arrays.copyOf(data, (int) Math.min(2L * data.length, MAX));
      }
      data[size++] = v;
    }

    float[] toArray() {
      return Arrays.copyOf(data, size);
    }
  }
}
