#!/usr/bin/env bash
# The many-core thread-scaling curve behind docs/benchmarks.md: 784-4096-10 and 784-1024-1024-10 (dense,
# ReLU) at 1, 2, 4, 8 and 16 threads, by JMH (ThreadScalingBenchmark, 2 forks) and by `vmlp train
# --json` (one epoch of 60,000 MNIST-format samples). Needs no Maven: JAVA is a JDK 25 (a jlink'ed runtime
# with jdk.incubator.vector, jdk.management, jdk.unsupported, which JMH needs, and java.logging, which the
# command line needs, will do) and JAR the command line's self-contained jar.
# Usage: JAVA=.../bin/java JAR=$(ls cli/target/vmlp-cli-*-all.jar) jmh/scripts/scaling-run.sh OUT_DIR
# About 6 minutes on 16 cores. Results land in OUT_DIR as they finish, so a cut-off run keeps what it did.
set -uo pipefail
OUT="${1:?usage: scaling-run.sh OUT_DIR}"
JAVA="${JAVA:-java}"
JAR="${JAR:?set JAR to the vmlp-cli-*-all.jar}"
THREADS="${THREADS:-1,2,4,8,16}"
source "$(dirname "$0")/utf8-locale.sh"   # java reads file names in UTF-8
mkdir -p "$OUT"
{
  date -u
  uname -a
  lscpu
  free -g
  "$JAVA" -version 2>&1
} >"$OUT/machine.txt" 2>&1
grep -E "Model name|^CPU\(s\)|Thread|Core|Socket|L2|L3|NUMA node\(" "$OUT/machine.txt"

DATA=/tmp/vmlp-mnist-like
"$JAVA" -cp "$JAR" dev.vmlp.jmh.MnistLike "$DATA" || exit 1

jmh() { # net
  "$JAVA" --add-modules jdk.incubator.vector -cp "$JAR" org.openjdk.jmh.Main ThreadScalingBenchmark \
    -p net="$1" -p path=dense -p threads="$THREADS" -f 2 -wi 4 -w 1s -i 5 -r 1s \
    -rf json -rff "$OUT/jmh-$1.json" >"$OUT/jmh-$1.log" 2>&1
  grep -E "^Benchmark|^ThreadScaling" "$OUT/jmh-$1.log"
}
cli() { # hidden widths
  for t in ${THREADS//,/ }; do
    "$JAVA" --add-modules jdk.incubator.vector -jar "$JAR" train --data "$DATA" --hidden "$1" --epochs 1 \
      --threads "$t" --inputs dense --seed 7 --json 2>>"$OUT/cli.err" | tee -a "$OUT/cli-$1.jsonl" |
      grep -oE '"(threads|train_samples_per_sec|weights_sha256|test_accuracy)": *[^,}]*' | tr '\n' ' '
    echo
  done
}
jmh 784-4096-10
cli 4096
jmh 784-1024-1024-10
cli 1024,1024
