package dev.vmlp.cli;

import dev.vmlp.Dataset;
import dev.vmlp.InputScaling;
import dev.vmlp.data.Csv;
import dev.vmlp.data.DataFormatException;
import dev.vmlp.data.Digits;
import dev.vmlp.data.Mnist;
import dev.vmlp.data.TrainTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Where labelled data comes from: the bundled digits, an MNIST-format folder, or a pair of CSV files.
 * Used by a command as {@code @ArgGroup(exclusive = true) DataSource source;} (null means digits).
 */
final class DataSource {
  static final String DIGITS = "digits";

  @Option(names = "--dataset", paramLabel = "NAME",
      description = "A bundled dataset: digits (8x8 handwritten digits; the default).")
  String dataset;

  @Option(names = "--data", paramLabel = "DIR",
      description = "A folder with the four MNIST files (train-images-idx3-ubyte, ...; each may be .gz).")
  Path mnistDir;

  @ArgGroup(exclusive = false, multiplicity = "1")
  CsvFiles csv;

  /** Two CSV files, read with the same options. */
  static final class CsvFiles {
    @Option(names = "--train", required = true, paramLabel = "FILE", description = "Training CSV file (plain or gzip).")
    Path train;

    @Option(names = "--test", required = true, paramLabel = "FILE", description = "Test CSV file (plain or gzip).")
    Path test;

    @Option(names = "--label-column", paramLabel = "N", defaultValue = "0",
        description = "Column of the class label, 0-based; negative counts from the end (-1 = last). Default: ${DEFAULT-VALUE}.")
    int labelColumn;

    @Option(names = "--standardize",
        description = "Scale each CSV feature by the training set's mean and standard deviation.")
    boolean standardize;
  }

  /** Loaded data, the name it goes by in reports, and the files it was read from. */
  record Loaded(String name, TrainTest data, List<Path> files) {
    Dataset train() {
      return data.train();
    }

    Dataset test() {
      return data.test();
    }

    InputScaling scaling() {
      return data.scaling();
    }

    /** The input file that {@code target} is (a model saved there would replace it), or null. */
    Path sameFileAs(Path target) throws IOException {
      if (Files.exists(target)) {
        for (Path f : files) {
          if (Files.isSameFile(target, f)) {
            return f;
          }
        }
      }
      return null;
    }
  }

  /** Rejects what the parser cannot: an unknown bundled dataset name. */
  static void validate(DataSource source, CommandSpec spec) {
    if (source != null && source.dataset != null && !source.dataset.trim().toLowerCase(Locale.ROOT).equals(DIGITS)) {
      throw new ParameterException(spec.commandLine(), "unknown dataset '" + source.dataset
          + "'; the bundled one is digits (use --data DIR for MNIST files, --train/--test for CSV)");
    }
  }

  /** Reads the data {@code source} names (digits when null). */
  static Loaded load(DataSource source) throws IOException {
    if (source == null || source.dataset != null) {
      return new Loaded(DIGITS, Digits.load(), List.of());
    }
    if (source.mnistDir != null) {
      TrainTest data = Mnist.load(source.mnistDir);
      return new Loaded(folderName(source.mnistDir), data, Mnist.files(source.mnistDir));
    }
    CsvFiles c = source.csv;
    Csv.Options options = Csv.Options.defaults().withLabelColumn(c.labelColumn);
    Dataset train = Csv.read(c.train, options);
    Dataset test = Csv.read(c.test, options);
    if (test.featureCount() != train.featureCount()) {
      throw new DataFormatException(c.test, "rows have " + (test.featureCount() + 1) + " columns (the label and "
          + test.featureCount() + " features), the training file " + c.train + " has " + (train.featureCount() + 1));
    }
    InputScaling scaling = c.standardize ? InputScaling.standardize(train) : InputScaling.none();
    return new Loaded(fileName(c.train), new TrainTest(train, test, scaling), List.of(c.train, c.test));
  }

  private static String folderName(Path dir) {
    Path name = dir.toAbsolutePath().normalize().getFileName();
    return name != null ? name.toString() : dir.toString();
  }

  private static String fileName(Path file) {
    Path name = file.getFileName();
    return name != null ? name.toString() : file.toString();
  }
}
