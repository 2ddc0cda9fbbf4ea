#!/usr/bin/env bash
# The kiosk unit's own ExecStart and ExecStop, run for real: cage (on wlroots' headless backend,
# no GPU or seat needed) starts the kiosk as an unprivileged user, the kiosk's READY=1 and
# watchdog pings reach the notify socket through cage, and the unit's stop command ends the kiosk
# cleanly with cage exiting 0. Needs root (cage refuses to run as root: the test drops to
# nobody); exits 77 (skipped) without it.
# Usage: cage_e2e.sh doorstep-kiosk doorstep-notify-listen OUTDIR
set -euo pipefail
KIOSK=$(realpath "$1")
LISTEN=$(realpath "$2")
OUT=$3
UNIT=$(realpath "$(dirname "$0")/../../platform/linux/doorstep-kiosk.service")
rm -rf "$OUT" && mkdir -p "$OUT"
OUT=$(realpath "$OUT")

source "$(dirname "$0")/lib.sh"       # wait_for_lines, listen_for_notifications
source "$(dirname "$0")/sync_lib.sh"  # fail() that shows every log, and cleanup of SYNC_PIDS

[ "$(id -u)" = 0 ] || { echo "cage_e2e: skipped (needs root to run cage as another user)"; exit 77; }
[ -x /usr/bin/cage ] && [ -x /usr/bin/Xwayland ] ||
    fail "cage and Xwayland are not installed (bash platform/linux/install-deps.sh test)"

echo "1. the unit's ExecStart: cage starts the kiosk, whose READY=1 and pings get through"
mkdir -p "$OUT/runtime" "$OUT/data"
chmod 0700 "$OUT/runtime"
chown nobody "$OUT/runtime" "$OUT/data"
listen_for_notifications notify
exec_start=$(sed -n 's/^ExecStart=//p' "$UNIT")
[ "$exec_start" = "/usr/bin/cage -d -- /usr/bin/doorstep-kiosk" ] ||
    fail "unexpected ExecStart: $exec_start"
read -r -a command <<<"${exec_start/\/usr\/bin\/doorstep-kiosk/$KIOSK}"
setpriv --reuid=nobody --regid=nogroup --clear-groups env -i PATH=/usr/bin:/bin \
    HOME="$OUT/data" XDG_RUNTIME_DIR="$OUT/runtime" WLR_BACKENDS=headless \
    WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman SDL_VIDEODRIVER=wayland DOORSTEP_LOG_PREFIX=1 \
    NOTIFY_SOCKET="$OUT/notify.sock" WATCHDOG_USEC=2000000 \
    "${command[@]}" --data-dir "$OUT/data" >"$OUT/cage.log" 2>&1 &
cage_pid=$!
SYNC_PIDS+=("$cage_pid")
wait_for_lines "$OUT/notify.log" READY=1 1
wait_for_lines "$OUT/notify.log" WATCHDOG=1 2
grep -q '^<6>ts=.* msg="first frame"' "$OUT/cage.log" || fail "the kiosk drew no first frame"

echo "2. the unit's ExecStop: the kiosk stops cleanly and cage exits 0"
exec_stop=$(sed -n 's/^ExecStop=\/bin\/sh -c //p' "$UNIT")
[ -n "$exec_stop" ] || fail "the unit has no ExecStop=/bin/sh -c ..."
exec_stop=${exec_stop#\'}
exec_stop=${exec_stop%\'}
MAINPID=$cage_pid timeout 20 sh -c "${exec_stop//\$\$/\$}" || fail "ExecStop did not finish"
status=0
wait "$cage_pid" || status=$?
[ "$status" = 0 ] || fail "cage exited with status $status"
grep -q 'msg=stopped' "$OUT/cage.log" || fail "the kiosk did not stop cleanly"
wait_for_lines "$OUT/notify.log" STOPPING=1 1
[ "$(sqlite3 "$OUT/data/kiosk.db" "PRAGMA integrity_check")" = ok ] || fail "kiosk.db is not sound"
echo "cage_e2e: all checks passed"
