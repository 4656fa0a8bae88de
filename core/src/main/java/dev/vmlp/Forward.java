package dev.vmlp;

import dev.vmlp.internal.kernel.Kernels;
import dev.vmlp.internal.kernel.Layout;
import java.util.Arrays;

/**
 * The forward pass {@code z^l = W^l o^{l-1} + b^l}, {@code o^l = σ^l(z^l)}, shared by prediction and
 * training. Results land in a {@link Buffers}.
 */
final class Forward {
  /** Largest fraction of non-zero inputs for which the sparse first-layer kernels are used. */
  static final double SPARSE_MAX_DENSITY = 0.5;

  private Forward() {}

  /**
   * Runs all layers on {@code x[xOff..)}: dense when {@code nzLen < 0}, else over the non-zero input
   * list {@code nz[nzOff .. nzOff+nzLen)}.
   */
  static void run(Kernels k, Params p, Buffers buf, float[] x, int xOff, int[] nz, int nzOff, int nzLen) {
    Layer first = p.layers[0];
    first(k, first, x, xOff, nz, nzOff, nzLen, buf.z[0], 0, first.outPad);
    finishFirstLayer(k, p, buf);
    forwardFrom(k, p, buf, 1);
  }

  /**
   * The first layer's product into {@code z[o0..o1)}: the dense kernel when {@code nzLen < 0}, else the
   * sparse one over {@code nz[nzOff .. nzOff+nzLen)}.
   */
  static void first(Kernels k, Layer first, float[] x, int xOff, int[] nz, int nzOff, int nzLen, float[] z, int o0,
      int o1) {
    if (nzLen < 0) {
      k.forwardInputMajor(first.w, first.block, x, xOff, first.in, first.b, z, o0, o1);
    } else {
      k.forwardInputMajorSparse(first.w, first.block, first.in, x, xOff, nz, nzOff, nzLen, first.b, z, o0, o1);
    }
  }

  /** The first layer's rank-1 update with {@code g} over columns {@code [o0, o1)}, dense or sparse as above. */
  static void updateFirst(Kernels k, Layer first, float[] x, int xOff, int[] nz, int nzOff, int nzLen, float[] g,
      int o0, int o1) {
    if (nzLen < 0) {
      k.updateInputMajor(first.w, first.block, x, xOff, first.in, g, o0, o1);
    } else {
      k.updateInputMajorSparse(first.w, first.block, first.in, x, xOff, nz, nzOff, nzLen, g, o0, o1);
    }
  }

  /**
   * The previous sample's deferred first-layer update (inputs {@code prevX}, gradient {@code g}) and this
   * sample's first-layer product into {@code z[o0..o1)}: one fused sweep when both are dense; when both
   * are sparse, the rows only the previous sample touched are updated alone and the rest on a fused sweep
   * over this sample's rows; else the update and then the product.
   *
   * @param nz when sparse, exactly the non-zero inputs of {@code x} (as {@link SparseRows} lists them)
   * @param prevOnly scratch of length {@code first.in}
   */
  static void updateThenFirst(Kernels k, Layer first, float[] prevX, int prevOff, int[] prevNz, int prevNzOff,
      int prevNzLen, float[] g, float[] x, int xOff, int[] nz, int nzOff, int nzLen, float[] z, int o0, int o1,
      int[] prevOnly) {
    if (prevNzLen < 0 && nzLen < 0) {
      k.updateForwardInputMajor(first.w, first.block, prevX, prevOff, g, x, xOff, first.in, first.b, z, o0, o1);
    } else if (prevNzLen >= 0 && nzLen >= 0) {
      int only = k.zerosAt(prevNz, prevNzOff, prevNzLen, x, xOff, prevOnly);
      k.updateInputMajorSparse(first.w, first.block, first.in, prevX, prevOff, prevOnly, 0, only, g, o0, o1);
      k.updateForwardInputMajorSparse(first.w, first.block, first.in, prevX, prevOff, g, x, xOff, nz, nzOff, nzLen,
          first.b, z, o0, o1);
    } else {
      updateFirst(k, first, prevX, prevOff, prevNz, prevNzOff, prevNzLen, g, o0, o1);
      first(k, first, x, xOff, nz, nzOff, nzLen, z, o0, o1);
    }
  }

