# Helpers for sync end-to-end tests: a real doorstep-server on loopback, real kiosk data
# directories, and the fault proxy between them. Source after setting SERVER, KIOSK, PROXY, OUT.

SYNC_PIDS=()
sync_cleanup() {
    for pid in "${SYNC_PIDS[@]}"; do
        kill -9 "$pid" 2>/dev/null || true
    done
    if declare -F e2e_cleanup >/dev/null; then
        e2e_cleanup  # the window helpers' processes, when lib.sh was sourced too
    fi
    wait 2>/dev/null || true
}
trap sync_cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    for log in "$OUT"/*.log; do
        [ -f "$log" ] && { echo "--- $log (last 15 lines)" >&2; tail -15 "$log" >&2; }
    done
    exit 1
}

# free_port: a TCP port on 127.0.0.1 that no socket holds right now, below the kernel's
# ephemeral range (32768 and up here), so no outgoing connection takes it between the look and
# the server's bind.
free_port() {
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 12000))
        ss -Htan "sport = :$port" | grep -q . || { echo "$port"; return; }
    done
    fail "no free port"
}

# start_server: (re)starts the server on $SERVER_PORT with $OUT/server.db (or $SERVER_DB, or any
# --db URL in $SERVER_DB_URL); waits until it answers.
start_server() {
    "$SERVER" serve --db "${SERVER_DB_URL:-sqlite:${SERVER_DB:-$OUT/server.db}}" \
        --listen "127.0.0.1:$SERVER_PORT" >>"$OUT/server.log" 2>&1 &
    SERVER_PID=$!
    SYNC_PIDS+=("$SERVER_PID")
    for _ in $(seq 1 100); do
        curl -s -o /dev/null "http://127.0.0.1:$SERVER_PORT/" && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || fail "server exited at start"
        sleep 0.1
    done
    fail "server did not answer on port $SERVER_PORT"
}

kill_server() {
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
}

# stop_server: SIGTERM, and wait for the clean exit (the WAL checkpointed into the file).
stop_server() {
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
}

# enroll DATA_DIR URL: enrolls a kiosk data directory with a fresh code.
enroll() {
    local code
    code=$("$SERVER" enroll --db "sqlite:$OUT/server.db" --store "store-$RANDOM" --door checkout |
        grep -oE '[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}' | head -n 1)
    [ -n "$code" ] || fail "server enroll printed no code"
    "$KIOSK" enroll --data-dir "$1" --server "$2" --code "$code" >>"$OUT/kiosk.log" 2>&1 ||
        fail "kiosk enroll failed"
}

# server_uuids: unique uuids in the server's CSV export, one per line, sorted.
# Enrolls COUNT simulated kiosks with the running server (SERVER_DB, URL) at stores "load-N",
# writing "device_id secret_hex" per line to FILE, for bench-load-kiosks.
enroll_identities() {
    local count=$1 file=$2 i code
    : >"$file"
    for i in $(seq 1 "$count"); do
        code=$("$SERVER" enroll --db "sqlite:${SERVER_DB:-$OUT/server.db}" \
            --store "load-$((i % 20))" --door "door-$i" 2>/dev/null)
        printf '{"code":"%s","app_version":"bench"}' "$code" | gzip -c |
            curl -s --data-binary @- -H 'Content-Type: application/gzip' \
                -H 'Doorstep-Protocol: 1' "$URL/v1/enroll" |
            jq -r '.device_id + " " + .device_secret' >>"$file"
    done
}

server_export() {
    "$SERVER" export --db "sqlite:$OUT/server.db" --out "$OUT/export.csv" >>"$OUT/server.log" 2>&1 ||
        fail "export failed"
}

server_count() {
    server_export
    echo $(( $(wc -l <"$OUT/export.csv") - 1 ))
}

kiosk_sql() { sqlite3 -batch -noheader "$1/kiosk.db" "$2"; }

# check_dated DIR "FIRST LAST ERROR_MS"...: head office holds seqs FIRST..LAST of the kiosk in DIR
# with their ends moved by -ERROR_MS (the kiosk's clock was ERROR_MS fast when it stamped them),
# to within 5 s, and the durations as the kiosk measured them.
check_dated() {
    local dir=$1
    shift
    server_export
    rm -f "$OUT/dates.db"
    sqlite3 "$OUT/dates.db" ".import --csv $OUT/export.csv server" || fail "cannot read the export"
    local device
    device=$(jq -r .device_id "$dir/device.json")
    local range first last error wrong
    for range in "$@"; do
        read -r first last error <<<"$range"
        wrong=$(sqlite3 -batch -noheader "$OUT/dates.db" "
            ATTACH '$dir/kiosk.db' AS kiosk;
            SELECT count(*) FROM kiosk.responses k
            LEFT JOIN server s ON s.device_id = '$device' AND s.uuid = k.uuid
            WHERE k.seq BETWEEN $first AND $last AND (
                s.uuid IS NULL OR CAST(s.seq AS INTEGER) != k.seq OR
                CAST(s.duration_ms AS INTEGER) != k.duration_ms OR
                abs(round((julianday(s.ended_at) - 2440587.5) * 86400000)
                    - (k.ended_at_ms - ($error))) > 5000);")
        [ "$wrong" = 0 ] ||
            fail "seqs $first..$last: $wrong answers missing or misdated (expected the kiosk's stamps less $error ms)"
    done
}

# check_exactly_once DATA_DIR...: every kiosk row is on the server once, and nothing else is.
check_exactly_once() {
    server_export
    local column
    column=$(head -n 1 "$OUT/export.csv" | tr ',' '\n' | grep -nx uuid | cut -d: -f1)
    [ -n "$column" ] || fail "export has no uuid column"
    tail -n +2 "$OUT/export.csv" | cut -d, -f"$column" | sort >"$OUT/server-uuids.txt"
    local duplicates
    duplicates=$(uniq -d "$OUT/server-uuids.txt" | wc -l)
    [ "$duplicates" = 0 ] || fail "$duplicates uuids stored twice on the server"
    : >"$OUT/kiosk-uuids.txt"
    for dir in "$@"; do
        kiosk_sql "$dir" "SELECT uuid FROM responses" >>"$OUT/kiosk-uuids.txt"
    done
    sort -o "$OUT/kiosk-uuids.txt" "$OUT/kiosk-uuids.txt"
    cmp -s "$OUT/server-uuids.txt" "$OUT/kiosk-uuids.txt" ||
        fail "server and kiosks disagree: $(comm -3 "$OUT/server-uuids.txt" "$OUT/kiosk-uuids.txt" | wc -l) uuids differ"
}
