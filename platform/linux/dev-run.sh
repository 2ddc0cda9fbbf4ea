#!/usr/bin/env bash
# Builds Doorstep and runs the kiosk in a window, on this machine, with its data under
# ./var/kiosk. Installs what is missing first. Safe to run twice.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
bash platform/linux/install-deps.sh run
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2 --target doorstep-kiosk
kiosk=(build/kiosk/doorstep-kiosk --data-dir var/kiosk --door entrance --windowed 1280x800)

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    cat <<MSG

Doorstep is built, but this machine has no display to show the kiosk on.
Run it under a virtual X server instead:

    xvfb-run -s '-screen 0 1280x800x24' ${kiosk[*]}

and take a look with:  DISPLAY=:99 import -window root attract.png   (while it runs under
xvfb-run -n 99), or run this script again from a desktop session.
MSG
    exit 0
fi
echo "Starting the kiosk: ${kiosk[*]}"
exec "${kiosk[@]}"
