#!/usr/bin/env bash
# Per-sample SGD of 784-H-10 written as plain C loops (c-train.c), the "hand-written C loop" that vmlp's
# training step is compared with: the input-major (axpy) form that gcc vectorises, the row-major dot
# products it does not (a float sum it may not reorder), and those again under -ffast-math. Needs gcc;
# no Java. DIR holds MNIST-format files (train-images-idx3-ubyte and train-labels-idx1-ubyte, plain or
# .gz). Prints one JSON line per loop and epoch (samples_per_sec over that epoch).
# Usage: jmh/scripts/c-train.sh DIR [HIDDEN] [EPOCHS]
set -euo pipefail
unset CDPATH   # an exported one sent the cd's below elsewhere (or made them print the path)
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
[ "$#" -ge 1 ] || { echo "usage: c-train.sh DIR [HIDDEN] [EPOCHS]" >&2; exit 2; }
DIR="$1" HIDDEN="${2:-256}" EPOCHS="${3:-2}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
for f in train-images-idx3-ubyte train-labels-idx1-ubyte; do
  if [ -f "$DIR/$f" ]; then
    ln -s "$(cd "$DIR" && pwd)/$f" "$TMP/$f"
  elif [ -f "$DIR/$f.gz" ]; then
    gzip -dc "$DIR/$f.gz" > "$TMP/$f"
  else
    echo "c-train.sh: no $DIR/$f (or .gz)" >&2
    exit 1
  fi
done
gcc -O3 -march=native -o "$TMP/c-train" "$ROOT/jmh/scripts/c-train.c" -lm
gcc -O3 -march=native -ffast-math -o "$TMP/c-train-fast-math" "$ROOT/jmh/scripts/c-train.c" -lm
run() { "$1" "$TMP/train-images-idx3-ubyte" "$TMP/train-labels-idx1-ubyte" "$HIDDEN" "$EPOCHS" "$2"; }
run "$TMP/c-train" axpy
run "$TMP/c-train" dot
run "$TMP/c-train-fast-math" dot | sed 's/"loop": "dot"/"loop": "dot, -ffast-math"/'
