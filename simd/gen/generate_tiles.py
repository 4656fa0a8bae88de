#!/usr/bin/env python3
"""Writes simd/src/main/java/dev/vmlp/simd/Tiles.java: the register-tiled loops of the vector kernels.

Each loop keeps N vectors of accumulators (or of gradients) in local variables, so that C2 holds them
in registers; Java has no way to say "N registers" other than N variables, hence this generator.

Weights are stored in column blocks (see dev.vmlp.internal.kernel.Layout#index): a tile of N vectors is
cut into quads of 4 consecutive vectors, each of which lies inside one block (block widths are
multiples of 64 floats, or a first layer's single block), so a quad needs one base
address and every row adds the same row step.
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


ROW_STEP = "    long rowBytes = (long) block * Float.BYTES;"
# 64-float blocks (every first layer of up to 1,024 units that another layer follows): a constant row
# step lets C2 hoist the bounds checks of the loads and stores out of the row loop. Only the fused
# update+forward tiles have such twins: the forward-only tiles measured slower with it (decisions.md)
ROW_STEP_B64 = "    long rowBytes = 64 * Float.BYTES; // block == 64, which the caller checks"
B64_DOC = " For 64-float blocks: the row step is a constant, so the bounds checks leave the loop."


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
{ROW_STEP}
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


def upd_fwd(n, sparse, b64=False):
    in_regs = n <= 8
    gs = "\n".join(f"    FloatVector g{i} = FloatVector.fromArray(S, g, o + {i} * L);" for i in r(n)) if in_regs else \
        "    // 16 accumulators fill the registers: the gradients are re-read from L1 instead"
    acc = "\n".join(f"    FloatVector a{i} = FloatVector.zero(S);" for i in r(n))
    gv = (lambda i: f"g{i}") if in_regs else (lambda i: f"FloatVector.fromArray(S, g, o + {i} * L)")
    # a row whose previous input is 0 is stored back unchanged: on the sparse path a masked store
    # instead made the step take milliseconds (it was not compiled to a masked vector store)
    body = "\n".join(
        f"      FloatVector w{i} = {load(i)};\n"
        f"      w{i} = {gv(i)}.fma(xp, w{i}).blend(w{i}, keep);\n"
        f"      {store(f'w{i}', i)};\n"
        f"      a{i} = w{i}.fma(xn, a{i});" for i in r(n))
    # sparse: one vector compare into a mask register, 4-5% faster per step (measured); dense: the
    # scalar comparison, as the vector compare made the dense step 5-7% slower (measured)
    keep = "xp.compare(VectorOperators.EQ, 0f)" if sparse else "S.maskAll(xpj == 0f)"
    if sparse:
        doc = f"""{{@link #updFwd{n}}} over the rows {{@code idx[k0..k1)}} only: the next sample's non-zero inputs, of
   * which those the previous sample shares are updated on the way."""
        head = f"updFwdSparse{n}(MemorySegment w, int block, long blockBytes, float[] xPrev, int prevOff, float[] g,\n      float[] xNext, int nextOff, int[] idx, int k0, int k1, float[] b, float[] z, int o)"
        loop = "    for (int k = k0; k < k1; k++) {\n      int j = idx[k];"
    else:
        doc = f"""Update with {{@code xPrev}} fused with the forward product of {{@code xNext}}, {n} vectors of columns at
   * {{@code o}}, over all {{@code n}} rows; rows whose {{@code xPrev}} is 0 keep their bits (a select, so
   * that one straight path keeps the method small enough for both JIT tiers).""" + (f"\n   *{B64_DOC}" if b64 else "")
        head = f"updFwd{n}{'B64' if b64 else ''}(MemorySegment w, int block, long blockBytes, float[] xPrev, int prevOff, float[] g,\n      float[] xNext, int nextOff, int n, float[] b, float[] z, int o)"
        loop = "    for (int j = 0; j < n; j++) {"
    return f"""
  /**
   * {doc}
   */
  static void {head} {{
{gs}
{acc}
{bases(n, "o")}
{ROW_STEP_B64 if b64 else ROW_STEP}
{loop}
      long row = j * rowBytes;
      float xpj = xPrev[prevOff + j];
      FloatVector xp = FloatVector.broadcast(S, xpj);
      FloatVector xn = FloatVector.broadcast(S, xNext[nextOff + j]);
      VectorMask<Float> keep = {keep};
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


def fold_lines(ind):
    out = []
    for p in range(4):
        a, b = f"t{2 * p}", f"t{2 * p + 1}"
        out.append(f"{ind}FloatVector u{p} = lo8.selectFrom({a}, {b}).add(hi8.selectFrom({a}, {b}));")
    for p in range(2):
        a, b = f"u{2 * p}", f"u{2 * p + 1}"
        out.append(f"{ind}FloatVector v{p} = lo4.selectFrom({a}, {b}).add(hi4.selectFrom({a}, {b}));")
    out.append(f"{ind}FloatVector w0 = lo2.selectFrom(v0, v1).add(hi2.selectFrom(v0, v1));")
    out.append(f"{ind}FloatVector f = even.selectFrom(w0, w0).add(odd.selectFrom(w0, w0));")
    return "\n".join(out)


FOLD_ORDER = [0, 4, 2, 6, 1, 5, 3, 7]


def fold_index_lines():
    """The fold's lane indexes, loaded once at the top of a dot method (fold_lines uses them)."""
    return "\n".join(f"    FloatVector {v} = FloatVector.fromArray(S, Dots.{a}, 0);" for v, a in
                     [("lo8", "LO8"), ("hi8", "HI8"), ("lo4", "LO4"), ("hi4", "HI4"), ("lo2", "LO2"),
                      ("hi2", "HI2"), ("even", "EVEN"), ("odd", "ODD")])


def store_lines(ind):
    out = [f"{ind}int at = r * chunks + c;"]
    for lane, st in enumerate(FOLD_ORDER):
        i, j = st // 2, st % 2
        cond = " && ".join(x for x in ([f"nr > {i}"] if i else []) + ([f"nc > {j}"] if j else []))
        stmt = f"partials[at + {i} * chunks + {j}] = f.lane({lane});" if i else f"partials[at + {j}] = f.lane({lane});"
        out.append(f"{ind}if ({cond}) {{\n{ind}  {stmt}\n{ind}}}" if cond else f"{ind}{stmt}")
    return "\n".join(out)


def dots():
    """Chunk partials of all rows over a range of chunks at 512 bits, 4 rows x 2 chunks folded together."""
    ind = "        "
    lines = []
    for j in range(2):
        lines.append(f"{ind}// chunk c + {j}: its own block of the weights")
        lines.append(f"{ind}if ({j} < nc) {{")
        lines.append(f"{ind}  int start = (c + {j}) * len;")
        lines.append(f"{ind}  int end = Math.min(start + len, n);")
        lines.append(f"{ind}  long cb = (long) (c + {j}) * blockBytes;")
        for i in range(4):
            lines.append(f"{ind}  FloatVector a{i} = FloatVector.zero(S);")
            lines.append(f"{ind}  FloatVector b{i} = a{i};")
        lines.append(f"{ind}  int k = start;")
        lines.append(f"{ind}  for (; k + 32 <= end; k += 32) {{")
        lines.append(f"{ind}    FloatVector xa = FloatVector.fromArray(S, x, k);")
        lines.append(f"{ind}    FloatVector xb = FloatVector.fromArray(S, x, k + 16);")
        lines.append(f"{ind}    long off = cb + (long) (k - start) * Float.BYTES;")
        for i in range(4):
            lines.append(f"{ind}    a{i} = FloatVector.fromMemorySegment(S, w, row{i} + off, NATIVE).fma(xa, a{i});")
            lines.append(f"{ind}    b{i} = FloatVector.fromMemorySegment(S, w, row{i} + off + 64, NATIVE).fma(xb, b{i});")
        lines.append(f"{ind}  }}")
        lines.append(f"{ind}  if (k < end) {{")
        lines.append(f"{ind}    FloatVector xa = FloatVector.fromArray(S, x, k);")
        lines.append(f"{ind}    long off = cb + (long) (k - start) * Float.BYTES;")
        for i in range(4):
            lines.append(f"{ind}    a{i} = FloatVector.fromMemorySegment(S, w, row{i} + off, NATIVE).fma(xa, a{i});")
        lines.append(f"{ind}  }}")
        for i in range(4):
            lines.append(f"{ind}  t{2 * i + j} = a{i}.add(b{i});")
        lines.append(f"{ind}}}")
    body = "\n".join(lines)
    decl = "\n".join(f"{ind}FloatVector t{k} = FloatVector.zero(S);" for k in range(8))
    return f"""
  /**
   * Chunk partials of the rows {{@code [r0, r1)}} over the chunks {{@code [c0, c1)}}, 512 bits only, in tiles
   * of 4 rows by 2 chunks: a tile's 8 slot sets stay in registers and are folded together pairwise (the
   * tree of {{@link dev.vmlp.internal.kernel.ScalarKernels#fold16}}), then stored to
   * {{@code partials[row * chunks + chunk]}}. Chunk {{@code c}} is block {{@code c}} of the weights, rows
   * {{@code len}} floats. One method for all tiles so that the fold's lane indexes are converted once.
   */
  static void dots(MemorySegment w, int rows, float[] x, int n, int len, int chunks, int r0, int r1, int c0,
      int c1, float[] partials) {{
    long rowBytes = (long) len * Float.BYTES;
    long blockBytes = rows * rowBytes;
{fold_index_lines()}
    for (int r = r0; r < r1; r += 4) {{
      int nr = Math.min(4, r1 - r);
      // rows past the last real one read the last real row; their sums are not stored
      long row0 = r * rowBytes;
      long row1 = (r + Math.min(1, nr - 1)) * rowBytes;
      long row2 = (r + Math.min(2, nr - 1)) * rowBytes;
      long row3 = (r + Math.min(3, nr - 1)) * rowBytes;
      for (int c = c0; c < c1; c += 2) {{
        int nc = Math.min(2, c1 - c);
{decl}
{body}
        // the transposed fold: lane i = set 2 row + chunk, in FOLD8 order
{fold_lines(ind)}
{store_lines(ind)}
      }}
    }}
  }}
"""


def dots64(R, C):
    """The same tiles when every tile is whole: R rows by C chunks of 64 floats, R * C <= 8 sets (any
    others are zero and not stored)."""
    ind = "        "
    lines = []
    for j in range(C):
        lines.append(f"{ind}{{")
        lines.append(f"{ind}  int start = (c + {j}) * 64;")
        lines.append(f"{ind}  long q = (c + {j}) * blockBytes + r * 256L;")
        for g in range(4):
            lines.append(f"{ind}  FloatVector x{g} = FloatVector.fromArray(S, x, start + {16 * g});")
        for i in range(R):
            lines.append(f"{ind}  FloatVector a{i} = FloatVector.zero(S);")
            lines.append(f"{ind}  FloatVector b{i} = a{i};")
        for g in range(4):
            acc = "a" if g % 2 == 0 else "b"
            for i in range(R):
                lines.append(f"{ind}  {acc}{i} = FloatVector.fromMemorySegment(S, w, q + {256 * i + 64 * g}, NATIVE)"
                             f".fma(x{g}, {acc}{i});")
        for i in range(R):
            lines.append(f"{ind}  t{C * i + j} = a{i}.add(b{i});")
        lines.append(f"{ind}}}")
    body = "\n".join(lines)
    decl = "\n".join(f"{ind}FloatVector t{k};" if k < R * C else f"{ind}FloatVector t{k} = FloatVector.zero(S);"
                     for k in range(8))
    stores = "\n".join(
        f"{ind}partials[at + {st // C} * chunks + {st % C}] = f.lane({lane});" for lane, st in enumerate(FOLD_ORDER)
        if st < R * C)
    return f"""
  /**
   * {{@link #dots}} for whole tiles of {R} rows by {C} chunks of 64 floats: rows {{@code [r0, r1)}} (a multiple
   * of {R} of them) over the chunks {{@code [c0, c1)}} (a multiple of {C}, each 64 inputs long), with no loop
   * or row clamping inside a tile. A tile's rows of one chunk are contiguous memory.
   */
  static void dots64x{R}x{C}(MemorySegment w, int rows, float[] x, int chunks, int r0, int r1, int c0, int c1,
      float[] partials) {{
    long blockBytes = rows * 256L;
{fold_index_lines()}
    for (int r = r0; r < r1; r += {R}) {{
      for (int c = c0; c < c1; c += {C}) {{
{decl}
{body}
{fold_lines(ind)}
{ind}int at = r * chunks + c;
{stores}
      }}
    }}
  }}
"""


parts = ([fwd(n, False) for n in (16, 8, 4, 1)] + [fwd(n, True) for n in (16, 8, 4, 1)]
         + [upd_fwd(n, False, True) for n in (8, 4, 1)]
         + [upd(n, False) for n in (16, 8, 4, 1)] + [upd(n, True) for n in (16, 8, 4, 1)]
         + [upd_fwd(n, False) for n in (8, 4, 1)] + [upd_fwd(n, True) for n in (8, 4, 1)] + [bwd(n) for n in (8, 4, 1)] + [upd_rows(n) for n in (8, 4, 1)]
         + [dots(), dots64(4, 2), dots64(2, 2)])

OUT.write_text(f"""// Generated by simd/gen/generate_tiles.py: edit the generator, not this file.
package dev.vmlp.simd;

import static dev.vmlp.simd.VectorConstants.L;
import static dev.vmlp.simd.VectorConstants.NATIVE;
import static dev.vmlp.simd.VectorConstants.S;
import static dev.vmlp.simd.VectorConstants.VB;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

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
