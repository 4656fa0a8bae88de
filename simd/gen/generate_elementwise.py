#!/usr/bin/env python3
"""Writes simd/src/main/java/dev/vmlp/simd/Elementwise.java: the element-wise vector kernels.

Every kernel is one method that takes arrays and returns at most a scalar, with the exp polynomial and
the 16-slot fold written out inside it: a FloatVector passed to or returned from a method that C2 does
not inline (it will not inline a callee whose compiled code is already large) is boxed on the heap, so
no vector may cross a call. Java has no macros, hence this generator.
Run from the repository root:  python3 simd/gen/generate_elementwise.py
"""
import pathlib

OUT = pathlib.Path(__file__).resolve().parents[1] / "src/main/java/dev/vmlp/simd/Elementwise.java"


def exp(x, out, s, ind):
    """Lines computing out = expNonPositive(x) (as ExpMath.expNonPositive); temporaries suffixed s."""
    p = " " * ind
    return "\n".join([
        f"{p}// {out} = exp({x}), x <= 0: ExpMath.expNonPositive lane by lane",
        f"{p}VectorMask<Float> under{s} = {x}.compare(VectorOperators.LT, EXP_MIN);",
        f"{p}FloatVector t{s} = {x}.mul(LOG2E).add(ROUND_MAGIC);",
        f"{p}FloatVector n{s} = t{s}.sub(ROUND_MAGIC);",
        f"{p}FloatVector r{s} = n{s}.fma(FloatVector.broadcast(S, -LN2_HI), {x});",
        f"{p}r{s} = n{s}.fma(FloatVector.broadcast(S, -LN2_LO), r{s});",
        f"{p}FloatVector p{s} = FloatVector.broadcast(S, EXP_P0).fma(r{s}, FloatVector.broadcast(S, EXP_P1));",
        f"{p}p{s} = p{s}.fma(r{s}, FloatVector.broadcast(S, EXP_P2));",
        f"{p}p{s} = p{s}.fma(r{s}, FloatVector.broadcast(S, EXP_P3));",
        f"{p}p{s} = p{s}.fma(r{s}, FloatVector.broadcast(S, EXP_P4));",
        f"{p}p{s} = p{s}.fma(r{s}, FloatVector.broadcast(S, EXP_P5));",
        f"{p}FloatVector y{s} = p{s}.fma(r{s}.mul(r{s}), r{s}).add(1f);",
        f"{p}// t's low mantissa bits hold n; (n + 127) << 23 is the float 2^n",
        f"{p}FloatVector scale{s} = t{s}.reinterpretAsInts().sub(ROUND_MAGIC_BITS - 127)",
        f"{p}    .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();",
        f"{p}FloatVector {out} = y{s}.mul(scale{s}).blend(0f, under{s});",
    ])


def fold(v, out, ind):
    """Lines folding 16 slots held in PER16 vectors v[0..3] into the float out (as ScalarKernels.fold16).

    The fold is a butterfly: each level adds the same two values in every lane (in swapped order, and
    addition commutes), so the vector f ends with the sum in every lane, bit for bit.
    """
    p = " " * ind
    return "\n".join([
        f"{p}// fold the 16 slots: t[k] += t[k+8], then 4, 2, 1 (as ScalarKernels.fold16)",
        f"{p}FloatVector f;",
        f"{p}if (PER16 == 1) {{",
        f"{p}  f = {v[0]}.add({v[0]}.rearrange(Dots.SWAP8));",
        f"{p}  f = f.add(f.rearrange(Dots.SWAP4));",
        f"{p}}} else if (PER16 == 2) {{",
        f"{p}  f = {v[0]}.add({v[1]});",
        f"{p}  f = f.add(f.rearrange(Dots.SWAP4));",
        f"{p}}} else {{",
        f"{p}  f = {v[0]}.add({v[2]}).add({v[1]}.add({v[3]}));",
        f"{p}}}",
        f"{p}f = f.add(f.rearrange(Dots.SWAP2));",
        f"{p}f = f.add(f.rearrange(Dots.SWAP1));",
    ] + ([f"{p}float {out} = f.lane(0);"] if out else []))


