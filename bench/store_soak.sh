#!/usr/bin/env bash
# Soak of the store path: ANSWERS answers (default 1,000,000) go through the kiosk's store one
# transaction each, as the window commits them (`doorstep-kiosk simulate --batch-size 1`), while
# this script samples the process's resident memory and open file descriptors. Goals: RSS grows
# by at most 1 MB after the warm-up (SQLite's page cache fills first), and no descriptor leaks;
# every answer is stored, and the file passes PRAGMA integrity_check.
# Usage: bench/store_soak.sh path/to/doorstep-kiosk [ANSWERS] [SAMPLE_S] [WARMUP_S]
# When DOORSTEP_RESULTS names a file, appends the results to it as markdown table rows.
set -euo pipefail
KIOSK=$(realpath "$1")
ANSWERS=${2:-1000000}
SAMPLE_S=${3:-10}
WARMUP_S=${4:-60}
OUT=$(mktemp -d)
source "$(dirname "$0")/../tests/e2e/lib.sh"
source "$(dirname "$0")/soak_lib.sh"

"$KIOSK" simulate --data-dir "$OUT/data" --responses "$ANSWERS" --batch-size 1 \
    >/dev/null 2>>"$OUT/kiosk.log" &
SIMULATE_PID=$!
E2E_PIDS+=("$SIMULATE_PID")
sample_until_exit "$SIMULATE_PID" "$SAMPLE_S"
wait "$SIMULATE_PID" || fail "simulate exited with an error: $(tail -3 "$OUT/kiosk.log")"
stored=$(sqlite3 "$OUT/data/kiosk.db" "SELECT count(*) FROM responses")
[ "$stored" -eq "$ANSWERS" ] || fail "$ANSWERS answers written, $stored stored"
integrity=$(sqlite3 "$OUT/data/kiosk.db" "PRAGMA integrity_check")
[ "$integrity" = ok ] || fail "integrity_check: $integrity"
report_growth "store soak" "$stored" "$WARMUP_S"
rm -rf "$OUT"
