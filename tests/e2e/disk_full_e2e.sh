#!/usr/bin/env bash
# A full disk on the terminal, end to end: the real kiosk window keeps its data on a small tmpfs
# that is then filled up. Customers still answer through real X input and see the thank-you
# screen; their answers wait in memory; the heartbeat tells head office how many and why; when
# space returns they are stored and synced, and nothing is lost.
# Mounting a tmpfs needs root: without it the test says so and is skipped (exit 77).
# Usage: disk_full_e2e.sh path/to/doorstep-kiosk path/to/doorstep-server OUTDIR
set -euo pipefail
KIOSK=$(realpath "$1")
SERVER=$(realpath "$2")
OUT=$3
if [ "$(id -u)" -ne 0 ]; then
    echo "disk_full_e2e: needs root to mount a tmpfs; skipped" >&2
    exit 77
fi
rm -rf "$OUT" && mkdir -p "$OUT/data"
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sync_lib.sh"
mount -t tmpfs -o size=3m tmpfs "$OUT/data"
cleanup_disk() {
    sync_cleanup
    umount "$OUT/data" 2>/dev/null || umount -l "$OUT/data" 2>/dev/null || true
}
trap cleanup_disk EXIT

answer_one() {  # a quick customer: three faces, least met, no comment, intent; then the thanks
    tap attract start 0
    tap need face 4
    tap need face 3
    tap need face 5
    tap least_met least_met 0
    tap comment skip 0
    tap intent intent 8
    sleep 4  # the thank-you screen, back to the attract screen
}
heartbeat_says() {  # heartbeat_says COLUMN: the latest heartbeat's value on the server
    sqlite3 -batch -noheader "$OUT/server.db" "SELECT $1 FROM heartbeats" 2>/dev/null || true
}
wait_until() {  # wait_until DESCRIPTION 'SHELL TEST': evaluated again every 0.2 s, up to 60 s
    for _ in $(seq 1 300); do
        eval "$2" && return 0
        sleep 0.2
    done
    fail "timed out waiting until $1"
}

SERVER_PORT=$(free_port)
URL="http://127.0.0.1:$SERVER_PORT"
start_server
enroll "$OUT/data" "$URL"
start_xvfb 1280x800
start_kiosk --data-dir "$OUT/data" --heartbeat-interval 2

echo "1. with room on the disk, an answer is stored"
answer_one
wait_until "the first answer is stored" '[ "$(sql "SELECT count(*) FROM responses")" = 1 ]'

echo "2. the disk fills up; two customers answer and are thanked as usual"
dd if=/dev/zero of="$OUT/data/filler" bs=16k 2>/dev/null || true
[ "$(df --output=avail -k "$OUT/data" | tail -1 | tr -d ' ')" -le 16 ] || fail "the tmpfs is not full"
tap attract start 0
tap need face 2
screenshot disk_full_question
tap need face 2
tap need face 2
tap least_met least_met 1
tap comment skip 0
tap intent intent 3
screenshot disk_full_thanks
sleep 4
answer_one
kill -0 "$KIOSK_PID" || fail "the kiosk died on a full disk"
screenshot disk_full_attract
[ "$(sql 'SELECT count(*) FROM responses')" = 1 ] || fail "an answer was stored on a full disk?"
grep -q 'level=error' "$OUT/kiosk.log" || fail "the kiosk logged no error for the full disk"

echo "3. the heartbeat tells head office: 2 answers not saved, and why"
wait_until "the heartbeat reports 2 unsaved answers" '[ "$(heartbeat_says unsaved_answers)" = 2 ]'
[ -n "$(heartbeat_says storage_error)" ] || fail "the heartbeat names no storage error"
echo "   head office reads: $(heartbeat_says storage_error)"

echo "4. space returns: the held answers are stored, synced, and nothing is lost"
rm -f "$OUT/data/filler"
wait_until "all 3 answers are stored" '[ "$(sql "SELECT count(*) FROM responses")" = 3 ]'
[ "$(sql 'SELECT group_concat(seq) FROM (SELECT seq FROM responses ORDER BY seq)')" = "1,2,3" ] ||
    fail "sequence numbers are not 1,2,3"
wait_until "the server holds all 3" '[ "$(server_count)" = 3 ]'
wait_until "the heartbeat reports nothing unsaved" '[ "$(heartbeat_says unsaved_answers)" = 0 ]'
[ "$(sql 'PRAGMA integrity_check')" = ok ] || fail "integrity check failed"
stop_kiosk
check_exactly_once "$OUT/data"
echo "disk_full_e2e: all checks passed"
