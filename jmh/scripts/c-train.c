// Per-sample SGD of an IN-H-10 network (ReLU, softmax log loss, learning rate 0.01) written as plain C
// loops, the way one writes it by hand: the reference point "a hand-written C loop" for vmlp's training
// step. No intrinsics, no BLAS, no sparse inputs, no fixed summation order. Built and run by c-train.sh.
//
//   c-train IMAGES LABELS HIDDEN EPOCHS dot|axpy    one line per epoch: samples/s, mean loss, accuracy
//
// dot: the first layer's weights row-major [H][IN], z1[j] a dot product of row j with x. gcc -O3 does not
// vectorise a float sum without -ffast-math (it would reorder it), so each dot product is one chain of
// scalar FMAs. axpy: the weights input-major [IN][H], z1 += x[i] * row i, which vectorises over the
// hidden units with the sums in the written order; the update walks the same rows.

// IMAGES and LABELS are plain (not gzipped) MNIST-format files; pixels are scaled by 1/255 as vmlp train
// scales them.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static void *must(void *p, const char *what) {
  if (!p) {
    fprintf(stderr, "c-train: %s\n", what);
    exit(1);
  }
  return p;
}

// the bytes of an IDX file of unsigned bytes, its dimensions in dims (at most 3)
static uint8_t *idx(const char *path, int rank, long *dims) {
  FILE *f = must(fopen(path, "rb"), "cannot open an input file");
  uint8_t head[4];
  if (fread(head, 1, 4, f) != 4 || head[0] || head[1] || head[2] != 8 || head[3] != rank) {
    fprintf(stderr, "c-train: %s is not an IDX file of unsigned bytes with %d dimensions\n", path, rank);
    exit(1);
  }
  long n = 1;
  for (int d = 0; d < rank; d++) {
    uint8_t b[4];
    if (fread(b, 1, 4, f) != 4) {
      fprintf(stderr, "c-train: %s ends in its header\n", path);
      exit(1);
    }
    dims[d] = (long) b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
    n *= dims[d];
  }
  uint8_t *data = must(malloc(n), "out of memory");
  if ((long) fread(data, 1, n, f) != n) {
    fprintf(stderr, "c-train: %s is shorter than its header says\n", path);
    exit(1);
  }
  fclose(f);
  return data;
}

static float uniform(uint64_t *state) {  // splitmix64, in [-1, 1)
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return (float) ((z >> 40) * 0x1p-24) * 2 - 1;
}

int main(int argc, char **argv) {
  if (argc != 6 || (strcmp(argv[5], "dot") && strcmp(argv[5], "axpy"))) {
    fprintf(stderr, "usage: c-train IMAGES LABELS HIDDEN EPOCHS dot|axpy\n");
    return 2;
  }
  int axpy = !strcmp(argv[5], "axpy");
  long dims[3], ldims[1];
  uint8_t *pixels = idx(argv[1], 3, dims);
  uint8_t *labels = idx(argv[2], 1, ldims);
  long n = dims[0], in = dims[1] * dims[2], h = atol(argv[3]), epochs = atol(argv[4]);
  const int out = 10;
  if (ldims[0] != n || n < 1 || h < 1 || epochs < 1) {
    fprintf(stderr, "c-train: %ld images and %ld labels, hidden %ld, epochs %ld\n", n, ldims[0], h, epochs);
    return 1;
  }
  for (long k = 0; k < n; k++) {
    if (labels[k] >= out) {
      fprintf(stderr, "c-train: label %ld is %d; the network has %d classes\n", k, labels[k], out);
      return 1;
    }
  }
  float *w1 = must(malloc(sizeof(float) * h * in), "out of memory"), *b1 = calloc(h, sizeof(float));
  float *w2 = must(malloc(sizeof(float) * out * h), "out of memory"), *b2 = calloc(out, sizeof(float));
  float *x = malloc(sizeof(float) * in), *z1 = malloc(sizeof(float) * h), *o1 = malloc(sizeof(float) * h);
  float *s1 = malloc(sizeof(float) * h), z2[10], s2[10];
  uint64_t seed = 42;
  for (long i = 0; i < h * in; i++) w1[i] = uniform(&seed) / sqrtf((float) in);
  for (long i = 0; i < out * h; i++) w2[i] = uniform(&seed) / sqrtf((float) h);
  const float lr = 0.01f;
  for (long e = 1; e <= epochs; e++) {
    double loss = 0, t0 = now();
    long right = 0;
    for (long k = 0; k < n; k++) {
      const uint8_t *px = pixels + k * in;
      for (long i = 0; i < in; i++) x[i] = px[i] * (1.0f / 255);
      if (axpy) {  // z1 = W1 x + b1, W1 stored [IN][H]
        memcpy(z1, b1, sizeof(float) * h);
        for (long i = 0; i < in; i++) {
          const float *row = w1 + i * h;
          float xi = x[i];
          for (long j = 0; j < h; j++) z1[j] += row[j] * xi;
        }
      } else {  // W1 stored [H][IN]
        for (long j = 0; j < h; j++) {
          float sum = b1[j];
          const float *row = w1 + j * in;
          for (long i = 0; i < in; i++) sum += row[i] * x[i];
          z1[j] = sum;
        }
      }
      for (long j = 0; j < h; j++) o1[j] = z1[j] > 0 ? z1[j] : 0;
      float max = -INFINITY;
      int best = 0;
      for (int c = 0; c < out; c++) {  // z2 = W2 o1 + b2
        float sum = b2[c];
        const float *row = w2 + c * h;
        for (long j = 0; j < h; j++) sum += row[j] * o1[j];
        z2[c] = sum;
        if (sum > max) max = sum, best = c;
      }
      float total = 0;
      for (int c = 0; c < out; c++) total += s2[c] = expf(z2[c] - max);
      int y = labels[k];
      loss += max - z2[y] + logf(total);
      right += best == y;
      for (int c = 0; c < out; c++) s2[c] = s2[c] / total - (c == y);  // p - onehot(y)
      for (long j = 0; j < h; j++) {  // s1 = (W2^T s2) * relu'(z1), before W2 changes
        float sum = 0;
        for (int c = 0; c < out; c++) sum += w2[c * h + j] * s2[c];
        s1[j] = z1[j] > 0 ? sum : 0;
      }
      for (int c = 0; c < out; c++) {  // W2 -= lr s2 o1^T, b2 -= lr s2
        float g = -lr * s2[c];
        float *row = w2 + c * h;
        for (long j = 0; j < h; j++) row[j] += g * o1[j];
        b2[c] += g;
      }
      for (long j = 0; j < h; j++) s1[j] *= -lr;  // W1 -= lr s1 x^T, b1 -= lr s1
      if (axpy) {
        for (long i = 0; i < in; i++) {
          float *row = w1 + i * h;
          float xi = x[i];
          for (long j = 0; j < h; j++) row[j] += s1[j] * xi;
        }
      } else {
        for (long j = 0; j < h; j++) {
          float *row = w1 + j * in;
          float g = s1[j];
          for (long i = 0; i < in; i++) row[i] += g * x[i];
        }
      }
      for (long j = 0; j < h; j++) b1[j] += s1[j];
    }
    double seconds = now() - t0;
    printf("{\"loop\": \"%s\", \"epoch\": %ld, \"hidden\": %ld, \"samples\": %ld, \"seconds\": %.4f, \"samples_per_sec\": %.1f, "
           "\"mean_loss\": %.6f, \"train_accuracy\": %.4f}\n",
           argv[5], e, h, n, seconds, n / seconds, loss / n, (double) right / n);
    fflush(stdout);
  }
  return 0;
}
