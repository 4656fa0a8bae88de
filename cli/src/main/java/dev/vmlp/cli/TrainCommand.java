package dev.vmlp.cli;

import dev.vmlp.Activation;
import dev.vmlp.Architecture;
import dev.vmlp.Head;
import dev.vmlp.Trainer;
import dev.vmlp.TrainingInterruptedException;
import dev.vmlp.TrainingReport;
import dev.vmlp.internal.io.AtomicFiles;
import dev.vmlp.internal.kernel.KernelProvider;
import dev.vmlp.Model;
import dev.vmlp.io.LoadOptions;
import dev.vmlp.io.ModelFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code vmlp train}: trains a classifier on labelled data and reports how it did. */
@Command(
    name = "train",
    description = "Train a classifier by per-sample SGD and evaluate it on the test set after every epoch.",
    sortOptions = false,
    usageHelpAutoWidth = true)
final class TrainCommand implements Callable<Integer> {
  @ParentCommand
  Main main;

  @Spec
  CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "0..1", heading = "Data (one of; default --dataset digits):%n")
  DataSource source;

  @Option(names = "--hidden", paramLabel = "WIDTHS", split = ",", defaultValue = "256",
      converter = WidthConverter.class,
      description = "Hidden layer widths, comma-separated, e.g. 512,256; 0 for none (softmax regression on the "
          + "inputs). Default: ${DEFAULT-VALUE}.")
  int[] hidden;

  @Option(names = "--activation", paramLabel = "NAME", defaultValue = "relu", converter = ActivationConverter.class,
      description = "Hidden activation: identity, sigmoid, tanh, relu, leaky_relu. Default: ${DEFAULT-VALUE}.")
  Activation activation;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", description = "Epochs. Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(names = "--lr", paramLabel = "ETA", defaultValue = "0.01",
      description = "Learning rate. Default: ${DEFAULT-VALUE}.")
  double lr;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
      description = "Seed of the initial weights and the shuffles. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--threads", paramLabel = "N|auto", defaultValue = "auto", converter = ThreadsConverter.class,
      description = "Worker threads, or auto: one thread for small networks, more for wide ones, at most one per "
          + "core. The weights are bit-identical for any count. Default: ${DEFAULT-VALUE}.")
  int threads;

  @Option(names = "--inputs", paramLabel = "auto|dense|sparse", defaultValue = "auto", converter = InputsConverter.class,
      description = "First-layer kernels: auto (sparse when at most half the scaled inputs are non-zero), dense "
          + "or sparse. Same weights either way. Default: ${DEFAULT-VALUE}.")
  Trainer.InputPath inputs;

  @Option(names = "--json", description = "Print one line of JSON describing the run, alone on standard output "
      + "(the epoch lines go to standard error).")
  boolean json;

  @Option(names = "--resume", paramLabel = "FILE",
      description = "Continue training the model in FILE: its layers, activation and input scaling, and the epoch "
          + "count, seed, learning rate and shuffle setting it records (--seed and --lr override them, but --seed "
          + "not while its epoch is part-done, after a signal: the rest of that epoch keeps its order). --epochs "
          + "counts the epochs to add; on the same data the weights are those of one run that never stopped. --save "
          + "may name FILE.")
  Path resume;

  @Option(names = "--save", paramLabel = "FILE",
      description = "Save the trained model to FILE (safetensors; replaced atomically) for vmlp eval and predict. "
          + "Ctrl-C, SIGTERM or SIGHUP during training saves the model so far, which --resume FILE goes on from.")
  Path save;

  /** {@code auto}, {@code dense} or {@code sparse}, in any case. */
  static final class InputsConverter implements ITypeConverter<Trainer.InputPath> {
    @Override
    public Trainer.InputPath convert(String value) {
      return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "auto" -> Trainer.InputPath.AUTO;
        case "dense" -> Trainer.InputPath.DENSE;
        case "sparse" -> Trainer.InputPath.SPARSE;
        default -> throw new TypeConversionException("--inputs must be auto, dense or sparse, got '" + value + "'");
      };
    }
  }

  /**
   * One of {@code --hidden}'s widths: a whole number, spaces around it allowed ({@code "512, 256"}); an empty
   * one is a width missing between commas. The range is checked with the other widths ({@code validate}).
   */
  static final class WidthConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      String v = value.strip();
      if (v.isEmpty()) {
        throw new TypeConversionException("--hidden has an empty width: a comma at the start, or two together");
      }
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        if (v.matches("[+-]?\\d+")) { // a whole number past int's range: outside [1, MAX_WIDTH] either way
          throw new TypeConversionException("--hidden widths must be in [1, " + Architecture.MAX_WIDTH + "], got " + v);
        }
        throw new TypeConversionException("--hidden widths are whole numbers, got '" + value + "'");
      }
    }
  }

  /** {@code auto} is {@link Trainer#AUTO_THREADS}; otherwise a positive count. */
  static final class ThreadsConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      if (value.trim().equalsIgnoreCase("auto")) {
        return Trainer.AUTO_THREADS;
      }
      try {
        int n = Integer.parseInt(value.trim());
        if (n < 1) {
          throw new TypeConversionException("--threads must be auto or at least 1, got " + value);
        }
        return n;
      } catch (NumberFormatException e) {
        if (value.trim().matches("-\\d+")) { // past int's range, and below 1 as any negative count
          throw new TypeConversionException("--threads must be auto or at least 1, got " + value);
        }
        String want = value.trim().matches("\\+?\\d+") ? "a count up to " + Integer.MAX_VALUE : "a whole number";
        throw new TypeConversionException("--threads must be auto or " + want + ", got '" + value + "'");
      }
    }
  }

  /** Parses activation names with {@link Activation#parse}, keeping its message. */
  static final class ActivationConverter implements ITypeConverter<Activation> {
    @Override
    public Activation convert(String value) {
      try {
        return Activation.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    validate();
    if (save != null) {
      List<String> raw = spec.commandLine().getParseResult().matchedOption("--save").originalStringValues();
      String given = raw.get(raw.size() - 1);
      if (given.equals("-")) {
        // --input - is standard input; a model file is renamed into place, which standard output cannot be
        throw usage("--save - would make a file named '-': a model is saved to a file, not to standard output"
            + " (give ./- for a file of that name)");
      }
      if (given.length() > 1 && given.endsWith("/")) {
        // a Path drops the slash: "new/" would become a file named "new"
        throw new java.nio.file.FileSystemException(given, null,
            "ends with a slash, so it names a folder; a model is saved to a file");
      }
      // fail before training rather than after it: saveTarget reads the permissions, and a file made and
      // removed where the save makes its own finds what they do not show (/proc or /sys as root)
      AtomicFiles.checkCreatable(save, ModelFiles.saveTarget(save));
    }
    Model start = resume != null ? loadResumed() : null;
    // a resumed model's classes bound the labels: one outside them is named where it is, in whichever file
    DataSource.Loaded data = DataSource.load(source, start != null ? start.architecture().outputs() : 0);
    String clash = save != null ? data.clash(save) : null;
    if (clash != null) {
      throw usage("--save " + save + " " + clash);
    }
    int outputs = Math.max(data.train().outputCount(), data.test().outputCount());
    int features = data.train().featureCount();
    if (features > Architecture.MAX_WIDTH) {
      throw new IllegalArgumentException(data.name() + ": rows have " + features + " features, more than the "
          + Architecture.MAX_WIDTH + " inputs a network may take");
    }
    Architecture arch;
    Trainer.Builder builder;
    if (start == null) {
      try {
        arch = Architecture.of(features, hidden, activation, outputs, Head.SOFTMAX_CROSS_ENTROPY);
      } catch (IllegalArgumentException e) {
        throw usage("--hidden with " + features + " inputs and " + outputs + " classes: " + e.getMessage());
      }
      builder = Trainer.builder(arch).learningRate((float) lr).seed(seed).scaling(data.scaling());
    } else {
      arch = start.architecture();
      // the training file by its path (an MNIST folder's images), as the readers name a file
      ModelOptions.checkWidth(data.files().isEmpty() ? data.name() : data.files().get(0).toString(), features, resume,
          arch.inputs());
      if (outputs > arch.outputs()) {
        throw new IllegalArgumentException(data.name() + ": has " + outputs + " classes, the model in " + resume
            + " predicts " + arch.outputs());
      }
      builder = Trainer.builder(start); // its seed, learning rate and epochs, unless given here
      if (given("--seed")) {
        builder.seed(seed);
      }
      if (given("--lr")) {
        builder.learningRate((float) lr);
      }
    }
    builder.threads(threads).inputPath(inputs);
    KernelProvider.get(); // the kernels' one log line comes now, not in the middle of the first progress bar
    // a loaded file's epoch count is a checked count (ModelFiles)
    int before = start == null ? 0 : Integer.parseInt(start.metadata().getOrDefault("epochs", "0"));
    if (epochs > Integer.MAX_VALUE - before) {
      throw usage("--epochs " + epochs + " after the " + before + " of " + resume + " would exceed "
          + Integer.MAX_VALUE + " in all");
    }
    // with --save, a signal stops training at the next sample and the model so far is saved before the JVM exits
    try (SignalStop stop = save != null ? SignalStop.install() : null) {
      try {
        return trainAndReport(builder, data, arch, before, stop);
      } catch (Exception e) {
        if (stop == null) {
          throw e;
        }
        // said here, before close() lets a signal's hook return: the JVM then exits, and Main would say it too late
        return Errors.failure(e, main.err, main.verbose);
      }
    }
  }

  /**
   * Trains, saves with {@code --save} and prints the report; with a signal ({@code stop}), saves the
   * model so far instead and says where training stopped.
   */
  private int trainAndReport(Trainer.Builder builder, DataSource.Loaded data, Architecture arch, int before,
      SignalStop stop) throws IOException {
    TrainingReport report = null;
    TrainingInterruptedException stopped = null;
    Model stoppedAt = null;
    double seconds;
    // with --json, standard output holds the JSON object alone: the epoch lines go to standard error
    // a closed standard output (| head) stops training when the printed report is all the run gives
    try (EpochPrinter printer = new EpochPrinter(json ? main.err : main.out, before + 1, before + epochs,
        data.train().size(), main.interactive && !json, !json && save == null)) {
      builder.listener(printer);
      long t0 = System.nanoTime();
      try (Trainer trainer = builder.build()) {
        try {
          report = trainer.fit(data.train(), data.test(), epochs);
        } catch (TrainingInterruptedException e) {
          if (stop == null || !stop.workEnded()) {
            throw e;
          }
          stopped = e;
          stoppedAt = trainer.snapshot(); // the weights after the last whole sample, and how far the epoch got
        }
      }
      seconds = (System.nanoTime() - t0) * 1e-9;
    }
    if (stop != null) {
      stop.workEnded(); // a signal after training: the save below still runs, uninterrupted
    }
    if (stopped != null) {
      saveModel(stoppedAt, data.name());
      main.err.println("vmlp: stopped by a signal " + stoppedWhere(stopped.epoch(), stopped.samplesDone(),
          data.train().size()) + "; saved the model so far to " + save
          + ", which goes on from there with --resume " + save);
      main.err.flush();
      return Main.EXIT_STOPPED;
    }
    if (save != null) {
      saveModel(report.model(), data.name());
    }
    Map<String, String> used = report.model().metadata();
    String activations = activationIds(arch); // "" without hidden layers: the JSON says null
    TrainOutput.Run run = new TrainOutput.Run(data.name(), arch, activations, epochs, Double.parseDouble(
        used.get("learning_rate")), Long.parseLong(used.get("seed")), threads, data.train().size(),
        data.test().size(), seconds, save, resume, before, !"false".equals(used.get("shuffle")));
    main.out.println(json ? TrainOutput.json(run, report) : TrainOutput.summary(run, report));
    main.out.flush();
    return Main.EXIT_OK;
  }

  /** Where a signal stopped training, for its message: in an epoch, after some of its samples, or as one ended. */
  static String stoppedWhere(int epoch, long samplesDone, long epochSize) {
    return samplesDone == epochSize ? "as epoch " + epoch + " ended"
        : "in epoch " + epoch + ", after " + String.format(Locale.ROOT, "%,d", samplesDone) + " of its samples";
  }

  private void saveModel(Model model, String dataset) throws IOException {
    Map<String, String> provenance = new LinkedHashMap<>(model.metadata());
    provenance.put("dataset", dataset);
    ModelFiles.save(model.withMetadata(provenance), save);
  }

  /** Whether the command line gave {@code option} (rather than its default). */
  private boolean given(String option) {
    return spec.commandLine().getParseResult().hasMatchedOption(option);
  }

  /** The model to continue: a classifier, with {@code --activation} for a file without vmlp metadata. */
  private Model loadResumed() throws java.io.IOException {
    LoadOptions options = LoadOptions.defaults();
    if (given("--activation")) {
      options = options.withActivations(List.of(activation));
    }
    Model m = ModelFiles.load(resume, options);
    if (!m.architecture().head().classifies()) {
      throw new IllegalArgumentException(resume + ": a regressor (head " + m.architecture().head().id()
          + "); vmlp train trains classifiers");
    }
    return m;
  }

  /** The hidden layers' activations, comma-separated, or one name when they agree. */
  private static String activationIds(Architecture arch) {
    List<String> all = new java.util.ArrayList<>();
    for (int l = 0; l < arch.layerCount() - 1; l++) {
      all.add(arch.activation(l).id());
    }
    return all.stream().distinct().count() == 1 ? all.get(0) : String.join(",", all);
  }

  /** Checks what the option types alone do not: positive sizes and a usable learning rate. */
  private void validate() {
    DataSource.validate(source, spec);
    if (resume != null) {
      if (given("--hidden")) {
        throw usage("--resume takes the layers from the model; --hidden is for a new network");
      }
      if (source != null && source.csv != null && source.csv.standardize) {
        throw usage("--resume takes the input scaling from the model; --standardize is for a new network");
      }
    }
    if (epochs < 1) {
      throw usage("--epochs must be at least 1, got " + epochs);
    }
    if (hidden.length == 0) {
      throw usage("--hidden needs at least one width");
    }
    CommandLine.Model.OptionSpec given = spec.commandLine().getParseResult().matchedOption("--hidden");
    if (given != null) {
      for (String raw : given.originalStringValues()) {
        if (raw.endsWith(",")) {
          throw usage("--hidden '" + raw + "' ends with a comma: a width is missing");
        }
      }
    }
    if (hidden.length == 1 && hidden[0] == 0) {
      hidden = new int[0]; // the output layer on the inputs: a linear baseline
      if (given("--activation")) {
        // it would be dropped unsaid: the model and the report have no activation
        throw usage("--activation is for hidden layers, and --hidden 0 makes none");
      }
    }
    for (int h : hidden) {
      if (h < 1 || h > Architecture.MAX_WIDTH) {
        throw usage("--hidden widths must be in [1, " + Architecture.MAX_WIDTH + "], got " + h
            + (h == 0 ? " (0 alone means no hidden layer)" : ""));
      }
    }
    // what the data does not decide is checked before the data is read
    if (hidden.length >= Architecture.MAX_LAYERS) {
      throw usage("--hidden gives " + hidden.length + " hidden layers; a network has at most "
          + (Architecture.MAX_LAYERS - 1));
    }
    for (int i = 0; i + 1 < hidden.length; i++) {
      if ((long) hidden[i] * hidden[i + 1] > Architecture.MAX_LAYER_WEIGHTS) {
        throw usage("--hidden " + hidden[i] + "," + hidden[i + 1] + " makes a layer of more than "
            + Architecture.MAX_LAYER_WEIGHTS + " weights");
      }
    }
    float eta = (float) lr;
    if (lr > 0 && eta == 0) {
      throw usage("--lr " + lr + " is 0 in single precision, which the weights use; the smallest is about 1.4e-45");
    }
    if (!(eta > 0) || !Float.isFinite(eta)) {
      throw usage("--lr must be a positive finite number, got " + lr);
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
