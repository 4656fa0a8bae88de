package dev.vmlp.simd;

import static dev.vmlp.internal.kernel.ExpMath.EXP_MIN;
import static dev.vmlp.internal.kernel.ExpMath.EXP_P0;
import static dev.vmlp.internal.kernel.ExpMath.EXP_P1;
import static dev.vmlp.internal.kernel.ExpMath.EXP_P2;
import static dev.vmlp.internal.kernel.ExpMath.EXP_P3;
import static dev.vmlp.internal.kernel.ExpMath.EXP_P4;
import static dev.vmlp.internal.kernel.ExpMath.EXP_P5;
import static dev.vmlp.internal.kernel.ExpMath.LN2_HI;
import static dev.vmlp.internal.kernel.ExpMath.LN2_LO;
import static dev.vmlp.internal.kernel.ExpMath.LOG2E;
import static dev.vmlp.internal.kernel.ExpMath.ROUND_MAGIC;
import static dev.vmlp.internal.kernel.ExpMath.ROUND_MAGIC_BITS;
import static dev.vmlp.internal.kernel.ExpMath.TANH_SMALL;
import static dev.vmlp.internal.kernel.ExpMath.TANH_T0;
import static dev.vmlp.internal.kernel.ExpMath.TANH_T1;
import static dev.vmlp.internal.kernel.ExpMath.TANH_T2;
import static dev.vmlp.internal.kernel.ExpMath.TANH_T3;
import static dev.vmlp.internal.kernel.ExpMath.TANH_T4;
import static dev.vmlp.simd.VectorConstants.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Lane-wise twins of {@link dev.vmlp.internal.kernel.ExpMath}: the same operations in the same order,
 * with selects instead of branches, so every lane equals the scalar result.
 */
final class VMath {
  private VMath() {}

  /** {@code e^x} for {@code x <= 0}, as {@code ExpMath.expNonPositive}. */
  static FloatVector expNonPositive(FloatVector x) {
    VectorMask<Float> under = x.compare(VectorOperators.LT, EXP_MIN);
    FloatVector t = x.mul(LOG2E).add(ROUND_MAGIC);
    FloatVector n = t.sub(ROUND_MAGIC);
    FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), x);
    r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
    FloatVector p = FloatVector.broadcast(S, EXP_P0).fma(r, FloatVector.broadcast(S, EXP_P1));
    p = p.fma(r, FloatVector.broadcast(S, EXP_P2));
    p = p.fma(r, FloatVector.broadcast(S, EXP_P3));
    p = p.fma(r, FloatVector.broadcast(S, EXP_P4));
    p = p.fma(r, FloatVector.broadcast(S, EXP_P5));
    FloatVector y = p.fma(r.mul(r), r).add(1f);
    // t's low mantissa bits hold n; (n + 127) << 23 is the float 2^n
    FloatVector scale = t.reinterpretAsInts()
        .sub(ROUND_MAGIC_BITS - 127)
        .lanewise(VectorOperators.LSHL, 23)
        .reinterpretAsFloats();
    return y.mul(scale).blend(0f, under);
  }

  /** As {@code ExpMath.sigmoid}. */
  static FloatVector sigmoid(FloatVector z) {
    FloatVector e = expNonPositive(z.abs().neg());
    FloatVector d = e.add(1f);
    FloatVector pos = FloatVector.broadcast(S, 1f).div(d);
    return e.div(d).blend(pos, z.compare(VectorOperators.GE, 0f));
  }

  /** As {@code ExpMath.tanh}. */
  static FloatVector tanh(FloatVector z) {
    FloatVector a = z.abs();
    FloatVector z2 = z.mul(z);
    FloatVector p = FloatVector.broadcast(S, TANH_T0).fma(z2, FloatVector.broadcast(S, TANH_T1));
    p = p.fma(z2, FloatVector.broadcast(S, TANH_T2));
    p = p.fma(z2, FloatVector.broadcast(S, TANH_T3));
    p = p.fma(z2, FloatVector.broadcast(S, TANH_T4));
    FloatVector small = p.mul(z2).fma(z, z);
    FloatVector e = expNonPositive(a.mul(-2f));
    FloatVector t = FloatVector.broadcast(S, 1f).sub(e).div(e.add(1f));
    FloatVector large = t.blend(t.neg(), z.compare(VectorOperators.LT, 0f));
    return large.blend(small, a.compare(VectorOperators.LT, TANH_SMALL));
  }
}
