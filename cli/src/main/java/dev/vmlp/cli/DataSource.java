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

  /**
   * Loaded data, the name it goes by in reports, the files it was read from, and the paths that would
   * be read instead of some of them next time (an MNIST folder's plain file before its {@code .gz}).
   */
  record Loaded(String name, TrainTest data, List<Path> files, List<Path> shadows) {
    Dataset train() {
      return data.train();
    }

    Dataset test() {
      return data.test();
    }

    InputScaling scaling() {
      return data.scaling();
    }

    /**
     * Why a model saved to {@code target} would destroy this data (it would replace an input file, or be
     * read in place of one next time), or null. Links are followed, as the save follows them; another
     * hard link to an input is a name of its own, which the save replaces without touching the input.
     */
    String clash(Path target) throws IOException {
      Path t = real(target);
      for (Path f : files) {
        if (t.equals(real(f))) {
          return "is the input file " + f + ", which the model would replace";
        }
      }
      for (Path s : shadows) {
        if (t.equals(real(s))) {
          return "would be read next time in place of the input file " + s + ".gz";
        }
      }
      return null;
    }

    /**
     * The path with its links resolved, as far as it exists. Not normalised first: the system takes a
     * {@code ..} after a link from the link's target ({@code models/link/../train.csv} is beside the folder
     * the link names), and removing {@code link/..} by name pointed elsewhere.
     */
    private static Path real(Path p) throws IOException {
      Path abs = p.toAbsolutePath();
      if (Files.exists(abs)) {
        return abs.toRealPath();
      }
      Path parent = abs.getParent();
      return parent != null && Files.exists(parent) ? parent.toRealPath().resolve(abs.getFileName())
          : abs.normalize();
    }
  }

  /** Rejects what the parser cannot: an unknown bundled dataset name. */
  static void validate(DataSource source, CommandSpec spec) {
    if (source != null && source.dataset != null && !source.dataset.trim().toLowerCase(Locale.ROOT).equals(DIGITS)) {
      throw new ParameterException(spec.commandLine(), "unknown dataset '" + source.dataset
          + "'; the bundled one is digits (use --data DIR for MNIST files, --train/--test for CSV)");
    }
  }

  /**
   * Reads the data {@code source} names (digits when null). {@code classes}, when positive, is the
   * class count of the model the data is for (a resumed one): a label of a CSV or MNIST file outside it
   * is an error naming the file and where the label is.
   */
  static Loaded load(DataSource source, int classes) throws IOException {
    if (source == null || source.dataset != null) {
      return new Loaded(DIGITS, Digits.load(), List.of(), List.of());
    }
    if (source.mnistDir != null) {
      TrainTest data = Mnist.load(source.mnistDir, Math.max(classes, 0));
      List<Path> files = Mnist.files(source.mnistDir);
      List<Path> shadows = files.stream().filter(f -> f.getFileName().toString().endsWith(".gz"))
          .map(f -> f.resolveSibling(f.getFileName().toString().replaceFirst("\\.gz$", ""))).toList();
      // Mnist.load names the sets after the folder it read ("F/train"), links and ".." resolved
      String folder = data.train().name().substring(0, data.train().name().length() - "/train".length());
      return new Loaded(folder.isEmpty() ? source.mnistDir.toString() : folder, data, files, shadows);
    }
    CsvFiles c = source.csv;
    Csv.Options options = Csv.Options.defaults().withLabelColumn(c.labelColumn).withClasses(Math.max(classes, 0));
    Dataset train = Csv.read(c.train, options);
    Dataset test = Csv.read(c.test, options);
    if (test.featureCount() != train.featureCount()) {
      throw new DataFormatException(c.test, "rows have " + (test.featureCount() + 1) + " columns (the label and "
          + Errors.count(test.featureCount(), "feature") + "), the training file " + c.train + " has "
          + (train.featureCount() + 1));
    }
    InputScaling scaling = c.standardize ? InputScaling.standardize(train) : InputScaling.none();
    return new Loaded(fileName(c.train), new TrainTest(train, test, scaling), List.of(c.train, c.test), List.of());
  }

  private static String fileName(Path file) {
    Path name = file.getFileName();
    return name != null ? name.toString() : file.toString();
  }
}
