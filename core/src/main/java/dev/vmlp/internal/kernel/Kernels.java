package dev.vmlp.internal.kernel;

import dev.vmlp.Activation;
import java.lang.foreign.MemorySegment;

/**
 * The numeric kernels of the network: products, rank-1 updates, activations and the softmax head. Not
 * an API: users never call kernels; {@link KernelProvider} picks the implementation.
 *
 * <h2>Storage</h2>
 * Weights live in 64-byte-aligned native {@link MemorySegment}s of floats, as matrices stored in
 * column blocks of {@code block} floats ({@link Layout#index}): block {@code b} holds every row of
 * columns {@code [b·block, (b+1)·block)}, so the columns that one thread owns are contiguous memory
 * and no two threads share a cache line or a prefetch stream. Block widths are multiples of 64, but
 * for a first layer stored as one block of its padded width (a network's only layer, and the first
 * layer of a {@code Model}, which threads do not split). Two orientations are used:
 * <ul>
 *   <li><b>input-major</b> (the first layer): row {@code j} holds the weights from input {@code j} to
 *       every unit, {@code Wt[j][o] = W[o][j]}. The forward product is then an axpy sweep with the
 *       outputs held in registers, and both passes can skip the rows of zero inputs.
 *   <li><b>output-major</b> (every later layer): row {@code o} holds unit {@code o}'s weights, as in
 *       {@code W[o][j]}, in blocks of {@link Layout#chunkLength} columns: block {@code c} is chunk
 *       {@code c} of the input. The transposed product {@code Wᵀ s} is then an axpy sweep.
 * </ul>
 * Below, {@code Wt[j][o]} and {@code W[r][j]} denote elements at {@link Layout#index}.
 * Vectors ({@code x}, {@code z}, {@code s}, ...) are {@code float[]}; padded tails hold zeros.
 *
 * <h2>Accumulation order</h2>
 * Every method states the exact sequence of IEEE operations it performs per output element. All
 * implementations must perform exactly that sequence ({@code fma} is {@link Math#fma}); only the
 * order in which independent outputs are visited may differ. This is what makes training and
 * inference bit-identical across the scalar and vector kernels, vector widths and thread counts.
 * Sums never use an unordered reduction. The one exception is a NaN's payload: where two NaNs meet in
 * one operation, which one's bits come out depends on the operand order the hardware sees. A NaN in
 * a network means training diverged, which {@code Trainer.fit} reports instead of finishing.
 *
 * <p>Arguments named as modified are the only ones written.
 */
public interface Kernels {

  /** Short name reported to users: {@code scalar}, {@code vector-512}, ... */
  String name();

  /** Vector width in bits, 0 for the scalar kernels. */
  int vectorBits();

  // ---------------------------------------------------------------- inputs

  /**
   * The indices {@code j} in {@code [0, n)} with {@code x[off+j] != 0}, ascending, into
   * {@code nz[0..count)}: the list the sparse first-layer kernels visit. Either sign of zero counts as
   * zero; NaN counts as non-zero (so it still reaches the output).
   *
   * @param x read at {@code [off, off+n)}. Not modified.
   * @param nz at least {@code n} long; modified at {@code [0, n)}, where the values past the count are
   *     unspecified
   * @return the count
   */
  int nonZeros(float[] x, int off, int n, int[] nz);

  /**
   * The entries {@code j} of {@code rows[off..off+len)} with {@code x[xOff+j] == 0} (either sign), in
   * order, into {@code out[0..count)}: the rows of the previous sample's list that the next sample's
   * list lacks.
   *
   * @param rows indices into {@code x}. Not modified.
   * @param out at least {@code len} long; modified at {@code [0, len)}, where the values past the count
   *     are unspecified
   * @return the count
   */
  int zerosAt(int[] rows, int off, int len, float[] x, int xOff, int[] out);

  // ---------------------------------------------------------------- input-major (first layer)

  /**
   * Forward product of an input-major layer: for each {@code o} in {@code [o0, o1)},
   * {@code acc = +0; for j = 0..n-1: acc = fma(x[xOff+j], Wt[j][o], acc); z[o] = acc + b[o]}.
   *
   * @param wt weights, {@code n} rows in column blocks of {@code block} floats. Not modified.
   * @param x input, read at {@code [xOff, xOff+n)}. Not modified.
   * @param b bias. Not modified.
   * @param z output. Modified at {@code [o0, o1)}.
   * @param o0 first output: 0, or a multiple of 64 (a chunk boundary)
   * @param o1 end of outputs; a multiple of {@link Layout#LANES}
   */
  void forwardInputMajor(MemorySegment wt, int block, float[] x, int xOff, int n, float[] b, float[] z, int o0, int o1);

