#!/usr/bin/env bash
# JMH's perfasm (the hottest compiled code, instruction by instruction) on machines without hardware
# counters, such as most virtual machines: perf samples the cpu-clock event instead of cycles, and the
# disassembler plugin HotSpot needs is built from hsdis-capstone.c (Debian: apt-get install
# libcapstone-dev; perf from linux-tools, perf_event_paranoid <= 2). One fork, warmed up for 36 s so
# that the JIT's output does not fall inside the recording.
# Usage: jmh/scripts/perfasm.sh JMH_ARGS...
#   e.g. jmh/scripts/perfasm.sh 'dev.vmlp.TrainStepBenchmark' -p impl=vector -p net=784-256-10 -p path=sparse
set -euo pipefail
unset CDPATH   # an exported one sent the cd's below elsewhere (or made them print the path)
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
source "$ROOT/jmh/scripts/built.sh"     # builds the jars when missing or stale; JAVA, CLI_JAR, JMH_JAR
HSDIS="$(mktemp -d)"
trap 'rm -rf "$HSDIS"' EXIT
gcc -O2 -shared -fPIC -o "$HSDIS/hsdis-amd64.so" jmh/scripts/hsdis-capstone.c -lcapstone
JAR="$CLI_JAR"
LD_LIBRARY_PATH="$HSDIS" "$JAVA" -cp "$JAR" org.openjdk.jmh.Main "$@" -f 1 -wi 12 -w 3s -i 5 -r 2s \
  -jvmArgsAppend "--add-modules=jdk.incubator.vector -XX:+UseParallelGC" \
  -prof 'perfasm:events=cpu-clock;intelSyntax=true;top=6;hotThreshold=0.03;tooBigThreshold=3000'
