# shellcheck shell=bash disable=SC2034  # RANDOM_VALUE and DRAINED_COUNT are read by the caller
# Helpers for the crash suite: a seeded random number generator, the checks run after every
# SIGKILL, and the results table. Source after tests/e2e/sync_lib.sh, with OUT, KIOSK and SERVER
# set. Every check reads the real SQLite files with the sqlite3 CLI.

# --- Seeded random numbers -------------------------------------------------------------------
# Our own generator, not bash's $RANDOM, so one seed gives one run of delays on every bash and in
# every order of calls (a subshell never draws from it). next_random N sets RANDOM_VALUE to 0..N-1.
RNG_STATE=1
seed_random() { RNG_STATE=$(( ($1 % 2147483647) + 1 )); }
next_random() {
    # Park-Miller minimal standard: state * 48271 mod (2^31 - 1); fits bash's 64-bit arithmetic.
    RNG_STATE=$(( RNG_STATE * 48271 % 2147483647 ))
    RANDOM_VALUE=$(( RNG_STATE % $1 ))
}

# sleep_ms MS: sleeps that many milliseconds.
sleep_ms() { sleep "$(printf '%d.%03d' $(( $1 / 1000 )) $(( $1 % 1000 )))"; }

# --- Results ----------------------------------------------------------------------------------
# thousands N: 1000 -> 1,000, for the results table.
thousands() {
    local digits=$1 out=""
    while [ ${#digits} -gt 3 ]; do
        out=",${digits: -3}$out"
        digits=${digits:0:${#digits}-3}
    done
    echo "$digits$out"
}

# result MEASURE RESULT GOAL: one row of the results table, when DOORSTEP_RESULTS names a file.
result() {
    echo "result: $1: $2 (goal: $3)"
    if [ -n "${DOORSTEP_RESULTS:-}" ]; then
        echo "| crash | $1 | $2 | $3 |" >>"$DOORSTEP_RESULTS"
    fi
}

# --- Reading the files ------------------------------------------------------------------------
# A kiosk's file may be in use by its processes: wait for their locks rather than fail.
kiosk_db_sql() { sqlite3 -batch -noheader -cmd '.timeout 5000' "$1/kiosk.db" "$2"; }
# The server's file is read read-only: the check must not change what it checks.
server_db_sql() { sqlite3 -batch -noheader -cmd '.timeout 5000' "file:$SERVER_DB?mode=ro" "$1"; }
device_id_of() { jq -r .device_id "$1/device.json"; }

# check_integrity WHAT FILE: PRAGMA integrity_check must say exactly "ok". The kiosk's file is
# opened read-write, as its next start would open it (recovering the WAL left by the kill).
check_integrity() {
    local verdict
    # sqlite3 exits non-zero on some damage; its words are the report either way.
    verdict=$(sqlite3 -batch -noheader "$2" "PRAGMA integrity_check" 2>&1) || true
    [ "$verdict" = ok ] || fail "$1: integrity_check of $2 says: $verdict"
}

# device_and_server_pairs DATA_DIR FILE: every "seq uuid" pair the device holds, and every one the
# server holds for that device, sorted and without repeats.
device_and_server_pairs() {
    local dir=$1 device
    device=$(device_id_of "$dir")
    {
        kiosk_db_sql "$dir" "SELECT seq || ' ' || uuid FROM responses"
        server_db_sql "SELECT seq || ' ' || uuid FROM responses WHERE device_id = '$device'"
    } | sort -u >"$2"
}

# check_committed_kept DATA_DIR COMMITTED_FILE: every response simulate printed as committed is on
# the device or on the server under the same seq; the pairs agree (one seq per uuid, one uuid per
# seq); and the seqs run 1..max without a hole.
check_committed_kept() {
    local dir=$1 committed=$2 pairs="$OUT/pairs.txt"
    device_and_server_pairs "$dir" "$pairs"
    local lost
    lost=$(sort -u "$committed" | comm -23 - "$pairs" | wc -l)
    if [ "$lost" != 0 ]; then
        sort -u "$committed" | comm -23 - "$pairs" | head -5 >&2
        fail "$lost committed responses are neither on the device nor on the server"
    fi
    local seqs uuids
    seqs=$(cut -d' ' -f1 "$pairs" | sort -n | uniq -d | wc -l)
    uuids=$(cut -d' ' -f2 "$pairs" | sort | uniq -d | wc -l)
    [ "$seqs" = 0 ] || fail "$seqs seqs name different uuids on the device and the server"
    [ "$uuids" = 0 ] || fail "$uuids uuids have different seqs on the device and the server"
    local count highest
    count=$(wc -l <"$pairs")
    highest=$(cut -d' ' -f1 "$pairs" | sort -n | tail -n 1)
    [ "$count" = "${highest:-0}" ] ||
        fail "sequence numbers have holes: $count responses, highest seq ${highest:-0}"
}

# check_rollups_match DATA_DIR: the manager's rollups count every stored response exactly once
# (they are written in the response's own transaction, and nothing is pruned in this suite).
check_rollups_match() {
    local counts
    counts=$(kiosk_db_sql "$1" \
        "SELECT (SELECT count(*) FROM responses), (SELECT coalesce(sum(n), 0) FROM rollup_outcomes)")
    [ "${counts%|*}" = "${counts#*|}" ] || fail "rows and rollup counts disagree (rows|rollups): $counts"
}

# check_sent_on_server DATA_DIR: every row the kiosk marked synced is on the server, same seq.
# The kiosk is read first: it marks a row synced only after the server committed it, so a row
# synced at that moment must already be in the server's file.
check_sent_on_server() {
    local dir=$1 device missing
    device=$(device_id_of "$dir")
    kiosk_db_sql "$dir" "SELECT seq || ' ' || uuid FROM responses WHERE sync_state = 'synced'" |
        sort >"$OUT/sent.txt"
    server_db_sql "SELECT seq || ' ' || uuid FROM responses WHERE device_id = '$device'" |
        sort >"$OUT/on-server.txt"
    missing=$(comm -23 "$OUT/sent.txt" "$OUT/on-server.txt" | wc -l)
    [ "$missing" = 0 ] || fail "$dir: $missing answers the kiosk considers sent are not on the server"
}

# check_server_unique: no uuid and no (device, seq) twice on the server.
check_server_unique() {
    local twice
    twice=$(server_db_sql "SELECT count(*) FROM (SELECT uuid FROM responses GROUP BY uuid HAVING count(*) > 1)")
    [ "$twice" = 0 ] || fail "$twice uuids stored twice on the server"
    twice=$(server_db_sql "SELECT count(*) FROM (SELECT 1 FROM responses GROUP BY device_id, seq HAVING count(*) > 1)")
    [ "$twice" = 0 ] || fail "$twice (device, seq) pairs stored twice on the server"
}

# drain DATA_DIR: sync --once until nothing is left to send (the server must be up).
drain() {
    local _
    for _ in $(seq 1 20); do
        "$KIOSK" sync --data-dir "$1" --once --attempts 5 --backoff-base-ms 50 >>"$OUT/kiosk.log" 2>&1 &&
            return 0
    done
    fail "$1: sync --once did not drain in 20 rounds"
}

# check_drained_exactly_once DATA_DIR: after drain, the server holds exactly the kiosk's answers
# for this device: same count, same (seq, uuid) pairs, every row synced, no conflict or rejection.
check_drained_exactly_once() {
    local dir=$1 device kiosk_count server_count states
    device=$(device_id_of "$dir")
    states=$(kiosk_db_sql "$dir" "SELECT count(*) FROM responses WHERE sync_state <> 'synced'")
    [ "$states" = 0 ] || fail "$dir: $states rows not synced after the drain"
    kiosk_count=$(kiosk_db_sql "$dir" "SELECT count(*) FROM responses")
    server_count=$(server_db_sql "SELECT count(*) FROM responses WHERE device_id = '$device'")
    [ "$kiosk_count" = "$server_count" ] ||
        fail "$dir: the kiosk holds $kiosk_count answers, the server $server_count"
    kiosk_db_sql "$dir" "SELECT seq || ' ' || uuid FROM responses" | sort >"$OUT/kiosk-pairs.txt"
    server_db_sql "SELECT seq || ' ' || uuid FROM responses WHERE device_id = '$device'" |
        sort >"$OUT/server-pairs.txt"
    cmp -s "$OUT/kiosk-pairs.txt" "$OUT/server-pairs.txt" ||
        fail "$dir: kiosk and server disagree on $(comm -3 "$OUT/kiosk-pairs.txt" "$OUT/server-pairs.txt" | wc -l) answers"
    DRAINED_COUNT=$kiosk_count
}
