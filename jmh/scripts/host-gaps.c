// Time the machine takes from a running thread: spin on CLOCK_MONOTONIC for a few seconds and count
// the gaps between consecutive reads (a read takes ~25 ns, so any gap over 2 µs is time the thread
// did not run: an interrupt, the scheduler, or a hypervisor holding the vCPU). No JVM involved, so
// what it finds is the floor under every latency figure of this machine.
// Build and run: gcc -O2 -o host-gaps host-gaps.c && taskset -c 0 ./host-gaps 5
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t) t.tv_sec * 1000000000u + (uint64_t) t.tv_nsec;
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 5;
  static const uint64_t edges[] = {2000, 5000, 10000, 20000, 40000, 80000, 160000, UINT64_MAX};
  uint64_t counts[7] = {0};
  uint64_t lost = 0, reads = 0;
  uint64_t start = now_ns(), prev = start, end = start + (uint64_t) (seconds * 1e9);
  for (uint64_t t = start; t < end; prev = t) {
    t = now_ns();
    reads++;
    uint64_t gap = t - prev;
    if (gap >= edges[0]) {
      lost += gap;
      for (int b = 0; b < 7; b++) {
        if (gap < edges[b + 1]) {
          counts[b]++;
          break;
        }
      }
    }
  }
  double span = (double) (prev - start);
  printf("{\"seconds\": %.2f, \"reads\": %llu, \"lost_fraction\": %.4f, \"gaps_per_second\": %.0f,"
         " \"gaps_us\": {\"2-5\": %llu, \"5-10\": %llu, \"10-20\": %llu, \"20-40\": %llu,"
         " \"40-80\": %llu, \"80-160\": %llu, \"160+\": %llu}}\n",
      span / 1e9, (unsigned long long) reads, lost / span,
      (counts[0] + counts[1] + counts[2] + counts[3] + counts[4] + counts[5] + counts[6]) / (span / 1e9),
      (unsigned long long) counts[0], (unsigned long long) counts[1], (unsigned long long) counts[2],
      (unsigned long long) counts[3], (unsigned long long) counts[4], (unsigned long long) counts[5],
      (unsigned long long) counts[6]);
  return 0;
}
