#!/usr/bin/env bash
# Load: KIOSKS simulated kiosks (default 1,000) upload at once to one doorstep-server on
# loopback, each BATCHES batches of ROWS answers, sending a batch again when told busy (429 or
# 503, after Retry-After), as kiosks do (bench-load-kiosks). Afterwards the server must hold
# every answer exactly once. Prints the latency of every request (p50, p99), the share answered
# busy, and requests per batch delivered (1.0 is no retry at all).
# Usage: bench/load_bench.sh BUILD_DIR [KIOSKS] [BATCHES] [ROWS]
# When DOORSTEP_RESULTS names a file, appends the results to it as markdown table rows.
set -euo pipefail
BUILD=$(realpath "$1")
KIOSKS=${2:-1000}
BATCHES=${3:-10}
ROWS=${4:-10}
SERVER=$BUILD/server/doorstep-server
OUT=$(mktemp -d)
source "$(dirname "$0")/../tests/e2e/sync_lib.sh"
SERVER_PORT=$(free_port)
URL="http://127.0.0.1:$SERVER_PORT"

start_server
enroll_identities "$KIOSKS" "$OUT/identities.txt"
[ "$(wc -l <"$OUT/identities.txt")" -eq "$KIOSKS" ] || fail "enrolled fewer than $KIOSKS kiosks"
result=$("$BUILD/bench/bench-load-kiosks" "$URL" "$OUT/identities.txt" "$BATCHES" "$ROWS") ||
    fail "bench-load-kiosks: $result"
echo "$result"
expected=$((KIOSKS * BATCHES * ROWS))
stored=$(sqlite3 "$OUT/server.db" 'SELECT count(*) FROM responses')
distinct=$(sqlite3 "$OUT/server.db" 'SELECT count(DISTINCT uuid) FROM responses')
stop_server
echo "load kiosks=$KIOSKS expected=$expected stored=$stored distinct=$distinct"
[ "$stored" = "$expected" ] || fail "the server holds $stored answers, expected $expected"
[ "$distinct" = "$stored" ] || fail "duplicates: $stored rows, $distinct distinct"
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$result"; }
if [ -n "${DOORSTEP_RESULTS:-}" ]; then
    {
        echo "| load | $KIOSKS kiosks at once: answers lost, duplicated | 0 of $expected, 0 | 0, 0 |"
        echo "| load | latency of every request, p50 / p99 | $(field p50_ms) / $(field p99_ms) ms | recorded |"
        echo "| load | requests answered busy (429/503) | $(field busy) ($(field busy_share)) | recorded |"
        echo "| load | requests per batch delivered | $(field requests_per_batch) | no retry storm |"
    } >>"$DOORSTEP_RESULTS"
fi
rm -rf "$OUT"
