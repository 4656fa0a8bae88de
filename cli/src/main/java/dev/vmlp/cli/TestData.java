package dev.vmlp.cli;

import dev.vmlp.Dataset;
import dev.vmlp.Model;
import dev.vmlp.NonFiniteException;
import dev.vmlp.data.Csv;
import dev.vmlp.data.DataFormatException;
import dev.vmlp.data.Digits;
import dev.vmlp.data.Mnist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Labelled data to evaluate a model on: the bundled digits' test split, the test files of an MNIST
 * folder, or one CSV file. Used as {@code @ArgGroup(exclusive = true) TestData source;} (null means
 * digits).
 */
final class TestData {
  @Option(names = "--dataset", paramLabel = "NAME",
      description = "A bundled dataset's test split: digits (the default).")
  String dataset;

  @Option(names = "--data", paramLabel = "DIR",
      description = "A folder with the MNIST test files (t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte; each may be .gz).")
  Path mnistDir;

  @ArgGroup(exclusive = false, multiplicity = "1")
  CsvFile csv;

  /** One CSV file with a label column. */
  static final class CsvFile {
    @Option(names = "--test", required = true, paramLabel = "FILE", description = "A CSV file (plain or gzip).")
    Path test;

    @Option(names = "--label-column", paramLabel = "N", defaultValue = "0",
        description = "Column of the label, 0-based; negative counts from the end (-1 = last). Default: ${DEFAULT-VALUE}.")
    int labelColumn;
  }

  /** Rejects what the parser cannot: an unknown bundled dataset name. */
  static void validate(TestData source, CommandSpec spec) {
    if (source != null && source.dataset != null
        && !source.dataset.trim().toLowerCase(Locale.ROOT).equals(DataSource.DIGITS)) {
      throw new ParameterException(spec.commandLine(), "unknown dataset '" + source.dataset
          + "'; the bundled one is digits (use --data DIR for MNIST files, --test FILE for CSV)");
    }
  }

  /**
   * Data read for evaluation, and the file its rows come from: CSV with its label column, IDX images
   * ({@code images}), or null for the bundled digits.
   */
  record Loaded(Dataset data, Path file, boolean images, int labelColumn) {
    /**
     * {@code e}, an output that is not finite in a row of {@link #data}, named as the data errors of the
     * library and {@code vmlp predict} name their source: the file, then the row's line (CSV) or image
     * (IDX), then the row. {@code e} itself when there is no file or no row.
     */
    Exception located(NonFiniteException e) {
      long row = e.row();
      if (file == null || row < 0) {
        return e;
      }
      if (images) {
        return new DataFormatException(file, "image " + row + " (row " + row + "): " + e.problem(), e);
      }
      long line = lineOf(row);
      return new DataFormatException(file, (line > 0 ? "line " + line + " (row " + row + ")" : "row " + row) + ": "
          + e.problem(), e);
    }

    /**
     * The line of the CSV file where row {@code row} is, or -1 when the file is not a regular one (a pipe
     * cannot be read twice, and opening it again would wait for a writer) or no longer reads as it did:
     * it is read again up to that row (only when an error is reported), so blank lines and a header
     * count as they did when the rows were read, and the row found there must hold the values read
     * before (a file rewritten since then may hold another row on that line, or on none).
     */
    private long lineOf(long row) {
      if (!Files.isRegularFile(file) || row >= data.size()) {
        return -1;
      }
      float[] expected = data.row((int) row);
      long[] found = {-1, 0}; // the line, the rows seen
      try {
        Csv.forEachRow(Files.newInputStream(file), file, ',', labelColumn, (values, line) -> {
          if (found[1]++ == row) {
            found[0] = java.util.Arrays.equals(values, expected) ? line : -1;
            throw new Found();
          }
        });
      } catch (Found f) {
        return found[0];
      } catch (IOException | RuntimeException e) {
        return -1; // the row is still named
      }
      return -1;
    }
  }

  /** Ends the reading of {@link Loaded#lineOf} at its row. */
  private static final class Found extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Found() {
      super(null, null, false, false);
    }
  }

  /** Reads the data {@code source} names (digits when null), with the labels {@code model} can have. */
  static Loaded load(TestData source, Model model) throws IOException {
    int outputs = model.architecture().outputs();
    if (source == null || source.dataset != null) {
      return new Loaded(Digits.load().test(), null, false, 0);
    }
    if (source.mnistDir != null) {
      if (!model.architecture().head().classifies()) {
        throw new IllegalArgumentException("the model is a regressor (head " + model.architecture().head().id()
            + "), and MNIST files hold class labels; evaluate it on a CSV file of targets (--test)");
      }
      Path dir = source.mnistDir;
      if (!Files.isDirectory(dir)) {
        throw new NoSuchFileException(dir.toString(), null, "not a folder holding the MNIST files");
      }
      // as train finds them: a folder or pipe where a file belongs is named as such, not as missing
      Path images = Mnist.find(dir, Mnist.TEST_IMAGES);
      return new Loaded(Mnist.loadPair(images, Mnist.find(dir, Mnist.TEST_LABELS), outputs), images, true, 0);
    }
    if (!model.architecture().head().classifies() && outputs > 1) {
      // a CSV row here holds one label or target column; several targets need the library's Model.evaluate
      throw new IllegalArgumentException("the model is a regressor of " + outputs + " outputs, and vmlp eval reads "
          + "one target per CSV row; evaluate it with the library (Dataset.ofTargets and Model.evaluate)");
    }
    Csv.Options options = Csv.Options.defaults().withLabelColumn(source.csv.labelColumn);
    options = model.architecture().head().classifies() ? options.withClasses(outputs) : options.asRegression();
    return new Loaded(Csv.read(source.csv.test, options), source.csv.test, false, source.csv.labelColumn);
  }
}
