#!/usr/bin/env bash
# The kiosk and the server as systemd runs them, with a real notify socket standing in for
# systemd's (doorstep-notify-listen): settings from a --config file, READY=1 once serving, watchdog
# pings while the kiosk sits idle, <N> level prefixes for journald, and SIGTERM in the middle of
# use: STOPPING=1, exit status 0, every commit finished and the SQLite file sound; the server
# answers and commits the request it holds when SIGTERM comes.
# Usage: appliance_e2e.sh doorstep-kiosk doorstep-server doorstep-notify-listen OUTDIR
set -euo pipefail
KIOSK=$(realpath "$1")
SERVER=$(realpath "$2")
LISTEN=$(realpath "$3")
OUT=$4
rm -rf "$OUT" && mkdir -p "$OUT"
OUT=$(realpath "$OUT")
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sync_lib.sh"  # free_port, and fail() that shows every log

echo "1. the kiosk takes its settings from the file and tells systemd it is ready"
start_xvfb 1280x800
listen_for_notifications kiosk-notify
cat >"$OUT/kiosk.json" <<JSON
{"data-dir": "$OUT/data", "door": "front-door", "idle-timeout": 60}
JSON
export DOORSTEP_LOG_PREFIX=1
NOTIFY_SOCKET="$OUT/kiosk-notify.sock" WATCHDOG_USEC=2000000 start_kiosk --config "$OUT/kiosk.json"
wait_for_lines "$OUT/kiosk-notify.log" READY=1 1
[ -f "$OUT/data/kiosk.db" ] || fail "the kiosk did not use the data-dir of its settings file"

echo "2. left alone on the attract screen, it keeps the watchdog fed"
wait_for_lines "$OUT/kiosk-notify.log" WATCHDOG=1 4
grep -q '^<6>ts=.* msg="first frame"' "$OUT/kiosk.log" || fail "info lines lack the <6> prefix"
grep -q '^<4>ts=.* component=sync msg="not enrolled' "$OUT/kiosk.log" ||
    fail "warning lines lack the <4> prefix"

echo "3. one customer answers everything; SIGTERM lands with the next one's last tap"
tap attract start 0
answer_questions 9
sleep 3.5  # thank you, then attract again
tap attract start 0
tap need face 3
tap need face 3
tap need face 3
tap least_met least_met 0
tap comment done 0
# shellcheck disable=SC2046
xdotool mousemove $(target intent intent 7) click 1
kill -TERM "$KIOSK_PID"
status=0
wait "$KIOSK_PID" || status=$?
[ "$status" = 0 ] || fail "the kiosk exited with status $status after SIGTERM"
wait_for_lines "$OUT/kiosk-notify.log" STOPPING=1 1
grep -q 'msg=stopped' "$OUT/kiosk.log" || fail "the kiosk did not log its clean stop"
[ "$(sql "PRAGMA integrity_check")" = ok ] || fail "integrity check failed after SIGTERM"
[ "$(sql "SELECT count(*) FROM responses WHERE door = 'front-door'")" = 2 ] ||
    fail "expected 2 responses at front-door: $(sql "SELECT seq, status, door FROM responses")"
first=$(sql "SELECT status || '|' || intent FROM responses ORDER BY seq LIMIT 1")
[ "$first" = "completed|9" ] || fail "the first customer's answer is wrong: $first"
# The second customer's last tap either committed before SIGTERM was handled, or the shutdown
# kept what they had answered: never nothing, never half a row.
second=$(sql "SELECT status, (SELECT count(*) FROM response_scores s WHERE s.seq = r.seq)
              FROM responses r ORDER BY seq DESC LIMIT 1")
case "$second" in
    "completed|3" | "abandoned|3") ;;
    *) fail "the second customer's answer was not kept whole: $second" ;;
esac

echo "4. the server takes its settings from the file, reports ready, drains on SIGTERM"
port=$(free_port)
cat >"$OUT/server.json" <<JSON
{"db": "sqlite:$OUT/server.db", "listen": "127.0.0.1:$port"}
JSON
listen_for_notifications server-notify
NOTIFY_SOCKET="$OUT/server-notify.sock" "$SERVER" serve --config "$OUT/server.json" \
    2>"$OUT/server.log" &
server_pid=$!
E2E_PIDS+=("$server_pid")
wait_for_lines "$OUT/server-notify.log" READY=1 1
curl -sf -o /dev/null "http://127.0.0.1:$port/" || fail "the server does not answer on its port"
# Other commands take --db from the same file.
"$SERVER" devices --config "$OUT/server.json" >"$OUT/devices.txt" 2>>"$OUT/server.log" ||
    fail "devices did not use the database of server.json"

echo "5. SIGTERM while the server holds a request: the request commits, then the server exits 0"
code=$("$SERVER" enroll --config "$OUT/server.json" --store lisbon --door checkout 2>/dev/null |
    grep -oE '[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}' | head -n 1)
[ -n "$code" ] || fail "no enrollment code"
printf '{"code":"%s","app_version":"test"}' "$code" | gzip -c >"$OUT/enroll.gz"
size=$(stat -c %s "$OUT/enroll.gz")
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf '%s\r\n' "POST /v1/enroll HTTP/1.1" "Host: 127.0.0.1" "Doorstep-Protocol: 1" \
    "Content-Type: application/gzip" "Content-Length: $size" "Connection: close" "" >&3
head -c $((size / 2)) "$OUT/enroll.gz" >&3
# The server holds the request once it has read everything sent so far and waits for the rest
# of the body: its end of the connection has nothing left queued.
for _ in $(seq 1 100); do
    queued=$(ss -tnH state established "( sport = :$port )" | awk '{sum += $1} END {print sum + 0}')
    held=$(ss -tnH state established "( sport = :$port )" | wc -l)
    [ "$held" -ge 1 ] && [ "$queued" = 0 ] && break
    sleep 0.1
done
[ "$held" -ge 1 ] && [ "$queued" = 0 ] || fail "the server did not read the request's first half"
kill -TERM "$server_pid"
for _ in $(seq 1 100); do
    grep -q 'msg="stopping: finishing the requests in progress"' "$OUT/server.log" && break
    sleep 0.1
done
grep -q 'msg="stopping' "$OUT/server.log" || fail "the server did not start stopping"
tail -c +$((size / 2 + 1)) "$OUT/enroll.gz" >&3
timeout 10 cat <&3 >"$OUT/enroll-reply.txt" || true
exec 3<&-
head -n 1 "$OUT/enroll-reply.txt" | grep -q '^HTTP/1.1 200' ||
    fail "the request in progress was not answered: $(head -c 300 "$OUT/enroll-reply.txt")"
grep -q '"device_id"' "$OUT/enroll-reply.txt" || fail "the enrollment reply has no device id"
status=0
wait "$server_pid" || status=$?
[ "$status" = 0 ] || fail "the server exited with status $status after SIGTERM"
wait_for_lines "$OUT/server-notify.log" STOPPING=1 1
"$SERVER" devices --config "$OUT/server.json" 2>>"$OUT/server.log" | grep -q lisbon ||
    fail "the enrollment committed during the drain is not in the database"
grep -q '^<6>ts=.* component=http msg=stopped' "$OUT/server.log" ||
    fail "the server's lines lack the <6> prefix"
[ "$(sqlite3 "$OUT/server.db" "PRAGMA integrity_check")" = ok ] || fail "server.db is not sound"
echo "appliance_e2e: all checks passed"
