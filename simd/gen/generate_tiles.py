#!/usr/bin/env python3
"""Writes simd/src/main/java/dev/vmlp/simd/Tiles.java: the register-tiled loops of the vector kernels.

Each loop keeps N vectors of accumulators (or of gradients) in local variables, so that C2 holds them
in registers; Java has no way to say "N registers" other than N variables, hence this generator.
Run from the repository root:  python3 simd/gen/generate_tiles.py
"""
import pathlib

OUT = pathlib.Path(__file__).resolve().parents[1] / "src/main/java/dev/vmlp/simd/Tiles.java"


def r(n):
    return range(n)


def fwd(n):
    acc = "\n".join(f"    FloatVector a{i} = FloatVector.zero(S);" for i in r(n))
    body = "\n".join(
        f"      a{i} = FloatVector.fromMemorySegment(S, w, row + {i} * VB, NATIVE).fma(xv, a{i});" for i in r(n))
    out = "\n".join(f"    a{i}.add(FloatVector.fromArray(S, b, o + {i} * L)).intoArray(z, o + {i} * L);" for i in r(n))
    return f"""
  /** Forward product of {n} vectors of outputs at column {{@code o}}, over the rows {{@code idx[k0..k1)}}. */
  static void fwd{n}(MemorySegment w, long strideBytes, float[] x, int xOff, int[] idx, int k0, int k1, float[] b,
      float[] z, int o) {{
{acc}
    long col = (long) o * Float.BYTES;
    for (int k = k0; k < k1; k++) {{
      int j = idx[k];
      FloatVector xv = FloatVector.broadcast(S, x[xOff + j]);
      long row = j * strideBytes + col;
{body}
    }}
{out}
  }}
"""


def fwd_dense(n):
    acc = "\n".join(f"    FloatVector a{i} = FloatVector.zero(S);" for i in r(n))
    body = "\n".join(
        f"      a{i} = FloatVector.fromMemorySegment(S, w, row + {i} * VB, NATIVE).fma(xv, a{i});" for i in r(n))
    out = "\n".join(f"    a{i}.add(FloatVector.fromArray(S, b, o + {i} * L)).intoArray(z, o + {i} * L);" for i in r(n))
    return f"""
  /** Forward product of {n} vectors of outputs at column {{@code o}}, over all {{@code n}} rows. */
  static void fwdDense{n}(MemorySegment w, long strideBytes, float[] x, int xOff, int n, float[] b, float[] z, int o) {{
{acc}
    long col = (long) o * Float.BYTES;
    for (int j = 0; j < n; j++) {{
      FloatVector xv = FloatVector.broadcast(S, x[xOff + j]);
      long row = j * strideBytes + col;
{body}
    }}
{out}
  }}
"""


def upd_dense(n):
    gs = "\n".join(f"    FloatVector g{i} = FloatVector.fromArray(S, g, o + {i} * L);" for i in r(n))
    body = "\n".join(
        f"      g{i}.fma(xv, FloatVector.fromMemorySegment(S, w, row + {i} * VB, NATIVE))"
        f".intoMemorySegment(w, row + {i} * VB, NATIVE);" for i in r(n))
    return f"""
  /** Rank-1 update of {n} vectors of columns at {{@code o}}, over all {{@code n}} rows whose input is not 0. */
  static void updDense{n}(MemorySegment w, long strideBytes, float[] x, int xOff, int n, float[] g, int o) {{
{gs}
    long col = (long) o * Float.BYTES;
    for (int j = 0; j < n; j++) {{
      float xj = x[xOff + j];
      if (xj == 0f) {{
        continue;
      }}
      FloatVector xv = FloatVector.broadcast(S, xj);
      long row = j * strideBytes + col;
{body}
    }}
  }}
"""


def upd(n):
    gs = "\n".join(f"    FloatVector g{i} = FloatVector.fromArray(S, g, o + {i} * L);" for i in r(n))
    body = "\n".join(
        f"      g{i}.fma(xv, FloatVector.fromMemorySegment(S, w, row + {i} * VB, NATIVE))"
        f".intoMemorySegment(w, row + {i} * VB, NATIVE);" for i in r(n))
    return f"""
  /** Rank-1 update of {n} vectors of columns at {{@code o}}, over the rows {{@code idx[k0..k1)}} whose input is not 0. */
  static void upd{n}(MemorySegment w, long strideBytes, float[] x, int xOff, int[] idx, int k0, int k1, float[] g,
      int o) {{
{gs}
    long col = (long) o * Float.BYTES;
    for (int k = k0; k < k1; k++) {{
      int j = idx[k];
      float xj = x[xOff + j];
      if (xj == 0f) {{
        continue; // a zero input changes no weight (and keeps a -0 weight -0, as the sparse path does)
      }}
      FloatVector xv = FloatVector.broadcast(S, xj);
      long row = j * strideBytes + col;
{body}
    }}
  }}
"""


