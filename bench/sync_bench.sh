#!/usr/bin/env bash
# Sync benchmarks on loopback, all measured in one run:
#   1. drain a 100,000-response backlog with `doorstep-kiosk sync --once`;
#   2. the same rows bulk-inserted into a raw SQLite table in one transaction (WAL,
#      synchronous=FULL, a unique key like the server's), for the ingest ratio;
#   3. 200 simulated kiosks posting signed batches at once: requests/s and latency.
# Usage: bench/sync_bench.sh BUILD_DIR [BACKLOG] [KIOSKS] [REQUESTS_PER_KIOSK]
set -euo pipefail
BUILD=$(realpath "$1")
BACKLOG=${2:-100000}
KIOSKS=${3:-200}
REQUESTS=${4:-20}
KIOSK=$BUILD/kiosk/doorstep-kiosk
SERVER=$BUILD/server/doorstep-server
OUT=$(mktemp -d)
source "$(dirname "$0")/../tests/e2e/sync_lib.sh"
SURVEY=$(dirname "$0")/../assets/surveys/default.json
SERVER_PORT=$(free_port)
URL="http://127.0.0.1:$SERVER_PORT"
now_ms() { date +%s%3N; }

start_server
enroll "$OUT/k" "$URL"
"$KIOSK" simulate --data-dir "$OUT/k" --responses "$BACKLOG" --seed 7 --survey "$SURVEY" >/dev/null
t0=$(now_ms)
"$KIOSK" sync --data-dir "$OUT/k" --once ${DRAIN_BATCH:+--batch-size $DRAIN_BATCH} >>"$OUT/kiosk.log" 2>&1 || fail "drain failed"
t1=$(now_ms)
drain_ms=$((t1 - t0))
[ "$(server_count)" = "$BACKLOG" ] || fail "server holds $(server_count), expected $BACKLOG"
echo "drain backlog=$BACKLOG seconds=$(awk -v ms=$drain_ms 'BEGIN{printf "%.2f", ms/1000}') rows_per_s=$(awk -v n=$BACKLOG -v ms=$drain_ms 'BEGIN{printf "%.0f", n*1000/ms}')"

t0=$(now_ms)
sqlite3 "$OUT/raw.db" <<SQL >/dev/null
PRAGMA journal_mode=WAL;
PRAGMA synchronous=FULL;
CREATE TABLE raw (device_id TEXT, seq INTEGER, uuid TEXT, survey_id TEXT, survey_version INTEGER,
  door TEXT, lang TEXT, kind TEXT, status TEXT, abandoned_at TEXT, started_at_ms INTEGER,
  ended_at_ms INTEGER, duration_ms INTEGER, least_met TEXT, intent INTEGER, comment TEXT,
  synthetic INTEGER, UNIQUE (device_id, uuid), UNIQUE (device_id, seq));
CREATE TABLE raw_scores (device_id TEXT, seq INTEGER, need TEXT, score INTEGER,
  PRIMARY KEY (device_id, seq, need));
ATTACH '$OUT/k/kiosk.db' AS kiosk;
BEGIN;
INSERT INTO raw SELECT 'dev', seq, uuid, survey_id, survey_version, door, lang, kind, status,
  abandoned_at, started_at_ms, ended_at_ms, duration_ms, least_met, intent, comment, synthetic
  FROM kiosk.responses;
INSERT INTO raw_scores SELECT 'dev', seq, need, score FROM kiosk.response_scores;
COMMIT;
SQL
t1=$(now_ms)
raw_ms=$((t1 - t0))
echo "raw_sqlite_bulk_insert rows=$BACKLOG seconds=$(awk -v ms=$raw_ms 'BEGIN{printf "%.2f", ms/1000}') rows_per_s=$(awk -v n=$BACKLOG -v ms=$raw_ms 'BEGIN{printf "%.0f", n*1000/ms}')"
echo "ingest_ratio server_over_raw=$(awk -v a=$raw_ms -v b=$drain_ms 'BEGIN{printf "%.2f", a/b}')"

: >"$OUT/identities.txt"
for i in $(seq 1 "$KIOSKS"); do
    code=$("$SERVER" enroll --db "sqlite:$OUT/server.db" --store "load-$((i % 20))" --door "door-$i" 2>/dev/null)
    printf '{"code":"%s","app_version":"bench"}' "$code" | gzip -c |
        curl -s --data-binary @- -H 'Content-Type: application/gzip' -H 'Doorstep-Protocol: 1' \
            "$URL/v1/enroll" | jq -r '.device_id + " " + .device_secret' >>"$OUT/identities.txt"
done
"$BUILD/bench/bench-load-kiosks" "$URL" "$OUT/identities.txt" "$REQUESTS" 10
rm -rf "$OUT"
