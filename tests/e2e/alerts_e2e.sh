#!/usr/bin/env bash
# A terminal's alerts end to end, with the real kiosk and server binaries: head office's rule
# reaches the terminal at a sync; offline, the terminal raises alerts for its own answers and
# its manager acknowledges one; back online, head office holds each alert once, with the
# manager's act, and what head office then does comes back to the terminal.
# Usage: alerts_e2e.sh KIOSK SERVER OUT
set -euo pipefail
KIOSK=$1
SERVER=$2
OUT=$3
rm -rf "$OUT"
mkdir -p "$OUT"
source "$(dirname "$0")/sync_lib.sh"

SERVER_PORT=$(free_port)
url="http://127.0.0.1:$SERVER_PORT"
db="sqlite:$OUT/server.db"
dir="$OUT/kiosk"
start_server
"$SERVER" alert-rule add --db "$db" --kind comment --store lisbon >"$OUT/rule.json" 2>>"$OUT/server.log" ||
    fail "alert-rule add"
rule=$(jq -r .id "$OUT/rule.json")
code=$("$SERVER" enroll --db "$db" --store lisbon --door checkout 2>>"$OUT/server.log")
"$KIOSK" enroll --data-dir "$dir" --server "$url" --code "$code" >>"$OUT/kiosk.log" 2>&1 ||
    fail "kiosk enroll"
"$KIOSK" sync --data-dir "$dir" --once >>"$OUT/kiosk.log" 2>&1 || fail "first sync"
[ "$("$KIOSK" alerts --data-dir "$dir")" = "no alerts" ] || fail "alerts before any answer"

# Offline: answers with comments raise alerts here, from the rule the terminal keeps.
stop_server
"$KIOSK" simulate --data-dir "$dir" --responses 30 --door checkout --seed 7 \
    >>"$OUT/kiosk.log" 2>&1 || fail "simulate"
commented=$(sqlite3 "$dir/kiosk.db" \
    "SELECT count(*) FROM responses WHERE comment IS NOT NULL AND kind = 'customer' AND suspect_reason IS NULL")
[ "$commented" -gt 0 ] || fail "the simulated answers hold no comment"
"$KIOSK" alerts --data-dir "$dir" >"$OUT/offline.txt"
[ "$(grep -c 'not yet at head office' "$OUT/offline.txt")" = "$commented" ] ||
    fail "expected $commented alerts raised offline: $(cat "$OUT/offline.txt")"
first=$(head -n 1 "$OUT/offline.txt" | cut -d' ' -f1)
case "$first" in l"$rule":*) ;; *) fail "a terminal's alert is keyed by rule and answer: $first" ;; esac
"$KIOSK" alerts --data-dir "$dir" --acknowledge "$first" --note "Spoke to her" \
    >>"$OUT/kiosk.log" 2>&1 || fail "acknowledge offline"
grep -q "^$first *acknowledged" <("$KIOSK" alerts --data-dir "$dir") ||
    fail "the acknowledgement does not show on the terminal"

# Online again: the answers and the alerts go; head office's scan of the same answers adds none.
start_server
"$KIOSK" sync --data-dir "$dir" --once >>"$OUT/kiosk.log" 2>&1 || fail "sync after offline"
sleep 3
"$SERVER" alerts list --db "$db" --state all >"$OUT/server-alerts.json" 2>>"$OUT/server.log"
[ "$(jq '.alerts | length' "$OUT/server-alerts.json")" = "$commented" ] ||
    fail "head office should hold $commented alerts: $(jq -c '.alerts | map(.id)' "$OUT/server-alerts.json")"
[ "$(jq '[.alerts[] | select(.source == "kiosk")] | length' "$OUT/server-alerts.json")" = "$commented" ] ||
    fail "every alert should be the terminal's own"
acked=$(jq -c '[.alerts[] | select(.state == "acknowledged")]' "$OUT/server-alerts.json")
[ "$(jq length <<<"$acked")" = 1 ] || fail "one alert acknowledged at head office: $acked"
[ "$(jq -r '.[0].acknowledged.note' <<<"$acked")" = "Spoke to her" ] || fail "the note: $acked"
[ "$(jq -r '.[0].acknowledged.by' <<<"$acked")" = "manager at lisbon / checkout" ] ||
    fail "who: $acked"
"$KIOSK" alerts --data-dir "$dir" >"$OUT/online.txt"
! grep -q 'not yet at head office' "$OUT/online.txt" || fail "still unsynced: $(cat "$OUT/online.txt")"
id=$(jq -r '.[0].id' <<<"$acked")
grep -q "^s$id *acknowledged" "$OUT/online.txt" || fail "head office's copy is not shown"

# Head office resolves it; the terminal hears at its next sync.
"$SERVER" alerts resolve --db "$db" "$id" --note "Called back" --by ana >>"$OUT/server.log" 2>&1 ||
    fail "resolve at head office"
"$KIOSK" sync --data-dir "$dir" --once >>"$OUT/kiosk.log" 2>&1 || fail "sync after resolve"
grep -q "^s$id *resolved" <("$KIOSK" alerts --data-dir "$dir") || fail "the resolution did not come back"
"$KIOSK" alerts --data-dir "$dir" --resolve s999999 2>"$OUT/bad.txt" && fail "an unknown key was taken"
grep -q "no alert s999999 here" "$OUT/bad.txt" || fail "the refusal names the key: $(cat "$OUT/bad.txt")"
echo "alerts e2e: ok"