def upd_fwd(n):
    in_regs = n <= 8
    gs = "\n".join(f"    FloatVector g{i} = FloatVector.fromArray(S, g, o + {i} * L);" for i in r(n)) if in_regs else \
        "    // 16 accumulators fill the registers: the gradients are re-read from L1 instead"
    acc = "\n".join(f"    FloatVector a{i} = FloatVector.zero(S);" for i in r(n))
    gv = (lambda i: f"g{i}") if in_regs else (lambda i: f"FloatVector.fromArray(S, g, o + {i} * L)")
    upd_body = "\n".join(
        f"        FloatVector w{i} = {gv(i)}.fma(xp, FloatVector.fromMemorySegment(S, w, row + {i} * VB, NATIVE));\n"
        f"        w{i}.intoMemorySegment(w, row + {i} * VB, NATIVE);\n"
        f"        a{i} = w{i}.fma(xn, a{i});" for i in r(n))
    fwd_body = "\n".join(
        f"        a{i} = FloatVector.fromMemorySegment(S, w, row + {i} * VB, NATIVE).fma(xn, a{i});" for i in r(n))
    out = "\n".join(f"    a{i}.add(FloatVector.fromArray(S, b, o + {i} * L)).intoArray(z, o + {i} * L);" for i in r(n))
    return f"""
  /**
   * Update with {{@code xPrev}} fused with the forward product of {{@code xNext}}, {n} vectors of columns at
   * {{@code o}}, over all {{@code n}} rows; rows whose {{@code xPrev}} is 0 are only read.
   */
  static void updFwd{n}(MemorySegment w, long strideBytes, float[] xPrev, int prevOff, float[] g, float[] xNext,
      int nextOff, int n, float[] b, float[] z, int o) {{
{gs}
{acc}
    long col = (long) o * Float.BYTES;
    for (int j = 0; j < n; j++) {{
      long row = j * strideBytes + col;
      float xpj = xPrev[prevOff + j];
      FloatVector xn = FloatVector.broadcast(S, xNext[nextOff + j]);
      if (xpj != 0f) {{
        FloatVector xp = FloatVector.broadcast(S, xpj);
{upd_body}
      }} else {{
{fwd_body}
      }}
    }}
{out}
  }}
"""


def bwd(n):
    xs = "\n".join(f"    FloatVector x{i} = FloatVector.fromArray(S, x, j + {i} * L);" for i in r(n))
    ds = "\n".join(f"    FloatVector d{i} = FloatVector.zero(S);" for i in r(n))
    body = "\n".join(
        f"      FloatVector w{i} = FloatVector.fromMemorySegment(S, w, row + {i} * VB, NATIVE);\n"
        f"      d{i} = w{i}.fma(sv, d{i});\n"
        f"      x{i}.fma(gv, w{i}).intoMemorySegment(w, row + {i} * VB, NATIVE);" for i in r(n))
    out = "\n".join(f"    d{i}.intoArray(delta, j + {i} * L);" for i in r(n))
    return f"""
  /** Transposed product and rank-1 update of {n} vectors of columns at {{@code j}}, over all rows. */
  static void bwd{n}(MemorySegment w, long strideBytes, int rows, float[] s, float[] g, float[] x, float[] delta,
      int j) {{
{xs}
{ds}
    long row = (long) j * Float.BYTES;
    for (int r = 0; r < rows; r++, row += strideBytes) {{
      FloatVector sv = FloatVector.broadcast(S, s[r]);
      FloatVector gv = FloatVector.broadcast(S, g[r]);
{body}
    }}
{out}
  }}
"""


def upd_rows(n):
    xs = "\n".join(f"    FloatVector x{i} = FloatVector.fromArray(S, x, j + {i} * L);" for i in r(n))
    body = "\n".join(
        f"      x{i}.fma(gv, FloatVector.fromMemorySegment(S, w, row + {i} * VB, NATIVE))"
        f".intoMemorySegment(w, row + {i} * VB, NATIVE);" for i in r(n))
    return f"""
  /** Rank-1 update without the transposed product, {n} vectors of columns at {{@code j}}, over all rows. */
  static void updRows{n}(MemorySegment w, long strideBytes, int rows, float[] g, float[] x, int j) {{
{xs}
    long row = (long) j * Float.BYTES;
    for (int r = 0; r < rows; r++, row += strideBytes) {{
      FloatVector gv = FloatVector.broadcast(S, g[r]);
{body}
    }}
  }}
"""


parts = [f(n) for f, ns in ((fwd, (16, 8, 4, 1)), (fwd_dense, (16, 8, 4, 1)), (upd, (16, 8, 4, 1)),
                            (upd_dense, (16, 8, 4, 1)), (upd_fwd, (16, 8, 4, 1)), (bwd, (8, 4, 1)),
                            (upd_rows, (8, 4, 1))) for n in ns]

OUT.write_text(f"""// Generated by simd/gen/generate_tiles.py: edit the generator, not this file.
package dev.vmlp.simd;

import static dev.vmlp.simd.VectorConstants.L;
import static dev.vmlp.simd.VectorConstants.NATIVE;
import static dev.vmlp.simd.VectorConstants.S;
import static dev.vmlp.simd.VectorConstants.VB;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * Register-tiled loops over a weight matrix: each keeps a fixed number of vectors (accumulators or
 * gradients) in local variables so that they stay in registers for the whole sweep over the rows.
 * Every lane follows exactly the operation sequence of {{@link dev.vmlp.internal.kernel.Kernels}}; the
 * tile width only decides which outputs share a sweep.
 */
final class Tiles {{
  private Tiles() {{}}
{"".join(parts)}}}
""")
print("wrote", OUT)
