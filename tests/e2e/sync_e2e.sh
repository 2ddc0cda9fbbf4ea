#!/usr/bin/env bash
# Sync end to end, on real processes: a real doorstep-server on loopback with a real SQLite file,
# real kiosk stores, killed servers, a kiosk clock two hours off, and a fault-injecting proxy
# that drops, resets, stalls and trickles. Every answer must arrive exactly once.
# Usage: sync_e2e.sh doorstep-kiosk doorstep-server doorstep-fault-proxy OUTDIR
set -euo pipefail
KIOSK=$(realpath "$1")
SERVER=$(realpath "$2")
PROXY=$(realpath "$3")
OUT=$4
rm -rf "$OUT" && mkdir -p "$OUT"
source "$(dirname "$0")/sync_lib.sh"
SURVEY=$(dirname "$0")/../../assets/surveys/default.json
SERVER_PORT=$(free_port)
URL="http://127.0.0.1:$SERVER_PORT"

echo "1. 10,000 answers recorded offline arrive exactly once when head office comes back"
start_server
enroll "$OUT/k1" "$URL"
kill_server
"$KIOSK" simulate --data-dir "$OUT/k1" --responses 10000 --seed 1 --survey "$SURVEY" >/dev/null
"$KIOSK" sync --data-dir "$OUT/k1" --once --attempts 2 --backoff-base-ms 10 >>"$OUT/kiosk.log" 2>&1 &&
    fail "sync reported success with head office down"
[ "$(kiosk_sql "$OUT/k1" "SELECT count(*) FROM responses WHERE sync_state = 'pending'")" = 10000 ] ||
    fail "a failed sync changed row states"
start_server
"$KIOSK" sync --data-dir "$OUT/k1" --once >>"$OUT/kiosk.log" 2>&1 || fail "sync --once failed"
[ "$(kiosk_sql "$OUT/k1" "SELECT count(*) FROM responses WHERE sync_state = 'synced'")" = 10000 ] ||
    fail "not every row was acknowledged"
[ "$(server_count)" = 10000 ] || fail "server holds $(server_count) rows, expected 10000"
check_exactly_once "$OUT/k1"

echo "2. SIGKILL the server in the middle of a sync, restart it: nothing lost, nothing twice"
"$KIOSK" simulate --data-dir "$OUT/k1" --responses 5000 --seed 2 --survey "$SURVEY" >/dev/null
"$KIOSK" sync --data-dir "$OUT/k1" --once --batch-size 50 --attempts 3 --backoff-base-ms 50 \
    >>"$OUT/kiosk.log" 2>&1 &
SYNC=$!
for _ in $(seq 1 200); do
    synced=$(kiosk_sql "$OUT/k1" "SELECT count(*) FROM responses WHERE sync_state = 'synced'")
    [ "$synced" -gt 10500 ] && break
    sleep 0.05
done
kill_server
wait "$SYNC" && fail "sync claimed success while the server was killed" || true
pending=$(kiosk_sql "$OUT/k1" "SELECT count(*) FROM responses WHERE sync_state = 'pending'")
[ "$pending" -gt 0 ] || fail "the server was killed too late to test anything"
start_server
[ "$(sqlite3 "$OUT/server.db" "PRAGMA integrity_check")" = ok ] || fail "server database damaged"
"$KIOSK" sync --data-dir "$OUT/k1" --once >>"$OUT/kiosk.log" 2>&1 || fail "sync after restart failed"
check_exactly_once "$OUT/k1"

echo "3. a kiosk whose clock is two hours behind is corrected through the server's time"
enroll "$OUT/k2" "$URL"
"$KIOSK" simulate --data-dir "$OUT/k2" --responses 20 --seed 3 --survey "$SURVEY" >/dev/null
kiosk_sql "$OUT/k2" "UPDATE meta SET value = '0' WHERE key = 'clock_offset_ms'"
# Only the wall clock: a terminal's boot clock does not jump with it.
FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f '-2h' "$KIOSK" sync --data-dir "$OUT/k2" --once \
    >>"$OUT/kiosk.log" 2>&1 || fail "sync with a clock 2 h behind failed"
offset=$(kiosk_sql "$OUT/k2" "SELECT value FROM meta WHERE key = 'clock_offset_ms'")
[ "$offset" -gt 7000000 ] && [ "$offset" -lt 7400000 ] || fail "clock offset not corrected: $offset"
grep -q 'corrected the clock offset' "$OUT/kiosk.log" || fail "no clock correction was logged"
# The clock went wrong after the answers were taken: head office keeps their stamps.
check_dated "$OUT/k2" "1 20 0"
check_exactly_once "$OUT/k1" "$OUT/k2"

echo "4. through a proxy that drops answers after commit, resets, stalls and trickles"
enroll "$OUT/k3" "$URL"
"$KIOSK" simulate --data-dir "$OUT/k3" --responses 3000 --seed 4 --survey "$SURVEY" >/dev/null
"$PROXY" --listen 127.0.0.1:0 --port-file "$OUT/proxy.port" --upstream "127.0.0.1:$SERVER_PORT" \
    --plan "drop_response,pass,reset,reset_mid_response,stall:4000,drop_response,trickle:20000,close_after_down:30,status:503:1,pass" \
    --stats "$OUT/proxy-stats.json" >>"$OUT/proxy.log" 2>&1 &
SYNC_PIDS+=($!)
for _ in $(seq 1 100); do [ -s "$OUT/proxy.port" ] && break; sleep 0.05; done
[ -s "$OUT/proxy.port" ] || fail "fault proxy did not start"
# Point k3 at the proxy: its identity file names the server.
jq --arg url "http://127.0.0.1:$(cat "$OUT/proxy.port")" '.server_url = $url' "$OUT/k3/device.json" \
    >"$OUT/k3/device.json.new" && mv "$OUT/k3/device.json.new" "$OUT/k3/device.json"
chmod 600 "$OUT/k3/device.json"
for round in $(seq 1 20); do
    if "$KIOSK" sync --data-dir "$OUT/k3" --once --batch-size 200 --attempts 20 --timeout 3 \
        --connect-timeout 2 --backoff-base-ms 20 >>"$OUT/kiosk.log" 2>&1; then
        break
    fi
    [ "$round" = 20 ] && fail "sync through the proxy never completed"
done
[ "$(kiosk_sql "$OUT/k3" "SELECT count(*) FROM responses WHERE sync_state <> 'synced'")" = 0 ] ||
    fail "rows left unsynced behind the proxy"
check_exactly_once "$OUT/k1" "$OUT/k2" "$OUT/k3"
jq -e '.behaviours.drop_response >= 1 and .behaviours.reset >= 1' "$OUT/proxy-stats.json" >/dev/null ||
    fail "the proxy did not inject the planned faults: $(cat "$OUT/proxy-stats.json")"
echo "sync_e2e: all checks passed ($(server_count) answers on the server, each once)"
