# Shared helpers for end-to-end tests: a real X server (Xvfb), the real kiosk binary, real X input
# (xdotool), and tap positions computed by the kiosk's own layout code (`doorstep-kiosk layout`).
# Source it; it expects KIOSK (the binary) and OUT (a scratch directory) to be set.

E2E_PIDS=()

# Kiosks here speak into a file: SDL's disk audio driver writes what they say, in real time, so
# every kiosk has speech mode and its tactile spot, as `doorstep-kiosk layout` assumes.
export SDL_AUDIODRIVER=disk
export SDL_DISKAUDIOFILE="$OUT/speech.raw"

e2e_cleanup() {
    for pid in "${E2E_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
}
trap e2e_cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    [ -f "$OUT/kiosk.log" ] && { echo "--- kiosk log (last 20 lines)" >&2; tail -20 "$OUT/kiosk.log" >&2; }
    exit 1
}

# start_xvfb WIDTHxHEIGHT: starts a private X server and exports DISPLAY.
start_xvfb() {
    local size=$1 display
    for display in $(seq 90 140); do
        [ -e "/tmp/.X${display}-lock" ] && continue
        Xvfb ":$display" -screen 0 "${size}x24" -nolisten tcp -noreset >"$OUT/xvfb-$display.log" 2>&1 &
        E2E_PIDS+=($!)
        export DISPLAY=":$display"
        for _ in $(seq 1 100); do
            xdpyinfo >/dev/null 2>&1 && { SCREEN_SIZE=$size; return 0; }
            sleep 0.1
        done
        fail "Xvfb did not start on :$display"
    done
    fail "no free X display number"
}

stop_xvfb() {
    kill "${E2E_PIDS[0]}" 2>/dev/null || true
    wait "${E2E_PIDS[0]}" 2>/dev/null || true
    E2E_PIDS=()
}

# start_kiosk ARGS...: runs the kiosk full-screen on the Xvfb screen and waits for its first frame.
start_kiosk() {
    : >"$OUT/kiosk.log"
    "$KIOSK" "$@" 2>>"$OUT/kiosk.log" &
    KIOSK_PID=$!
    E2E_PIDS+=("$KIOSK_PID")
    for _ in $(seq 1 200); do
        grep -q 'msg="first frame"' "$OUT/kiosk.log" && { sleep 0.3; return 0; }
        kill -0 "$KIOSK_PID" 2>/dev/null || fail "kiosk exited before its first frame"
        sleep 0.1
    done
    fail "kiosk showed no first frame within 20 s"
}

stop_kiosk() {
    kill -TERM "$KIOSK_PID" 2>/dev/null || true
    wait "$KIOSK_PID" 2>/dev/null || true
}

# target SCREEN KIND INDEX [TEXT] [LANG] [--symbols]: prints "x y", the centre of that target.
target() {
    local screen=$1 kind=$2 index=$3 text=${4:-} lang=${5:-en} extra=${6:-}
    local json
    json=$("$KIOSK" layout --size "$SCREEN_SIZE" --screen "$screen" --lang "$lang" $extra) ||
        fail "layout failed for $screen"
    local where
    where=$(jq -r --arg kind "$kind" --argjson index "$index" --arg text "$text" \
        '.targets[] | select(.kind == $kind and .index == $index and ($text == "" or .text == $text))
         | "\(.cx) \(.cy)"' <<<"$json" | head -n 1)
    [ -n "$where" ] || fail "no $kind $index '$text' on $screen ($lang)"
    echo "$where"
}

# tap SCREEN KIND INDEX [TEXT] [LANG]: a quick tap, press and release within a frame.
tap() {
    local xy
    xy=$(target "$@")
    # shellcheck disable=SC2086
    xdotool mousemove $xy click 1
    sleep 0.25
}

# long_tap SCREEN KIND INDEX: the finger rests for half a second before lifting.
long_tap() {
    local xy
    xy=$(target "$@")
    # shellcheck disable=SC2086
    xdotool mousemove $xy mousedown 1 sleep 0.5 mouseup 1
    sleep 0.25
}

# answer_questions INTENT: a customer's taps from the first question of the shipped survey to
# its last: the three needs 4, 2 and 5, the second need least met, no comment, would come back
# INTENT (0-10).
answer_questions() {
    tap need face 4
    tap need face 2
    tap need face 5
    tap least_met least_met 1
    tap comment done 0
    tap intent intent "$1"
}

# screenshot NAME: saves the whole X screen and checks it is not blank.
screenshot() {
    local file="$OUT/$1.png"
    import -window root "$file" || fail "screenshot $1 failed"
    local colors
    colors=$(convert "$file" -format '%k' info:)
    [ "$colors" -gt 8 ] || fail "screenshot $1 looks blank ($colors colours)"
}

# sql QUERY: runs a query on the kiosk's store.
sql() {
    sqlite3 -batch -noheader "$OUT/data/kiosk.db" "$1"
}

# wait_for_lines FILE LINE COUNT: waits (up to 30 s) until FILE holds LINE at least COUNT times.
wait_for_lines() {
    local file=$1 line=$2 count=$3
    for _ in $(seq 1 300); do
        [ "$(grep -cxF -- "$line" "$file" 2>/dev/null)" -ge "$count" ] && return 0
        sleep 0.1
    done
    fail "$file: fewer than $count lines '$line' after 30 s"
}

# listen_for_notifications NAME: systemd's notify socket, played by $LISTEN
# (doorstep-notify-listen), at $OUT/NAME.sock; the messages go to $OUT/NAME.log. Any user may
# send to it, as a service's user would.
listen_for_notifications() {
    : >"$OUT/$1.log"
    "$LISTEN" "$OUT/$1.sock" >"$OUT/$1.log" 2>&1 &
    E2E_PIDS+=($!)
    for _ in $(seq 1 50); do
        [ -S "$OUT/$1.sock" ] && { chmod 0666 "$OUT/$1.sock"; return 0; }
        sleep 0.1
    done
    fail "doorstep-notify-listen did not bind $OUT/$1.sock"
}
