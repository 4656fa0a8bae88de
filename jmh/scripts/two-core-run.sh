#!/usr/bin/env bash
# The 2-core targets on an otherwise idle many-core machine: the trainer pinned to two cores
# (784-256-10 and 784-1024-10, dense, 1 and 2 threads, by JMH ThreadScalingBenchmark and by `vmlp train
# --json`), and single-row prediction pinned to one core (PredictBenchmark.predictOne, sample time).
# Shows what the code does where no other tenant shares the cores. Needs no Maven: JAVA is a JDK 25 (a
# jlink'ed runtime with jdk.incubator.vector, jdk.management, jdk.unsupported, which JMH needs, and
# java.logging, which the command line needs, will do), JAR the command line's self-contained jar.
# Usage: JAVA=.../bin/java JAR=$(ls cli/target/vmlp-cli-*-all.jar) \
#   jmh/scripts/two-core-run.sh OUT_DIR      (about 4 minutes; CPUS=0,1 picks the cores)
set -uo pipefail
OUT="${1:?usage: two-core-run.sh OUT_DIR}"
JAVA="${JAVA:-java}"
JAR="${JAR:?set JAR to the vmlp-cli-*-all.jar}"
CPUS="${CPUS:-0,1}"
source "$(dirname "$0")/utf8-locale.sh"   # java reads file names in UTF-8
ONE="${CPUS%%,*}"
mkdir -p "$OUT"
{
  date -u
  uname -a
  lscpu
  "$JAVA" -version 2>&1
  echo "pinned to cores $CPUS (prediction: $ONE)"
} >"$OUT/machine.txt" 2>&1
grep -E "Model name|^CPU\(s\)|Thread|Core|L2|pinned" "$OUT/machine.txt"

DATA=/tmp/vmlp-mnist-like
"$JAVA" -cp "$JAR" dev.vmlp.jmh.MnistLike "$DATA" || exit 1

taskset -c "$CPUS" "$JAVA" --add-modules jdk.incubator.vector -cp "$JAR" org.openjdk.jmh.Main \
  'dev.vmlp.ThreadScalingBenchmark' -p net=784-256-10,784-1024-10 -p path=dense -p threads=1,2 \
  -f 2 -wi 4 -w 1s -i 5 -r 1s -rf json -rff "$OUT/jmh-threads.json" >"$OUT/jmh-threads.log" 2>&1
grep -E "^Benchmark|^ThreadScaling" "$OUT/jmh-threads.log"

for h in 256 1024; do
  for t in 1 2; do
    taskset -c "$CPUS" "$JAVA" --add-modules jdk.incubator.vector -jar "$JAR" train --data "$DATA" --hidden "$h" \
      --epochs 3 --threads "$t" --inputs dense --seed 7 --json 2>>"$OUT/cli.err" | tee -a "$OUT/cli-$h.jsonl" |
      grep -oE '"(threads|train_samples_per_sec|weights_sha256)": *[^,}]*' | tr '\n' ' '
    echo
  done
done

taskset -c "$ONE" "$JAVA" --add-modules jdk.incubator.vector -cp "$JAR" org.openjdk.jmh.Main \
  'dev.vmlp.PredictBenchmark.predictOne' -p net=784-256-10 -f 2 -wi 5 -w 1s -i 5 -r 1s -prof gc \
  -rf json -rff "$OUT/jmh-predict.json" >"$OUT/jmh-predict.log" 2>&1
grep -E "predictOne( |·p0.50|·p0.99|:p0.50|:p0.99|:gc.alloc.rate.norm)" "$OUT/jmh-predict.log" | tail -6
