package dev.vmlp.cli;

import dev.vmlp.EpochListener;
import dev.vmlp.EpochStats;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Prints one line per epoch and, on a terminal, a progress bar while the epoch runs (cleared when it
 * ends, so that only the epoch lines remain).
 */
final class EpochPrinter implements EpochListener, AutoCloseable {
  /**
   * JLine, behind the progress bar, asks for the terminal width. Its native helpers make JDK 24+ warn
   * about restricted methods; the {@code exec} provider ({@code stty}) with reflective pipes needs none.
   */
  private static final String[][] JLINE_PROPERTIES = {
    {"org.jline.terminal.providers", "exec"},
    {"org.jline.terminal.exec.redirectPipeCreationMode", "reflection"},
  };

  private final PrintStream out;
  private final int epochs;
  private final boolean progressBar;
  private final boolean stopWhenUnwritable;
  private ProgressBar bar;
  private int barEpoch;
  /** Terminal width less a margin, asked once (each question runs {@code stty}), before training starts. */
  private final int width;

  /**
   * @param first the number of the first epoch (above 1 when training continues a saved model)
   * @param epochs the number of the last epoch
   * @param samples training samples per epoch, for the first bar, which is shown at once so that
   *     setting it up does not slow the first epoch
   * @param progressBar whether to draw progress bars on {@code out} (a terminal)
   * @param stopWhenUnwritable whether an epoch line that cannot be written (a closed pipe, as with
   *     {@code | head}) stops training: when what the run prints is all it gives
   */
  EpochPrinter(PrintStream out, int first, int epochs, long samples, boolean progressBar, boolean stopWhenUnwritable) {
    this.out = out;
    this.epochs = epochs;
    this.progressBar = progressBar;
    this.stopWhenUnwritable = stopWhenUnwritable;
    this.width = progressBar ? terminalWidth(out) : 0;
    if (progressBar) {
      open(first, samples);
    }
  }

  private static int terminalWidth(PrintStream out) {
    for (String[] p : JLINE_PROPERTIES) {
      if (System.getProperty(p[0]) == null) {
        System.setProperty(p[0], p[1]);
      }
    }
    int w = new ConsoleProgressBarConsumer(out).getMaxRenderedLength();
    return w > 0 ? w : 79;
  }

  @Override
  public void progress(int epoch, long done, long total) {
    if (!progressBar) {
      return;
    }
    if (bar == null || barEpoch != epoch || bar.getMax() != total) {
      open(epoch, total);
    }
    bar.stepTo(done);
  }

  @Override
  public void epochEnd(EpochStats s) {
    close();
    out.println(TrainOutput.epochLine(s, epochs));
    out.flush();
    if (stopWhenUnwritable && out.checkError()) {
      // nobody reads what the run prints, and without --save it keeps nothing else: train no further
      throw new UncheckedIOException(new IOException("cannot write to standard output"));
    }
    if (progressBar && s.epoch() < epochs) {
      open(s.epoch() + 1, s.samples()); // here, outside the epoch's timed loop
    }
  }

  /** Shows a fresh bar for {@code epoch}. */
  private void open(int epoch, long total) {
    close();
    bar = new ProgressBarBuilder()
        .setTaskName(String.format("epoch %d/%d", epoch, epochs))
        .setInitialMax(total)
        .setUnit(" samples", 1)
        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
        .setUpdateIntervalMillis(200)
        .setConsumer(new LineReusingConsumer(out, width))
        .clearDisplayOnFinish()
        .build();
    barEpoch = epoch;
  }

  /**
   * Draws on {@code out}; when closed it leaves the cursor at the start of the (cleared) bar line, so
   * that the epoch line takes its place instead of leaving a blank line.
   */
  private static final class LineReusingConsumer extends ConsoleProgressBarConsumer {
    private final PrintStream target;

    LineReusingConsumer(PrintStream out, int width) {
      super(out, width);
      this.target = out;
    }

    @Override
    public void close() {
      target.flush();
    }
  }

  /** Removes the progress bar, if one is showing. */
  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
