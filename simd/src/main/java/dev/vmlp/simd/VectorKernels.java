package dev.vmlp.simd;

import static dev.vmlp.simd.VectorConstants.L;
import static dev.vmlp.simd.VectorConstants.NATIVE;
import static dev.vmlp.simd.VectorConstants.PER16;
import static dev.vmlp.simd.VectorConstants.S;
import static dev.vmlp.simd.VectorConstants.VB;

import dev.vmlp.Activation;
import dev.vmlp.internal.kernel.ExpMath;
import dev.vmlp.internal.kernel.Kernels;
import dev.vmlp.internal.kernel.Layout;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The {@link Kernels} on the Vector API. Loaded reflectively by
 * {@link dev.vmlp.internal.kernel.KernelProvider}; every method performs the operation sequence its
 * interface documentation fixes, lane by lane, so the results equal the scalar reference bit for bit at
 * any vector width. No {@code reduceLanes(ADD)}, no lanewise {@code EXP}: sums follow the fixed slot
 * and fold order, and exp is {@link ExpMath}'s polynomial.
 *
 * <p>Internal, not an API: public only so that the provider can load it reflectively. Applications
 * never call kernels; {@link dev.vmlp.Trainer} and {@link dev.vmlp.Model} use whatever the provider
 * picked.
 */
public final class VectorKernels implements Kernels {
  private static final int MAX_TILE = 16;

  /**
   * @throws UnsupportedOperationException when the species has fewer than 128 bits, or a forced width
   *     exceeds what the hardware has (it would be emulated, far slower than scalar)
   */
  public VectorKernels() {
    int bits = VectorConstants.BITS;
    int max = FloatVector.SPECIES_MAX.vectorBitSize();
    if (bits < 128) {
      throw new UnsupportedOperationException("the preferred vector width is " + bits + " bits (which "
          + "-XX:MaxVectorSize may limit); at least 128 are needed");
    }
    if (bits > max) {
      throw new UnsupportedOperationException(
          "-Dvmlp.vectorBits=" + bits + " exceeds the " + max + "-bit vectors of this JVM on this CPU (which "
              + "-XX:UseAVX or -XX:MaxVectorSize may limit)");
    }
  }

  @Override
  public String name() {
    return "vector-" + VectorConstants.BITS;
  }

  @Override
  public int vectorBits() {
    return VectorConstants.BITS;
  }

  @Override
  public int nonZeros(float[] x, int off, int n, int[] nz) {
    return IndexLists.nonZeros(x, off, n, nz);
  }

  @Override
  public int zerosAt(int[] rows, int off, int len, float[] x, int xOff, int[] out) {
    return IndexLists.zerosAt(rows, off, len, x, xOff, out);
  }

  // ---------------------------------------------------------------- input-major

  @Override
  public void forwardInputMajor(
      MemorySegment wt, int block, float[] x, int xOff, int n, float[] b, float[] z, int o0, int o1) {
    long bb = (long) n * block * Float.BYTES;
    int o = o0;
    // widest tiles first: each sweep over the rows keeps its outputs in registers
    for (; o1 - o >= MAX_TILE * L; o += MAX_TILE * L) {
      Tiles.fwdDense16(wt, block, bb, x, xOff, n, b, z, o);
    }
    if (o1 - o >= 8 * L) {
      Tiles.fwdDense8(wt, block, bb, x, xOff, n, b, z, o);
      o += 8 * L;
    }
    if (o1 - o >= 4 * L) {
      Tiles.fwdDense4(wt, block, bb, x, xOff, n, b, z, o);
      o += 4 * L;
    }
    for (; o < o1; o += L) {
      Tiles.fwdDense1(wt, block, bb, x, xOff, n, b, z, o);
    }
  }

  @Override
  public void forwardInputMajorSparse(
      MemorySegment wt, int block, int n, float[] x, int xOff, int[] nz, int nzOff, int nzLen, float[] b, float[] z,
      int o0, int o1) {
    long bb = (long) n * block * Float.BYTES;
    int k0 = nzOff;
    int k1 = nzOff + nzLen;
    int o = o0;
    for (; o1 - o >= MAX_TILE * L; o += MAX_TILE * L) {
      Tiles.fwd16(wt, block, bb, x, xOff, nz, k0, k1, b, z, o);
    }
    if (o1 - o >= 8 * L) {
      Tiles.fwd8(wt, block, bb, x, xOff, nz, k0, k1, b, z, o);
      o += 8 * L;
    }
    if (o1 - o >= 4 * L) {
      Tiles.fwd4(wt, block, bb, x, xOff, nz, k0, k1, b, z, o);
      o += 4 * L;
    }
    for (; o < o1; o += L) {
      Tiles.fwd1(wt, block, bb, x, xOff, nz, k0, k1, b, z, o);
    }
  }

