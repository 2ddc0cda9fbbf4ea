#!/usr/bin/env bash
# The command line as an operator meets it: help, clear errors with exit code 2 for bad flags,
# `simulate`, and the survey fallback rules. Needs no display.
# Usage: kiosk_cli.sh path/to/doorstep-kiosk OUTDIR
set -euo pipefail
KIOSK=$(realpath "$1")
OUT=$2
rm -rf "$OUT" && mkdir -p "$OUT"
SURVEY=$(dirname "$0")/../../assets/surveys/default.json

fail() { echo "FAIL: $*" >&2; exit 1; }

# expect CODE PATTERN ARGS...: runs the kiosk, checks its exit code and that stderr+stdout match.
expect() {
    local code=$1 pattern=$2
    shift 2
    local actual=0
    env -u DISPLAY -u WAYLAND_DISPLAY "$KIOSK" "$@" >"$OUT/out.txt" 2>&1 || actual=$?
    [ "$actual" = "$code" ] || { cat "$OUT/out.txt" >&2; fail "'$*' exited $actual, expected $code"; }
    grep -qE -- "$pattern" "$OUT/out.txt" || { cat "$OUT/out.txt" >&2; fail "'$*' did not say /$pattern/"; }
}

expect 0 'simulate' --help
expect 0 'door' --help
expect 2 'nonsense' --nonsense
expect 2 'WIDTHxHEIGHT' --windowed 12x
expect 2 'idle-timeout' --idle-timeout 1
expect 2 'door name' --door 'bad/door'
expect 2 'responses' simulate --data-dir "$OUT/sim"
expect 2 'no such language' --data-dir "$OUT/lang" --lang xx --survey "$SURVEY"
expect 1 'xvfb-run' --data-dir "$OUT/nodisplay" --survey "$SURVEY"

echo "simulate writes synthetic responses through the store"
expect 0 'wrote 1200 synthetic responses' simulate --data-dir "$OUT/sim" --responses 1200 --seed 5 --survey "$SURVEY"
count=$(sqlite3 "$OUT/sim/kiosk.db" "SELECT count(*), sum(synthetic), count(DISTINCT uuid), max(seq) FROM responses")
[ "$count" = "1200|1200|1200|1200" ] || fail "simulate stored: $count"
[ "$(sqlite3 "$OUT/sim/kiosk.db" "SELECT count(*) FROM responses WHERE status = 'abandoned'")" -gt 0 ] ||
    fail "simulate wrote no abandoned responses"

echo "simulate --print-committed names each committed response by seq and uuid, as stored"
expect 2 'batch-size' simulate --data-dir "$OUT/printed" --responses 1 --batch-size 0
"$KIOSK" simulate --data-dir "$OUT/printed" --responses 20 --seed 6 --batch-size 7 --print-committed \
    --survey "$SURVEY" >"$OUT/printed.txt" || fail "simulate --print-committed failed"
grep '^committed ' "$OUT/printed.txt" | awk '{print $2 "|" $3}' >"$OUT/printed-pairs.txt"
sqlite3 "$OUT/printed/kiosk.db" "SELECT seq, uuid FROM responses ORDER BY seq" >"$OUT/stored-pairs.txt"
[ "$(wc -l <"$OUT/printed-pairs.txt")" = 20 ] || fail "printed $(wc -l <"$OUT/printed-pairs.txt") lines, expected 20"
cmp -s "$OUT/printed-pairs.txt" "$OUT/stored-pairs.txt" || fail "printed seq/uuid pairs differ from the stored ones"
grep -q 'wrote 20 synthetic' "$OUT/printed.txt" || fail "simulate --print-committed lost its summary line"

echo "an invalid survey on a terminal that never had a valid one: refuse, and say exactly why"
bad="$OUT/bad.json"
jq 'del(.needs[0].statement.el) | .scale = .scale[0:4]' "$SURVEY" >"$bad"
expect 1 'bad.json: \$\.needs\[0\]\.statement\.el' simulate --data-dir "$OUT/fresh" --responses 1 --survey "$bad"
grep -q 'scale' "$OUT/out.txt" || fail "the second problem was not reported"
[ "$(sqlite3 "$OUT/fresh/kiosk.db" "SELECT count(*) FROM responses")" = 0 ] || fail "wrote answers without a survey"

