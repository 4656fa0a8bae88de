#!/usr/bin/env bash
# Where a benchmark spends its time, by method, without a disassembler plugin (jmh/scripts/perfasm.sh
# goes down to instructions but needs Capstone): one JMH fork runs with -XX:+DumpPerfMapAtExit,
# `perf record -e cpu-clock` samples it for SECONDS once it is warm, and `perf report` names the JIT'd
# methods from the map the JVM writes at exit. Needs perf (linux-tools) and perf_event_paranoid <= 2.
# Usage: jmh/scripts/profile.sh SECONDS JMH_ARGS...
#   e.g. jmh/scripts/profile.sh 5 'dev.vmlp.TrainStepBenchmark' -p impl=vector -p net=784-256-10 -p path=sparse
set -euo pipefail
unset CDPATH   # an exported one sent the cd's below elsewhere (or made them print the path)
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SECONDS_TO_RECORD="${1:?usage: profile.sh SECONDS JMH_ARGS...}"
shift
cd "$ROOT"
source "$ROOT/jmh/scripts/built.sh"     # builds the jars when missing or stale; JAVA, CLI_JAR, JMH_JAR
JAR="$CLI_JAR"
WORK="$(mktemp -d)"
HOST=""
trap '[ -n "$HOST" ] && kill "$HOST" 2>/dev/null; rm -rf "$WORK"' EXIT
# warm-up 5 s, then measure long enough for the recording to end inside the measurement
"$JAVA" -cp "$JAR" org.openjdk.jmh.Main "$@" -f 1 -wi 5 -w 1s -i $((SECONDS_TO_RECORD + 15)) -r 1s \
  -jvmArgsAppend "--add-modules=jdk.incubator.vector -XX:+UseParallelGC -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit" \
  >"$WORK/jmh.log" 2>&1 &
HOST=$!
pid=""
while [ -z "$pid" ] && kill -0 "$HOST" 2>/dev/null; do
  sleep 1
  pid="$(pgrep -P "$HOST" -f ForkedMain | head -n 1 || true)" # this run's fork, a child of its JMH
done
[ -n "$pid" ] || { cat "$WORK/jmh.log" >&2; exit 1; }
# the fork's setup and warm-up: wait until JMH reports the first measured iteration
until grep -q '^Iteration' "$WORK/jmh.log"; do
  kill -0 "$HOST" 2>/dev/null || { cat "$WORK/jmh.log" >&2; exit 1; }
  sleep 1
done
perf record -e cpu-clock -F 5000 -p "$pid" -o "$WORK/perf.data" -- sleep "$SECONDS_TO_RECORD" >"$WORK/perf.log" 2>&1 ||
  { cat "$WORK/perf.log" >&2; exit 1; }
wait "$HOST"
HOST=""
grep -E '^(Benchmark|[A-Za-z]+Benchmark\.)' "$WORK/jmh.log" || true
perf report -i "$WORK/perf.data" --no-children --sort symbol 2>/dev/null | grep -v -e '^#' -e '^$' | sed -n 1,20p |
  cut -c1-160
