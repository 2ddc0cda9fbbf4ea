#!/usr/bin/env bash
# Tap to alert mail, end to end on loopback: from a customer's last tap on a terminal to head
# office's alert mail accepted by an SMTP server, over ALERTS answers spread over time.
#   - a real `doorstep-server serve` with SQLite, a `comment` alert rule for every store (mail
#     on) and one mail recipient per store, mailing through
#   - a real SMTP server (bench/tap_to_mail.py sink, Debian's python3-aiosmtpd) that notes when
#     it accepts each mail and which answer the mail names;
#   - KIOSKS real enrolled kiosk data directories (`doorstep-kiosk enroll`), 10 stores, driven by
#     bench-tap-to-mail: the window's store path and the real uploader of each terminal, woken
#     every SYNC_MS (0: at each stored answer, as the window does); every answer has a comment
#     naming it, so every answer opens one alert and one mail.
# Prints the table of bench/tap_to_mail.py report: p50 / p99 / max of tap to mail accepted, and
# of each stage in between, read from head office's database.
# Usage: bench/tap_to_mail.sh BUILD_DIR [ALERTS] [PER_SECOND] [KIOSKS] [SYNC_MS]
# Environment: ALERT_SCAN (serve's --alert-scan, seconds; 1).
set -euo pipefail
BUILD=$(realpath "$1")
ALERTS=${2:-1000}
PER_SECOND=${3:-4}
KIOSKS=${4:-50}
SYNC_MS=${5:-1000}
ALERT_SCAN=${ALERT_SCAN:-1}
HERE=$(cd "$(dirname "$0")" && pwd)
KIOSK=$BUILD/kiosk/doorstep-kiosk
SERVER=$BUILD/server/doorstep-server
SURVEY=$HERE/../assets/surveys/default.json
OUT=$(mktemp -d)
source "$HERE/../tests/e2e/sync_lib.sh"
SERVER_PORT=$(free_port)
URL="http://127.0.0.1:$SERVER_PORT"
DB="sqlite:$OUT/server.db"
mkdir -p "$OUT/mail"

/usr/bin/python3 "$HERE/tap_to_mail.py" sink --dir "$OUT/mail" >>"$OUT/sink.log" 2>&1 &
SYNC_PIDS+=($!)
for _ in $(seq 1 100); do
    [ -f "$OUT/mail/port" ] && break
    sleep 0.1
done
[ -f "$OUT/mail/port" ] || fail "the SMTP sink did not start"

"$SERVER" alert-rule add --db "$DB" --kind comment >"$OUT/rule.json" 2>>"$OUT/server.log" ||
    fail "alert-rule add"
for store in $(seq 0 9); do
    "$SERVER" recipient add --db "$DB" --address "manager-$store@example.com" \
        --store "bench-$store" >>"$OUT/server.log" 2>&1 || fail "recipient add"
done
"$SERVER" serve --db "$DB" --listen "127.0.0.1:$SERVER_PORT" --alert-scan "$ALERT_SCAN" \
    --smtp-url "smtp://127.0.0.1:$(cat "$OUT/mail/port")" --smtp-from doorstep@example.com \
    --mail-retry-seconds 1 >>"$OUT/server.log" 2>&1 &
SERVER_PID=$!
SYNC_PIDS+=("$SERVER_PID")
for _ in $(seq 1 100); do
    curl -s -o /dev/null "$URL/" && break
    kill -0 "$SERVER_PID" 2>/dev/null || fail "server exited at start"
    sleep 0.1
done

dirs=()
for i in $(seq 0 $((KIOSKS - 1))); do
    code=$("$SERVER" enroll --db "$DB" --store "bench-$((i % 10))" --door "door-$i" \
        2>>"$OUT/server.log" | grep -oE '[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}' | head -n 1)
    "$KIOSK" enroll --data-dir "$OUT/kiosk-$i" --server "$URL" --code "$code" \
        >>"$OUT/kiosk.log" 2>&1 || fail "kiosk enroll"
    dirs+=("$OUT/kiosk-$i")
done

echo "tap_to_mail alerts=$ALERTS per_second=$PER_SECOND kiosks=$KIOSKS sync_ms=$SYNC_MS" \
    "alert_scan_s=$ALERT_SCAN load_before=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
"$BUILD/bench/bench-tap-to-mail" "$OUT/taps.tsv" "$SURVEY" "$ALERTS" "$PER_SECOND" "$SYNC_MS" \
    "${dirs[@]}" >>"$OUT/kiosk.log" 2>&1 &
DRIVER_PID=$!
SYNC_PIDS+=("$DRIVER_PID")
count() { [ -f "$1" ] && wc -l <"$1" || echo 0; }
until [ "$(count "$OUT/taps.tsv")" -ge "$ALERTS" ]; do
    kill -0 "$DRIVER_PID" 2>/dev/null || fail "bench-tap-to-mail stopped early"
    sleep 1
done
for _ in $(seq 1 120); do  # the last mails, for at most two minutes
    [ "$(count "$OUT/mail/accepted.tsv")" -ge "$ALERTS" ] && break
    sleep 1
done
kill -TERM "$DRIVER_PID"
wait "$DRIVER_PID" || fail "bench-tap-to-mail failed"
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || true
echo "load_after=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
"$SERVER" mail list --db "$DB" --state pending | jq -r '"mails still pending: \(.mail | length)"' ||
    true
sqlite3 "$OUT/server.db" "SELECT 'alerts by source: ' || group_concat(source || ' ' || n, ', ')
    FROM (SELECT source, count(*) AS n FROM alerts GROUP BY source)"
/usr/bin/python3 "$HERE/tap_to_mail.py" report "$OUT/taps.tsv" "$OUT/mail/accepted.tsv" \
    "$OUT/server.db" || fail "some answers got no mail (kept in $OUT)"
rm -rf "$OUT"
