package dev.vmlp;

import dev.vmlp.internal.kernel.Kernels;

/**
 * One thread's per-sample SGD on a network, in four formulas (README, "The math and where it lives"):
 * <ol>
 *   <li>output gradient {@code s^L = p - onehot(y)} ({@link Kernels#softmax}) or {@code z - t};
 *   <li>backpropagation {@code δ^{l-1} = (W^l)ᵀ s^l} and {@code s^{l-1} = δ^{l-1} ⊙ σ'(z^{l-1})}
 *       ({@link Kernels#backwardUpdateOutputMajor}, {@link Kernels#activationGradient}), never for the
 *       first layer, whose δ nobody needs;
 *   <li>gradients {@code ∇W = s oᵀ}, {@code ∇b = s}, never formed: they go straight into
 *   <li>the update {@code W -= η s oᵀ}, {@code b -= η s} after every sample.
 * </ol>
 * The first layer's update is deferred and fused with the next sample's forward product
 * ({@link Kernels#updateForwardInputMajor}), which reads the largest matrix once per sample instead of
 * twice; {@link #flush()} applies a pending update. The bits are those of the unfused order.
 */
final class SgdStep {
  private final Kernels k;
  private final Params p;
  final Buffers buf;
  private final boolean classifies;
  private final int outputs;
  private final float negLr;

  private boolean pending;
  private final PreviousInput prev;

  SgdStep(Kernels k, Params p, float learningRate) {
    this.k = k;
    this.p = p;
    this.buf = new Buffers(p.arch, true);
    this.classifies = p.arch.head().classifies();
    this.outputs = p.arch.outputs();
    this.negLr = -learningRate;
    this.prev = new PreviousInput(buf);
  }

  /**
   * One step on the scaled input {@code x[xOff .. xOff+inputs)}, dense when {@code nzLen < 0}, else
   * over the listed non-zero inputs. The arrays must stay unchanged until the next step or
   * {@link #flush()}, which use them for the deferred first-layer update.
   *
   * @return the sample's loss before the update; when it is not finite, no weight was changed by this
   *     sample (the previous sample's deferred update was applied)
   */
  double step(float[] x, int xOff, int[] nz, int nzOff, int nzLen, int label, float[] target, int tOff) {
    Layer first = p.layers[0];
    addBias(first.b, buf.g[0], 0, first.out);
    // before a pass's first step the previous sample is zeros (PreviousInput.clear): one path for all
    Forward.updateThenFirst(k, first, prev.x, prev.off, prev.nz, prev.nzOff, prev.lenBefore(nzLen), buf.g[0], x, xOff,
        nz, nzOff, nzLen, buf.z[0], 0, first.outPad, buf.prevOnly);
    pending = false;
    Forward.finishFirstLayer(k, p, buf);
    Forward.forwardFrom(k, p, buf, 1);

    int last = p.layers.length - 1;
    double loss = classifies
        ? k.softmax(buf.z[last], outputs, label, buf.p, buf.s[last])
        : squaredError(buf.z[last], target, tOff, buf.s[last], outputs);
    if (!Double.isFinite(loss)) {
      prev.clear(buf); // the previous update is applied; this sample's is not
      return loss;
    }
    for (int l = last; l >= 1; l--) {
      Layer layer = p.layers[l];
      scale(negLr, buf.s[l], buf.g[l], 0, layer.out);
      float[] delta = buf.delta[l - 1];
      k.backwardUpdateOutputMajor(layer.w, layer.block, layer.out, buf.s[l], buf.g[l], buf.o[l - 1], delta, 0,
          layer.inPad);
      addBias(layer.b, buf.g[l], 0, layer.out);
      Layer below = p.layers[l - 1];
      k.activationGradient(below.activation, buf.z[l - 1], buf.o[l - 1], delta, buf.s[l - 1], 0, below.out);
    }
    scale(negLr, buf.s[0], buf.g[0], 0, first.out);
    pending = true;
    prev.set(x, xOff, nz, nzOff, nzLen);
    return loss;
  }

  /**
   * {@link #step} on a sparse sample given as its non-zero values {@code values[nzOff..nzOff+nzLen)} at
   * the indices {@code nz[nzOff..nzOff+nzLen)} (as {@link SparseRows} holds them), with the same bits.
   * {@code nz} must stay unchanged until the next step or {@link #flush()}; {@code values} need not.
   */
  double stepSparse(float[] values, int[] nz, int nzOff, int nzLen, int label, float[] target, int tOff) {
    float[] x = Forward.scatter(buf, prev.x, values, nz, nzOff, nzLen);
    return step(x, 0, nz, nzOff, nzLen, label, target, tOff);
  }

  /** Applies a deferred first-layer update, if any. */
  void flush() {
    if (pending) {
      addBias(p.layers[0].b, buf.g[0], 0, p.layers[0].out);
      updateFirst();
      pending = false;
    }
    prev.clear(buf);
  }

  private void updateFirst() {
    Layer first = p.layers[0];
    Forward.updateFirst(k, first, prev.x, prev.off, prev.nz, prev.nzOff, prev.nzLen, buf.g[0], 0, first.outPad);
  }

  /** {@code g = negLr * s} over {@code [from, to)}: the scaled gradient {@code -η s}. */
  static void scale(float negLr, float[] s, float[] g, int from, int to) {
    for (int i = from; i < to; i++) {
      g[i] = negLr * s[i];
    }
  }

  /** {@code b += g} over {@code [from, to)}: the bias update. */
  static void addBias(float[] b, float[] g, int from, int to) {
    for (int i = from; i < to; i++) {
      b[i] = b[i] + g[i];
    }
  }

  /** {@code s = z - t} over the {@code n} outputs, and the loss {@code ½ Σ (z - t)²} in double. */
  static double squaredError(float[] z, float[] t, int tOff, float[] s, int n) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      float d = z[i] - t[tOff + i];
      s[i] = d;
      sum += (double) d * d;
    }
    return 0.5 * sum;
  }
}
