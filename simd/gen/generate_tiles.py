#!/usr/bin/env python3
"""Writes simd/src/main/java/dev/vmlp/simd/Tiles.java: the register-tiled loops of the vector kernels.

Each loop keeps N vectors of accumulators (or of gradients) in local variables, so that C2 holds them
in registers; Java has no way to say "N registers" other than N variables, hence this generator.

Weights are stored in column blocks (see dev.vmlp.internal.kernel.Layout#index): a tile of N vectors is
cut into quads of 4 consecutive vectors, each of which lies inside one block (block widths are
multiples of 64 floats), so a quad needs one base address and every row adds the same row step.
Run from the repository root:  python3 simd/gen/generate_tiles.py
"""
import pathlib

OUT = pathlib.Path(__file__).resolve().parents[1] / "src/main/java/dev/vmlp/simd/Tiles.java"


def r(n):
    return range(n)


def bases(n, col):
    """Declarations of the quad bases of a tile of n vectors starting at column `col`."""
    if n == 1:
        return f"    long q0 = Blocks.base({col}, block, blockBytes);"
    return "\n".join(f"    long q{k} = Blocks.base({col} + {k} * 4 * L, block, blockBytes);" for k in r(n // 4))


def addr(i, row="row"):
    """The address of vector i of a tile in the current row."""
    q, v = i // 4, i % 4
    return f"q{q} + {row}" + (f" + {v} * VB" if v else "")


def load(i):
    return f"FloatVector.fromMemorySegment(S, w, {addr(i)}, NATIVE)"


def store(v, i):
    return f"{v}.intoMemorySegment(w, {addr(i)}, NATIVE)"


def outputs(n):
    return "\n".join(f"    a{i}.add(FloatVector.fromArray(S, b, o + {i} * L)).intoArray(z, o + {i} * L);" for i in r(n))


def fwd(n, dense):
    acc = "\n".join(f"    FloatVector a{i} = FloatVector.zero(S);" for i in r(n))
    body = "\n".join(f"      a{i} = {load(i)}.fma(xv, a{i});" for i in r(n))
    if dense:
        head = f"static void fwdDense{n}(MemorySegment w, int block, long blockBytes, float[] x, int xOff, int n, float[] b,\n      float[] z, int o)"
        loop = "    for (int j = 0; j < n; j++) {\n      FloatVector xv = FloatVector.broadcast(S, x[xOff + j]);"
        doc = f"Forward product of {n} vectors of outputs at column {{@code o}}, over all {{@code n}} rows."
    else:
        head = f"static void fwd{n}(MemorySegment w, int block, long blockBytes, float[] x, int xOff, int[] idx, int k0, int k1,\n      float[] b, float[] z, int o)"
        loop = "    for (int k = k0; k < k1; k++) {\n      int j = idx[k];\n      FloatVector xv = FloatVector.broadcast(S, x[xOff + j]);"
        doc = f"Forward product of {n} vectors of outputs at column {{@code o}}, over the rows {{@code idx[k0..k1)}}."
    return f"""
  /** {doc} */
  {head} {{
{acc}
{bases(n, "o")}
    long rowBytes = (long) block * Float.BYTES;
{loop}
      long row = j * rowBytes;
{body}
    }}
{outputs(n)}
  }}
"""


def upd(n, dense):
    gs = "\n".join(f"    FloatVector g{i} = FloatVector.fromArray(S, g, o + {i} * L);" for i in r(n))
    body = "\n".join(f"      {store(f'g{i}.fma(xv, {load(i)})', i)};" for i in r(n))
    if dense:
        head = f"static void updDense{n}(MemorySegment w, int block, long blockBytes, float[] x, int xOff, int n, float[] g,\n      int o)"
        loop = "    for (int j = 0; j < n; j++) {"
        doc = f"Rank-1 update of {n} vectors of columns at {{@code o}}, over all {{@code n}} rows whose input is not 0."
    else:
        head = f"static void upd{n}(MemorySegment w, int block, long blockBytes, float[] x, int xOff, int[] idx, int k0, int k1,\n      float[] g, int o)"
        loop = "    for (int k = k0; k < k1; k++) {\n      int j = idx[k];"
        doc = f"Rank-1 update of {n} vectors of columns at {{@code o}}, over the rows {{@code idx[k0..k1)}} whose input is not 0."
    return f"""
  /** {doc} */
  {head} {{
{gs}
{bases(n, "o")}
    long rowBytes = (long) block * Float.BYTES;
{loop}
      float xj = x[xOff + j];
      if (xj == 0f) {{
        continue; // a zero input changes no weight (and keeps a -0 weight -0, as the sparse path does)
      }}
      FloatVector xv = FloatVector.broadcast(S, xj);
      long row = j * rowBytes;
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
        f"      FloatVector w{i} = {load(i)};\n"
        f"      w{i} = {gv(i)}.fma(xp, w{i}).blend(w{i}, keep);\n"
        f"      {store(f'w{i}', i)};\n"
        f"      a{i} = w{i}.fma(xn, a{i});" for i in r(n))
    return f"""
  /**
   * Update with {{@code xPrev}} fused with the forward product of {{@code xNext}}, {n} vectors of columns at
   * {{@code o}}, over all {{@code n}} rows; rows whose {{@code xPrev}} is 0 keep their bits (a select, so
   * that one straight path keeps the method small enough for both JIT tiers).
   */
  static void updFwd{n}(MemorySegment w, int block, long blockBytes, float[] xPrev, int prevOff, float[] g,
      float[] xNext, int nextOff, int n, float[] b, float[] z, int o) {{
{gs}
{acc}
{bases(n, "o")}
    long rowBytes = (long) block * Float.BYTES;
    for (int j = 0; j < n; j++) {{
      long row = j * rowBytes;
      float xpj = xPrev[prevOff + j];
      FloatVector xp = FloatVector.broadcast(S, xpj);
      FloatVector xn = FloatVector.broadcast(S, xNext[nextOff + j]);
      VectorMask<Float> keep = S.maskAll(xpj == 0f);
{body}
    }}
{outputs(n)}
  }}
"""


def bwd(n):
    xs = "\n".join(f"    FloatVector x{i} = FloatVector.fromArray(S, x, j + {i} * L);" for i in r(n))
    ds = "\n".join(f"    FloatVector d{i} = FloatVector.zero(S);" for i in r(n))
    body = "\n".join(
        f"      FloatVector w{i} = {load(i)};\n"
        f"      d{i} = w{i}.fma(sv, d{i});\n"
        f"      {store(f'x{i}.fma(gv, w{i})', i)};" for i in r(n))
    out = "\n".join(f"    d{i}.intoArray(delta, j + {i} * L);" for i in r(n))
    return f"""
  /** Transposed product and rank-1 update of {n} vectors of columns at {{@code j}}, over all rows. */
  static void bwd{n}(MemorySegment w, int block, long blockBytes, int rows, float[] s, float[] g, float[] x,
      float[] delta, int j) {{
{xs}
{ds}
{bases(n, "j")}
    long rowBytes = (long) block * Float.BYTES;
    for (int r = 0; r < rows; r++) {{
      long row = r * rowBytes;
      FloatVector sv = FloatVector.broadcast(S, s[r]);
      FloatVector gv = FloatVector.broadcast(S, g[r]);
{body}
    }}
{out}
  }}
"""


def upd_rows(n):
    xs = "\n".join(f"    FloatVector x{i} = FloatVector.fromArray(S, x, j + {i} * L);" for i in r(n))
    body = "\n".join(f"      {store(f'x{i}.fma(gv, {load(i)})', i)};" for i in r(n))
    return f"""
  /** Rank-1 update without the transposed product, {n} vectors of columns at {{@code j}}, over all rows. */
  static void updRows{n}(MemorySegment w, int block, long blockBytes, int rows, float[] g, float[] x, int j) {{
{xs}
{bases(n, "j")}
    long rowBytes = (long) block * Float.BYTES;
    for (int r = 0; r < rows; r++) {{
      long row = r * rowBytes;
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
        lines.append(f"    // chunk c + {j}: its own block of the weights")
        lines.append(f"    if ({j} < nc) {{")
        lines.append(f"      int start = (c + {j}) * len;")
        lines.append(f"      int end = Math.min(start + len, n);")
        lines.append(f"      long cb = (long) (c + {j}) * blockBytes;")
        for i in range(4):
            lines.append(f"      FloatVector a{i} = FloatVector.zero(S);")
            lines.append(f"      FloatVector b{i} = a{i};")
        lines.append("      int k = start;")
        lines.append("      for (; k + 32 <= end; k += 32) {")
        lines.append("        FloatVector xa = FloatVector.fromArray(S, x, k);")
        lines.append("        FloatVector xb = FloatVector.fromArray(S, x, k + 16);")
        lines.append("        long off = cb + (long) (k - start) * Float.BYTES;")
        for i in range(4):
            lines.append(f"        a{i} = FloatVector.fromMemorySegment(S, w, row{i} + off, NATIVE).fma(xa, a{i});")
            lines.append(f"        b{i} = FloatVector.fromMemorySegment(S, w, row{i} + off + 64, NATIVE).fma(xb, b{i});")
        lines.append("      }")
        lines.append("      if (k < end) {")
        lines.append("        FloatVector xa = FloatVector.fromArray(S, x, k);")
        lines.append("        long off = cb + (long) (k - start) * Float.BYTES;")
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
   * pairwise (the tree of {{@link dev.vmlp.internal.kernel.ScalarKernels#fold16}}), then stored to {{@code partials[row * chunks + chunk]}}.
   * Chunk {{@code c}} is block {{@code c}} of the weights, {{@code blockBytes}} long, rows {{@code len}} floats.
   */
  static void dots4x2(MemorySegment w, long blockBytes, int r, int nr, float[] x, int n, int len, int c, int nc,
      float[] partials, int chunks) {{
    // rows past the last real one read the last real row; their sums are not stored
    long rowBytes = (long) len * Float.BYTES;
    long row0 = r * rowBytes;
    long row1 = (r + Math.min(1, nr - 1)) * rowBytes;
    long row2 = (r + Math.min(2, nr - 1)) * rowBytes;
    long row3 = (r + Math.min(3, nr - 1)) * rowBytes;
{decl}
{body}
    // the transposed fold, inline so that no vector crosses a call: lane i = set 2 row + chunk, in FOLD8 order
    FloatVector lo = FloatVector.fromArray(S, Dots.LO8, 0);
    FloatVector hi = FloatVector.fromArray(S, Dots.HI8, 0);
{fold_lines()}
{store_lines()}
  }}
"""


parts = ([fwd(n, False) for n in (16, 8, 4, 1)] + [fwd(n, True) for n in (16, 8, 4, 1)]
         + [upd(n, False) for n in (16, 8, 4, 1)] + [upd(n, True) for n in (16, 8, 4, 1)]
         + [upd_fwd(n) for n in (8, 4, 1)] + [bwd(n) for n in (8, 4, 1)] + [upd_rows(n) for n in (8, 4, 1)]
         + [dots4x2()])

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
 * Register-tiled loops over a weight matrix stored in column blocks: each keeps a fixed number of
 * vectors (accumulators or gradients) in local variables so that they stay in registers for the whole
 * sweep over the rows. Every lane follows exactly the operation sequence of
 * {{@link dev.vmlp.internal.kernel.Kernels}}; the tile width only decides which outputs share a sweep.
 * {{@code block}} is the block width in floats and {{@code blockBytes}} one block's size.
 */
final class Tiles {{
  private Tiles() {{}}
{"".join(parts)}}}
""")
print("wrote", OUT)
