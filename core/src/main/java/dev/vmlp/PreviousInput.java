package dev.vmlp;

import java.util.Arrays;

/**
 * The input of the sample whose first-layer update waits for the next step's forward product (see
 * {@link Forward#updateThenFirst}): its dense row {@code x[off..)} and, when it was given sparse, its
 * non-zero indices {@code nz[nzOff .. nzOff+nzLen)} ({@code nzLen < 0}: dense). One per training thread.
 */
final class PreviousInput {
  private static final int[] NONE = {};

  float[] x;
  int off;
  int[] nz;
  int nzOff;
  int nzLen;

  PreviousInput(Buffers buf) {
    clear(buf);
  }

  void set(float[] x, int off, int[] nz, int nzOff, int nzLen) {
    this.x = x;
    this.off = off;
    this.nz = nz;
    this.nzOff = nzOff;
    this.nzLen = nzLen;
  }

  /**
   * Makes the previous sample a row of zeros and its scaled gradient {@code buf.g[0]} all {@code -0}: its
   * deferred update then changes no bit of any weight or bias ({@code b + (-0) = b} for every {@code b},
   * and a zero input keeps its row). So every step can take the same path, the first of a pass
   * included: a branch for "nothing pending", taken only before the JIT compiled the step, became a
   * trap that sent the second epoch's first steps back to slower code.
   */
  void clear(Buffers buf) {
    set(buf.zeros, 0, NONE, 0, 0);
    Arrays.fill(buf.g[0], -0f);
  }

  /**
   * The list length to update with before a step whose own list length is {@code next}: a sample given
   * sparse is also a dense row, so before a dense step it is treated as dense ({@code | -1}), which
   * keeps the update fused with the dense forward product.
   */
  int lenBefore(int next) {
    return nzLen | (next >> 31);
  }
}
