#!/usr/bin/env bash
# End to end: the real kiosk in a real X server, tapped with real X input at positions computed by
# the kiosk's own layout code; then the answers are read back from the SQLite file.
# Usage: kiosk_e2e.sh path/to/doorstep-kiosk OUTDIR
set -euo pipefail
KIOSK=$(realpath "$1")
OUT=$2
rm -rf "$OUT" && mkdir -p "$OUT"
source "$(dirname "$0")/lib.sh"

start_xvfb 1280x800
start_kiosk --data-dir "$OUT/data" --door checkout-2 --idle-timeout 6

echo "1. a complete response, with a comment typed on the on-screen keyboard"
screenshot attract
tap attract start 0
screenshot need
tap need face 4
tap need face 2
long_tap need face 5
tap least_met least_met 1
screenshot comment
tap comment shift 0
tap comment key 0 h
tap comment key 0 i
tap comment space 0
tap comment symbols 0
tap comment key 0 '!' en --symbols
tap comment done 0
tap intent intent 9
screenshot thank_you
[ "$(sql "SELECT count(*) FROM responses")" = 1 ] || fail "the completed response was not stored"
row=$(sql "SELECT status, door, lang, least_met, intent, comment, survey_id, abandoned_at IS NULL OR abandoned_at = '' FROM responses")
[ "$row" = "completed|checkout-2|en|control|9|Hi !|default|1" ] || fail "unexpected row: $row"
scores=$(sql "SELECT group_concat(need || '=' || score, ',') FROM (SELECT need, score FROM response_scores ORDER BY need)")
[ "$scores" = "control=2,support=5,trust=4" ] || fail "unexpected scores: $scores"
timing=$(sql "SELECT ended_at_ms > started_at_ms AND duration_ms > 1000 AND duration_ms < 120000 FROM responses")
[ "$timing" = 1 ] || fail "implausible times"

echo "2. back on attract after thank you; a Greek customer answers one question and walks away"
sleep 3.5
tap attract language 4
screenshot attract_el
tap attract start 0
screenshot need_el
tap need face 3 '' el
sleep 7.5  # idle timeout 6 s
row=$(sql "SELECT status, lang, abandoned_at FROM responses WHERE seq = (SELECT max(seq) FROM responses)")
[ "$row" = "abandoned|el|need:control" ] || fail "unexpected abandoned row: $row"
[ "$(sql "SELECT need || '=' || score FROM response_scores WHERE seq = (SELECT max(seq) FROM responses)")" = "trust=3" ] ||
    fail "the abandoned answer lost its score"

echo "3. the next customer starts in the default language with nothing left over"
tap attract start 0
tap need face 1
tap need face 1
tap need face 1
tap least_met least_met 0
screenshot comment_fresh
tap comment key 0 x
tap comment start_over 0
row=$(sql "SELECT status, lang, abandoned_at, comment FROM responses WHERE seq = (SELECT max(seq) FROM responses)")
[ "$row" = "abandoned|en|comment|x" ] || fail "unexpected start-over row: $row"

echo "4. sequence numbers increase and the file is sound"
[ "$(sql "SELECT count(*) FROM responses")" = 3 ] || fail "expected 3 responses"
[ "$(sql "PRAGMA integrity_check")" = ok ] || fail "integrity check failed"
[ "$(sql "PRAGMA journal_mode")" = wal ] || fail "store is not in WAL mode"
[ "$(stat -c %a "$OUT/data/kiosk.db")" = 600 ] || fail "store file is not private (0600)"

echo "5. SIGTERM mid-response keeps what was answered"
tap attract start 0
tap need face 5
stop_kiosk
row=$(sql "SELECT status, abandoned_at FROM responses WHERE seq = (SELECT max(seq) FROM responses)")
[ "$row" = "abandoned|need:control" ] || fail "SIGTERM lost the half-finished response: $row"
grep -q 'msg=stopped' "$OUT/kiosk.log" || fail "kiosk did not stop cleanly"
echo "kiosk_e2e: all checks passed; screenshots in $OUT"
