#!/usr/bin/env bash
# How much time the machine takes from a spinning thread on each CPU, one CPU at a time and then all
# at once (see host-gaps.c). Usage: jmh/scripts/host-gaps.sh [SECONDS] [OUT_FILE]; BIN=path skips the
# build (a static binary for a machine without gcc: gcc -O2 -static -o host-gaps host-gaps.c).
set -euo pipefail
SECONDS_EACH="${1:-5}"
# OUT_FILE replaces standard output; without it the lines go to standard output as it is (reopening
# /dev/stdout would truncate a file the caller appends to)
if [[ -n "${2:-}" ]]; then
  exec >"$2"
fi
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT   # the built program and each CPU's output
if [[ -z "${BIN:-}" ]]; then
  BIN="$TMP/host-gaps"
  gcc -O2 -o "$BIN" "$(dirname "$0")/host-gaps.c"
fi
CPUS=$(nproc)
{
  for ((c = 0; c < CPUS; c++)); do
    echo "cpu $c alone: $(taskset -c "$c" "$BIN" "$SECONDS_EACH")"
  done
  for ((c = 0; c < CPUS; c++)); do
    taskset -c "$c" "$BIN" "$SECONDS_EACH" >"$TMP/cpu$c" &
  done
  wait
  for ((c = 0; c < CPUS; c++)); do
    echo "cpu $c, all busy: $(cat "$TMP/cpu$c")"
  done
}
