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
   * Length of the chunks into which an input of padded length {@code n} is cut: {@code 64 ⌈n/1024⌉}, so
   * there are at most 16 and each is a whole number of 64-float groups. Each chunk's partial dot product
   * is formed on its own and the partials are added in chunk order; a thread that owns a range of whole
   * chunks therefore produces exactly the partials that one thread would. Weight matrices are stored in
   * column blocks of this width ({@link #index}), so a thread's share is contiguous memory.
   */
  public static int chunkLength(int n) {
    return 64 * Math.max(1, (n + 1023) / 1024);
  }

  /** Number of chunks of an input of padded length {@code n}. */
  public static int chunkCount(int n) {
    int len = chunkLength(n);
    return (n + len - 1) / len;
  }

  /**
   * Float index of element {@code (r, c)} of a {@code rows}-row matrix stored in column blocks of
   * {@code block} floats: block {@code c / block} holds all rows of its columns, each row {@code block}
   * floats long, so {@code ((c / block) * rows + r) * block + c % block}.
   */
  public static long index(int rows, int block, int r, int c) {
    return ((long) (c / block) * rows + r) * block + c % block;
  }

  /**
   * Floats a {@code Model} stores for its layer {@code index} of {@code in} inputs and {@code out}
   * units: the first layer input-major in one block of its padded width, the others output-major in
   * column blocks of their input chunks. At most 64 times {@code in * out} (a layer of one input),
   * about once or twice that for layers 16 or more wide.
   */
  public static long modelLayerFloats(int index, int in, int out) {
    boolean inputMajor = index == 0;
    int inPad = pad(in);
    int outPad = pad(out);
    return blockedSize(inputMajor ? in : out, inputMajor ? outPad : inPad, blockWidth(inputMajor, inPad, outPad, true));
  }

  /**
   * Width of a layer's column blocks: for an input-major (first) layer the whole padded width when
   * {@code wholeWidth} (a model's, or a network of one layer) and the chunk length of its outputs
   * otherwise, so that threads own contiguous units, but never wider than the padded width (a layer of
   * fewer than 64 units is one chunk, which no threads split: a 64-wide block took up to 4 times its
   * floats, 256 MB instead of 64 MB for 2^20 inputs and 16 units); for an output-major layer the chunk
   * length of its inputs.
   */
  public static int blockWidth(boolean inputMajor, int inPad, int outPad, boolean wholeWidth) {
    return inputMajor ? (wholeWidth ? outPad : Math.min(outPad, chunkLength(outPad))) : chunkLength(inPad);
  }

  /** Floats a {@code rows x cols} matrix takes in column blocks of {@code block} (the last one whole). */
  public static long blockedSize(int rows, int cols, int block) {
    return (long) ((cols + block - 1) / block) * block * rows;
  }
}
