package dev.vmlp;

import dev.vmlp.internal.kernel.Layout;

/**
 * Per-thread scratch of one forward (and backward) pass: every vector the kernels read or write,
 * allocated once so that predicting and training allocate nothing per sample. Padded tails stay 0.
 */
final class Buffers {
  /** The scaled input. */
  final float[] x;
  /** Indices of the non-zero scaled inputs. */
  final int[] nz;
  /** Pre-activations per layer, length {@code outPad}. */
  final float[][] z;
  /** Activations per layer (the output layer's are its logits, {@code z} itself). */
  final float[][] o;
  /** Chunk partial sums per output-major layer ({@code out * chunkCount(inPad)}); null for layer 0. */
  final float[][] partials;
  /** Probabilities (or regression outputs), length {@code outPad}. */
  final float[] p;
  /** {@code Wᵀ s} arriving at each hidden layer, length {@code outPad}; null for the output layer. */
  final float[][] delta;
  /** Gradient at each layer's pre-activations. */
  final float[][] s;
  /** Scaled gradient {@code -η s}. */
  final float[][] g;
  /** Training: the previous sample's rows that the current one lacks (see {@link dev.vmlp.internal.kernel.Kernels#zerosAt}). */
  final int[] prevOnly;
  /** Training: two dense input rows for sparse samples, used in turn (see {@link Forward#scatter}). */
  final float[][] sparseX;
  /**
   * Training: per row of {@link #sparseX}, the indices of the values it holds, {@link #sparseHeld} of
   * them, so that a wide row of few values is cleared in their time rather than its width's.
   */
  final int[][] sparseAt;
  /** Training: how many of {@link #sparseAt} each row holds, or -1 when it is cleared whole. */
  final int[] sparseHeld;
  /** Training: an input row of zeros, the "previous sample" before the first step of a pass. */
  final float[] zeros;

  Buffers(Architecture arch, boolean training) {
    int layers = arch.layerCount();
    x = new float[arch.inputs()];
    nz = new int[arch.inputs()];
    prevOnly = training ? new int[arch.inputs()] : null;
    sparseX = training ? new float[][] {new float[arch.inputs()], new float[arch.inputs()]} : null;
    int held = arch.inputs() / Forward.CLEAR_EACH_BELOW; // the most a row remembers
    sparseAt = training ? new int[][] {new int[held], new int[held]} : null;
    sparseHeld = training ? new int[2] : null;
    zeros = training ? new float[arch.inputs()] : null;
    z = new float[layers][];
    o = new float[layers][];
    partials = new float[layers][];
    delta = new float[layers][];
    s = new float[layers][];
    g = new float[layers][];
    for (int l = 0; l < layers; l++) {
      int outPad = Layout.pad(arch.layerUnits(l));
      z[l] = new float[outPad];
      o[l] = l == layers - 1 ? z[l] : new float[outPad];
      if (l > 0) {
        partials[l] = new float[arch.layerUnits(l) * Layout.chunkCount(Layout.pad(arch.layerInputs(l)))];
      }
      if (training) {
        s[l] = new float[outPad];
        g[l] = new float[outPad];
        delta[l] = l < layers - 1 ? new float[outPad] : null;
      }
    }
    p = new float[Layout.pad(arch.outputs())];
  }
}