  /**
   * A sparse sample as a dense row for the first-layer kernels: its values {@code values[off..off+len)}
   * written at their indices {@code nz[off..off+len)} into whichever of the two rows of
   * {@code buf.sparseX} is not {@code prevX} (the previous sample's row, which its deferred update still
   * reads), zeros elsewhere. A pass thus reads each sample as one short stream of values instead of picking them out
   * of its 784-float row, where they sit on about 40 cache lines that the hardware prefetchers do not
   * fetch ahead.
   *
   * <p>The row is cleared first: whole when its last sample held values at more than 1 in
   * {@value #CLEAR_EACH_BELOW} of its inputs (784 floats are 3 KB in L1, cheaper than clearing entry by
   * entry), else at the indices it holds, so that a step on a wide input of few values
   * (2^20 inputs, 8 of them non-zero) costs the time of its values and not that of 4 MB of zeros.
   *
   * @return the row written, which the kernels read with offset 0
   */
  static float[] scatter(Buffers buf, float[] prevX, float[] values, int[] nz, int off, int len) {
    int row = buf.sparseX[0] == prevX ? 1 : 0;
    float[] x = buf.sparseX[row];
    int[] at = buf.sparseAt[row];
    int held = buf.sparseHeld[row];
    if (held < 0) {
      Arrays.fill(x, 0f);
    } else {
      for (int k = 0; k < held; k++) {
        x[at[k]] = 0f;
      }
    }
    if (len <= x.length / CLEAR_EACH_BELOW) {
      System.arraycopy(nz, off, at, 0, len);
      buf.sparseHeld[row] = len;
    } else {
      buf.sparseHeld[row] = -1;
    }
    for (int k = off; k < off + len; k++) {
      x[nz[k]] = values[k];
    }
    return x;
  }

  /** {@link #scatter} clears a row at its indices when it holds fewer values than its width over this. */
  static final int CLEAR_EACH_BELOW = 16;

  /** Applies layer 0's activation once {@code z[0]} is known. */
  static void finishFirstLayer(Kernels k, Params p, Buffers buf) {
    Layer first = p.layers[0];
    if (p.layers.length > 1) {
      k.activate(first.activation, buf.z[0], buf.o[0], 0, first.out);
    }
  }

  /** Runs the output-major layers {@code from..} on the activations already in {@code buf}. */
  static void forwardFrom(Kernels k, Params p, Buffers buf, int from) {
    for (int l = from; l < p.layers.length; l++) {
      Layer layer = p.layers[l];
      k.chunkDots(layer.w, layer.out, buf.o[l - 1], layer.inPad, 0, Layout.chunkCount(layer.inPad),
          buf.partials[l]);
      sumPartials(buf.partials[l], Layout.chunkCount(layer.inPad), layer.b, buf.z[l], 0, layer.out);
      if (l < p.layers.length - 1) {
        k.activate(layer.activation, buf.z[l], buf.o[l], 0, layer.out);
      }
    }
  }

  /**
   * {@code z[r] = ((p_0 + p_1) + ... + p_{c-1}) + b[r]} for rows {@code [r0, r1)}: chunk partials in
   * chunk order, then the bias.
   */
  static void sumPartials(float[] partials, int chunks, float[] b, float[] z, int r0, int r1) {
    for (int r = r0; r < r1; r++) {
      int base = r * chunks;
      float acc = partials[base];
      for (int c = 1; c < chunks; c++) {
        acc = acc + partials[base + c];
      }
      z[r] = acc + b[r];
    }
  }

  /** Index of the largest of {@code v[0..n)}; the first one on ties. */
  static int argmax(float[] v, int n) {
    int best = 0;
    for (int i = 1; i < n; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