  /**
   * {@link #forwardInputMajor} visiting only the rows {@code j = nz[nzOff..nzOff+nzLen)} (ascending),
   * which must include every {@code j} with {@code x[xOff+j] != 0}. With finite weights the result has
   * the same bits as the dense product: a skipped term {@code fma(±0, w, acc)} can only change the sign
   * of a zero accumulator, and adding {@code b[o]} (never -0) erases that. (With an infinite weight the
   * dense term is NaN; models with such weights predict on the dense path only.)
   *
   * @param n the matrix's rows (inputs)
   * @param nz indices of the non-zero inputs, relative to {@code xOff}. Not modified.
   */
  void forwardInputMajorSparse(
      MemorySegment wt, int block, int n, float[] x, int xOff, int[] nz, int nzOff, int nzLen, float[] b, float[] z,
      int o0, int o1);

  /**
   * Rank-1 update of an input-major layer, {@code W -= η s xᵀ} with {@code g = -η s} precomputed: for
   * each {@code j} in {@code [0, n)} with {@code x[xOff+j] != 0} and each {@code o} in {@code [o0, o1)},
   * {@code Wt[j][o] = fma(g[o], x[xOff+j], Wt[j][o])}. Rows of zero inputs are left alone (the math
   * changes nothing there; an fma could still turn a -0 weight into +0), so skipping them
   * ({@link #updateInputMajorSparse}) gives the same bits.
   *
   * @param wt modified at columns {@code [o0, o1)} of every row
   * @param g scaled gradient {@code -η s}. Not modified.
   */
  void updateInputMajor(MemorySegment wt, int block, float[] x, int xOff, int n, float[] g, int o0, int o1);

  /** {@link #updateInputMajor} visiting only the rows listed in {@code nz} (see the sparse forward). */
  void updateInputMajorSparse(
      MemorySegment wt, int block, int n, float[] x, int xOff, int[] nz, int nzOff, int nzLen, float[] g, int o0,
      int o1);

  /**
   * The rank-1 update of one sample fused with the forward product of the next, in one sweep over the
   * rows: per row {@code j}, first (when {@code xPrev[prevOff+j] != 0})
   * {@code Wt[j][o] = fma(g[o], xPrev[prevOff+j], Wt[j][o])}, then
   * {@code acc[o] = fma(xNext[nextOff+j], Wt[j][o], acc[o])} with the updated weight; finally
   * {@code z[o] = acc[o] + b[o]}. The bits equal {@link #updateInputMajor} followed by
   * {@link #forwardInputMajor}; the weights are read from memory once instead of twice.
   *
   * @param wt modified at columns {@code [o0, o1)}
   * @param b bias, already updated. Not modified.
   * @param z modified at {@code [o0, o1)}
   */
  void updateForwardInputMajor(
      MemorySegment wt, int block, float[] xPrev, int prevOff, float[] g, float[] xNext, int nextOff, int n,
      float[] b, float[] z, int o0, int o1);

  /**
   * {@link #updateForwardInputMajor} visiting only the rows {@code j = nz[nzOff..nzOff+nzLen)}
   * (ascending, every non-zero input of {@code xNext} among them): each listed row whose
   * {@code xPrev[prevOff+j]} is not 0 is updated, then enters the product. Rows of the previous sample
   * that are not listed are the caller's to update ({@link #updateInputMajorSparse}); the two together
   * give the bits of the update followed by {@link #forwardInputMajorSparse}, with the rows both
   * samples share read once.
   *
   * @param n the matrix's rows (inputs)
   * @param wt modified at columns {@code [o0, o1)} of the listed rows whose previous input is not 0
   * @param nz indices of the next sample's non-zero inputs, relative to both offsets. Not modified.
   * @param z modified at {@code [o0, o1)}
   */
  void updateForwardInputMajorSparse(
      MemorySegment wt, int block, int n, float[] xPrev, int prevOff, float[] g, float[] xNext, int nextOff,
      int[] nz, int nzOff, int nzLen, float[] b, float[] z, int o0, int o1);

  // ---------------------------------------------------------------- output-major (later layers)

