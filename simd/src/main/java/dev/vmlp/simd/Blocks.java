package dev.vmlp.simd;

/** Byte addresses in a matrix stored in column blocks ({@link dev.vmlp.internal.kernel.Layout#index}). */
final class Blocks {
  private Blocks() {}

  /** Byte offset of row 0 of column {@code col}: its block's start plus its place in the block's row. */
  static long base(int col, int block, long blockBytes) {
    return (long) (col / block) * blockBytes + (long) (col % block) * Float.BYTES;
  }
}
