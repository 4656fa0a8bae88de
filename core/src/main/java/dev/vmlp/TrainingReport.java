package dev.vmlp;

import dev.vmlp.metrics.Evaluation;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link Trainer#fit}.
 *
 * @param epochs per-epoch statistics in order: every epoch's, or the last {@value #KEPT_EPOCHS} of a longer
 *     fit (each names its epoch), so that millions of epochs over a small dataset do not fill the heap;
 *     {@link EpochListener#epochEnd} hears of every epoch
 * @param model the network after the last epoch
 * @param test evaluation on the test set after the last epoch, or null without one (an empty test set gives
 *     0 samples, with NaN accuracy and loss)
 * @param kernels the kernels that ran, e.g. {@code vector-512}
 * @param sparseInputs whether the first layer used the sparse-input kernels
 * @param threads worker threads used
 */
public record TrainingReport(
    List<EpochStats> epochs, Model model, Evaluation test, String kernels, boolean sparseInputs, int threads) {

  /** The most epochs whose statistics a report keeps: 100,000, about 7 MB. */
  public static final int KEPT_EPOCHS = 100_000;

  /** @throws NullPointerException when {@code epochs} or one of them is null (naming its index) */
  public TrainingReport {
    // List.copyOf named "coll" for a null list, and nothing for a null element
    Objects.requireNonNull(epochs, "epochs");
    int i = 0;
    for (EpochStats e : epochs) {
      int index = i++;
      Objects.requireNonNull(e, () -> "epoch statistics " + index + " is null");
    }
    epochs = List.copyOf(epochs);
  }

  /**
   * Training throughput over the kept epochs after the first, or over the only epoch when there was one:
   * samples divided by training-loop seconds; NaN when they took no measurable time. The first kept epoch
   * is left out as the one that includes the JIT's warm-up, which it is in a fit of at most
   * {@value #KEPT_EPOCHS} epochs, where every epoch is kept. Of a longer fit only the last
   * {@value #KEPT_EPOCHS} are kept, so the fit's first epoch is not among them, and the first kept one, a
   * steady epoch like the rest, is left out all the same (a report does not say how many epochs its fit
   * ran, so it cannot tell such a fit from one of exactly {@value #KEPT_EPOCHS}): the figure is then over
   * the fit's last 99,999 epochs and includes no warm-up, which changes it by about one part in 100,000.
   */
  public double samplesPerSecond() {
    List<EpochStats> counted = epochs.size() > 1 ? epochs.subList(1, epochs.size()) : epochs;
    long samples = 0;
    double seconds = 0;
    for (EpochStats e : counted) {
      samples += e.samples();
      seconds += e.trainSeconds();
    }
    return seconds > 0 ? samples / seconds : Double.NaN;
  }
}
