#!/usr/bin/env bash
# The crash suite: SIGKILL the real kiosk while it captures and syncs answers, and the real server
# while kiosks upload, at random moments; after every restart check the real SQLite files
# (integrity, nothing committed lost, no sequence hole, nothing twice). docs/testing.md, "Crash
# suite", says what is killed and checked and why.
#
# Usage: crash_suite.sh [--kills N] [--server-kills N] [--seed S]
#                       [--kiosk BIN] [--server BIN] [--out DIR]
#   --kills         kiosk kills that land on a running process (default $CRASH_KILLS or 50)
#   --server-kills  server kills (default $CRASH_SERVER_KILLS or 20)
#   --seed          seeds every random choice (default $CRASH_SEED or the clock); printed, so
#                   `--seed S` with the same counts replays a run's kill delays and choices
# With DOORSTEP_RESULTS naming a file, appends rows "| crash | measure | result | goal |" to it.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
KILLS=${CRASH_KILLS:-50}
SERVER_KILLS=${CRASH_SERVER_KILLS:-20}
SEED=${CRASH_SEED:-$(date +%s)}
KIOSK=$ROOT/build/kiosk/doorstep-kiosk
SERVER=$ROOT/build/server/doorstep-server
OUT=$ROOT/build/crash-out
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || { echo "crash_suite.sh: $1 needs a value" >&2; exit 2; }
    case $1 in
        --kills) KILLS=$2 ;;
        --server-kills) SERVER_KILLS=$2 ;;
        --seed) SEED=$2 ;;
        --kiosk) KIOSK=$2 ;;
        --server) SERVER=$2 ;;
        --out) OUT=$2 ;;
        *) echo "crash_suite.sh: unknown argument '$1' (see the usage at the top of the file)" >&2; exit 2 ;;
    esac
    shift 2
done
for number in "$KILLS" "$SERVER_KILLS" "$SEED"; do
    [[ $number =~ ^[0-9]+$ ]] || { echo "crash_suite.sh: '$number' is not a whole number" >&2; exit 2; }
done
KIOSK=$(realpath "$KIOSK")
SERVER=$(realpath "$SERVER")
rm -rf "$OUT" && mkdir -p "$OUT"
SURVEY=$ROOT/assets/surveys/default.json

source "$ROOT/tests/e2e/sync_lib.sh"
source "$ROOT/tests/crash/crash_lib.sh"
SERVER_DB=$OUT/server.db

# Ours to stop on exit: the server, the kiosk processes of a round, and the upload loops. Only
# these, by pid: never a process this script did not start.
ROUND_PIDS=()
LOOP_PIDS=()
crash_cleanup() {
    touch "$OUT/stop-loops"
    for pid in "${LOOP_PIDS[@]}" "${ROUND_PIDS[@]}" "${SERVER_PID:-}"; do
        if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
    done
    wait 2>/dev/null || true
}
trap crash_cleanup EXIT