SIGMOID = f"""
  /** {{@code o[i] = sigmoid(z[i])}} for {{@code i}} in {{@code [from, bound)}}, a whole number of vectors. */
  static void sigmoid(float[] z, float[] o, int from, int bound) {{
    for (int i = from; i < bound; i += L) {{
      FloatVector v = FloatVector.fromArray(S, z, i);
      FloatVector x = v.abs().neg();
{exp("x", "e", "X", 6)}
      FloatVector d = e.add(1f);
      FloatVector pos = FloatVector.broadcast(S, 1f).div(d);
      e.div(d).blend(pos, v.compare(VectorOperators.GE, 0f)).intoArray(o, i);
    }}
  }}
"""

TANH = f"""
  /** {{@code o[i] = tanh(z[i])}} for {{@code i}} in {{@code [from, bound)}}, a whole number of vectors. */
  static void tanh(float[] z, float[] o, int from, int bound) {{
    for (int i = from; i < bound; i += L) {{
      FloatVector v = FloatVector.fromArray(S, z, i);
      FloatVector a = v.abs();
      FloatVector z2 = v.mul(v);
      FloatVector q = FloatVector.broadcast(S, TANH_T0).fma(z2, FloatVector.broadcast(S, TANH_T1));
      q = q.fma(z2, FloatVector.broadcast(S, TANH_T2));
      q = q.fma(z2, FloatVector.broadcast(S, TANH_T3));
      q = q.fma(z2, FloatVector.broadcast(S, TANH_T4));
      // the polynomial turns -0 into +0 (p z^2 z + z with p < 0); tanh(±0) is the zero itself
      FloatVector small = q.mul(z2).fma(v, v).blend(v, v.compare(VectorOperators.EQ, 0f));
      FloatVector x = a.mul(-2f);
{exp("x", "e", "X", 6)}
      FloatVector th = FloatVector.broadcast(S, 1f).sub(e).div(e.add(1f));
      FloatVector large = th.blend(th.neg(), v.compare(VectorOperators.LT, 0f));
      large.blend(small, a.compare(VectorOperators.LT, TANH_SMALL)).intoArray(o, i);
    }}
  }}
"""

def softmax_one(grad):
    """The softmax head over one masked vector; with grad, also s = p - onehot(label)."""
    name, s_param = ("softmaxOneVector", ", float[] s") if grad else ("probabilitiesOneVector", "")
    doc = ("{@code s = p - onehot(label)}. Returns the loss." if grad
           else "no gradient. Returns the loss, or the log-sum-exp when {@code label < 0}.")
    gradient = f"""
    // minus one in the label's lane only (no lane when label < 0)
    VectorMask<Float> hot = FloatVector.fromArray(S, LANE_INDEX, 0).compare(VectorOperators.EQ, (float) label);
    q.blend(q.sub(1f), hot).intoArray(s, 0, m);""" if grad else ""
    return f"""
  /**
   * The softmax head over {{@code n <= L}} classes (one masked vector), as
   * {{@link dev.vmlp.internal.kernel.ScalarKernels#softmax}}: {{@code p = e / S}} with
   * {{@code e = exp(z - max)}}; {doc}
   */
  static double {name}(float[] z, int n, int label, float[] p{s_param}) {{
    VectorMask<Float> m = S.indexInRange(0, n);
    FloatVector v = FloatVector.fromArray(S, z, 0, m).blend(Float.NEGATIVE_INFINITY, m.not());
    // the max in every lane by a butterfly: max is exact, so the order cannot change it
    FloatVector mx = v;
    if (L > 8) {{
      mx = mx.max(mx.rearrange(Dots.SWAP8));
    }}
    if (L > 4) {{
      mx = mx.max(mx.rearrange(Dots.SWAP4));
    }}
    mx = mx.max(mx.rearrange(Dots.SWAP2));
    mx = mx.max(mx.rearrange(Dots.SWAP1));
    FloatVector x = v.sub(mx);
{exp("x", "e", "X", 4)}
    // one class per slot: the slots are the lanes, padded with +0
    FloatVector zero = FloatVector.zero(S);
{fold(["e", "zero", "zero", "zero"], None, 4)}
    FloatVector q = e.div(f);
    q.intoArray(p, 0, m);{gradient}
    return ScalarKernels.logLoss(mx.lane(0), f.lane(0), z, label);
  }}
"""


