#!/usr/bin/env bash
# The crash suite's checks must be able to fail: each one is run on real files (a real server, a
# real kiosk) broken on purpose in exactly the way it looks for, and must say so.
# Usage: crash_checks_test.sh doorstep-kiosk doorstep-server OUTDIR
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
KIOSK=$(realpath "$1")
SERVER=$(realpath "$2")
OUT=$3
rm -rf "$OUT" && mkdir -p "$OUT"
SURVEY=$ROOT/assets/surveys/default.json
source "$ROOT/tests/e2e/sync_lib.sh"
source "$ROOT/tests/crash/crash_lib.sh"
SERVER_DB=$OUT/server.db

# In a check under test, fail must only end that check, with its message on stdout.
fail() { echo "$*"; exit 1; }
die() { echo "FAIL: $*" >&2; exit 1; }

# expect_check_fails PATTERN CHECK ARGS...: the check must fail, saying PATTERN.
expect_check_fails() {
    local pattern=$1 said
    shift
    if said=$( ("$@") 2>&1); then
        die "'$*' passed on a broken file"
    fi
    grep -qE -- "$pattern" <<<"$said" || die "'$*' failed, but said '$said', not /$pattern/"
    echo "ok: $1 fails: $said"
}
expect_check_passes() {
    local said
    said=$( ("$@") 2>&1) || die "'$*' failed on good files: $said"
}

SERVER_PORT=$(free_port)
start_server
DEVICE=$OUT/device
enroll "$DEVICE" "http://127.0.0.1:$SERVER_PORT" 2>>"$OUT/server.log"
"$KIOSK" simulate --data-dir "$DEVICE" --responses 30 --seed 1 --batch-size 7 --print-committed \
    --survey "$SURVEY" | grep '^committed ' | cut -d' ' -f2,3 >"$OUT/committed.txt"
"$KIOSK" sync --data-dir "$DEVICE" --once >>"$OUT/kiosk.log" 2>&1 || die "sync failed"
"$KIOSK" simulate --data-dir "$DEVICE" --responses 5 --seed 2 --print-committed \
    --survey "$SURVEY" | grep '^committed ' | cut -d' ' -f2,3 >>"$OUT/committed.txt"
stop_server
SYNC_PIDS=()  # the server has exited and been waited for: nothing left for the exit trap
device=$(device_id_of "$DEVICE")

echo "the checks pass on good files: 30 answers synced, 5 pending"
expect_check_passes check_integrity kiosk "$DEVICE/kiosk.db"
expect_check_passes check_committed_kept "$DEVICE" "$OUT/committed.txt"
expect_check_passes check_rollups_match "$DEVICE"
expect_check_passes check_sent_on_server "$DEVICE"
expect_check_passes check_server_unique

echo "each check fails on the fault it looks for"
cp -a "$DEVICE" "$OUT/good-device" && cp "$SERVER_DB" "$OUT/good-server.db"
restore() { rm -rf "$DEVICE" && cp -a "$OUT/good-device" "$DEVICE" && cp "$OUT/good-server.db" "$SERVER_DB"; }
sql_rw() { sqlite3 -batch "$1" "$2"; }

# A pending answer gone from the device (the server never had it): lost.
sql_rw "$DEVICE/kiosk.db" "DELETE FROM responses WHERE seq = 35"
expect_check_fails '1 committed responses are neither' check_committed_kept "$DEVICE" "$OUT/committed.txt"
restore
# A synced answer gone from the device is fine, it is on the server; gone from both, it is lost.
sql_rw "$DEVICE/kiosk.db" "DELETE FROM responses WHERE seq = 3"
expect_check_passes check_committed_kept "$DEVICE" "$OUT/committed.txt"
sql_rw "$SERVER_DB" "DELETE FROM responses WHERE device_id = '$device' AND seq = 3"
expect_check_fails '1 committed responses are neither' check_committed_kept "$DEVICE" "$OUT/committed.txt"
restore
# A hole: seq 36 stored although nobody printed it, and 35 missing (never printed either).
sed -i '/^35 /d' "$OUT/committed.txt"
sql_rw "$DEVICE/kiosk.db" "UPDATE responses SET seq = 36 WHERE seq = 35"
expect_check_fails 'holes: 35 responses, highest seq 36' check_committed_kept "$DEVICE" "$OUT/committed.txt"
restore
# The device and the server disagree on an answer's seq.
sql_rw "$SERVER_DB" "UPDATE responses SET seq = 99 WHERE device_id = '$device' AND seq = 4"
expect_check_fails 'uuids have different seqs' check_committed_kept "$DEVICE" "$OUT/committed.txt"
restore
# A row without its rollup counts.
sql_rw "$DEVICE/kiosk.db" "INSERT INTO rollup_outcomes SELECT day, hour + 100, weekday, kind, suspect, synthetic, reason, status, step, 1 FROM rollup_outcomes LIMIT 1"
expect_check_fails 'rows and rollup counts disagree' check_rollups_match "$DEVICE"
restore
# The kiosk marked an answer synced that the server does not hold.
sql_rw "$DEVICE/kiosk.db" "UPDATE responses SET sync_state = 'synced' WHERE seq = 33"
expect_check_fails '1 answers the kiosk considers sent are not on the server' check_sent_on_server "$DEVICE"
restore
# An answer twice on the server, under another device.
columns=$(sqlite3 "$SERVER_DB" "SELECT group_concat(name, ', ') FROM pragma_table_info('responses') WHERE name NOT IN ('id', 'device_id')")
sql_rw "$SERVER_DB" "INSERT INTO responses (device_id, $columns) SELECT 'dev_other', $columns FROM responses WHERE seq = 1 LIMIT 1"
expect_check_fails '1 uuids stored twice' check_server_unique
restore
# Damaged pages: the file's middle overwritten with zeros.
size=$(stat -c %s "$DEVICE/kiosk.db")
dd if=/dev/zero of="$DEVICE/kiosk.db" bs=4096 seek=$(( size / 4096 / 2 )) count=2 conv=notrunc status=none
expect_check_fails 'integrity_check of .* says: .*malformed' check_integrity kiosk "$DEVICE/kiosk.db"
restore
echo "crash_checks_test: every check passed on good files and failed on its fault"
