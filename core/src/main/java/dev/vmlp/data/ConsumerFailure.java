package dev.vmlp.data;

import java.io.IOException;

/**
 * A consumer's own exception on its way out of a streaming reader ({@link Csv#forEachRow},
 * {@link Idx#forEachImage}), past the handlers that name the input's errors: a consumer's
 * {@code EOFException} is not the input's gzip damage, nor its {@code DataFormatException} (a width
 * its model does not take) a reason to read the input on to its checksum.
 */
final class ConsumerFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ConsumerFailure(Exception cause) {
    super(null, cause, false, false);
  }

  /** Throws the consumer's exception as it was thrown; the return type lets callers write {@code throw}. */
  IOException rethrow() throws IOException {
    if (getCause() instanceof IOException e) {
      throw e;
    }
    throw (RuntimeException) getCause(); // accept declares IOException only
  }
}
