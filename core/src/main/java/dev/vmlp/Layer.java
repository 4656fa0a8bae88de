package dev.vmlp;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import dev.vmlp.internal.kernel.Layout;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One dense layer's parameters in the kernels' layout: weights in a 64-byte-aligned native segment,
 * stored in column blocks ({@link Layout#index}), and the bias. The first layer is stored input-major
 * ({@code Wt[in][outPad]}, in blocks of its output chunks, so each thread's units are contiguous), the
 * others output-major ({@code W[out][inPad]}, in blocks of their input chunks); see
 * {@link dev.vmlp.internal.kernel.Kernels}. Padding holds zeros.
 */
final class Layer {
  final int index;
  final int in;
  final int out;
  final int inPad;
  final int outPad;
  final boolean inputMajor;
  final Activation activation;
  /** Rows of storage: {@code in} when input-major, {@code out} otherwise. */
  final int rows;
  /**
   * Width of the column blocks: the chunk length of the next layer's input (the first layer, for
   * training), of this layer's input (later layers), or the whole padded width (the first layer of a
   * network of one layer, of a {@link Model}, or a narrow one of many inputs: {@link Layout#firstInOneBlock}).
   */
  final int block;
  final boolean last;
  final MemorySegment w;
  /** Bias, length {@code outPad}. */
  final float[] b;

  Layer(int index, int in, int out, Activation activation, boolean last) {
    this(index, in, out, activation, last, false);
  }

  /**
   * @param oneBlock store a first layer as one block of its padded width: its rows are then contiguous,
   *     which a prediction's sparse reads of whole rows prefer; threads cannot split it
   */
  Layer(int index, int in, int out, Activation activation, boolean last, boolean oneBlock) {
    this.index = index;
    this.in = in;
    this.out = out;
    this.inPad = Layout.pad(in);
    this.outPad = Layout.pad(out);
    this.inputMajor = index == 0;
    this.activation = activation;
    this.rows = inputMajor ? in : out;
    this.block = Layout.blockWidth(inputMajor, inPad, outPad,
        last || oneBlock || (inputMajor && Layout.firstInOneBlock(in, outPad)));
    this.last = last;
    long floats = Layout.blockedSize(rows, inputMajor ? outPad : inPad, block);
    this.w = Arena.ofAuto().allocate(floats * Float.BYTES, Layout.ALIGN_BYTES);
    this.b = new float[outPad];
  }

  /** Storage index of the weight from input {@code i} to unit {@code o}. */
  long at(int o, int i) {
    return inputMajor ? Layout.index(rows, block, i, o) : Layout.index(rows, block, o, i);
  }

  /**
   * Copies unit {@code o}'s {@code in} weights, in input order, into {@code dst[off, off + in)}: runs
   * of whole blocks when output-major, a walk of constant stride when input-major (no division per
   * weight, as {@link #weight} has).
   */
  void row(int o, float[] dst, int off) {
    if (inputMajor) {
      long at = at(o, 0); // input i + 1 is one block row further
      for (int i = 0; i < in; i++, at += block) {
        dst[off + i] = w.getAtIndex(JAVA_FLOAT, at);
      }
    } else {
      for (int c = 0; c < in; c += block) {
        MemorySegment.copy(w, JAVA_FLOAT, at(o, c) * Float.BYTES, dst, off + c, Math.min(block, in - c));
      }
    }
  }

  float weight(int o, int i) {
    return w.getAtIndex(JAVA_FLOAT, at(o, i));
  }

  void setWeight(int o, int i, float v) {
    w.setAtIndex(JAVA_FLOAT, at(o, i), v);
  }

  /** A copy with its own storage, in one block ({@code oneBlock}) or in the training layout. */
  Layer copy(boolean oneBlock) {
    Layer c = new Layer(index, in, out, activation, last, oneBlock);
    c.copyFrom(this);
    return c;
  }

  /** Copies all parameters from {@code src}, a layer of the same shape in any block width. */
  void copyFrom(Layer src) {
    if (src.block == block) {
      w.copyFrom(src.w);
    } else {
      // row by row, in runs that stay inside one block of each layout
      int cols = inputMajor ? outPad : inPad;
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; ) {
          int run = Math.min(Math.min(src.block - c % src.block, block - c % block), cols - c);
          MemorySegment.copy(src.w, JAVA_FLOAT, Layout.index(rows, src.block, r, c) * Float.BYTES, w, JAVA_FLOAT,
              Layout.index(rows, block, r, c) * Float.BYTES, run);
          c += run;
        }
      }
    }
    System.arraycopy(src.b, 0, b, 0, b.length);
  }

  long weightCount() {
    return (long) in * out;
  }
}