  @Override
  public void updateInputMajor(MemorySegment wt, int block, float[] x, int xOff, int n, float[] g, int o0, int o1) {
    long bb = (long) n * block * Float.BYTES;
    int o = o0;
    for (; o1 - o >= MAX_TILE * L; o += MAX_TILE * L) {
      Tiles.updDense16(wt, block, bb, x, xOff, n, g, o);
    }
    if (o1 - o >= 8 * L) {
      Tiles.updDense8(wt, block, bb, x, xOff, n, g, o);
      o += 8 * L;
    }
    if (o1 - o >= 4 * L) {
      Tiles.updDense4(wt, block, bb, x, xOff, n, g, o);
      o += 4 * L;
    }
    for (; o < o1; o += L) {
      Tiles.updDense1(wt, block, bb, x, xOff, n, g, o);
    }
  }

  @Override
  public void updateInputMajorSparse(
      MemorySegment wt, int block, int n, float[] x, int xOff, int[] nz, int nzOff, int nzLen, float[] g, int o0,
      int o1) {
    long bb = (long) n * block * Float.BYTES;
    int k0 = nzOff;
    int k1 = nzOff + nzLen;
    int o = o0;
    for (; o1 - o >= MAX_TILE * L; o += MAX_TILE * L) {
      Tiles.upd16(wt, block, bb, x, xOff, nz, k0, k1, g, o);
    }
    if (o1 - o >= 8 * L) {
      Tiles.upd8(wt, block, bb, x, xOff, nz, k0, k1, g, o);
      o += 8 * L;
    }
    if (o1 - o >= 4 * L) {
      Tiles.upd4(wt, block, bb, x, xOff, nz, k0, k1, g, o);
      o += 4 * L;
    }
    for (; o < o1; o += L) {
      Tiles.upd1(wt, block, bb, x, xOff, nz, k0, k1, g, o);
    }
  }

  @Override
  public void updateForwardInputMajor(
      MemorySegment wt, int block, float[] xPrev, int prevOff, float[] g, float[] xNext, int nextOff, int n,
      float[] b, float[] z, int o0, int o1) {
    long bb = (long) n * block * Float.BYTES;
    int o = o0;
    // 8 vectors of gradients and 8 of accumulators per sweep: a 16-wide tile of this loop is too big
    // for C1 ("out of virtual registers"), which then left it interpreted for whole runs; 64-float
    // blocks take the tiles whose constant row step frees the loop of bounds checks (decisions.md)
    for (; o1 - o >= 8 * L; o += 8 * L) {
      if (block == 64) {
        Tiles.updFwd8B64(wt, block, bb, xPrev, prevOff, g, xNext, nextOff, n, b, z, o);
      } else {
        Tiles.updFwd8(wt, block, bb, xPrev, prevOff, g, xNext, nextOff, n, b, z, o);
      }
    }
    if (o1 - o >= 4 * L) {
      if (block == 64) {
        Tiles.updFwd4B64(wt, block, bb, xPrev, prevOff, g, xNext, nextOff, n, b, z, o);
      } else {
        Tiles.updFwd4(wt, block, bb, xPrev, prevOff, g, xNext, nextOff, n, b, z, o);
      }
      o += 4 * L;
    }
    for (; o < o1; o += L) {
      if (block == 64) {
        Tiles.updFwd1B64(wt, block, bb, xPrev, prevOff, g, xNext, nextOff, n, b, z, o);
      } else {
        Tiles.updFwd1(wt, block, bb, xPrev, prevOff, g, xNext, nextOff, n, b, z, o);
      }
    }
  }

  @Override
  public void updateForwardInputMajorSparse(
      MemorySegment wt, int block, int n, float[] xPrev, int prevOff, float[] g, float[] xNext, int nextOff,
      int[] nz, int nzOff, int nzLen, float[] b, float[] z, int o0, int o1) {
    long bb = (long) n * block * Float.BYTES;
    int k0 = nzOff;
    int k1 = nzOff + nzLen;
    int o = o0;
    for (; o1 - o >= 8 * L; o += 8 * L) {
      Tiles.updFwdSparse8(wt, block, bb, xPrev, prevOff, g, xNext, nextOff, nz, k0, k1, b, z, o);
    }
    if (o1 - o >= 4 * L) {
      Tiles.updFwdSparse4(wt, block, bb, xPrev, prevOff, g, xNext, nextOff, nz, k0, k1, b, z, o);
      o += 4 * L;
    }
    for (; o < o1; o += L) {
      Tiles.updFwdSparse1(wt, block, bb, xPrev, prevOff, g, xNext, nextOff, nz, k0, k1, b, z, o);
    }
  }

  // ---------------------------------------------------------------- output-major

