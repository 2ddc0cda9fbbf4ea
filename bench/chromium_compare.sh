#!/usr/bin/env bash
# doorstep-kiosk against the same survey as a web page in Chromium's kiosk mode, on one Xvfb
# screen in one run: memory of the whole process tree, start to first frame, idle CPU on the
# attract screen. One after the other, never both at once, so neither steals the other's cores.
# Usage: bench/chromium_compare.sh [IDLE_SECONDS] [KIOSK_BINARY]
#   env DOORSTEP_RESULTS=FILE  append markdown rows to FILE
#   env SCREENSHOT_DIR=DIR     keep a screenshot of each attract screen there
#   env ATTRACT_STEP_MS=N      the page's attract wave pace (default 4000, see docs/benchmarks.md)
#   env SETTLE_SECONDS=N       wait after the first frame before measuring (default 10)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
IDLE_SECONDS=${1:-30}
KIOSK=$(realpath "${2:-$ROOT/build/kiosk/doorstep-kiosk}")
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
ATTRACT_STEP_MS=${ATTRACT_STEP_MS:-4000}
SETTLE_SECONDS=${SETTLE_SECONDS:-10}
SIZE=1280x800
OUT=$(mktemp -d)
source "$ROOT/tests/e2e/lib.sh"

CHROMIUM_PID=
PROFILE=$OUT/chromium-profile

# Every process whose command line names the throwaway profile: Chromium's browser, zygotes,
# renderers, GPU and utility processes, including any that left the browser's process tree.
chromium_pids() {
    local pid
    for pid in $(pgrep -f -- "--user-data-dir=$PROFILE" || true); do
        echo "$pid"
    done
}

stop_chromium() {
    [ -n "$CHROMIUM_PID" ] || return 0
    kill -TERM -- "-$CHROMIUM_PID" 2>/dev/null || true  # its own process group (setsid)
    for _ in $(seq 1 50); do
        [ -z "$(chromium_pids)" ] && break
        sleep 0.1
    done
    kill -KILL -- "-$CHROMIUM_PID" 2>/dev/null || true
    local pid
    for pid in $(chromium_pids); do kill -KILL "$pid" 2>/dev/null || true; done
    wait "$CHROMIUM_PID" 2>/dev/null || true
    CHROMIUM_PID=
}

cleanup() {
    stop_chromium
    e2e_cleanup
    rm -rf "$OUT"
}
trap cleanup EXIT

# A process and all its descendants.
descendants_and_self() {
    local root=$1
    ps -e -o pid=,ppid= | awk -v root="$root" '
        { parent[$1] = $2; pids[NR] = $1 }
        END {
            keep[root] = 1; changed = 1
            while (changed) {
                changed = 0
                for (i in pids) { p = pids[i]; if (!(p in keep) && (parent[p] in keep)) { keep[p] = 1; changed = 1 } }
            }
            for (p in keep) print p
        }'
}

tree_of() {  # tree_of PID: the process tree to measure (for Chromium, also by its profile)
    {
        descendants_and_self "$1"
        if [ "$1" = "$CHROMIUM_PID" ]; then chromium_pids; fi
    } | sort -un
}

# Sum of a field (Rss or Pss, kB) of /proc/PID/smaps_rollup over the tree.
tree_kb() {
    local field=$1 root=$2 pid total=0 kb
    for pid in $(tree_of "$root"); do
        kb=$(awk -v f="$field:" '$1 == f {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || true)
        total=$((total + ${kb:-0}))
    done
    echo "$total"
}

# "PID TICKS" (utime + stime) for each process of the tree. Fields counted after the last ')',
# since a process name may hold spaces.
tree_ticks() {
    local pid
    for pid in $(tree_of "$1"); do
        sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | awk -v pid="$pid" '{print pid, $12 + $13}' || true
    done
}

ticks_of() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }

# idle_ticks PID: CPU ticks the tree spends over IDLE_SECONDS; a process born meanwhile counts
# from zero. Prints "TREE_TICKS XVFB_TICKS".
idle_ticks() {
    local root=$1 before after xvfb_before xvfb_after
    before=$(tree_ticks "$root")
    xvfb_before=$(ticks_of "${E2E_PIDS[0]}")
    sleep "$IDLE_SECONDS"
    after=$(tree_ticks "$root")
    xvfb_after=$(ticks_of "${E2E_PIDS[0]}")
    awk -v xvfb=$((xvfb_after - xvfb_before)) 'NR == FNR { t0[$1] = $2; next }
        { sum += $2 - ($1 in t0 ? t0[$1] : 0) } END { print sum + 0, xvfb }' \
        <(echo "$before") <(echo "$after")
}

declare -A result  # result[NAME.MEASURE], NAME = kiosk | chromium

