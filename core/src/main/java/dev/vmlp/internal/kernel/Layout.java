package dev.vmlp.internal.kernel;

/**
 * Sizes that define the storage layout and, with it, the order in which sums are accumulated. Every
 * kernel implementation and every thread count derives the same numbers from the layer sizes alone,
 * which is what makes results bit-identical across them.
 */
public final class Layout {
  /** Logical lane count: every padded dimension is a multiple of it, and dot products keep 16 slots. */
  public static final int LANES = 16;
  /** Bytes of storage alignment (one cache line, one 512-bit vector). */
  public static final int ALIGN_BYTES = 64;

  private Layout() {}

  /** {@code n} rounded up to a multiple of {@link #LANES}. */
  public static int pad(int n) {
    return (n + LANES - 1) & -LANES;
  }

  /**
   * Length of the chunks into which an output-major layer's input of padded length {@code n} is cut
   * for dot products: {@code max(64, 16 ⌈n/256⌉)}, so there are at most 16 chunks. Each chunk's partial
   * sum is formed on its own and the partials are added in chunk order; a thread that owns a range of
   * whole chunks therefore produces exactly the partials that one thread would.
   */
  public static int chunkLength(int n) {
    return Math.max(4 * LANES, LANES * ((n + 16 * LANES - 1) / (16 * LANES)));
  }

  /** Number of chunks of an input of padded length {@code n}. */
  public static int chunkCount(int n) {
    int len = chunkLength(n);
    return (n + len - 1) / len;
  }
}
