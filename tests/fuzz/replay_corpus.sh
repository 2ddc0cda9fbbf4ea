#!/usr/bin/env bash
# ctest fuzz_corpus: runs each replay executable over its corpus directory.
#   replay_corpus.sh BINARY DIR [BINARY DIR ...]
# Fails when any target aborts (a property it asserts did not hold) or finds no input.
set -euo pipefail
[ $(($# % 2)) -eq 0 ] && [ $# -gt 0 ] || { echo "usage: $0 BINARY DIR [BINARY DIR ...]" >&2; exit 2; }
failed=0
while [ $# -gt 0 ]; do
    binary=$1 dir=$2
    shift 2
    "$binary" "$dir" || { echo "FAILED: $(basename "$binary") on $dir" >&2; failed=1; }
done
exit $failed
