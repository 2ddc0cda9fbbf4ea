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
echo "kiosk_cli: all checks passed"
