package dev.vmlp;

/**
 * A computation met a NaN or infinite value where a finite one is required: a logit, a loss, a weight
 * or an input. The message names the value and where it was found; when that was a row of a
 * {@link Dataset}, {@link #row()} gives the row, so a caller that knows where the row came from (a
 * file's line) can say so.
 */
public class NonFiniteException extends ArithmeticException {
  private static final long serialVersionUID = 1L;
  private final long row;
  private final String problem;

  public NonFiniteException(String message) {
    this(message, -1, message);
  }

  NonFiniteException(String message, long row, String problem) {
    super(message);
    this.row = row;
    this.problem = problem;
  }

  /** An output not finite in row {@code row} of {@code data}: {@code row <row> of '<name>': <problem>}. */
  static NonFiniteException inRow(Dataset data, int row, String problem) {
    return new NonFiniteException("row " + row + " of '" + data.name() + "': " + problem, row, problem);
  }

  /**
   * The 0-based row of the dataset where the value was found ({@link Model#evaluate}, or the sample of a
   * {@link TrainingDivergedException}), or -1 when it was not found in a row of a dataset.
   */
  public long row() {
    return row;
  }

  /**
   * What is not finite: the message without the row and dataset it starts with when {@link Model#evaluate}
   * throws it; the whole message otherwise.
   */
  public String problem() {
    return problem;
  }
}
