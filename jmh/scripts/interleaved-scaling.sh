#!/usr/bin/env bash
# The trainer's speed-up on N threads with the one-thread and N-thread engines taking turns in one JVM
# (dev.vmlp.InterleavedScaling), so that a host whose speed drifts slows both alike.
# Usage: jmh/scripts/interleaved-scaling.sh [ROUNDS [THREADS [NET...]]] (the dense path; the class takes
# "sparse" as a fourth argument)
#   e.g. jmh/scripts/interleaved-scaling.sh 240 2 784-1024-10 784-256-10   (the defaults)
set -euo pipefail
unset CDPATH   # an exported one sent the cd's below elsewhere (or made them print the path)
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
source "$ROOT/jmh/scripts/built.sh"     # builds the jars when missing or stale; JAVA, CLI_JAR, JMH_JAR
JAR="$CLI_JAR"
ROUNDS="${1:-240}"
THREADS="${2:-2}"
shift $(( $# < 2 ? $# : 2 ))
NETS=("$@")
if (( ${#NETS[@]} == 0 )); then
  NETS=(784-1024-10 784-256-10)
fi
for net in "${NETS[@]}"; do
  "$JAVA" --add-modules jdk.incubator.vector -XX:+UseParallelGC -cp "$JAR" dev.vmlp.InterleavedScaling \
    "$net" "$ROUNDS" "$THREADS" 2> >(grep -vxF 'WARNING: Using incubator modules: jdk.incubator.vector' >&2)
done
