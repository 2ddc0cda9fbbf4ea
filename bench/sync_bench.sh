#!/usr/bin/env bash
# Sync benchmarks on loopback, all measured in one run:
#   1. server ingest: one kiosk's 100,000 rows, batched, gzipped and signed beforehand, POSTed
#      back to back (bench-server-ingest) into a fresh copy of the server's database, so only
#      the server's work is timed;
#   2. the same rows bulk-inserted with one INSERT ... SELECT per table (responses, scores and
#      the comment search index), in one transaction, into a fresh file with the server's own
#      schema (WAL, synchronous=FULL, foreign keys on). The report rollups, which the server
#      also keeps, are not written here: the raw side does less than the server.
#      1. and 2. alternate, REPEATS times each; the ingest ratio is median 1. over median 2.;
#   3. drain another kiosk's 100,000-response backlog with `doorstep-kiosk sync --once`;
#   4. 200 simulated kiosks posting signed batches at once: requests/s and latency.
# Usage: bench/sync_bench.sh BUILD_DIR [BACKLOG] [KIOSKS] [REQUESTS_PER_KIOSK]
# Environment: REPEATS (3), INGEST_CONNECTIONS (2), DRAIN_BATCH (the kiosk's default, 500).
set -euo pipefail
BUILD=$(realpath "$1")
BACKLOG=${2:-100000}
KIOSKS=${3:-200}
REQUESTS=${4:-20}
REPEATS=${REPEATS:-3}
KIOSK=$BUILD/kiosk/doorstep-kiosk
SERVER=$BUILD/server/doorstep-server
OUT=$(mktemp -d)
source "$(dirname "$0")/../tests/e2e/sync_lib.sh"
SURVEY=$(dirname "$0")/../assets/surveys/default.json
SERVER_PORT=$(free_port)
URL="http://127.0.0.1:$SERVER_PORT"
now_ms() { date +%s%3N; }
rate() { awk -v n="$1" -v ms="$2" 'BEGIN{printf "%.0f", n*1000/ms}'; }
median() { sort -n | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}'; }

start_server
for kiosk in ingest drain; do
    enroll "$OUT/$kiosk" "$URL"
    "$KIOSK" simulate --data-dir "$OUT/$kiosk" --responses "$BACKLOG" --seed 7 --survey "$SURVEY" >/dev/null
done
stop_server
cp "$OUT/server.db" "$OUT/enrolled.db"  # devices enrolled, no answers yet
device=$(jq -r .device_id "$OUT/ingest/device.json")
sqlite3 "$OUT/server.db" .schema >"$OUT/server-schema.sql"

ingest_rates=()
raw_rates=()
for repeat in $(seq 1 "$REPEATS"); do
    cp "$OUT/enrolled.db" "$OUT/ingest-$repeat.db"
    SERVER_DB="$OUT/ingest-$repeat.db" start_server
    ingest=$("$BUILD/bench/bench-server-ingest" "$OUT/ingest" ${DRAIN_BATCH:-500} \
        ${INGEST_CONNECTIONS:-2}) || fail "ingest failed"
    stop_server
    echo "$ingest"
    ingest_rates+=("$(sed -n 's/.*rows_per_s=\([0-9]*\).*/\1/p' <<<"$ingest")")

    raw="$OUT/raw-$repeat.db"
    sqlite3 "$raw" <<SQL >/dev/null
PRAGMA journal_mode=WAL;
.read $OUT/server-schema.sql
ATTACH '$OUT/enrolled.db' AS server;
INSERT INTO devices SELECT * FROM server.devices;
SQL
    t0=$(now_ms)
    sqlite3 "$raw" <<SQL >/dev/null
PRAGMA synchronous=FULL;
PRAGMA foreign_keys=ON;
ATTACH '$OUT/ingest/kiosk.db' AS kiosk;
BEGIN;
INSERT INTO responses (device_id, seq, uuid, survey_id, survey_version, door, lang, kind, status,
  abandoned_at, started_at_ms, ended_at_ms, duration_ms, least_met, intent, comment, synthetic,
  received_at_ms, suspect_reason)
  SELECT '$device', seq, uuid, survey_id, survey_version, door, lang, kind, status,
  coalesce(abandoned_at, ''), started_at_ms, ended_at_ms, duration_ms, coalesce(least_met, ''),
  intent, coalesce(comment, ''), synthetic, 0, coalesce(suspect_reason, '') FROM kiosk.responses ORDER BY seq;
INSERT INTO response_scores (response_id, need, score, ordinal)
  SELECT r.id, s.need, s.score, s.ordinal FROM kiosk.response_scores s
  JOIN responses r ON r.device_id = '$device' AND r.seq = s.seq ORDER BY s.seq, s.ordinal;
INSERT INTO comment_search (rowid, comment) SELECT id, comment FROM responses WHERE comment != '';
COMMIT;
SQL
    t1=$(now_ms)
    [ "$(sqlite3 "$raw" 'SELECT count(*) FROM responses')" = "$BACKLOG" ] || fail "raw insert short"
    echo "raw_sqlite_bulk_insert rows=$BACKLOG seconds=$(awk -v ms=$((t1 - t0)) 'BEGIN{printf "%.2f", ms/1000}') rows_per_s=$(rate "$BACKLOG" $((t1 - t0)))"
    raw_rates+=("$(rate "$BACKLOG" $((t1 - t0)))")
    rm -f "$OUT/ingest-$repeat.db"* "$raw"*
done
ingest_rate=$(printf '%s\n' "${ingest_rates[@]}" | median)
raw_rate=$(printf '%s\n' "${raw_rates[@]}" | median)
echo "ingest_ratio median_server=$ingest_rate median_raw=$raw_rate server_over_raw=$(awk -v a="$ingest_rate" -v b="$raw_rate" 'BEGIN{printf "%.2f", a/b}')"

start_server
t0=$(now_ms)
"$KIOSK" sync --data-dir "$OUT/drain" --once ${DRAIN_BATCH:+--batch-size $DRAIN_BATCH} >>"$OUT/kiosk.log" 2>&1 || fail "drain failed"
t1=$(now_ms)
drain_ms=$((t1 - t0))
[ "$(server_count)" = "$BACKLOG" ] || fail "server holds $(server_count), expected $BACKLOG"
echo "drain backlog=$BACKLOG seconds=$(awk -v ms=$drain_ms 'BEGIN{printf "%.2f", ms/1000}') rows_per_s=$(rate "$BACKLOG" "$drain_ms")"

enroll_identities "$KIOSKS" "$OUT/identities.txt"
[ "$KIOSKS" -gt 0 ] && "$BUILD/bench/bench-load-kiosks" "$URL" "$OUT/identities.txt" "$REQUESTS" 10
rm -rf "$OUT"
