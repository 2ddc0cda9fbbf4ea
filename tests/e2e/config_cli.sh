#!/usr/bin/env bash
# Settings files (--config FILE, JSON) for both executables as a technician meets them: keys set
# the flags of the same name, flags on the command line win, other commands take shared keys
# (data-dir, db), and a bad file is refused with exit code 2 and a message naming file and key.
# Usage: config_cli.sh path/to/doorstep-kiosk path/to/doorstep-server OUTDIR
set -euo pipefail
KIOSK=$(realpath "$1")
SERVER=$(realpath "$2")
OUT=$3
rm -rf "$OUT" && mkdir -p "$OUT"
OUT=$(realpath "$OUT")
SURVEY=$(realpath "$(dirname "$0")/../../assets/surveys/default.json")

fail() { echo "FAIL: $*" >&2; exit 1; }

# expect CODE PATTERN COMMAND...: checks the exit code and that stderr+stdout match PATTERN.
expect() {
    local code=$1 pattern=$2
    shift 2
    local actual=0
    env -u DISPLAY -u WAYLAND_DISPLAY "$@" >"$OUT/out.txt" 2>&1 || actual=$?
    [ "$actual" = "$code" ] || { cat "$OUT/out.txt" >&2; fail "'$*' exited $actual, expected $code"; }
    grep -qE -- "$pattern" "$OUT/out.txt" || { cat "$OUT/out.txt" >&2; fail "'$*' did not say /$pattern/"; }
}

# refused FILE_TEXT KEY BINARY ARGS...: BINARY --config FILE ARGS refuses the file, naming it
# and KEY.
refused() {
    local text=$1 key=$2 binary=$3
    shift 3
    printf '%s\n' "$text" >"$OUT/bad.json"
    expect 2 "bad\.json.*$key" "$binary" --config "$OUT/bad.json" "$@"
}

echo "kiosk: keys reach the subcommands, flags win"
cat >"$OUT/kiosk.json" <<JSON
{"data-dir": "$OUT/kiosk-data", "survey": "$SURVEY", "door": "side-door", "idle-timeout": 30}
JSON
expect 0 'wrote 5 synthetic' "$KIOSK" --config "$OUT/kiosk.json" simulate --responses 5
[ "$(sqlite3 "$OUT/kiosk-data/kiosk.db" "SELECT count(*) FROM responses WHERE door = 'side-door'")" = 5 ] ||
    fail "simulate did not take data-dir and door from the file"
expect 0 'wrote 2 synthetic' "$KIOSK" --config "$OUT/kiosk.json" simulate --responses 2 --door back
[ "$(sqlite3 "$OUT/kiosk-data/kiosk.db" "SELECT count(*) FROM responses WHERE door = 'back'")" = 2 ] ||
    fail "--door on the command line did not win over the file"
expect 0 'Settings file' "$KIOSK" --config "$OUT/kiosk.json" --help

echo "kiosk: bad files are refused, naming file and key"
refused '{"idle-timout": 30}' 'unknown key "idle-timout"' "$KIOSK" --help
refused '{"idle-timeout": "30"}' 'idle-timeout.*a number' "$KIOSK" --help
refused '{"idle-timeout": 1}' 'idle-timeout' "$KIOSK" --help
refused '{"keep-synced-days": 2.5}' 'keep-synced-days.*whole number' "$KIOSK" --help
refused '{"door": "bad/door"}' 'door.*door name' "$KIOSK" --help
refused '{"windowed": "12x"}' 'windowed.*WIDTHxHEIGHT' "$KIOSK" --help
refused '{"responses": 5}' 'unknown key "responses"' "$KIOSK" simulate --responses 1
refused '{"door": "x",}' 'not valid JSON' "$KIOSK" --help
expect 2 'absent\.json' "$KIOSK" --config "$OUT/absent.json" layout --size 1280x800

echo "server: --db from the file reaches every command; bad files are refused"
cat >"$OUT/server.json" <<JSON
{"db": "sqlite:$OUT/server.db", "listen": "127.0.0.1:0"}
JSON
expect 0 '[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}' "$SERVER" enroll --config "$OUT/server.json" \
    --store lisbon --door checkout
[ "$(sqlite3 "$OUT/server.db" "SELECT count(*) FROM enrollment_codes")" -ge 1 ] ||
    fail "enroll did not use the database named in server.json"
refused '{"listen": "nowhere"}' 'listen.*HOST:PORT' "$SERVER" serve
refused '{"alert-hours": 48}' 'alert-hours' "$SERVER" serve
refused '{"tls-cert": "/nonexistent.pem"}' 'tls-cert' "$SERVER" serve
refused '{"store": "lisbon"}' 'unknown key "store"' "$SERVER" enroll --store a --door b
expect 2 'absent\.json' "$SERVER" serve --config "$OUT/absent.json"
echo "config_cli: all checks passed"
