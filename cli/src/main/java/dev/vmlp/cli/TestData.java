package dev.vmlp.cli;

import dev.vmlp.Dataset;
import dev.vmlp.Model;
import dev.vmlp.data.Csv;
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

  /** Reads the data {@code source} names (digits when null), with the labels {@code model} can have. */
  static Dataset load(TestData source, Model model) throws IOException {
    int outputs = model.architecture().outputs();
    if (source == null || source.dataset != null) {
      return Digits.load().test();
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
      return Mnist.loadPair(Mnist.find(dir, Mnist.TEST_IMAGES), Mnist.find(dir, Mnist.TEST_LABELS), outputs);
    }
    if (!model.architecture().head().classifies() && outputs > 1) {
      // a CSV row here holds one label or target column; several targets need the library's Model.evaluate
      throw new IllegalArgumentException("the model is a regressor of " + outputs + " outputs, and vmlp eval reads "
          + "one target per CSV row; evaluate it with the library (Dataset.ofTargets and Model.evaluate)");
    }
    Csv.Options options = Csv.Options.defaults().withLabelColumn(source.csv.labelColumn);
    options = model.architecture().head().classifies() ? options.withClasses(outputs) : options.asRegression();
    return Csv.read(source.csv.test, options);
  }
}
