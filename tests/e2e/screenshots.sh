#!/usr/bin/env bash
# Walks every customer screen at six screen sizes (landscape and portrait) and saves a screenshot
# of each, in English and Greek, for people to look at: once as usual, and once with every
# accessibility mode switched on from the attract screen (high contrast, large text, within
# reach). In that walk every tap lands where `layout --large-text --within-reach` says, so a
# kiosk that did not switch its layout would miss them and store nothing. Then the closed page
# (outside opening hours) in each language and size. Fails if any screen
# comes out blank or a walk-through stores no response.
# Usage: screenshots.sh path/to/doorstep-kiosk OUTDIR [SIZE...]
set -euo pipefail
KIOSK=$(realpath "$1")
BASE=$2
shift 2
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1280x800 800x1280 1920x1080 1080x1920 800x480 480x800)
rm -rf "$BASE" && mkdir -p "$BASE"
OUT=$BASE
source "$(dirname "$0")/lib.sh"
SURVEY=$(dirname "$0")/../../assets/surveys/default.json

# language_index CODE: the position of a language on the attract screen.
language_index() {
    jq -r --arg code "$1" '[.languages[].code] | index($code)' "$SURVEY"
}

# walk SIZE LANG MODES: one customer's pass, a screenshot of each screen. MODES is "usual" or
# "access" (all three modes switched on first).
walk() {
    local size=$1 lang=$2 modes=$3 flags=""
    OUT="$BASE/$size-$lang-$modes"
    mkdir -p "$OUT"
    start_xvfb "$size"
    start_kiosk --data-dir "$OUT/data" --lang "$lang" --idle-timeout 60
    if [ "$modes" = access ]; then
        tap attract access 0 '' "$lang"
        tap attract access 1 '' "$lang"
        tap attract access 2 '' "$lang"
        flags="--large-text --within-reach"
        # Another language and back: the modes stay on (every later tap relies on it).
        tap attract language 0 '' "$lang" "$flags"
        tap attract language "$(language_index "$lang")" '' "$lang" "$flags"
    fi
    screenshot "1-attract"
    xdotool key Tab Tab Tab Tab Tab  # keys: the focus ring, on the fifth control
    sleep 0.3
    screenshot "1b-attract-focus"
    tap attract start 0 '' "$lang" "$flags"
    screenshot "2-need"
    xdotool key Right Right  # the focus ring on face 2
    sleep 0.3
    screenshot "2b-need-focus"
    tap need face 4 '' "$lang" "$flags"
    tap need face 2 '' "$lang" "$flags"
    tap need face 5 '' "$lang" "$flags"
    screenshot "3-least-met"
    tap least_met least_met 1 '' "$lang" "$flags"
    tap comment shift 0 '' "$lang" "$flags"
    # shellcheck disable=SC2086
    first_key=$("$KIOSK" layout --size "$size" --screen comment --lang "$lang" $flags | jq -r '[.targets[] | select(.kind == "key")][2].text')
    tap comment key 0 "$first_key" "$lang" "$flags"
    screenshot "4-comment"
    tap comment back 0 '' "$lang" "$flags"
    screenshot "8-least-met-chosen"  # coming back: the choice shows by a tick, not only colour
    tap least_met least_met 1 '' "$lang" "$flags"
    tap comment symbols 0 '' "$lang" "$flags"
    screenshot "5-comment-symbols"
    tap comment done 0 '' "$lang" "$flags"
    screenshot "6-intent"
    tap intent intent 8 '' "$lang" "$flags"
    screenshot "7-thank-you"
    stop_kiosk
    stop_xvfb
    [ "$(sqlite3 "$OUT/data/kiosk.db" "SELECT count(*) FROM responses WHERE status = 'completed'")" = 1 ] ||
        fail "$size $lang $modes: the walk-through did not store its response"
    for f in "$OUT"/[0-9]*-*.png; do
        mv "$f" "$BASE/$size-$lang-$modes-$(basename "$f")"
    done
}

# closed SIZE LANG: the page outside opening hours ("mon closed": no day is open).
closed() {
    OUT="$BASE/$1-$2-closed"
    mkdir -p "$OUT"
    start_xvfb "$1"
    start_kiosk --data-dir "$OUT/data" --lang "$2" --opening-hours "mon closed"
    screenshot "9-closed"
    stop_kiosk
    stop_xvfb
    mv "$OUT/9-closed.png" "$BASE/$1-$2-9-closed.png"
}

for size in "${SIZES[@]}"; do
    for lang in en el; do
        walk "$size" "$lang" usual
        walk "$size" "$lang" access
        closed "$size" "$lang"
    done
done
OUT=$BASE
echo "screenshots: $(ls "$BASE"/*.png | wc -l) screens saved in $BASE"
