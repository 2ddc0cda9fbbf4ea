#!/usr/bin/env bash
# Clock jumps on the terminal, on real processes: a real doorstep-server on loopback and real
# kiosk stores whose wall clock libfaketime moves (its boot clock stays the kernel's, as on a
# real terminal). Answers are taken with the clock three days slow, right, a year fast, and sent
# with it at 2000; then answers from before a restart, when only the wall clock is left to go
# by. Every answer must arrive once, in sequence, and head office must date it when it truly
# happened (docs/protocol.md, "Dating answers").
# Usage: clock_jumps_e2e.sh doorstep-kiosk doorstep-server OUTDIR
set -euo pipefail
KIOSK=$(realpath "$1")
SERVER=$(realpath "$2")
OUT=$3
rm -rf "$OUT" && mkdir -p "$OUT"
source "$(dirname "$0")/sync_lib.sh"
SURVEY=$(dirname "$0")/../../assets/surveys/default.json
SERVER_PORT=$(free_port)
URL="http://127.0.0.1:$SERVER_PORT"
DAY_MS=86400000
export FAKETIME_DONT_FAKE_MONOTONIC=1  # the wall clock jumps; the boot clock never does

# at CLOCK COMMAND...: runs a kiosk command with its wall clock at CLOCK ("-3d", "+365d",
# "@2000-01-01 00:00:00"), or as it is ("now").
at() {
    local clock=$1
    shift
    if [ "$clock" = now ]; then
        "$KIOSK" "$@"
    else
        faketime -f "$clock" "$KIOSK" "$@"
    fi
}

# take DIR CLOCK SEED: 20 answers recorded with the wall clock at CLOCK.
take() {
    at "$2" simulate --data-dir "$1" --responses 20 --seed "$3" --survey "$SURVEY" >/dev/null ||
        fail "simulate with the clock at $2 failed"
}

# sync_at DIR CLOCK: one sync with the wall clock at CLOCK (head office corrects the signing
# offset on the first refusal).
sync_at() {
    at "$2" sync --data-dir "$1" --once >>"$OUT/kiosk.log" 2>&1 || fail "sync with the clock at $2 failed"
}

start_server
T0_MS=$(($(date +%s%3N)))

echo "1. answers taken with the clock 3 days slow, right, then a year fast; sent at 2000"
enroll "$OUT/k1" "$URL"
take "$OUT/k1" -3d 1
take "$OUT/k1" now 2
take "$OUT/k1" +365d 3
# The stamps jumped back and forth; the sequence is the order they were taken in.
[ "$(kiosk_sql "$OUT/k1" "SELECT group_concat(seq) FROM (SELECT seq FROM responses ORDER BY seq)")" = \
    "$(seq -s, 1 60)" ] || fail "the kiosk's sequence has holes"
sync_at "$OUT/k1" "@2000-01-01 00:00:00"
[ "$(kiosk_sql "$OUT/k1" "SELECT count(*) FROM responses WHERE sync_state = 'synced'")" = 60 ] ||
    fail "not every answer was acknowledged"
check_dated "$OUT/k1" "1 20 -3*$DAY_MS" "21 40 0" "41 60 365*$DAY_MS"
# The kiosk keeps its own stamps: they are what it measured.
[ "$(kiosk_sql "$OUT/k1" "SELECT count(*) FROM responses WHERE seq > 40 AND ended_at_ms > $T0_MS + 300*$DAY_MS")" = 20 ] ||
    fail "the kiosk's own stamps changed"

echo "2. after a restart (no boot-clock age): a clock still 5 h slow is corrected"
enroll "$OUT/k2" "$URL"
take "$OUT/k2" -5h 4
kiosk_sql "$OUT/k2" "UPDATE responses SET boot_id = 'an-earlier-boot'"
sync_at "$OUT/k2" -5h
check_dated "$OUT/k2" "1 20 -5*3600000"

echo "3. after a restart with a flat clock battery (2000): stamps made before it stand"
enroll "$OUT/k3" "$URL"
take "$OUT/k3" now 5
kiosk_sql "$OUT/k3" "UPDATE responses SET boot_id = 'an-earlier-boot'"
sync_at "$OUT/k3" "@2000-01-01 00:00:00"
check_dated "$OUT/k3" "1 20 0"

echo "4. nothing is lost or doubled, and every date head office holds is a sensible one"
check_exactly_once "$OUT/k1" "$OUT/k2" "$OUT/k3"
now_ms=$(date +%s%3N)
outside=$(sqlite3 -batch -noheader "$OUT/dates.db" "
    SELECT count(*) FROM server
    WHERE round((julianday(ended_at) - 2440587.5) * 86400000) NOT BETWEEN
          $T0_MS - 40*$DAY_MS AND $now_ms")
[ "$outside" = 0 ] || fail "$outside answers are dated outside the weeks the test simulated"
echo "clock jumps: 100 answers, each dated when it happened"
