#!/usr/bin/env bash
# Compiled-C reference points for the first layer's kernels on this machine (c-kernels.c): FMA
# throughput on one core and on two at once (are the two processors separate cores?), the rank-1
# update, and the fused update+forward sweep on one core and split in two halves on two cores at once,
# with no barrier, which bounds what two training threads can gain. Needs gcc; no Java.
# Usage: jmh/scripts/c-kernels.sh [REPEATS]
set -euo pipefail
unset CDPATH   # an exported one sent the cd's below elsewhere (or made them print the path)
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
grep -qw avx512f /proc/cpuinfo || { echo "c-kernels.sh: the C kernels use AVX-512, which this processor lacks" >&2; exit 1; }
[ "$(nproc)" -ge 2 ] || { echo "c-kernels.sh: the pairs need two processors" >&2; exit 1; }
BIN="$(mktemp -d)/c-kernels"
trap 'rm -rf "$(dirname "$BIN")"' EXIT
gcc -O3 -march=native -o "$BIN" "$ROOT/jmh/scripts/c-kernels.c"
pair() { taskset -c 0 "$BIN" "$@" | sed 's/^/cpu 0 of a pair: /' & taskset -c 1 "$BIN" "$@" | sed 's/^/cpu 1 of a pair: /'; wait; }
field() { grep -m1 "^$1" /proc/cpuinfo | cut -d: -f2 | xargs; }   # family 25 is Zen 3/4, 26 Zen 5
echo "# $(date -u +%FT%TZ) $(field 'model name') (family $(field 'cpu family'), model $(field 'model')), $(nproc) processors"
"$BIN" fma
pair fma
for _ in $(seq "${1:-2}"); do
  "$BIN" rank1 784 256
  "$BIN" fused 784 256
  "$BIN" fused 784 256 alt
  pair fused 784 128
  "$BIN" fused 784 1024
  "$BIN" fused 784 1024 alt
  pair fused 784 512
done