echo "an invalid survey on a terminal that had a valid one: keep running on the stored one"
expect 0 'wrote 3 synthetic' simulate --data-dir "$OUT/sim" --responses 3 --survey "$bad"
grep -q 'running on the last valid survey definition' "$OUT/out.txt" || fail "no warning about the fallback"
[ "$(sqlite3 "$OUT/sim/kiosk.db" "SELECT count(*) FROM responses")" = 1203 ] || fail "fallback lost answers"

echo "layout prints tap targets for tests and tools"
"$KIOSK" layout --size 800x480 --screen need --survey "$SURVEY" | jq -e '.targets | map(select(.kind == "face")) | length == 5' >/dev/null ||
    fail "layout did not list five faces"
echo "set-pin reads the PIN twice from stdin, stores only a keyed hash, and refuses a mismatch"
printf '4821\n4821\n' | expect 0 'manager PIN set' set-pin --data-dir "$OUT/pin"
hash=$(sqlite3 "$OUT/pin/kiosk.db" "SELECT value FROM meta WHERE key = 'manager_pin_hash'")
case "$hash" in '$argon2id$'*) ;; *) fail "no Argon2id hash stored: '$hash'" ;; esac
case "$hash" in *4821*) fail "the hash contains the PIN" ;; esac
[ "$(stat -c %a "$OUT/pin/pin.key")" = 600 ] || fail "pin.key is not 0600"
[ "$(stat -c %s "$OUT/pin/pin.key")" = 32 ] || fail "pin.key is not 32 bytes"
printf '4821\n4822\n' | expect 1 'do not match' set-pin --data-dir "$OUT/pin"
[ "$(sqlite3 "$OUT/pin/kiosk.db" "SELECT value FROM meta WHERE key = 'manager_pin_hash'")" = "$hash" ] ||
    fail "a refused set-pin changed the stored PIN"
printf '12a4\n12a4\n' | expect 1 'digits only' set-pin --data-dir "$OUT/pin"
printf '123\n123\n' | expect 1 '4 to 8 digits' set-pin --data-dir "$OUT/pin"
expect 1 'no PIN given' set-pin --data-dir "$OUT/pin" </dev/null
grep -q 4821 "$OUT/out.txt" && fail "set-pin printed the PIN"
# Replacing an existing PIN is allowed to whoever has the shell.
printf '20250611\r\n20250611\r\n' | expect 0 'manager PIN set' set-pin --data-dir "$OUT/pin"
[ "$(sqlite3 "$OUT/pin/kiosk.db" "SELECT value FROM meta WHERE key = 'manager_pin_hash'")" != "$hash" ] ||
    fail "set-pin did not replace the PIN"
# The PIN is never taken from the command line, where other users could read it.
expect 2 'not expected' set-pin --data-dir "$OUT/pin" --pin 1234

echo "export writes every local response to a private CSV file"
expect 0 'wrote 50 synthetic' simulate --data-dir "$OUT/exp" --responses 50 --seed 9 --survey "$SURVEY"
expect 0 'exported 50 responses' export --data-dir "$OUT/exp" --out "$OUT/exp/answers.csv"
[ -f "$OUT/exp/answers.csv" ] || fail "export wrote no file"
[ ! -e "$OUT/exp/answers.csv.partial" ] || fail "export left its temporary file"
[ "$(stat -c %a "$OUT/exp/answers.csv")" = 600 ] || fail "the export is not 0600"
head -n 1 "$OUT/exp/answers.csv" | grep -q '^seq,uuid,kind,status,abandoned_at,survey_id,survey_version,door,lang,started_at,ended_at,duration_ms,score_trust,score_control,score_support,score_flexibility,score_balance' ||
    fail "unexpected header: $(head -n 1 "$OUT/exp/answers.csv")"
# Count records with a CSV reader: a comment may hold line breaks.
rows=$(sqlite3 :memory: ".import --csv $OUT/exp/answers.csv answers" "SELECT count(*), count(DISTINCT uuid) FROM answers")
[ "$rows" = "50|50" ] || fail "export has $rows rows, expected 50|50"
expect 1 'no/such/dir' export --data-dir "$OUT/exp" --out "$OUT/no/such/dir/answers.csv"
expect 1 'no store to export' export --data-dir "$OUT/nothing-here" --out "$OUT/x.csv"
expect 2 'out' export --data-dir "$OUT/exp"

echo "kiosk_cli: all checks passed"
