#!/usr/bin/env bash
# The benchmark run behind docs/benchmarks.md: the shapes and networks its targets name, 2 forks each,
# then the report. Usage: jmh/scripts/record-run.sh OUT_DIR   (about 50 minutes on 2 cores; run it on
# an otherwise idle machine). Needs a JDK 25 (found like bin/vmlp does) and libopenblas for the native peer.
set -euo pipefail
unset CDPATH   # an exported one sent the cd's below elsewhere (or made them print the path)
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${1:?usage: record-run.sh OUT_DIR}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"                 # the caller's OUT_DIR: the paths below are used after the cd
cd "$ROOT"
STARTED="$(date -u +%Y-%m-%dT%H:%M:%SZ)"   # the whole script's start and wall time, not the probe's
source "$ROOT/jmh/scripts/built.sh"     # builds the jars when missing or stale; JAVA, CLI_JAR, JMH_JAR
JAR="$JMH_JAR"
export OPENBLAS_NUM_THREADS=1         # peers on one core, like vmlp's single-thread numbers
COMMON=(-f 2 -wi 5 -w 1s -i 5 -r 1s)
run() { # name, then JMH arguments
  local name="$1"; shift   # -foe: a benchmark that fails stops the record (set -e), so none is missing
  echo "== $name: $*" >&2
  "$JAVA" -jar "$JAR" "$@" -foe true -rf json -rff "$OUT/$name.json" >"$OUT/$name.log" 2>&1
}
# the probe's own annotations (1 fork, 3 x 1 s warm-up, 5 x 1 s): --quick's 3 x 0.5 s left margins wider than the rates
bin/vmlp bench --full --include 'MachineProbe' --out "$OUT/probe" >&2
run kernels-vector 'dev.vmlp.jmh.KernelBenchmark' -p impl=vector -p shape=784x128,784x256,256x10,1024x1024 "${COMMON[@]}"
run kernels-scalar 'dev.vmlp.jmh.KernelBenchmark' -p impl=scalar -p shape=784x256,256x10 "${COMMON[@]}"
run softmax 'dev.vmlp.jmh.SoftmaxBenchmark' "${COMMON[@]}"
run train-vector 'dev.vmlp.TrainStepBenchmark' -p impl=vector -f 2 -wi 5 -w 2s -i 5 -r 1s -prof gc
run train-scalar 'dev.vmlp.TrainStepBenchmark' -p impl=scalar -p net=784-256-10 -p path=dense -f 2 -wi 5 -w 2s -i 5 -r 1s -prof gc
run predict 'dev.vmlp.PredictBenchmark' "${COMMON[@]}" -prof gc
run scaling-dense 'dev.vmlp.ThreadScalingBenchmark' -p net=784-256-10,784-1024-10 -p path=dense -p threads=1,2,4 -f 2 -wi 5 -w 2s -i 5 -r 2s
run scaling-sparse 'dev.vmlp.ThreadScalingBenchmark' -p net=784-256-10 -p path=sparse -p threads=1,2 -f 2 -wi 5 -w 2s -i 5 -r 2s
run peers-kernels 'dev.vmlp.jmh.peers.PeerKernelBenchmark' -p layout=rowMajor -p shape=784x128,784x256,256x10,1024x1024 "${COMMON[@]}"
run peers-train 'dev.vmlp.jmh.peers.PeerTrainStepBenchmark' -p layout=rowMajor -p net=784-128-10,784-256-10,784-1024-10,784-512-256-10 -f 2 -wi 5 -w 2s -i 5 -r 1s -prof gc
jq -s 'add' "$OUT/probe/results.json" "$OUT"/kernels-vector.json "$OUT"/kernels-scalar.json "$OUT"/softmax.json \
  "$OUT"/train-vector.json "$OUT"/train-scalar.json "$OUT"/predict.json "$OUT"/scaling-dense.json \
  "$OUT"/scaling-sparse.json "$OUT"/peers-kernels.json "$OUT"/peers-train.json >"$OUT/record.json"
jq --arg cmd "jmh/scripts/record-run.sh" --arg started "$STARTED" --argjson wall "$SECONDS" \
  --argjson results "$(jq length "$OUT/record.json")" \
  '.run.command = $cmd | .run.preset = "record (2 forks; 5 x 1-2 s warm-up, 5 x 1-2 s measurement); the machine probe from bin/vmlp bench --full (1 fork; 3 x 1 s warm-up, 5 x 1 s)" | .run.jmhOptions = ["see jmh/scripts/record-run.sh"] | .run.started = $started | .run.wallSeconds = $wall | .run.planned = $results | .run.failed = 0' \
  "$OUT/probe/machine.json" >"$OUT/record.machine.json"
bin/vmlp bench --from "$OUT/record.json" --out "$OUT/report" >&2
echo "$OUT/record.json"
