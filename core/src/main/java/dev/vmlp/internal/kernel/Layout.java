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
   * {@code wholeWidth} (a model's, a network of one layer, or {@link #firstInOneBlock}) and the chunk
   * length of its outputs otherwise, so that threads own contiguous units; for an output-major layer
   * the chunk length of its inputs.
   */
  public static int blockWidth(boolean inputMajor, int inPad, int outPad, boolean wholeWidth) {
    return inputMajor ? (wholeWidth ? outPad : chunkLength(outPad)) : chunkLength(inPad);
  }

  /** Bytes of padding beyond which a narrow first layer trains in one block ({@link #firstInOneBlock}). */
  public static final long FIRST_PADDING_BYTES = 16L << 20;

  /**
   * Whether a first layer of {@code in} inputs and {@code outPad} padded units trains in one block of
   * its padded width, as a model stores it: when it is one chunk (fewer than 64 units, which no threads
   * split) and whole-chunk blocks would add more than {@link #FIRST_PADDING_BYTES} of padding (2^20
   * inputs and 16 units took 256 MB instead of 64 MB). Narrower networks keep the 64-wide blocks, whose
   * constant stride the fused kernels measured 25-40% faster on (784-16-10, 784-48-10). The bits are
   * the same either way: only addresses move.
   */
  public static boolean firstInOneBlock(int in, int outPad) {
    int chunk = chunkLength(outPad);
    return outPad < chunk && (long) in * (chunk - outPad) * Float.BYTES > FIRST_PADDING_BYTES;
  }

  /** Floats a {@code rows x cols} matrix takes in column blocks of {@code block} (the last one whole). */
  public static long blockedSize(int rows, int cols, int block) {
    return (long) ((cols + block - 1) / block) * block * rows;
  }
}
