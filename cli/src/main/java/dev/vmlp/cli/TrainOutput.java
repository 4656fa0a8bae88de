package dev.vmlp.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vmlp.Architecture;
import dev.vmlp.EpochStats;
import dev.vmlp.Trainer;
import dev.vmlp.TrainingReport;
import dev.vmlp.metrics.Evaluation;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The text and JSON that {@code vmlp train} prints. */
final class TrainOutput {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * About how many samples the JIT takes to compile the kernels (decisions.md, "Warm-up"): a speed that
   * counts any of them reads below the steady pace.
   */
  static final int WARM_UP = 20_000;

  private TrainOutput() {}

  /** What a training run was asked to do, for the report. */
  record Run(
      String dataset, Architecture arch, String activation, int epochs, double lr, long seed, int threads,
      long trainSamples, long testSamples, double seconds, Path model, Path resumedFrom, int epochsBefore,
      boolean shuffle) {}

  /** E.g. {@code epoch 3/10  loss 0.1234  train acc 96.51%  test loss 0.1021  test acc 97.49%  34,722 samples/s}. */
  static String epochLine(EpochStats s, int epochs) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "epoch %d/%d  loss %.4f", s.epoch(), epochs, s.trainLoss()));
    if (!Double.isNaN(s.trainAccuracy())) {
      b.append("  train acc ").append(percent(s.trainAccuracy()));
    }
    if (!Double.isNaN(s.testLoss())) {
      b.append(String.format(Locale.ROOT, "  test loss %.4f", s.testLoss()));
    }
    if (!Double.isNaN(s.testAccuracy())) {
      b.append("  test acc ").append(percent(s.testAccuracy()));
    }
    b.append("  ").append(rate(s.samplesPerSecond()));
    return b.toString();
  }

  /** A few lines for people at the end of a run. */
  static String summary(Run run, TrainingReport r) {
    Evaluation t = r.test();
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "trained %s on %s (%,d sample%s) for %d epoch%s in %.2f s%n",
        run.arch(), Errors.shown(run.dataset()), run.trainSamples(), run.trainSamples() == 1 ? "" : "s", run.epochs(),
        run.epochs() == 1 ? "" : "s", run.seconds()));
    if (run.resumedFrom() != null) {
      b.append(String.format(Locale.ROOT, "continued %s after its %d epoch%s: %d in all%s%n",
          Errors.shown(run.resumedFrom()), run.epochsBefore(), run.epochsBefore() == 1 ? "" : "s",
          run.epochsBefore() + run.epochs(), run.shuffle() ? "" : ", without shuffling (as the model was trained)"));
    }
    if (t != null) {
      b.append(String.format(Locale.ROOT, "test accuracy %s  (loss %.4f, %,d sample%s)%n",
          percent(t.accuracy()), t.meanLoss(), t.samples(), t.samples() == 1 ? "" : "s"));
    }
    boolean capped = run.threads() != Trainer.AUTO_THREADS && run.threads() > r.threads();
    b.append(String.format(Locale.ROOT, "speed %s  (kernels %s, %s inputs, %d thread%s%s)%n",
        rate(r.samplesPerSecond()), r.kernels(), r.sparseInputs() ? "sparse" : "dense", r.threads(),
        r.threads() == 1 ? "" : "s", capped ? " of the " + run.threads() + " asked for, the most this network can use"
            : ""));
    List<EpochStats> kept = r.epochs();
    if (!kept.isEmpty() && kept.size() < TrainingReport.KEPT_EPOCHS
        && (kept.size() == 1 || kept.getFirst().samples() < WARM_UP)) {
      // the figure leaves the first epoch out: enough only when that epoch outlasts the warm-up (a report
      // that kept only the last epochs of a long fit lost its first)
      b.append(String.format(Locale.ROOT, "  (includes the JIT's warm-up, about the first %,d samples; steady speeds: "
          + "docs/benchmarks.md)%n", WARM_UP));
    }
    b.append("weights sha256 ").append(r.model().weightsSha256());
    if (run.model() != null) {
      b.append(System.lineSeparator()).append("saved the model to ").append(Errors.shown(run.model()));
    }
    return b.toString();
  }

  /** One line of JSON with the run's settings and results; non-finite numbers become null. */
  static String json(Run run, TrainingReport r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("dataset", run.dataset());
    ArrayNode layers = o.putArray("layers");
    for (int size : run.arch().sizes()) {
      layers.add(size);
    }
    if (run.activation().isEmpty()) {
      o.putNull("activation"); // a continued model without hidden layers
    } else {
      o.put("activation", run.activation());
    }
    o.put("head", run.arch().head().id());
    o.put("parameters", run.arch().parameterCount());
    o.put("epochs", run.epochs());
    if (run.resumedFrom() != null) {
      o.put("resumed_from", run.resumedFrom().toString());
      o.put("epochs_before", run.epochsBefore());
      o.put("shuffle", run.shuffle()); // the model's setting, which a new run cannot change
    }
    o.put("lr", run.lr());
    o.put("seed", run.seed());
    o.put("threads", r.threads());
    o.put("threads_requested", run.threads() == Trainer.AUTO_THREADS ? "auto" : Integer.toString(run.threads()));
    o.put("kernels", r.kernels());
    o.put("sparse_inputs", r.sparseInputs());
    o.put("train_samples", run.trainSamples());
    o.put("test_samples", run.testSamples());
    number(o, "train_samples_per_sec", r.samplesPerSecond());
    Evaluation t = r.test();
    number(o, "test_accuracy", t != null ? t.accuracy() : Double.NaN);
    number(o, "test_loss", t != null ? t.meanLoss() : Double.NaN);
    number(o, "seconds", run.seconds());
    o.put("weights_sha256", r.model().weightsSha256());
    if (run.model() != null) {
      o.put("model", run.model().toString());
    }
    ArrayNode detail = o.putArray("epochs_detail");
    for (EpochStats s : r.epochs()) {
      ObjectNode e = detail.addObject();
      e.put("epoch", s.epoch());
      e.put("samples", s.samples());
      number(e, "train_loss", s.trainLoss());
      number(e, "train_accuracy", s.trainAccuracy());
      number(e, "test_loss", s.testLoss());
      number(e, "test_accuracy", s.testAccuracy());
      number(e, "train_seconds", s.trainSeconds());
      number(e, "samples_per_sec", s.samplesPerSecond());
    }
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the JSON report", e);
    }
  }

  private static void number(ObjectNode o, String field, double v) {
    if (Double.isFinite(v)) {
      o.put(field, v);
    } else {
      o.putNull(field);
    }
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
  }

  static String rate(double samplesPerSecond) {
    return Double.isFinite(samplesPerSecond)
        ? String.format(Locale.ROOT, "%,d samples/s", Math.round(samplesPerSecond))
        : "- samples/s";
  }
}
