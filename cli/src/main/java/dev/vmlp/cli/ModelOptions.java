package dev.vmlp.cli;

import dev.vmlp.Activation;
import dev.vmlp.Head;
import dev.vmlp.Model;
import dev.vmlp.io.LoadOptions;
import dev.vmlp.io.ModelFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The model file of {@code eval} and {@code predict}, and what to assume for files without metadata. */
final class ModelOptions {
  @Option(names = "--model", required = true, paramLabel = "FILE", description = "The model file (safetensors).")
  Path file;

  @Option(names = "--activation", paramLabel = "NAME", split = ",",
      converter = TrainCommand.ActivationConverter.class,
      description = "Hidden activation for a file without vmlp metadata, such as weights exported from PyTorch: "
          + "one for all hidden layers, or one per hidden layer, comma-separated. Must agree with the file when "
          + "it has metadata.")
  List<Activation> activations;

  @Option(names = "--allow-non-finite",
      description = "Load a file whose weights hold NaN or infinite values (refused by default).")
  boolean allowNonFinite;

  @Option(names = "--head", paramLabel = "NAME", converter = HeadConverter.class,
      description = "Head for a file without vmlp metadata: softmax (the default) or squared_error.")
  Head head;

  /** Parses head names with {@link Head#parse}, keeping its message. */
  static final class HeadConverter implements ITypeConverter<Head> {
    @Override
    public Head convert(String value) {
      try {
        return Head.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  Model load() throws IOException {
    LoadOptions options = LoadOptions.defaults();
    if (activations != null) {
      options = options.withActivations(activations);
    }
    if (head != null) {
      options = options.withHead(head);
    }
    if (allowNonFinite) {
      options = options.withAllowNonFinite(true);
    }
    return ModelFiles.load(file, options);
  }

  /** Refuses data whose rows are not as wide as the model in {@code modelFile} takes, naming both. */
  static void checkWidth(String data, int features, Path modelFile, int inputs) {
    if (features != inputs) {
      throw new IllegalArgumentException(data + ": rows have " + Errors.count(features, "feature") + ", the model in "
          + modelFile + " takes " + Errors.count(inputs, "input"));
    }
  }
}
