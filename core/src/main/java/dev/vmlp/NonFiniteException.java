package dev.vmlp;

/**
 * A computation met a NaN or infinite value where a finite one is required: a logit, a loss, a weight
 * or an input. The message names the value and where it was found; when that was a row of a
 * {@link Dataset} or of a batch, {@link #row()} gives the row, so a caller that knows where the row came
 * from (a file's line) can say so.
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
   * The 0-based row where the value was found: of the dataset ({@link Model#evaluate}, or the sample of
   * a {@link TrainingDivergedException}), or of the rows a prediction read from its input array (a
   * batch, or a row at an offset, as the message numbers it); -1 for a row predicted alone or a value
   * found in no row.
   */
  public long row() {
    return row;
  }

  /**
   * What is not finite: the message without the row (and dataset) it starts with when it names one; the
   * whole message otherwise.
   */
  public String problem() {
    return problem;
  }
}
