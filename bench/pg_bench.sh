#!/usr/bin/env bash
# PostgreSQL ingest benchmark on loopback, both sides measured in one run, on a throwaway
# cluster that tests/server/with-postgres.sh starts and stops around this script:
#   1. server ingest: one kiosk's ROWS rows, batched, gzipped and signed beforehand, POSTed back
#      to back (bench-server-ingest) to `doorstep-server serve --db postgresql://...` on a fresh
#      copy (CREATE DATABASE ... TEMPLATE) of the enrolled database, so only the server is timed;
#   2. the same rows and their scores written with `COPY ... FROM STDIN` (psql's \copy), one
#      transaction, into another fresh copy of that database: the server's own schema, every
#      index (the comment search's GIN index too), CHECK and foreign key. The report rollups and
#      the device's counters, which the server also keeps, are not written: the raw side does
#      less than the server.
#   1. and 2. alternate, REPEATS times each; the ratio is median 1. over median 2.
# The cluster is with-postgres.sh's: fsync, synchronous_commit and full_page_writes off, the
# same for both sides, so this compares CPU and round trips, not the disk.
# Usage: bench/pg_bench.sh BUILD_DIR [ROWS]
# Environment: REPEATS (3), INGEST_CONNECTIONS (2), DRAIN_BATCH (the kiosk's default, 500).
set -euo pipefail
if [ -z "${DOORSTEP_TEST_POSTGRES:-}" ]; then
    exec bash "$(dirname "$0")/../tests/server/with-postgres.sh" bash "$0" "$@"
fi
BUILD=$(realpath "$1")
ROWS=${2:-100000}
REPEATS=${REPEATS:-3}
KIOSK=$BUILD/kiosk/doorstep-kiosk
SERVER=$BUILD/server/doorstep-server
OUT=$(mktemp -d)
source "$(dirname "$0")/../tests/e2e/sync_lib.sh"
SURVEY=$(dirname "$0")/../assets/surveys/default.json
SERVER_PORT=$(free_port)
URL="http://127.0.0.1:$SERVER_PORT"
CLUSTER=${DOORSTEP_TEST_POSTGRES%/*}  # postgresql://user@host:port, no database
now_ms() { date +%s%3N; }
rate() { awk -v n="$1" -v ms="$2" 'BEGIN{printf "%.0f", n*1000/ms}'; }
median() { sort -n | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}'; }
pg() { psql "$CLUSTER/${2:-postgres}" -qAt -v ON_ERROR_STOP=1 -c "$1"; }

# start_pg_server DATABASE: the server on $SERVER_PORT with that database; waits until it answers.
start_pg_server() { SERVER_DB_URL="$CLUSTER/$1" start_server; }

pg "CREATE DATABASE enrolled"
start_pg_server enrolled
code=$("$SERVER" enroll --db "$CLUSTER/enrolled" --store store-1 --door checkout 2>/dev/null |
    grep -oE '[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}' | head -n 1)
"$KIOSK" enroll --data-dir "$OUT/ingest" --server "$URL" --code "$code" >>"$OUT/kiosk.log" 2>&1 ||
    fail "kiosk enroll failed"
stop_server  # a template database must have no connections
"$KIOSK" simulate --data-dir "$OUT/ingest" --responses "$ROWS" --seed 7 --survey "$SURVEY" >/dev/null
device=$(jq -r .device_id "$OUT/ingest/device.json")

# The raw side's input, made before anything is timed. A fresh database numbers responses 1, 2,
# ... in COPY order, and the kiosk's seqs are 1..ROWS, so a score's response id is its seq
# (checked after each load).
sqlite3 -csv "$OUT/ingest/kiosk.db" "SELECT '$device', seq, uuid, survey_id, survey_version,
  door, lang, kind, status, coalesce(abandoned_at, ''), started_at_ms, ended_at_ms, duration_ms,
  coalesce(least_met, ''), intent, coalesce(comment, ''), synthetic, 0,
  coalesce(suspect_reason, '') FROM responses ORDER BY seq" >"$OUT/responses.csv"
sqlite3 -csv "$OUT/ingest/kiosk.db" \
    "SELECT seq, need, score, ordinal FROM response_scores ORDER BY seq, ordinal" >"$OUT/scores.csv"
cat >"$OUT/raw.sql" <<SQL
BEGIN;
\copy responses (device_id, seq, uuid, survey_id, survey_version, door, lang, kind, status, abandoned_at, started_at_ms, ended_at_ms, duration_ms, least_met, intent, comment, synthetic, received_at_ms, suspect_reason) FROM '$OUT/responses.csv' (FORMAT csv, FORCE_NOT_NULL (abandoned_at, least_met, comment, suspect_reason))
\copy response_scores (response_id, need, score, ordinal) FROM '$OUT/scores.csv' (FORMAT csv)
COMMIT;
SQL

ingest_rates=()
raw_rates=()
for repeat in $(seq 1 "$REPEATS"); do
    pg "CREATE DATABASE ingest_$repeat TEMPLATE enrolled"
    pg CHECKPOINT
    start_pg_server "ingest_$repeat"
    ingest=$("$BUILD/bench/bench-server-ingest" "$OUT/ingest" ${DRAIN_BATCH:-500} \
        ${INGEST_CONNECTIONS:-2}) || fail "ingest failed"
    stop_server
    echo "$ingest"
    ingest_rates+=("$(sed -n 's/.*rows_per_s=\([0-9]*\).*/\1/p' <<<"$ingest")")
    [ "$(pg 'SELECT count(*) FROM responses' "ingest_$repeat")" = "$ROWS" ] || fail "ingest short"
    pg "DROP DATABASE ingest_$repeat"

    pg "CREATE DATABASE raw_$repeat TEMPLATE enrolled"
    pg CHECKPOINT
    t0=$(now_ms)
    psql "$CLUSTER/raw_$repeat" -qAt -v ON_ERROR_STOP=1 -f "$OUT/raw.sql" >/dev/null
    t1=$(now_ms)
    [ "$(pg 'SELECT count(*) FROM responses' "raw_$repeat")" = "$ROWS" ] || fail "raw copy short"
    [ "$(pg 'SELECT count(*) FROM responses WHERE id <> seq' "raw_$repeat")" = 0 ] ||
        fail "raw copy: response ids are not the seqs, the scores point elsewhere"
    echo "raw_pg_copy rows=$ROWS seconds=$(awk -v ms=$((t1 - t0)) 'BEGIN{printf "%.2f", ms/1000}') rows_per_s=$(rate "$ROWS" $((t1 - t0)))"
    raw_rates+=("$(rate "$ROWS" $((t1 - t0)))")
    pg "DROP DATABASE raw_$repeat"
done
ingest_rate=$(printf '%s\n' "${ingest_rates[@]}" | median)
raw_rate=$(printf '%s\n' "${raw_rates[@]}" | median)
echo "ingest_ratio median_server=$ingest_rate median_raw=$raw_rate server_over_raw=$(awk -v a="$ingest_rate" -v b="$raw_rate" 'BEGIN{printf "%.2f", a/b}')"
rm -rf "$OUT"