  @Override
  public void chunkDots(MemorySegment w, int rows, float[] x, int n, int c0, int c1, float[] partials) {
    if (L == 16) {
      Dots.chunkDots16(w, rows, x, n, c0, c1, partials);
    } else {
      Dots.chunkDotsRows(w, rows, x, n, c0, c1, partials);
    }
  }

  @Override
  public void backwardUpdateOutputMajor(
      MemorySegment w, int block, int rows, float[] s, float[] g, float[] x, float[] delta, int j0, int j1) {
    long bb = (long) rows * block * Float.BYTES;
    int j = j0;
    if (delta != null) {
      for (; j1 - j >= 8 * L; j += 8 * L) {
        Tiles.bwd8(w, block, bb, rows, s, g, x, delta, j);
      }
      if (j1 - j >= 4 * L) {
        Tiles.bwd4(w, block, bb, rows, s, g, x, delta, j);
        j += 4 * L;
      }
      for (; j < j1; j += L) {
        Tiles.bwd1(w, block, bb, rows, s, g, x, delta, j);
      }
    } else {
      for (; j1 - j >= 8 * L; j += 8 * L) {
        Tiles.updRows8(w, block, bb, rows, g, x, j);
      }
      if (j1 - j >= 4 * L) {
        Tiles.updRows4(w, block, bb, rows, g, x, j);
        j += 4 * L;
      }
      for (; j < j1; j += L) {
        Tiles.updRows1(w, block, bb, rows, g, x, j);
      }
    }
  }

  // ---------------------------------------------------------------- element-wise

  @Override
  public void activate(Activation a, float[] z, float[] o, int from, int to) {
    int i = from;
    int bound = from + S.loopBound(to - from);
    switch (a) {
      case IDENTITY -> {
        System.arraycopy(z, from, o, from, to - from);
        return;
      }
      case RELU -> {
        for (; i < bound; i += L) {
          FloatVector.fromArray(S, z, i).max(0f).intoArray(o, i);
        }
      }
      case LEAKY_RELU -> {
        for (; i < bound; i += L) {
          FloatVector v = FloatVector.fromArray(S, z, i);
          v.mul(Activation.LEAKY_SLOPE).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(o, i);
        }
      }
      case SIGMOID -> {
        Elementwise.sigmoid(z, o, i, bound);
        i = bound;
      }
      case TANH -> {
        Elementwise.tanh(z, o, i, bound);
        i = bound;
      }
    }
    // the scalar reference gives the same bits for the last few
    dev.vmlp.internal.kernel.ScalarKernels.INSTANCE.activate(a, z, o, i, to);
  }

  @Override
  public void activationGradient(Activation a, float[] z, float[] o, float[] delta, float[] s, int from, int to) {
    int i = from;
    int bound = from + S.loopBound(to - from);
    switch (a) {
      case IDENTITY -> {
        System.arraycopy(delta, from, s, from, to - from);
        return;
      }
      case RELU -> {
        for (; i < bound; i += L) {
          FloatVector d = FloatVector.fromArray(S, delta, i);
          FloatVector.zero(S).blend(d, FloatVector.fromArray(S, z, i).compare(VectorOperators.GT, 0f)).intoArray(s, i);
        }
      }
      case LEAKY_RELU -> {
        for (; i < bound; i += L) {
          FloatVector d = FloatVector.fromArray(S, delta, i);
          d.mul(Activation.LEAKY_SLOPE).blend(d, FloatVector.fromArray(S, z, i).compare(VectorOperators.GT, 0f))
              .intoArray(s, i);
        }
      }
      case SIGMOID -> {
        for (; i < bound; i += L) {
          FloatVector v = FloatVector.fromArray(S, o, i);
          FloatVector.fromArray(S, delta, i).mul(v.mul(FloatVector.broadcast(S, 1f).sub(v))).intoArray(s, i);
        }
      }
      case TANH -> {
        for (; i < bound; i += L) {
          FloatVector v = FloatVector.fromArray(S, o, i);
          FloatVector.fromArray(S, delta, i).mul(v.neg().fma(v, FloatVector.broadcast(S, 1f))).intoArray(s, i);
        }
      }
    }
    dev.vmlp.internal.kernel.ScalarKernels.INSTANCE.activationGradient(a, z, o, delta, s, i, to);
  }

  @Override
  public double softmax(float[] z, int n, int label, float[] p, float[] s) {
    // training (s given) and prediction call different methods, so neither deoptimizes the other's
    if (s != null) {
      return n <= L ? Elementwise.softmaxOneVector(z, n, label, p, s) : Elementwise.softmaxAny(z, n, label, p, s);
    }
    return n <= L ? Elementwise.probabilitiesOneVector(z, n, label, p) : Elementwise.probabilitiesAny(z, n, label, p);
  }
}
