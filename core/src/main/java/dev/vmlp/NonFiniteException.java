package dev.vmlp;

/**
 * A computation met a NaN or infinite value where a finite one is required: a logit, a loss, a weight
 * or an input. The message names the value and where it was found.
 */
public class NonFiniteException extends ArithmeticException {
  private static final long serialVersionUID = 1L;

  public NonFiniteException(String message) {
    super(message);
  }
}
