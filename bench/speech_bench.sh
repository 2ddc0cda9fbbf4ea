#!/usr/bin/env bash
# Speech benchmarks: key press to first sound (bench-key-to-speech, the kiosk's own speaker with
# espeak-ng and SDL's disk audio driver), and the kiosk's resident memory under Xvfb without
# speech (--no-speech) and with speech loaded (the help said in the default language, then
# focus moved over the attract screen with speech on). Same machine, same run.
# Usage: bench/speech_bench.sh BUILD_DIR [PRESSES]
set -euo pipefail
BUILD=$(realpath "$1")
PRESSES=${2:-500}
KIOSK=$BUILD/kiosk/doorstep-kiosk
OUT=$(mktemp -d)
source "$(dirname "$0")/../tests/e2e/lib.sh"  # also: SDL_AUDIODRIVER=disk into $OUT

"$BUILD/bench/bench-key-to-speech" "$PRESSES" 2>/dev/null

rss_of() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
start_xvfb 1280x800
SURVEY="$(dirname "$0")/../assets/surveys/default.json"
start_kiosk --data-dir "$OUT/quiet" --survey "$SURVEY" --no-speech
sleep 2
echo "kiosk_rss_without_speech_kb=$(rss_of "$KIOSK_PID")"
stop_kiosk
start_kiosk --data-dir "$OUT/speech" --survey "$SURVEY"
xdotool key KP_Divide
sleep 2
xdotool key --delay 300 Tab Tab Tab Tab Tab Tab
sleep 2
echo "kiosk_rss_with_speech_kb=$(rss_of "$KIOSK_PID")"
stop_kiosk
rm -rf "$OUT"
