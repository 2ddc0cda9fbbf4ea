#!/usr/bin/env bash
# Manager mode end to end: the hidden gesture, a wrong PIN then the right one, every tab (with a
# screenshot each), a staff rating, and a CSV export, all through real X input on the real window.
# Usage: manager_e2e.sh path/to/doorstep-kiosk OUTDIR [WxH]
set -euo pipefail
KIOSK=$(realpath "$1")
OUT=$2
SIZE=${3:-1280x800}
rm -rf "$OUT" && mkdir -p "$OUT"
source "$(dirname "$0")/lib.sh"
SURVEY=$(dirname "$0")/../../assets/surveys/default.json

# Head office's comment rule, as a sync would have left it: the simulated answers with a
# comment raise alerts here as they are stored.
mkdir -p "$OUT/data"
"$KIOSK" alerts --data-dir "$OUT/data" >/dev/null
sqlite3 "$OUT/data/kiosk.db" "INSERT INTO meta (key, value) VALUES ('alert_view',
    '{\"rules\": [{\"id\": 4, \"kind\": \"comment\", \"store\": \"\", \"door\": \"\"}], \"alerts\": []}')"
"$KIOSK" simulate --data-dir "$OUT/data" --responses 3000 --seed 11 --survey "$SURVEY" >/dev/null
printf '2468\n2468\n' | "$KIOSK" set-pin --data-dir "$OUT/data" >/dev/null || fail "set-pin failed"
start_xvfb "$SIZE"
start_kiosk --data-dir "$OUT/data" --export-dir "$OUT/usb"

pin() {
    for digit in $(echo "$1" | grep -o .); do
        tap pin pin_digit "$digit"
    done
    tap pin pin_ok 0
    sleep 0.5
}

echo "1. a short tap in the corner is a customer's tap; a long press opens the PIN pad"
xy=$(target attract manager_corner 0)
# shellcheck disable=SC2086
xdotool mousemove $xy mousedown 1 sleep 3.4 mouseup 1
sleep 0.5
screenshot manager-1-pin

echo "2. a wrong PIN is refused and says so; the right one opens manager mode"
pin 1111
screenshot manager-2-pin-wrong
[ "$(sql "SELECT value FROM meta WHERE key = 'manager_pin_lockout'" | cut -d' ' -f1)" = 1 ] ||
    fail "the wrong PIN was not counted"
pin 2468
screenshot manager-3-summary
[ "$(sql "SELECT value FROM meta WHERE key = 'manager_pin_lockout'" | cut -d' ' -f1)" = 0 ] ||
    fail "the right PIN did not reset the count"
grep -q 'msg="manager mode opened"' "$OUT/kiosk.log" || fail "manager mode did not open"

echo "3. every tab, over 28 days"
tap manager:summary period 2
screenshot manager-4-summary-28d
tap manager:summary tab 1
screenshot manager-5-heatmap
tap manager:heatmap tab 2
screenshot manager-6-comments
tap manager:comments toggle_negative 0
screenshot manager-7-comments-negative
tap manager:comments tab 4
screenshot manager-8-sync

echo "4. export to the 'USB stick' with progress"
tap manager:sync export 0
for _ in $(seq 1 100); do
    ls "$OUT"/usb/*.csv >/dev/null 2>&1 && break
    sleep 0.1
done
sleep 0.5
screenshot manager-9-exported
csv=$(ls "$OUT"/usb/*.csv | head -n 1)
[ -n "$csv" ] || fail "no export file"
head -n 1 "$csv" | grep -q '^seq,uuid,' || fail "export has no header"

echo "5. a staff rating is stored as staff and shows in the gap chart"
tap manager:sync tab 3
tap manager:staff staff_rating 0
screenshot manager-10-staff-rating
tap staff_need face 5
tap staff_need face 5
tap staff_need face 4
sleep 0.5
screenshot manager-11-staff-gap
[ "$(sql "SELECT count(*) FROM responses WHERE kind = 'staff'")" = 1 ] || fail "staff rating not stored"

echo "6. the store's alerts: one acknowledged with a short note"
raised=$(sql "SELECT count(*) FROM local_alerts")
[ "$raised" -gt 0 ] || fail "no alert was raised from the comment rule"
tap manager:staff tab 5
sleep 0.5
screenshot manager-12-alerts
tap manager:alerts alert_next 0
tap manager:alerts alert_note 0
screenshot manager-13-alert-noted
tap manager:alerts alert_acknowledge 0
sleep 0.5
screenshot manager-14-alert-acknowledged
[ "$(sql "SELECT act || '|' || note FROM alert_acts")" = "acknowledge|Spoke to the customer" ] ||
    fail "the acknowledgement was not stored: $(sql "SELECT * FROM alert_acts")"

echo "7. exit leaves nothing of manager mode on screen; staff see that alerts wait"
tap manager:alerts exit 0
sleep 0.5
screenshot manager-15-after-exit

echo "8. by keys alone: the PIN typed with arrows and Enter, a tab opened, Escape leaves"
xy=$(target attract manager_corner 0)
# shellcheck disable=SC2086
xdotool mousemove $xy mousedown 1 sleep 3.4 mouseup 1
sleep 0.5
# Focus starts on 1; 2, then 4 (down, left), 6 (right twice), 8 (down, left), 0 (down), OK.
xdotool key --delay 100 Tab Right Return Down Left Return Right Right Return Down Left Return
screenshot manager-16-pin-by-keys
xdotool key --delay 100 Down Right Return
sleep 0.5
[ "$(grep -c 'msg="manager mode opened"' "$OUT/kiosk.log")" = 2 ] ||
    fail "the PIN typed by keys did not open manager mode"
xdotool key --delay 100 Tab Right Right Return  # the comments tab
sleep 0.5
screenshot manager-17-comments-by-keys
xdotool key Escape
sleep 0.5
[ "$(grep -c 'msg="manager mode closed"' "$OUT/kiosk.log")" = 2 ] ||
    fail "Escape did not leave manager mode"
stop_kiosk
echo "manager_e2e: all checks passed; screenshots in $OUT"
