#!/usr/bin/env bash
# A/B of two builds of the trainer on the many-core machine: ThreadScalingBenchmark (784-1024-1024-10 and
# 784-256-10, dense, 2 and 16 threads where the net allows) from two benchmark jars, one fork each,
# alternated twice. Behind docs/bench/barrier-ab/ (old = the shared-counter barrier, new = a
# dissemination barrier). Needs no Maven: .devrt/jdk is a jlink'ed JDK 25 with jdk.incubator.vector,
# java.management and jdk.unsupported (which JMH needs), .devrt/jars/{old,new}.jar the jmh module's
# benchmark jars (the peers' libraries may be left out of them: this script runs none of the peers).
# Usage: OUT=DIR jmh/scripts/barrier-ab.sh (about 2 min).
set -uo pipefail
OUT="${OUT:?set OUT to a folder}"
J=.devrt/jdk/bin/java
# each run's output goes through the grep below, errors too: without these checks a missing JDK or jar printed nothing
[ -x "$J" ] || { echo "barrier-ab.sh: no JDK at $J (run it from the repository root)" >&2; exit 1; }
for v in old new; do
  [ -f ".devrt/jars/$v.jar" ] || { echo "barrier-ab.sh: no benchmark jar .devrt/jars/$v.jar" >&2; exit 1; }
done
mkdir -p "$OUT"   # JMH does not make the folder of -rff ("Can not touch the result file")
nproc
for round in 1 2; do
  for v in old new; do
    "$J" --add-modules jdk.incubator.vector -jar ".devrt/jars/$v.jar" 'dev.vmlp.ThreadScalingBenchmark' \
      -p net=784-1024-1024-10,784-256-10 -p path=dense -p threads=2,16 -f 1 -wi 3 -w 1s -i 4 -r 1s \
      -rf json -rff "$OUT/$v-$round.json" 2>&1 | grep -E "^ThreadScaling" | sed "s/^/$v /"
  done
done
