#!/usr/bin/env bash
# The head-office dashboard end to end: a real doorstep-server on loopback fed by real kiosk data
# directories over the sync protocol, then Debian's Chromium driven by playwright-core through
# sign-in, filters, every page and the CSV download (dashboard.test.mjs); then the linkage page
# against a second server whose own database holds the planted fleet (linkage.test.mjs).
# Usage: dashboard_e2e.sh KIOSK SERVER OUT SEED_FLEET
set -euo pipefail
KIOSK=$1
SERVER=$2
OUT=$3
SEED_FLEET=$4
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$OUT"
mkdir -p "$OUT"
source "$here/../e2e/sync_lib.sh"

[ -d "$here/node_modules/playwright-core" ] ||
    fail "playwright-core is not installed: run 'npm ci' in tests/web (tests/run-all.sh does)"

SERVER_PORT=$(free_port)
url="http://127.0.0.1:$SERVER_PORT"
db="sqlite:$OUT/server.db"

# seed STORE DOOR RESPONSES SEED [FAKETIME]: one terminal's answers, synced with one heartbeat.
terminal=0
seed() {
    terminal=$((terminal + 1))
    local dir="$OUT/kiosk-$terminal" code
    code=$("$SERVER" enroll --db "$db" --store "$1" --door "$2" 2>>"$OUT/server.log")
    "$KIOSK" enroll --data-dir "$dir" --server "$url" --code "$code" >>"$OUT/kiosk.log" 2>&1 ||
        fail "enroll $1 $2"
    "$KIOSK" simulate --data-dir "$dir" --responses "$3" --door "$2" --seed "$4" \
        --staff-share 0.08 >>"$OUT/kiosk.log" 2>&1 || fail "simulate $1"
    "$KIOSK" sync --data-dir "$dir" --once --heartbeat >>"$OUT/kiosk.log" 2>&1 || fail "sync $1"
}

# A terminal last heard of three hours ago: the server's own clock set back while it syncs, so
# the fleet page must flag it as silent.
# libfaketime preloaded directly: the faketime wrapper would fork, and its pid is not the server's.
FAKETIME=-3h LD_PRELOAD=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 start_server
seed old-town service-desk 3 4
stop_server

start_server
# Rules before the answers arrive, so the harbour's unhappy answers open alerts to act on.
"$SERVER" alert-rule add --db "$db" --kind low_intent --threshold 1 --store harbour-mall \
    >>"$OUT/server.log" 2>&1 || fail "alert-rule add"
seed north-street entrance 900 1
seed north-street checkout 500 2
seed harbour-mall entrance 700 3
# A terminal whose unhappy customers left a contact: its first sync brings head office's key.
contacts_dir="$OUT/kiosk-contacts"
code=$("$SERVER" enroll --db "$db" --store harbour-mall --door service-desk 2>>"$OUT/server.log")
"$KIOSK" enroll --data-dir "$contacts_dir" --server "$url" --code "$code" >>"$OUT/kiosk.log" 2>&1 ||
    fail "enroll the contacts terminal"
"$KIOSK" sync --data-dir "$contacts_dir" --once >>"$OUT/kiosk.log" 2>&1 || fail "first sync"
"$KIOSK" simulate --data-dir "$contacts_dir" --responses 60 --door service-desk --seed 5 \
    --contacts 2 >>"$OUT/kiosk.log" 2>&1 || fail "simulate with contacts"
"$KIOSK" sync --data-dir "$contacts_dir" --once --heartbeat >>"$OUT/kiosk.log" 2>&1 ||
    fail "sync the contacts"
# The analyst works for the harbour: only its accounts may see its customers' contacts.
printf 'correct horse battery\n' |
    "$SERVER" add-user --db "$db" --name analyst --store harbour-mall 2>>"$OUT/server.log" ||
    fail "add-user"

cd "$here"
DASHBOARD_URL="$url/" DASHBOARD_USER=analyst DASHBOARD_PASSWORD='correct horse battery' \
    DASHBOARD_OUT="$OUT" node --test --test-reporter=spec dashboard.test.mjs ||
    fail "the dashboard tests failed"

# The linkage: a second server with its own database, so the data above stays as it was. The
# fleet's answers go in by its terminals; its outcomes are left for the page to import.
SERVER_PORT=$(free_port)
url="http://127.0.0.1:$SERVER_PORT"
linkage_db="sqlite:$OUT/linkage.db"
SERVER_DB_URL=$linkage_db start_server
"$SEED_FLEET" "$SERVER" "$linkage_db" "$SERVER_PORT" "$OUT/outcomes.csv" >>"$OUT/server.log" 2>&1 ||
    fail "seed the planted fleet"
printf 'correct horse battery\n' |
    "$SERVER" add-user --db "$linkage_db" --name finance 2>>"$OUT/server.log" || fail "add-user finance"
DASHBOARD_URL="$url/" DASHBOARD_USER=finance DASHBOARD_PASSWORD='correct horse battery' \
    DASHBOARD_OUT="$OUT" LINKAGE_OUTCOMES="$OUT/outcomes.csv" \
    node --test --test-reporter=spec linkage.test.mjs || fail "the linkage page tests failed"
echo "dashboard e2e: ok"
