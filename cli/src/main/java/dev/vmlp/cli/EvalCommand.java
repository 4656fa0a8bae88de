package dev.vmlp.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vmlp.Dataset;
import dev.vmlp.Model;
import dev.vmlp.NonFiniteException;
import dev.vmlp.metrics.ConfusionMatrix;
import dev.vmlp.metrics.Evaluation;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code vmlp eval}: how a saved model does on labelled data. */
@Command(
    name = "eval",
    description = "Evaluate a saved model on labelled data: accuracy, mean loss and the confusion matrix.",
    sortOptions = false,
    usageHelpAutoWidth = true)
final class EvalCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParentCommand
  Main main;

  @Spec
  CommandSpec spec;

  @Mixin
  ModelOptions model;

  @ArgGroup(exclusive = true, multiplicity = "0..1", heading = "Data (one of; default --dataset digits):%n")
  TestData source;

  @Option(names = "--json", description = "Print one line of JSON instead of the text report.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    TestData.validate(source, spec);
    Model m = model.load();
    TestData.Loaded loaded = TestData.load(source, m);
    Dataset data = loaded.data();
    // a file by its path, as the readers name it (the data's name is the file's bare name)
    ModelOptions.checkWidth(loaded.file() != null ? loaded.file().toString() : data.name(), data.featureCount(),
        model.file, m.architecture().inputs());
    Evaluation e;
    try {
      e = m.evaluate(data);
    } catch (NonFiniteException ex) {
      throw loaded.located(ex); // the file and line, as predict and the readers name a row
    }
    PrintStream out = main.out;
    out.println(json ? json(m, data, e) : text(m, data, e));
    out.flush();
    return Main.EXIT_OK;
  }

  private String text(Model m, Dataset data, Evaluation e) {
    StringBuilder b = new StringBuilder();
    // the names as train's summary prints them: a name's escape sequences never reach the terminal
    b.append(String.format(Locale.ROOT, "evaluated %s (%s) on %s, %,d sample%s%n", m.architecture(),
        Errors.shown(model.file), Errors.shown(data.name()), e.samples(), e.samples() == 1 ? "" : "s"));
    if (e.confusion() != null) {
      b.append(String.format(Locale.ROOT, "accuracy %s  loss %.4f%n", TrainOutput.percent(e.accuracy()), e.meanLoss()));
      b.append(e.confusion().format().stripTrailing());
    } else {
      b.append(String.format(Locale.ROOT, "loss %.6f (mean of half the squared error)", e.meanLoss()));
    }
    return b.toString();
  }

  private String json(Model m, Dataset data, Evaluation e) throws JsonProcessingException {
    ObjectNode o = JSON.createObjectNode();
    o.put("model", model.file.toString());
    o.put("architecture", m.architecture().toString());
    ArrayNode layers = o.putArray("layers");
    for (int size : m.architecture().sizes()) {
      layers.add(size);
    }
    o.put("weights_sha256", m.weightsSha256());
    o.put("dataset", data.name());
    o.put("samples", e.samples());
    number(o, "accuracy", e.accuracy());
    number(o, "loss", e.meanLoss());
    ConfusionMatrix c = e.confusion();
    if (c == null) {
      o.putNull("confusion_matrix");
    } else if (c.classes() <= ConfusionMatrix.DENSE_MAX) {
      o.put("confusion_matrix_layout", "rows: true class, columns: predicted class");
      ArrayNode rows = o.putArray("confusion_matrix");
      for (long[] row : c.toArray()) {
        ArrayNode r = rows.addArray();
        for (long v : row) {
          r.add(v);
        }
      }
    } else {
      // a table of classes x classes would not fit: the pairs that occur instead
      o.put("confusion_matrix_layout", "[true class, predicted class, samples] for every pair that occurs");
      ArrayNode pairs = o.putArray("confusion_matrix");
      for (long[] entry : c.entries()) {
        pairs.addArray().add(entry[0]).add(entry[1]).add(entry[2]);
      }
    }
    return JSON.writeValueAsString(o);
  }

  private static void number(ObjectNode o, String field, double v) {
    if (Double.isFinite(v)) {
      o.put(field, v);
    } else {
      o.putNull(field);
    }
  }
}
