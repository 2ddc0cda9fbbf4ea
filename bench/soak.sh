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
start_xvfb 800x480

"$KIOSK" --data-dir "$OUT/data" --windowed 800x480 --autopilot "$RESPONSES" \
    2>>"$OUT/kiosk.log" &
KIOSK_PID=$!
E2E_PIDS+=("$KIOSK_PID")
started=$(date +%s)
: >"$OUT/samples.txt"
while kill -0 "$KIOSK_PID" 2>/dev/null; do
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$KIOSK_PID/status" 2>/dev/null || true)
    fds=$(find "/proc/$KIOSK_PID/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
    [ -n "$rss" ] && echo "$(($(date +%s) - started)) $rss $fds" >>"$OUT/samples.txt"
    sleep "$SAMPLE_S"
done
wait "$KIOSK_PID" || fail "the kiosk exited with an error: $(tail -3 "$OUT/kiosk.log")"
grep -q 'msg="autopilot finished"' "$OUT/kiosk.log" || fail "the autopilot did not finish"
stored=$(sqlite3 "$OUT/data/kiosk.db" "SELECT count(*) FROM responses")
read -r first_s first_rss first_fds < <(awk -v w="$WARMUP_S" '$1 >= w' "$OUT/samples.txt" | head -1)
read -r last_s last_rss last_fds < <(tail -1 "$OUT/samples.txt")
[ -n "${first_rss:-}" ] || fail "the run ended before the warm-up did; give more responses"
growth_kb=$((last_rss - first_rss))
echo "soak responses=$RESPONSES stored=$stored seconds=$last_s rss_kb $first_rss (at ${first_s} s)" \
    "-> $last_rss growth_kb=$growth_kb fds $first_fds -> $last_fds"
if [ -n "${DOORSTEP_RESULTS:-}" ]; then
    {
        echo "| soak | RSS growth over $stored answers, ${last_s} s (after ${WARMUP_S} s warm-up) | $growth_kb kB | ≤ 1 MB |"
        echo "| soak | open file descriptors, after the warm-up / at the end | $first_fds / $last_fds | no leak |"
    } >>"$DOORSTEP_RESULTS"
fi
stop_xvfb
rm -rf "$OUT"