  /**
   * Chunked dot products of an output-major layer. The input of padded length {@code n} is cut into
   * chunks of {@link Layout#chunkLength}{@code (n)}. For each row {@code r < rows} and chunk
   * {@code c} in {@code [c0, c1)}: two sets of 16 slots {@code A} and {@code B} start at +0; the
   * chunk's groups of 16 inputs are visited in order, even-numbered groups (counted within the chunk)
   * into {@code A}, odd ones into {@code B}: {@code A[k] = fma(W[r][j+k], x[j+k], A[k])}. Then
   * {@code t[k] = A[k] + B[k]} and the 16 slots are folded pairwise: {@code t[k] += t[k+8]} (k&lt;8),
   * {@code t[k] += t[k+4]} (k&lt;4), {@code t[k] += t[k+2]} (k&lt;2), {@code t[0] + t[1]}. The result
   * goes to {@code partials[r * chunkCount(n) + c]}.
   *
   * <p>The layer's {@code z[r]} is then {@code ((p_0 + p_1) + p_2 ...) + b[r]}, formed by the caller.
   *
   * @param w weights, {@code rows} rows in blocks of {@code chunkLength(n)} columns. Not modified.
   * @param x input, padded length {@code n} (a multiple of 16). Not modified.
   * @param partials modified at the chunks {@code [c0, c1)} of every row
   */
  void chunkDots(MemorySegment w, int rows, float[] x, int n, int c0, int c1, float[] partials);

  /**
   * Transposed product and rank-1 update of an output-major layer in one sweep, over the columns
   * {@code j} in {@code [j0, j1)}: for {@code r = 0..rows-1} in order, with {@code w = W[r][j]} the
   * weight before the update, {@code delta[j] = fma(s[r], w, delta[j])} (from +0) and then
   * {@code W[r][j] = fma(g[r], x[j], w)}. So {@code delta = Wᵀ s} with the weights the forward pass
   * used, and {@code W -= η s xᵀ} with {@code g = -η s}.
   *
   * @param w {@code rows} rows in column blocks of {@code block} floats; modified at columns
   *     {@code [j0, j1)}: {@code j0} 0 or a multiple of 64 (a chunk boundary), {@code j1} a multiple of 16
   * @param s the layer's gradient at its pre-activations. Not modified.
   * @param g scaled gradient {@code -η s}. Not modified.
   * @param x the layer's input. Not modified.
   * @param delta gradient with respect to the input; modified at {@code [j0, j1)}; {@code null} skips
   *     the transposed product
   */
  void backwardUpdateOutputMajor(
      MemorySegment w, int block, int rows, float[] s, float[] g, float[] x, float[] delta, int j0, int j1);

  // ---------------------------------------------------------------- element-wise

  /**
   * {@code o[i] = σ(z[i])} for {@code i} in {@code [from, to)}, with sigmoid and tanh as in
   * {@link ExpMath}, ReLU as {@link Math#max}{@code (z, +0)} (so NaN stays NaN and -0 becomes +0) and
   * leaky ReLU as {@code z > 0 ? z : 0.01f * z}.
   *
   * @param o modified at {@code [from, to)}; may be {@code z} itself
   */
  void activate(Activation a, float[] z, float[] o, int from, int to);

  /**
   * {@code s[i] = delta[i] * σ'} for {@code i} in {@code [from, to)}, where σ' is {@code o * (1 - o)}
   * (sigmoid), {@code fma(-o, o, 1)} (tanh), 1 (identity). ReLU gives {@code z > 0 ? delta : +0},
   * leaky ReLU {@code z > 0 ? delta : delta * 0.01f}.
   *
   * @param s modified at {@code [from, to)}; may be {@code delta} itself
   */
  void activationGradient(Activation a, float[] z, float[] o, float[] delta, float[] s, int from, int to);

  /**
   * Softmax and, when {@code label >= 0}, the cross-entropy loss and its gradient, over
   * {@code z[0..n)}: {@code m = max z} ({@link Math#max}), {@code e[i] = expNonPositive(z[i] - m)},
   * {@code S} the sum of {@code e} in 16 slots (slot {@code i mod 16}, in order of {@code i}, from +0)
   * folded as in {@link #chunkDots}, {@code p[i] = e[i] / S}, {@code s[i] = p[i] - (i == label ? 1 : 0)}.
   *
   * @param p probabilities; modified at {@code [0, n)}
   * @param s gradient {@code p - onehot(label)}; modified at {@code [0, n)} when non-null
   * @return the loss {@code (m - z[label]) + log S} in double precision ({@link ExpMath#log} of the float {@code S}), or
   *     {@code log S + m} (the log-sum-exp) when {@code label < 0}; NaN when any logit is NaN or
   *     {@code +∞}, or when every logit is {@code -∞} (then {@code z[i] - m} is NaN)
   */
  double softmax(float[] z, int n, int label, float[] p, float[] s);
}
