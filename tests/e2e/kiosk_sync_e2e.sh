#!/usr/bin/env bash
# The window and the uploader together: an enrolled kiosk under Xvfb is tapped through a response
# with real X input, and its background uploader delivers it to a real server while the screen
# stays responsive. Then the server goes away: the next answer waits on the device, and arrives
# when the server is back.
# Usage: kiosk_sync_e2e.sh doorstep-kiosk doorstep-server OUTDIR
set -euo pipefail
KIOSK=$(realpath "$1")
SERVER=$(realpath "$2")
OUT=$3
rm -rf "$OUT" && mkdir -p "$OUT"
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sync_lib.sh"
SERVER_PORT=$(free_port)

# wait_server_count N: polls the server's export until it holds N answers (bounded: 30 s).
wait_server_count() {
    for _ in $(seq 1 150); do
        [ "$(server_count)" = "$1" ] && return 0
        sleep 0.2
    done
    fail "server holds $(server_count) answers, expected $1"
}

answer_one() {
    tap attract start 0
    tap need face 5
    tap need face 4
    tap need face 3
    tap least_met least_met 2
    tap comment skip 0
    tap intent intent 10
    sleep 0.5
}

start_server
# Enrollment can set the manager PIN in the same step (read from stdin here: two lines).
code=$("$SERVER" enroll --db "sqlite:$OUT/server.db" --store lisbon --door checkout)
printf '1357\n1357\n' | "$KIOSK" enroll --data-dir "$OUT/data" --server "http://127.0.0.1:$SERVER_PORT" \
    --code "$code" --set-pin >>"$OUT/kiosk.log" 2>&1 || fail "enroll --set-pin failed"
[ -n "$(sql "SELECT value FROM meta WHERE key = 'manager_pin_hash'")" ] || fail "no PIN set at enrollment"
start_xvfb 1280x800
start_kiosk --data-dir "$OUT/data" --door checkout

echo "1. an answer tapped at the kiosk reaches head office in the background"
answer_one
wait_server_count 1
check_exactly_once "$OUT/data"
sleep 3  # thank you times out

echo "2. head office is down: the customer still gets thank you, the answer waits on the device"
kill_server
answer_one
screenshot thank_you_offline
sleep 3
[ "$(sql "SELECT count(*) FROM responses WHERE sync_state = 'pending'")" = 1 ] ||
    fail "the offline answer is not waiting on the device: $(sql "SELECT seq, status, sync_state FROM responses")"

echo "3. head office is back: the waiting answer arrives, once"
start_server
sleep 1.5  # the uploader is backing off; a new answer wakes it at once
answer_one
wait_server_count 3
check_exactly_once "$OUT/data"
stop_kiosk

# wait_log TEXT SECONDS: waits until the kiosk's log holds TEXT.
wait_log() {
    for _ in $(seq 1 $(($2 * 5))); do
        grep -q "$1" "$OUT/kiosk.log" && return 0
        sleep 0.2
    done
    fail "the kiosk did not log '$1' within $2 s"
}
# survey_version_of SEQ: the survey version the server holds for the kiosk's answer SEQ.
survey_version_of() {
    sqlite3 -batch -noheader "$OUT/server.db" "SELECT survey_version FROM responses WHERE seq = $1"
}

echo "4. head office publishes a new survey: the kiosk takes it between customers, never during one"
start_kiosk --data-dir "$OUT/data" --door checkout --heartbeat-interval 2
tap attract start 0  # a customer starts answering under the installed survey
tap need face 5
jq '.needs[0].label.en = "Honesty"' "$(dirname "$0")/../../assets/surveys/default.json" \
    >"$OUT/survey-v2.json"
"$SERVER" survey publish "$OUT/survey-v2.json" --db "sqlite:$OUT/server.db" --store lisbon \
    >>"$OUT/server.log" 2>&1 || fail "survey publish failed"
wait_log 'received a new survey from head office' 15
sleep 1
! grep -q 'now showing the survey head office published' "$OUT/kiosk.log" ||
    fail "the survey changed during a customer's answer"
tap need face 4
tap need face 3
tap least_met least_met 2
tap comment skip 0
tap intent intent 10
wait_server_count 4
[ "$(survey_version_of 4)" = 1 ] || fail "the answer begun under version 1 was stored as $(survey_version_of 4)"
wait_log 'now showing the survey head office published' 20
screenshot attract_after_survey_push
answer_one
wait_server_count 5
[ "$(survey_version_of 5)" = 2 ] || fail "the next customer answered version $(survey_version_of 5), not 2"
stop_kiosk
echo "5. a restart keeps the pushed survey; a backlog sent at start is not left on the fleet page"
"$KIOSK" simulate --data-dir "$OUT/data" --responses 30 --door checkout >>"$OUT/kiosk.log" 2>&1 ||
    fail "simulate failed"
start_kiosk --data-dir "$OUT/data" --door checkout
grep -q 'running the survey head office published' "$OUT/kiosk.log" ||
    fail "after a restart the kiosk did not run the pushed survey"
wait_server_count 35
backlog=""
for _ in $(seq 1 50); do
    backlog=$(sqlite3 -batch -noheader "$OUT/server.db" \
        "SELECT backlog FROM heartbeats ORDER BY received_at_ms DESC LIMIT 1" 2>/dev/null || true)
    [ "$backlog" = 0 ] && break
    sleep 0.2
done
[ "$backlog" = 0 ] || fail "head office still shows a backlog of $backlog after the kiosk sent it all"
stop_kiosk
echo "6. confirmed answers stay on the terminal --keep-synced-days, then go; undelivered ones stay"
day_ms=86400000
now_ms=$(date +%s%3N)
sqlite3 "$OUT/data/kiosk.db" "UPDATE responses SET synced_at_ms = $now_ms - 3 * $day_ms WHERE seq <= 10;
    UPDATE responses SET synced_at_ms = $now_ms - $day_ms WHERE seq BETWEEN 11 AND 20;
    UPDATE responses SET sync_state = 'rejected', synced_at_ms = NULL WHERE seq = 21"
start_kiosk --data-dir "$OUT/data" --door checkout --keep-synced-days 2
wait_log 'pruned synced answers past retention' 10
[ "$(sql "SELECT count(*) FROM responses WHERE seq <= 10")" = 0 ] ||
    fail "answers confirmed 3 days ago were kept past 2 days"
[ "$(sql "SELECT count(*) FROM responses WHERE seq BETWEEN 11 AND 21")" = 11 ] ||
    fail "answers within 2 days, or undelivered, were deleted"
stop_kiosk
echo "kiosk_sync_e2e: all checks passed"