def softmax_any(grad):
    """softmax_one for any n: 16 slots, slot i mod 16 in order of i."""
    name, s_param = ("softmaxAny", ", float[] s") if grad else ("probabilitiesAny", "")
    store_s = """
      q.intoArray(s, i, m);""" if grad else ""
    label_s = """
    if (label >= 0) {
      s[label] = p[label] - 1f;
    }""" if grad else ""
    twin = "softmaxOneVector" if grad else "probabilitiesOneVector"
    return f"""
  /** As {{@link #{twin}}} for any {{@code n}}: 16 slots, slot {{@code i mod 16}} in order of {{@code i}}. */
  static double {name}(float[] z, int n, int label, float[] p{s_param}) {{
    FloatVector mv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
    for (int i = 0; i < n; i += L) {{
      VectorMask<Float> m = S.indexInRange(i, n);
      mv = mv.max(FloatVector.fromArray(S, z, i, m).blend(Float.NEGATIVE_INFINITY, m.not()));
    }}
    float max = mv.reduceLanes(VectorOperators.MAX);
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    for (int i = 0; i < n; i += 16) {{
      for (int q = 0; q < PER16; q++) {{
        int at = i + q * L;
        VectorMask<Float> m = S.indexInRange(at, n);
        FloatVector x = FloatVector.fromArray(S, z, at, m).blend(Float.NEGATIVE_INFINITY, m.not()).sub(max);
{exp("x", "e", "X", 8)}
        e.intoArray(p, at, m);
        switch (q) {{
          case 0 -> s0 = s0.add(e);
          case 1 -> s1 = s1.add(e);
          case 2 -> s2 = s2.add(e);
          default -> s3 = s3.add(e);
        }}
      }}
    }}
{fold(["s0", "s1", "s2", "s3"], "sum", 4)}
    for (int i = 0; i < n; i += L) {{
      VectorMask<Float> m = S.indexInRange(i, n);
      FloatVector q = FloatVector.fromArray(S, p, i, m).div(sum);
      q.intoArray(p, i, m);{store_s}
    }}{label_s}
    return ScalarKernels.logLoss(max, sum, z, label);
  }}
"""


OUT.write_text(f"""// Generated by simd/gen/generate_elementwise.py: edit the generator, not this file.
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
import static dev.vmlp.simd.VectorConstants.L;
import static dev.vmlp.simd.VectorConstants.LANE_INDEX;
import static dev.vmlp.simd.VectorConstants.PER16;
import static dev.vmlp.simd.VectorConstants.S;

import dev.vmlp.internal.kernel.ScalarKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Lane-wise twins of {{@link dev.vmlp.internal.kernel.ExpMath}} and the softmax sum: the same operations
 * in the same order, with selects instead of branches, so every lane equals the scalar result. Each
 * method takes and returns arrays only: no vector crosses a call, so none is ever boxed. The softmax
 * comes in twins with and without the gradient, so that training and prediction never share a
 * compiled method whose never-taken branch one of them would take (C2 would throw it away).
 */
final class Elementwise {{
  private Elementwise() {{}}
{SIGMOID}{TANH}{softmax_one(True)}{softmax_one(False)}{softmax_any(True)}{softmax_any(False)}}}
""")
print("wrote", OUT)
