#!/usr/bin/env bash
# Kiosk benchmarks under Xvfb: start to first frame, RSS after start, idle CPU on the attract
# screen, and RSS after N responses tapped through the real input path (--autopilot).
# Usage: bench/kiosk_bench.sh path/to/doorstep-kiosk [IDLE_SECONDS] [RESPONSES]
set -euo pipefail
KIOSK=$(realpath "$1")
IDLE_SECONDS=${2:-30}
RESPONSES=${3:-10000}
OUT=$(mktemp -d)
source "$(dirname "$0")/../tests/e2e/lib.sh"
SIZE=1280x800
start_xvfb "$SIZE"

ticks_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_of() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

launched_ms=$(date +%s%3N)
start_kiosk --data-dir "$OUT/data" --survey "$(dirname "$0")/../assets/surveys/default.json"
first_frame_ms=$(grep -o 'msg="first frame" realtime_ms=[0-9]*' "$OUT/kiosk.log" | grep -o '[0-9]*$')
echo "start_to_first_frame_ms=$((first_frame_ms - launched_ms))"
echo "rss_after_start_kb=$(rss_of "$KIOSK_PID")"

sleep 3  # let start-up work settle before measuring idle
hz=$(getconf CLK_TCK)
t0=$(ticks_of "$KIOSK_PID")
sleep "$IDLE_SECONDS"
t1=$(ticks_of "$KIOSK_PID")
awk -v d=$((t1 - t0)) -v hz="$hz" -v s="$IDLE_SECONDS" \
    'BEGIN { printf "idle_cpu_percent_of_one_core=%.2f (over %d s)\n", 100 * d / (hz * s), s }'
stop_kiosk

: >"$OUT/kiosk.log"
"$KIOSK" --data-dir "$OUT/autopilot" --windowed 800x480 --autopilot "$RESPONSES" 2>>"$OUT/kiosk.log"
grep -o 'msg="autopilot finished".*' "$OUT/kiosk.log"
start_rss=$(grep -o 'msg="first frame" realtime_ms=[0-9]* rss_kb=[0-9]*' "$OUT/kiosk.log" | grep -o '[0-9]*$')
end_rss=$(grep -o 'msg="autopilot finished" responses=[0-9]* rss_kb=[0-9]*' "$OUT/kiosk.log" | grep -o '[0-9]*$')
echo "rss_first_frame_kb=$start_rss rss_after_${RESPONSES}_responses_kb=$end_rss"
echo "stored=$(sqlite3 "$OUT/autopilot/kiosk.db" "SELECT count(*) FROM responses WHERE status = 'completed'")"
rm -rf "$OUT"
