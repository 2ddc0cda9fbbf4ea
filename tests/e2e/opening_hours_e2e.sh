#!/usr/bin/env bash
# Opening hours on the real window with real X taps: the kiosk's wall clock is put on a Monday
# evening after closing (libfaketime; the boot clock stays real so the loop's sleeps do), where
# the screen must be dimmed, not black, and a whole customer's worth of taps must store nothing
# in the real SQLite file, while the manager's corner still opens manager mode. The same taps in
# opening hours store one response, so the first check cannot pass by tapping nowhere.
# Usage: opening_hours_e2e.sh path/to/doorstep-kiosk OUTDIR [WxH]
set -euo pipefail
REAL_KIOSK=$(realpath "$1")
OUT=$2
SIZE=${3:-1280x800}
rm -rf "$OUT" && mkdir -p "$OUT"
source "$(dirname "$0")/lib.sh"
HOURS="mon-fri 08:00-20:00; sat 09:00-17:00; sun closed"
export TZ=UTC FAKETIME_DONT_FAKE_MONOTONIC=1

# kiosk_at CLOCK: points KIOSK at a wrapper that runs the kiosk with its wall clock from CLOCK.
kiosk_at() {
    KIOSK="$OUT/kiosk-at"
    printf '#!/bin/sh\nexec faketime -f "%s" "%s" "$@"\n' "$1" "$REAL_KIOSK" >"$KIOSK"
    chmod +x "$KIOSK"
}

# a_customer: every tap of one response, at the places the open screens have them.
a_customer() {
    tap attract access 0
    tap attract start 0
    answer_questions 8
    sleep 0.5
}

echo "1. the CLI refuses bad hours by name"
set +e
message=$("$REAL_KIOSK" --opening-hours "mon-fri 08:00-20:00; sat 9-17" 2>&1)
code=$?
set -e
[ "$code" = 2 ] || fail "bad --opening-hours exited $code, not 2"
grep -q 'rule 2 "sat 9-17"' <<<"$message" || fail "the message does not name the rule: $message"

echo "2. Monday 22:00: closed, dimmed; a customer's taps store nothing"
printf '2468\n2468\n' | "$REAL_KIOSK" set-pin --data-dir "$OUT/data" >/dev/null || fail "set-pin failed"
kiosk_at "@2026-12-07 22:00:00"
start_xvfb "$SIZE"
start_kiosk --data-dir "$OUT/data" --opening-hours "$HOURS" --idle-timeout 5
screenshot closed
brightness=$(convert "$OUT/closed.png" -colorspace Gray -format '%[fx:mean]' info:)
awk -v b="$brightness" 'BEGIN { exit !(b > 0.08 && b < 0.4) }' ||
    fail "the closed screen should be dimmed, not black nor bright (mean $brightness)"
a_customer
sleep 6  # past the idle timeout: an answer in progress would be stored as abandoned now
[ "$(sql "SELECT count(*) FROM responses")" = 0 ] || fail "taps while closed were recorded"
screenshot closed-after-taps
cmp -s <(convert "$OUT/closed.png" rgb:-) <(convert "$OUT/closed-after-taps.png" rgb:-) ||
    fail "the taps changed the closed screen"

echo "3. while closed the manager's corner still opens manager mode"
xy=$(target closed manager_corner 0)
# shellcheck disable=SC2086
xdotool mousemove $xy mousedown 1 sleep 3.4 mouseup 1
sleep 0.5
for digit in 2 4 6 8; do
    tap pin pin_digit "$digit"
done
tap pin pin_ok 0
sleep 0.5
grep -q 'msg="manager mode opened"' "$OUT/kiosk.log" || fail "manager mode did not open while closed"
stop_kiosk
[ "$(sql "SELECT count(*) FROM responses")" = 0 ] || fail "something was recorded while closed"

echo "4. Monday 10:00: open, and the same taps store one response"
kiosk_at "@2026-12-07 10:00:00"
start_kiosk --data-dir "$OUT/data" --opening-hours "$HOURS"
a_customer
stop_kiosk
stop_xvfb
[ "$(sql "SELECT count(*) FROM responses WHERE status = 'completed'")" = 1 ] ||
    fail "the same taps in opening hours stored no response"
echo "opening hours: closed screen dimmed, taps while closed stored nothing, manager mode reachable"
