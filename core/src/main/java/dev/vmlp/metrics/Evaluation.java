package dev.vmlp.metrics;

/**
 * Quality of a model on a dataset. For classifiers: accuracy, mean log loss ({@code -log p_y} from the
 * stable log-sum-exp) and the confusion matrix. For regressors: the mean of {@code ½ Σ (z - t)²} as
 * {@link #meanLoss()}; accuracy is NaN and the matrix null.
 *
 * @param samples number of samples evaluated
 * @param accuracy fraction predicted correctly (arg max of the logits equals the label); NaN without samples
 * @param meanLoss mean per-sample loss; NaN without samples
 * @param confusion counts of (true, predicted) classes; null for regressors
 */
public record Evaluation(long samples, double accuracy, double meanLoss, ConfusionMatrix confusion) {

  /**
   * Starts accumulating per-sample results.
   *
   * @throws IllegalArgumentException when {@code classes} is below 1
   */
  public static Accumulator accumulator(boolean classifies, int classes) {
    return new Accumulator(classifies, classes);
  }

  /** Collects per-sample results; not thread-safe. */
  public static final class Accumulator {
    private final boolean classifies;
    private final int classes;
    private final ConfusionMatrix counts;
    private long samples;
    private long correct;
    private double lossSum;

    private Accumulator(boolean classifies, int classes) {
      if (classes < 1) {
        throw new IllegalArgumentException("classes must be positive, got " + classes);
      }
      this.classifies = classifies;
      this.classes = classes;
      this.counts = classifies ? ConfusionMatrix.counting(classes) : null;
    }

    /**
     * Adds one classified sample.
     *
     * @throws IllegalArgumentException when a class is out of range, or {@code loss} is NaN or negative
     * @throws IllegalStateException when the accumulator is for regression
     */
    public Accumulator addClassified(int truth, int predicted, double loss) {
      if (!classifies) {
        throw new IllegalStateException("this accumulator is for regression");
      }
      if (truth < 0 || truth >= classes || predicted < 0 || predicted >= classes) {
        throw new IllegalArgumentException(
            "class out of range [0, " + classes + "): truth " + truth + ", predicted " + predicted);
      }
      checkLoss(loss);
      counts.add(truth, predicted);
      samples++;
      if (truth == predicted) {
        correct++;
      }
      lossSum += loss;
      return this;
    }

    /**
     * Adds a classified sample that has no answer (its outputs were not finite, so no class can be
     * read from them): it counts as a wrong answer in the accuracy and adds {@code loss}, but it is in
     * no cell of the confusion matrix.
     *
     * @throws IllegalArgumentException when {@code truth} is out of range, or {@code loss} is NaN or
     *     negative
     * @throws IllegalStateException when the accumulator is for regression
     */
    public Accumulator addUnanswered(int truth, double loss) {
      if (!classifies) {
        throw new IllegalStateException("this accumulator is for regression");
      }
      if (truth < 0 || truth >= classes) {
        throw new IllegalArgumentException("class out of range [0, " + classes + "): truth " + truth);
      }
      checkLoss(loss);
      samples++;
      lossSum += loss;
      return this;
    }

    /**
     * Adds one regressed sample's loss.
     *
     * @throws IllegalArgumentException when {@code loss} is NaN or negative
     * @throws IllegalStateException when the accumulator is for classification
     */
    public Accumulator addRegressed(double loss) {
      if (classifies) {
        throw new IllegalStateException("this accumulator is for classification");
      }
      checkLoss(loss);
      samples++;
      lossSum += loss;
      return this;
    }

    // Both losses are at least 0; +∞ stands for outputs that are not finite. A NaN would make the
    // mean NaN and a negative loss would hide a wrong sample in the mean, so neither is taken.
    private static void checkLoss(double loss) {
      if (!(loss >= 0)) {
        throw new IllegalArgumentException("loss must be 0 or more (+Infinity allowed), got " + loss);
      }
    }

    public Evaluation build() {
      double mean = samples == 0 ? Double.NaN : lossSum / samples;
      if (!classifies) {
        return new Evaluation(samples, Double.NaN, mean, null);
      }
      double acc = samples == 0 ? Double.NaN : (double) correct / samples;
      return new Evaluation(samples, acc, mean, counts.copy());
    }
  }
}
