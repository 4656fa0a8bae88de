// The first layer's kernels written in C with AVX-512 intrinsics, over the same column-block layout
// as the library's (blocks of 64 floats, each block all rows of its columns): what this machine gives
// to a compiled loop, to compare the Java kernels and the thread-scaling results with. Not a
// reproducible kernel (no fixed order is needed here); only the memory traffic and instruction mix
// match. Built and run by c-kernels.sh.
//
//   c-kernels fma                     FMA throughput (12 independent chains), GFLOP/s
//   c-kernels rank1 IN OUT            W -= g xᵀ over all IN rows, OUT columns in tiles of 16 vectors
//   c-kernels fused IN OUT [alt]      the fused update+forward sweep in tiles of 8 vectors (128
//                                     columns), as the trainer's dense step; with "alt" every other
//                                     sweep visits the tiles from the last one down
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

enum { BLOCK = 64 };

// the address of row j, column c of an in x out matrix stored in column blocks of BLOCK floats
static float *at(float *w, long in, long j, long c) {
  return w + (c / BLOCK) * in * BLOCK + j * BLOCK + c % BLOCK;
}

// n floats, 64-byte aligned (the size rounded up to whole lines, as aligned_alloc requires), all v
static float *filled(long n, float v) {
  float *a = aligned_alloc(64, (n * 4 + 63) / 64 * 64);
  if (!a) {
    fprintf(stderr, "c-kernels: cannot allocate %ld floats\n", n);
    exit(1);
  }
  for (long i = 0; i < n; i++) a[i] = v;
  return a;
}

// n inputs base + (i % period) / 10: all non-zero, like a dense row
static float *inputs(long n, float base, int period) {
  float *x = filled(n, 0);
  for (long i = 0; i < n; i++) x[i] = base + (i % period) * 0.1f;
  return x;
}

static int fma_rate(void) {
  __m512 a[12];
  for (int i = 0; i < 12; i++) a[i] = _mm512_set1_ps(1.0f + i * 1e-3f);
  __m512 m = _mm512_set1_ps(0.9999999f), c = _mm512_set1_ps(1e-7f);
  long iters = 0;
  double t0 = now();
  while (now() - t0 < 2.0) {
    for (int r = 0; r < 1000000; r++)
      for (int i = 0; i < 12; i++) a[i] = _mm512_fmadd_ps(a[i], m, c);
    iters += 1000000;
  }
  double t = now() - t0;
  float s = 0;
  for (int i = 0; i < 12; i++) s += _mm512_reduce_add_ps(a[i]);
  printf("fma: %.1f GFLOP/s (%g)\n", iters * 12.0 * 32 / t / 1e9, s);
  return 0;
}

static int rank1(long in, long out) {
  float *w = filled(in * out, 0.01f), *g = filled(out, 1e-7f), *x = inputs(in, 0.05f, 7);
  long reps = 0;
  double t0 = now();
  while (now() - t0 < 2.0) {
    for (int r = 0; r < 100; r++)
      for (long o = 0; o < out; o += 256) {
        __m512 gv[16];
        for (int v = 0; v < 16; v++) gv[v] = _mm512_load_ps(g + o + 16 * v);
        for (long j = 0; j < in; j++) {
          float xj = x[j];
          if (xj == 0) continue;
          __m512 xv = _mm512_set1_ps(xj);
          for (int v = 0; v < 16; v++) {
            float *p = at(w, in, j, o + 16 * v);
            _mm512_store_ps(p, _mm512_fmadd_ps(gv[v], xv, _mm512_load_ps(p)));
          }
        }
      }
    reps += 100;
  }
  double t = now() - t0;
  printf("rank1 %ldx%ld: %.2f us, %.1f GFLOP/s (%g)\n", in, out, t / reps * 1e6, reps * 2.0 * in * out / t / 1e9, w[77]);
  return 0;
}

static int fused(long in, long out, int alt) {
  float *w = filled(in * out, 0.01f), *g = filled(out, 1e-7f), *z = filled(out, 0);
  float *xp = inputs(in, 0.05f, 7), *xn = inputs(in, 0.03f, 5);
  long reps = 0;
  double t0 = now();
  while (now() - t0 < 2.0) {
    for (int r = 0; r < 20; r++)
      for (long oi = 0; oi < out; oi += 128) {
        long o = alt && (r & 1) ? out - 128 - oi : oi;
        __m512 gv[8], a[8];
        for (int v = 0; v < 8; v++) {
          gv[v] = _mm512_load_ps(g + o + 16 * v);
          a[v] = _mm512_setzero_ps();
        }
        for (long j = 0; j < in; j++) {
          __m512 xpv = _mm512_set1_ps(xp[j]), xnv = _mm512_set1_ps(xn[j]);
          __mmask16 keep = xp[j] == 0 ? 0xffff : 0; // rows of zero inputs keep their bits, as in the library
          for (int v = 0; v < 8; v++) {
            float *p = at(w, in, j, o + 16 * v);
            __m512 wv = _mm512_load_ps(p);
            __m512 u = _mm512_mask_blend_ps(keep, _mm512_fmadd_ps(gv[v], xpv, wv), wv);
            _mm512_store_ps(p, u);
            a[v] = _mm512_fmadd_ps(u, xnv, a[v]);
          }
        }
        for (int v = 0; v < 8; v++) _mm512_store_ps(z + o + 16 * v, a[v]);
      }
    reps += 20;
  }
  double t = now() - t0;
  printf("fused %ldx%ld%s: %.2f us, %.1f GB/s of weights read and written (%g)\n", in, out, alt ? " alt" : "",
         t / reps * 1e6, reps * 8.0 * in * out / t / 1e9, z[3]);
  return 0;
}

// IN and OUT of a kernel command, or -1 after naming what is wrong: the tiles need whole tiles of columns
static int shape(char **argv, long tile, long *in, long *out) {
  *in = atol(argv[2]);
  *out = atol(argv[3]);
  if (*in < 1 || *out < tile || *out % tile != 0) {
    fprintf(stderr, "c-kernels %s: IN must be at least 1 and OUT a positive multiple of %ld, got %s x %s\n", argv[1],
            tile, argv[2], argv[3]);
    return -1;
  }
  return 0;
}

int main(int argc, char **argv) {
  long in, out;
  if (argc == 2 && !strcmp(argv[1], "fma")) return fma_rate();
  if (argc == 4 && !strcmp(argv[1], "rank1")) return shape(argv, 256, &in, &out) ? 2 : rank1(in, out);
  if ((argc == 4 || (argc == 5 && !strcmp(argv[4], "alt"))) && !strcmp(argv[1], "fused")) {
    return shape(argv, 128, &in, &out) ? 2 : fused(in, out, argc == 5);
  }
  fprintf(stderr, "usage: c-kernels fma | rank1 IN OUT | fused IN OUT [alt]\n");
  return 2;
}
