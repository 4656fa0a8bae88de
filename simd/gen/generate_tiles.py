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
    body = "\n".join(
        f"      FloatVector w{i} = FloatVector.fromMemorySegment(S, w, row + {i} * VB, NATIVE);\n"
        f"      w{i} = {gv(i)}.fma(xp, w{i}).blend(w{i}, keep);\n"
        f"      w{i}.intoMemorySegment(w, row + {i} * VB, NATIVE);\n"
        f"      a{i} = w{i}.fma(xn, a{i});" for i in r(n))
    out = "\n".join(f"    a{i}.add(FloatVector.fromArray(S, b, o + {i} * L)).intoArray(z, o + {i} * L);" for i in r(n))
    return f"""
  /**
   * Update with {{@code xPrev}} fused with the forward product of {{@code xNext}}, {n} vectors of columns at
   * {{@code o}}, over all {{@code n}} rows; rows whose {{@code xPrev}} is 0 keep their bits (a select, so
   * that one straight path keeps the method small enough for both JIT tiers).
   */
  static void updFwd{n}(MemorySegment w, long strideBytes, float[] xPrev, int prevOff, float[] g, float[] xNext,
      int nextOff, int n, float[] b, float[] z, int o) {{
{gs}
{acc}
    long col = (long) o * Float.BYTES;
    for (int j = 0; j < n; j++) {{
      long row = j * strideBytes + col;
      float xpj = xPrev[prevOff + j];
      FloatVector xp = FloatVector.broadcast(S, xpj);
      FloatVector xn = FloatVector.broadcast(S, xNext[nextOff + j]);
      VectorMask<Float> keep = S.maskAll(xpj == 0f);
{body}
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


def fold_lines():
    out = []
    for p in range(4):
        a, b = f"t{2 * p}", f"t{2 * p + 1}"
        out.append(f"    FloatVector u{p} = lo.selectFrom({a}, {b}).add(hi.selectFrom({a}, {b}));")
    out.append("    lo = FloatVector.fromArray(S, Dots.LO4, 0);")
    out.append("    hi = FloatVector.fromArray(S, Dots.HI4, 0);")
    for p in range(2):
        a, b = f"u{2 * p}", f"u{2 * p + 1}"
        out.append(f"    FloatVector v{p} = lo.selectFrom({a}, {b}).add(hi.selectFrom({a}, {b}));")
    out.append("    lo = FloatVector.fromArray(S, Dots.LO2, 0);")
    out.append("    hi = FloatVector.fromArray(S, Dots.HI2, 0);")
    out.append("    FloatVector w0 = lo.selectFrom(v0, v1).add(hi.selectFrom(v0, v1));")
    out.append("    lo = FloatVector.fromArray(S, Dots.EVEN, 0);")
    out.append("    hi = FloatVector.fromArray(S, Dots.ODD, 0);")
    out.append("    FloatVector f = lo.selectFrom(w0, w0).add(hi.selectFrom(w0, w0));")
    return "\n".join(out)


FOLD_ORDER = [0, 4, 2, 6, 1, 5, 3, 7]


def store_lines():
    out = ["    int at = r * chunks + c;"]
    for lane, st in enumerate(FOLD_ORDER):
        i, j = st // 2, st % 2
        cond = " && ".join(x for x in ([f"nr > {i}"] if i else []) + ([f"nc > {j}"] if j else []))
        stmt = f"partials[at + {i} * chunks + {j}] = f.lane({lane});" if i else f"partials[at + {j}] = f.lane({lane});"
        out.append(f"    if ({cond}) {{\n      {stmt}\n    }}" if cond else f"    {stmt}")
    return "\n".join(out)


def dots4x2():
    """Chunk partials of 4 rows x 2 chunks at 512 bits, folded together in registers."""
    lines = []
    for j in range(2):
        lines.append(f"    // chunk c + {j}")
        lines.append(f"    if ({j} < nc) {{")
        lines.append(f"      int start = (c + {j}) * len;")
        lines.append(f"      int end = Math.min(start + len, n);")
        for i in range(4):
            lines.append(f"      FloatVector a{i} = FloatVector.zero(S);")
            lines.append(f"      FloatVector b{i} = a{i};")
        lines.append("      int k = start;")
        lines.append("      for (; k + 32 <= end; k += 32) {")
        lines.append("        FloatVector xa = FloatVector.fromArray(S, x, k);")
        lines.append("        FloatVector xb = FloatVector.fromArray(S, x, k + 16);")
        lines.append("        long off = (long) k * Float.BYTES;")
        for i in range(4):
            lines.append(f"        a{i} = FloatVector.fromMemorySegment(S, w, row{i} + off, NATIVE).fma(xa, a{i});")
            lines.append(f"        b{i} = FloatVector.fromMemorySegment(S, w, row{i} + off + 64, NATIVE).fma(xb, b{i});")
        lines.append("      }")
        lines.append("      if (k < end) {")
        lines.append("        FloatVector xa = FloatVector.fromArray(S, x, k);")
        lines.append("        long off = (long) k * Float.BYTES;")
        for i in range(4):
            lines.append(f"        a{i} = FloatVector.fromMemorySegment(S, w, row{i} + off, NATIVE).fma(xa, a{i});")
        lines.append("      }")
        for i in range(4):
            lines.append(f"      t{2 * i + j} = a{i}.add(b{i});")
        lines.append("    }")
    body = "\n".join(lines)
    decl = "\n".join(f"    FloatVector t{k} = FloatVector.zero(S);" for k in range(8))
    return f"""
  /**
   * Chunk partials of rows {{@code r..r+3}} (the first {{@code nr}} real) over chunks {{@code c, c+1}} (the
   * first {{@code nc}} real), 512 bits only: the 8 slot sets stay in registers and are folded together
   * pairwise (the tree of {{@link Dots#fold16}}), then stored to {{@code partials[row * chunks + chunk]}}.
   */
  static void dots4x2(MemorySegment w, long strideBytes, int r, int nr, float[] x, int n, int len, int c, int nc,
      float[] partials, int chunks) {{
    // rows past the last real one read the last real row; their sums are not stored
    long row0 = (long) r * strideBytes;
    long row1 = (long) (r + Math.min(1, nr - 1)) * strideBytes;
    long row2 = (long) (r + Math.min(2, nr - 1)) * strideBytes;
    long row3 = (long) (r + Math.min(3, nr - 1)) * strideBytes;
{decl}
{body}
    // the transposed fold, inline so that no vector crosses a call: lane i = set 2 row + chunk, in FOLD8 order
    FloatVector lo = FloatVector.fromArray(S, Dots.LO8, 0);
    FloatVector hi = FloatVector.fromArray(S, Dots.HI8, 0);
{fold_lines()}
{store_lines()}
  }}
"""


parts = [f(n) for f, ns in ((fwd, (16, 8, 4, 1)), (fwd_dense, (16, 8, 4, 1)), (upd, (16, 8, 4, 1)),
                            (upd_dense, (16, 8, 4, 1)), (upd_fwd, (16, 8, 4, 1)), (bwd, (8, 4, 1)),
                            (upd_rows, (8, 4, 1))) for n in ns] + [dots4x2()]

OUT.write_text(f"""// Generated by simd/gen/generate_tiles.py: edit the generator, not this file.
package dev.vmlp.simd;

import static dev.vmlp.simd.VectorConstants.L;
import static dev.vmlp.simd.VectorConstants.NATIVE;
import static dev.vmlp.simd.VectorConstants.S;
import static dev.vmlp.simd.VectorConstants.VB;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

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
