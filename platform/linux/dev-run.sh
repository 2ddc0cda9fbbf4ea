#!/usr/bin/env bash
# Builds Doorstep and runs the whole product on this machine: the head-office server on embedded
# SQLite, one kiosk enrolled with it, and the URL to open. Data lives under ./var. Installs what
# is missing first; safe to run twice (an enrolled kiosk stays enrolled). Ctrl-C stops it all.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
bash platform/linux/install-deps.sh run
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2 --target doorstep-kiosk doorstep-server
server=build/server/doorstep-server
kiosk=build/kiosk/doorstep-kiosk
port=${DOORSTEP_PORT:-8470}
url="http://127.0.0.1:$port"
mkdir -p var

children=()
stop() {
    for pid in "${children[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap stop EXIT INT TERM

"$server" serve --db sqlite:var/doorstep-server.db --listen "127.0.0.1:$port" 2>>var/server.log &
children+=($!)
for _ in $(seq 1 100); do
    curl -s -o /dev/null "$url/" && break
    kill -0 "${children[0]}" 2>/dev/null || { echo "the server did not start; see var/server.log" >&2; exit 1; }
    sleep 0.1
done

if [ ! -f var/kiosk/device.json ]; then
    code=$("$server" enroll --db sqlite:var/doorstep-server.db --store demo-store --door entrance 2>/dev/null)
    "$kiosk" enroll --data-dir var/kiosk --server "$url" --code "$code"
    # A few weeks of demo answers (marked synthetic), so manager mode and head office have figures.
    "$kiosk" simulate --data-dir var/kiosk --responses 400 --door entrance --staff-share 0.08 >/dev/null
fi

if [ ! -f var/demo-token ]; then
    # A head-office user for the dashboard and the API, with a password and a token
    # kept beside the data, readable only by you.
    (umask 077
     head -c 12 /dev/urandom | base64 | tr -d '/+=' >var/demo-password
     "$server" add-user --db sqlite:var/doorstep-server.db --name demo <var/demo-password 2>>var/server.log
     "$server" add-token --db sqlite:var/doorstep-server.db --user demo --label dev-run \
         >var/demo-token 2>>var/server.log)
fi
api_hint="Dashboard: open $url and sign in as demo, password: $(cat var/demo-password)
                API: curl -H \"Authorization: Bearer \$(cat var/demo-token)\" $url/api/reports/needs"
kiosk_args=(--data-dir var/kiosk --door entrance --windowed 1280x800)
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    # No screen here: the kiosk runs on a virtual one, so the product still works end to end.
    display=:$((90 + RANDOM % 50))
    Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >var/xvfb.log 2>&1 &
    children+=($!)
    sleep 1
    DISPLAY=$display "$kiosk" "${kiosk_args[@]}" 2>>var/kiosk.log &
    children+=($!)
    cat <<MSG

Doorstep is running.
  Head office:  $url   (server log: var/server.log)
                $api_hint
  Kiosk:        enrolled as $(jq -r .device_id var/kiosk/device.json 2>/dev/null || echo "a device"), data in var/kiosk
                This machine has no display, so the kiosk runs on the virtual X display $display.
                See it:  DISPLAY=$display import -window root kiosk.png
                Tap it:  DISPLAY=$display xdotool mousemove 640 400 click 1
                Or run this script from a desktop session to get a window.
  Manager mode: hold the kiosk's top-left corner for 3 s. Set its PIN first with
                $kiosk set-pin --data-dir var/kiosk
Press Ctrl-C to stop.
MSG
    wait "${children[0]}"
else
    echo
    echo "Doorstep is running. Head office: $url  (server log: var/server.log)"
    echo "$api_hint"
    echo "Manager mode: hold the top-left corner for 3 s (set a PIN first: $kiosk set-pin --data-dir var/kiosk)."
    echo "The kiosk window opens now; close it to stop everything."
    "$kiosk" "${kiosk_args[@]}" 2>>var/kiosk.log
fi