STAGE="start"
exec 3>&2  # the script's stderr, for failures inside helpers whose stderr goes to a log
fail() {
    echo "FAIL ($STAGE): $*" >&3
    echo "replay: bash tests/crash/crash_suite.sh --seed $SEED --kills $KILLS --server-kills $SERVER_KILLS" >&3
    for log in "$OUT"/*.log; do
        [ -f "$log" ] && { echo "--- $log (last 15 lines)" >&3; tail -15 "$log" >&3; }
    done
    result "FAILED at $STAGE, seed $SEED" "$*" "no failure"
    exit 1
}

seed_random "$SEED"
echo "crash suite: seed $SEED, $KILLS kiosk kills, $SERVER_KILLS server kills, output in $OUT"
SERVER_PORT=$(free_port)
URL="http://127.0.0.1:$SERVER_PORT"
start_server

# --- Part 1: kill the kiosk while it captures and syncs --------------------------------------
# One device. Each round starts `simulate --print-committed` (a random number of answers, in
# transactions of a random size) and, in three rounds of four, `sync --once` beside it on the same
# file, then SIGKILLs both after a random delay. A round whose processes had both already exited
# does not count as a kill.
DEVICE=$OUT/device
enroll "$DEVICE" "$URL" 2>>"$OUT/server.log"
: >"$OUT/committed.txt"
BATCH_SIZES=(1 1 7 50 500)
landed=0
rounds=0
while [ "$landed" -lt "$KILLS" ]; do
    rounds=$((rounds + 1))
    [ "$rounds" -le $((KILLS * 5 + 20)) ] || fail "only $landed of $rounds rounds killed a running process"
    next_random ${#BATCH_SIZES[@]}; batch=${BATCH_SIZES[$RANDOM_VALUE]}
    # Large transactions finish in a few tens of milliseconds: kill those sooner, so most rounds
    # land while the kiosk works (a round that does not land is simply run again).
    next_random $(( batch >= 50 ? 120 : 400 )); delay_ms=$RANDOM_VALUE
    next_random 400; responses=$((RANDOM_VALUE + 1))
    next_random 4; with_sync=$((RANDOM_VALUE != 0))
    next_random 100; sync_batch=$((RANDOM_VALUE + 1))
    STAGE="kiosk round $rounds (kill after $delay_ms ms; simulate $responses in batches of $batch"
    [ "$with_sync" = 1 ] && STAGE+="; sync in batches of $sync_batch"
    STAGE+=")"
    "$KIOSK" simulate --data-dir "$DEVICE" --responses "$responses" --seed "$((SEED + rounds))" \
        --batch-size "$batch" --print-committed --survey "$SURVEY" \
        >"$OUT/printed.txt" 2>>"$OUT/kiosk.log" &
    simulate_pid=$!
    ROUND_PIDS=("$simulate_pid")
    if [ "$with_sync" = 1 ]; then
        "$KIOSK" sync --data-dir "$DEVICE" --once --batch-size "$sync_batch" >>"$OUT/kiosk.log" 2>&1 &
        ROUND_PIDS+=($!)
    fi
    sleep_ms "$delay_ms"
    killed=0
    for pid in "${ROUND_PIDS[@]}"; do
        # Not yet waited for, so the pid is still ours even if the process has exited.
        kill -9 "$pid" 2>/dev/null || true
        code=0
        { wait "$pid"; } 2>/dev/null || code=$?  # without bash's "Killed" line for each kill
        case $code in
            137) killed=1 ;;
            0) ;;
            # sync --once exits 1 when answers arrived after it drained (simulate beside it).
            1) [ "$pid" != "$simulate_pid" ] || fail "simulate failed on its own (kiosk.log)" ;;
            *) fail "a kiosk process exited $code before it was killed" ;;
        esac
    done
    ROUND_PIDS=()
    landed=$((landed + killed))
    { grep -E '^committed [0-9]+ [0-9a-f-]{36}$' "$OUT/printed.txt" || true; } | cut -d' ' -f2,3 \
        >>"$OUT/committed.txt"
    echo "$STAGE: $( [ "$killed" = 1 ] && echo "kill $landed/$KILLS" || echo "finished before the kill" ), $(wc -l <"$OUT/committed.txt") committed so far"
    check_integrity "kiosk" "$DEVICE/kiosk.db"
    check_committed_kept "$DEVICE" "$OUT/committed.txt"
    check_rollups_match "$DEVICE"
done
STAGE="kiosk drain"
drain "$DEVICE"
check_drained_exactly_once "$DEVICE"
check_committed_kept "$DEVICE" "$OUT/committed.txt"
check_server_unique
kiosk_committed=$(sort -u "$OUT/committed.txt" | wc -l)
# Killed after the commit reached the file but before the print: kept, as they may be.
kiosk_unprinted=$((DRAINED_COUNT - kiosk_committed))
echo "part 1 passed: $landed kiosk kills in $rounds rounds; $kiosk_committed answers printed as" \
    "committed, $DRAINED_COUNT on the device and on the server, each once ($SECONDS s so far)"

# --- Part 2: kill the server while kiosks upload ---------------------------------------------
# Three devices, each in a loop of its own: capture 20 answers, then `sync --once` (short
# timeouts, few attempts, so a dead server only delays it). The server is SIGKILLed after a random
# delay, checked while down, and restarted on the same file.
UPLOADERS=("$OUT/uploader1" "$OUT/uploader2" "$OUT/uploader3")
capture_and_sync_loop() {
    local dir=$1 round=0
    while [ ! -e "$OUT/stop-loops" ]; do
        round=$((round + 1))
        "$KIOSK" simulate --data-dir "$dir" --responses 20 --seed "$round" --batch-size 5 \
            --survey "$SURVEY" >/dev/null 2>>"$OUT/uploaders.log" ||
            echo "simulate failed in $dir, round $round" >>"$OUT/loop-failures.txt"
        "$KIOSK" sync --data-dir "$dir" --once --batch-size 25 --attempts 2 --backoff-base-ms 20 \
            --connect-timeout 1 --timeout 5 >>"$OUT/uploaders.log" 2>&1 || true
    done
}
for dir in "${UPLOADERS[@]}"; do
    enroll "$dir" "$URL" 2>>"$OUT/server.log"
done
rm -f "$OUT/stop-loops" "$OUT/loop-failures.txt"
for dir in "${UPLOADERS[@]}"; do
    capture_and_sync_loop "$dir" &
    LOOP_PIDS+=($!)
done
for kill_number in $(seq 1 "$SERVER_KILLS"); do
    next_random 1500; delay_ms=$RANDOM_VALUE
    STAGE="server kill $kill_number/$SERVER_KILLS (after $delay_ms ms)"
    sleep_ms "$delay_ms"
    kill -0 "$SERVER_PID" 2>/dev/null || fail "the server died before it was killed (server.log)"
    kill_server
    check_integrity "server" "file:$SERVER_DB?mode=ro"
    for dir in "${UPLOADERS[@]}"; do
        check_sent_on_server "$dir"
    done
    check_server_unique
    echo "$STAGE: $(server_db_sql "SELECT count(*) FROM responses") answers on the server"
    start_server
done
STAGE="server drain"
touch "$OUT/stop-loops"
for pid in "${LOOP_PIDS[@]}"; do
    wait "$pid" || fail "an upload loop failed"
done
LOOP_PIDS=()
[ ! -s "$OUT/loop-failures.txt" ] || fail "$(cat "$OUT/loop-failures.txt")"
uploaded=0
for dir in "${UPLOADERS[@]}"; do
    drain "$dir"
    check_integrity "kiosk" "$dir/kiosk.db"
    check_drained_exactly_once "$dir"
    uploaded=$((uploaded + DRAINED_COUNT))
done
stop_server
check_integrity "server" "$SERVER_DB"
check_server_unique
echo "part 2 passed: $SERVER_KILLS server kills; $uploaded answers from 3 kiosks on the server, each once"

result "kiosk SIGKILLs, lost, duplicated" "$(thousands "$landed"), 0, 0" "0 lost, 0 duplicated"
result "kiosk: answers printed as committed, on the server after the drain" \
    "$(thousands "$kiosk_committed"), all" "all"
result "kiosk: answers committed but killed before their print, kept" \
    "$(thousands "$kiosk_unprinted")" "any (either outcome is right)"
result "kiosk: integrity_check failures, sequence holes" "0, 0" "0, 0"
result "server SIGKILLs, lost, duplicated" "$(thousands "$SERVER_KILLS"), 0, 0" "0 lost, 0 duplicated"
result "server: answers from 3 uploading kiosks, integrity_check failures" \
    "$(thousands "$uploaded"), 0" "0 failures"
echo "crash suite passed (seed $SEED) in $SECONDS s"