measure() {  # measure NAME ROOT_PID: memory, then idle CPU, then a screenshot
    local name=$1 root=$2 ticks xvfb_ticks
    sleep "$SETTLE_SECONDS"
    result[$name.processes]=$(tree_of "$root" | wc -l)
    result[$name.pss_kb]=$(tree_kb Pss "$root")
    result[$name.rss_kb]=$(tree_kb Rss "$root")
    read -r ticks xvfb_ticks < <(idle_ticks "$root")
    result[$name.idle_ticks]=$ticks
    result[$name.xvfb_ticks]=$xvfb_ticks
    if [ -n "${SCREENSHOT_DIR:-}" ]; then
        mkdir -p "$SCREENSHOT_DIR"
        import -window root "$SCREENSHOT_DIR/$name.png"
    fi
}

start_xvfb "$SIZE"

# --- doorstep-kiosk, full screen, as bench/kiosk_bench.sh runs it.
launched_ms=$(date +%s%3N)
start_kiosk --data-dir "$OUT/kiosk-data" --survey "$ROOT/assets/surveys/default.json"
first_frame_ms=$(grep -o 'msg="first frame" realtime_ms=[0-9]*' "$OUT/kiosk.log" | grep -o '[0-9]*$')
result[kiosk.start_ms]=$((first_frame_ms - launched_ms))
measure kiosk "$KIOSK_PID"
stop_kiosk

# --- the page in Chromium's kiosk mode, its survey data generated from the same definition.
PAGE=$OUT/html-survey
cp -r "$ROOT/bench/html-survey" "$PAGE"
{ printf 'const SURVEY = '; cat "$ROOT/assets/surveys/default.json"; printf ';\n'; } >"$PAGE/survey-data.js"
# shellcheck disable=SC2054  # the commas belong to --window-position and --window-size
chromium_flags=(--kiosk --no-first-run --disable-background-networking --disable-component-update
    --disable-sync "--user-data-dir=$PROFILE" --window-position=0,0 "--window-size=${SIZE/x/,}"
    --password-store=basic)
[ "$(id -u)" -eq 0 ] && chromium_flags+=(--no-sandbox)  # Chromium refuses to run as root otherwise
launched_ms=$(date +%s%3N)
setsid "$CHROMIUM" "${chromium_flags[@]}" "file://$PAGE/index.html?step_ms=$ATTRACT_STEP_MS" \
    >"$OUT/chromium.log" 2>&1 &
CHROMIUM_PID=$!
title=
for _ in $(seq 1 600); do
    title=$(xdotool search --name '^doorstep-first-frame ' getwindowname 2>/dev/null | head -n 1 || true)
    [ -n "$title" ] && break
    kill -0 "$CHROMIUM_PID" 2>/dev/null || { tail -20 "$OUT/chromium.log" >&2; fail "chromium exited"; }
    sleep 0.1
done
[ -n "$title" ] || { tail -20 "$OUT/chromium.log" >&2; fail "the page showed no first frame within 60 s"; }
# The window is named "TITLE - Chromium".
page_first_frame_ms=$(grep -o 'doorstep-first-frame [0-9]*' <<<"$title" | grep -o '[0-9]*$')
result[chromium.start_ms]=$((page_first_frame_ms - launched_ms))
measure chromium "$CHROMIUM_PID"
stop_chromium

# --- report
hz=$(getconf CLK_TCK)
percent() { awk -v t="$1" -v hz="$hz" -v s="$IDLE_SECONDS" 'BEGIN { printf "%.2f", 100 * t / (hz * s) }'; }
mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.3f", a / b }'; }
row() {  # row MEASURE KEY FORMAT GOAL: "measure|doorstep|chromium|ratio|goal"
    local key=$2 format=$3
    echo "$1|$($format "${result[kiosk.$key]}")|$($format "${result[chromium.$key]}")|$(ratio "${result[kiosk.$key]}" "${result[chromium.$key]}")|$4"
}
as_is() { echo "$1"; }
rows=(
    "$(row "PSS of the process tree (MB)" pss_kb mb "≤ 0.2")"
    "$(row "RSS summed over the process tree (MB)" rss_kb mb "≤ 0.2")"
    "$(row "start to first frame (ms)" start_ms as_is "≤ 0.2")"
    "$(row "idle CPU on the attract screen, ${IDLE_SECONDS} s (% of one core)" idle_ticks percent "doorstep ≤ 1 %")"
    "$(row "Xvfb's CPU meanwhile (% of one core)" xvfb_ticks percent "")"
)
echo "screen $SIZE, settle ${SETTLE_SECONDS} s, page wave step ${ATTRACT_STEP_MS} ms," \
     "processes measured: doorstep ${result[kiosk.processes]}, chromium ${result[chromium.processes]}"
for row in "${rows[@]}"; do
    IFS='|' read -r measure doorstep chromium ratio goal <<<"$row"
    echo "$measure: doorstep $doorstep, chromium $chromium, ratio $ratio${goal:+ (goal $goal)}"
    if [ -n "${DOORSTEP_RESULTS:-}" ]; then
        echo "| vs Chromium | $measure | $doorstep / $chromium ($ratio) | $goal |" >>"$DOORSTEP_RESULTS"
    fi
done
