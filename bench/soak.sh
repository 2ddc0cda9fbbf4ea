#!/usr/bin/env bash
# Soak: the real kiosk window under Xvfb answers RESPONSES customers by itself (--autopilot, the
# real input path), for as long as that takes, while this script samples its resident memory and
# open file descriptors every SAMPLE_S seconds. Memory is compared from the first sample after
# WARMUP_S (fonts, textures and SQLite's page cache settle first) to the last, and so are the
# open descriptors. Goals: RSS grows by at most 1 MB, and no descriptor leaks.
# Usage: bench/soak.sh path/to/doorstep-kiosk [RESPONSES] [SAMPLE_S] [WARMUP_S]
# When DOORSTEP_RESULTS names a file, appends the results to it as markdown table rows.
set -euo pipefail
KIOSK=$(realpath "$1")
RESPONSES=${2:-1000000}
SAMPLE_S=${3:-30}
WARMUP_S=${4:-120}
OUT=$(mktemp -d)
source "$(dirname "$0")/../tests/e2e/lib.sh"
source "$(dirname "$0")/soak_lib.sh"
start_xvfb 800x480

"$KIOSK" --data-dir "$OUT/data" --windowed 800x480 --autopilot "$RESPONSES" \
    2>>"$OUT/kiosk.log" &
KIOSK_PID=$!
E2E_PIDS+=("$KIOSK_PID")
sample_until_exit "$KIOSK_PID" "$SAMPLE_S"
wait "$KIOSK_PID" || fail "the kiosk exited with an error: $(tail -3 "$OUT/kiosk.log")"
grep -q 'msg="autopilot finished"' "$OUT/kiosk.log" || fail "the autopilot did not finish"
stored=$(sqlite3 "$OUT/data/kiosk.db" "SELECT count(*) FROM responses")
report_growth soak "$stored" "$WARMUP_S"
stop_xvfb
rm -rf "$OUT"
