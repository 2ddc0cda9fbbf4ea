#!/usr/bin/env bash
# Walks every customer screen at six screen sizes (landscape and portrait) and saves a screenshot
# of each, in English and Greek, for people to look at. Fails if any screen comes out blank.
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

for size in "${SIZES[@]}"; do
    for lang in en el; do
        OUT="$BASE/$size-$lang"
        mkdir -p "$OUT"
        start_xvfb "$size"
        start_kiosk --data-dir "$OUT/data" --lang "$lang" --idle-timeout 60
        screenshot "1-attract"
        tap attract start 0 '' "$lang"
        screenshot "2-need"
        tap need face 4 '' "$lang"
        tap need face 2 '' "$lang"
        tap need face 5 '' "$lang"
        screenshot "3-least-met"
        tap least_met least_met 1 '' "$lang"
        tap comment shift 0 '' "$lang"
        first_key=$("$KIOSK" layout --size "$size" --screen comment --lang "$lang" | jq -r '[.targets[] | select(.kind == "key")][2].text')
        tap comment key 0 "$first_key" "$lang"
        screenshot "4-comment"
        tap comment symbols 0 '' "$lang"
        screenshot "5-comment-symbols"
        tap comment done 0 '' "$lang"
        screenshot "6-intent"
        tap intent intent 8 '' "$lang"
        screenshot "7-thank-you"
        stop_kiosk
        stop_xvfb
        [ "$(sqlite3 "$OUT/data/kiosk.db" "SELECT count(*) FROM responses WHERE status = 'completed'")" = 1 ] ||
            fail "$size $lang: the walk-through did not store its response"
        mv "$OUT"/*.png "$BASE/" 2>/dev/null || true
        for f in "$BASE"/[0-9]-*.png; do
            mv "$f" "$BASE/$size-$lang-$(basename "$f")"
        done
    done
done
OUT=$BASE
echo "screenshots: $(ls "$BASE"/*.png | wc -l) screens saved in $BASE"
