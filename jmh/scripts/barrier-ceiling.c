// The best two-thread speed-up this machine allows for a loop that meets at a barrier once per step,
// as the trainer does once per sample: each thread does a fixed amount of register-only work (no memory
// traffic, so only the hand-off and the host's interruptions cost anything), then waits for the other.
// The same work on one thread, in the same run, gives the ratio. Two barriers: a shared arrival
// counter whose last arrival releases the others (as SpinBarrier does), and one flag per thread, each
// on its own cache line.
// Build and run: gcc -O2 -pthread -o barrier-ceiling barrier-ceiling.c && ./barrier-ceiling
#define _GNU_SOURCE
#include <immintrin.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t) t.tv_sec * 1000000000u + (uint64_t) t.tv_nsec;
}

// a dependent chain of multiplies: time proportional to n, nothing touched in memory
static double work(uint64_t n, double x) {
  for (uint64_t i = 0; i < n; i++) {
    x = x * 1.0000001;
  }
  return x;
}

static _Alignas(64) atomic_int count;
static _Alignas(64) atomic_int sense;
static _Alignas(64) atomic_long flag[2][8];  // one cache line per thread
static int mode;                              // 0: shared counter, 1: one flag per thread
static long steps;
static uint64_t per_step;
static volatile double sink;

static void *run(void *arg) {
  int id = (int) (long) arg;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(id, &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);
  int local = 0;
  double x = 1;
  for (long s = 0; s < steps; s++) {
    x = work(per_step, x);
    if (mode == 0) {
      local ^= 1;
      if (atomic_fetch_add(&count, 1) == 1) {
        atomic_store(&count, 0);
        atomic_store(&sense, local);
      } else {
        while (atomic_load_explicit(&sense, memory_order_acquire) != local) {
          _mm_pause();
        }
      }
    } else {
      atomic_store_explicit(&flag[id][0], s + 1, memory_order_release);
      while (atomic_load_explicit(&flag[1 - id][0], memory_order_acquire) < s + 1) {
        _mm_pause();
      }
    }
  }
  sink = x;
  return 0;
}

static double two_threads(int m) {
  mode = m;
  atomic_store(&count, 0);
  atomic_store(&sense, 0);
  atomic_store(&flag[0][0], 0);
  atomic_store(&flag[1][0], 0);
  pthread_t a, b;
  uint64_t t0 = now_ns();
  pthread_create(&a, 0, run, (void *) 0);
  pthread_create(&b, 0, run, (void *) 1);
  pthread_join(a, 0);
  pthread_join(b, 0);
  return (now_ns() - t0) / (double) steps;
}

static double one_thread(void) {
  uint64_t t0 = now_ns();
  double x = 1;
  for (long s = 0; s < steps; s++) {
    x = work(2 * per_step, x);
  }
  sink = x;
  return (now_ns() - t0) / (double) steps;
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 2;
  // calibrate: iterations of the chain per microsecond
  uint64_t t0 = now_ns();
  sink = work(10000000, 1);
  double per_us = 10000000 / ((now_ns() - t0) / 1000.0);
  static const double step_us[] = {0.5, 1, 2, 4, 8, 16};
  for (int i = 0; i < 6; i++) {
    per_step = (uint64_t) (step_us[i] * per_us);
    steps = (long) (seconds * 1e6 / (2 * step_us[i]));
    double one = one_thread();
    double counter = two_threads(0);
    double flags = two_threads(1);
    printf("{\"work_per_thread_us\": %.1f, \"one_thread_ns\": %.0f, \"counter_barrier_ns\": %.0f,"
           " \"flag_barrier_ns\": %.0f, \"speed_up_counter\": %.3f, \"speed_up_flags\": %.3f}\n",
        step_us[i], one, counter, flags, one / counter, one / flags);
  }
  return 0;
}
