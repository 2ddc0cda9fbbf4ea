#!/usr/bin/env bash
# Speech and keypad end to end: a whole response answered with key presses only (xdotool, the
# keyboard's and the numeric keypad's keys), while SDL's `disk` audio driver writes what the
# kiosk says to a file. Each screen must be heard (sox finds sound in the part of the file written
# after the key that led there), volume 0 must be silence, and the end of the response must end
# speech mode. Then the answers are read back from the SQLite file.
# Usage: speech_e2e.sh path/to/doorstep-kiosk OUTDIR
set -euo pipefail
KIOSK=$(realpath "$1")
OUT=$2
rm -rf "$OUT" && mkdir -p "$OUT"
source "$(dirname "$0")/lib.sh"
AUDIO=$SDL_DISKAUDIOFILE  # lib.sh points the disk driver into $OUT

# audio_bytes: how much sound the kiosk has written so far (silence included: the driver
# writes in real time).
audio_bytes() {
    stat -c %s "$AUDIO" 2>/dev/null || echo 0
}

# peak FROM [TO]: the largest amplitude (0..1) sox finds in the sound written from byte FROM.
peak() {
    local from=$1 to=${2:-$(audio_bytes)}
    tail -c +"$((from + 1))" "$AUDIO" | head -c "$((to - from))" >"$OUT/segment.raw"
    sox -t raw -r 22050 -e signed -b 16 -c 1 "$OUT/segment.raw" -n stat 2>&1 |
        awk '/^Maximum amplitude/ { print $3 }'
}

# press WHAT KEYS...: presses the keys; then WHAT must be heard (up to 15 s of sound).
press() {
    local what=$1 from
    shift
    from=$(audio_bytes)
    xdotool key --delay 120 "$@"
    for _ in $(seq 1 50); do
        sleep 0.3
        awk -v p="$(peak "$from")" 'BEGIN { exit !(p > 0.05) }' && return 0
    done
    fail "nothing was heard for $what after: $*"
}

# quiet WHAT: 1.5 s of sound from now must be silence.
quiet() {
    local from
    sleep 0.3
    from=$(audio_bytes)
    for _ in $(seq 1 100); do
        [ "$(($(audio_bytes) - from))" -ge 66150 ] && break
        sleep 0.2
    done
    [ "$(($(audio_bytes) - from))" -ge 66150 ] || fail "$what: the audio file stopped growing"
    local p
    p=$(peak "$from")
    awk -v p="$p" 'BEGIN { exit !(p == 0) }' || fail "$what: expected silence, heard peak $p"
}

start_xvfb 1280x800
start_kiosk --data-dir "$OUT/data" --door service-desk --idle-timeout 30
grep -q 'msg="speaker ready" driver=disk' "$OUT/kiosk.log" || fail "the speaker did not open"
grep -q 'no voice' "$OUT/kiosk.log" && fail "a survey language has no espeak-ng voice"
quiet "attract before speech mode"

echo "1. the keypad's help key starts speech mode on the attract screen"
press "the help" KP_Divide
screenshot speech_attract
press "the focused start button" Tab
screenshot speech_focus_start

echo "2. volume: down to 0 is silence, and back up is heard again"
xdotool key --delay 80 KP_Subtract KP_Subtract KP_Subtract KP_Subtract KP_Subtract KP_Subtract \
    KP_Subtract
quiet "volume 0"
xdotool key KP_Multiply  # repeat, at volume 0
quiet "the screen repeated at volume 0"
press "volume 7" KP_Add KP_Add KP_Add KP_Add KP_Add KP_Add KP_Add

echo "3. the questions, by arrows and Enter; Escape goes back"
press "the first need" Return
press "face 4" Right Right Right Right
press "the second need" Return
press "the first need again" Escape
press "face 4 again" Right Right Right Right
press "the second need" KP_Enter
screenshot speech_need
press "face 2" KP_6 KP_6
press "the third need" KP_5
press "face 5" Right Right Right Right Right
press "the least-met question" Return
press "the second need's choice" Tab Right
screenshot speech_least_met
press "the comment screen" Return

echo "4. the comment: a letter typed on the screen's keyboard, then Done by Shift+Tab"
press "the first key" Tab
press "q typed" Return
press "Done" shift+Tab
screenshot speech_comment
press "the intent question" Return
press "intent 0" Tab
press "intent 8" Right Right Right Right Right Right Right Right
screenshot speech_intent
press "thank you" Return
screenshot speech_thank_you
row=$(sql "SELECT status, door, least_met, intent, comment FROM responses")
[ "$row" = "completed|service-desk|control|8|q" ] || fail "unexpected row: $row"
scores=$(sql "SELECT group_concat(need || '=' || score, ',') FROM (SELECT need, score FROM response_scores ORDER BY need)")
[ "$scores" = "control=2,support=5,trust=4" ] || fail "unexpected scores: $scores"

echo "5. the response over, speech mode ends with it"
xdotool key Tab Return  # thank you's one control: back to attract
quiet "attract after the response"
xdotool key Tab
quiet "focus moving on attract, speech mode off"

echo "6. without speech (--no-speech): no audio device, no tactile spot; keys still answer"
stop_kiosk
start_kiosk --data-dir "$OUT/data2" --no-speech
grep -q 'speaker ready' "$OUT/kiosk.log" && fail "--no-speech opened the speaker"
screenshot no_speech_attract
xdotool key KP_Divide Tab Return
sleep 0.5
xdotool key Right Return Right Return Right Return
sleep 0.5
[ "$(sqlite3 -batch -noheader "$OUT/data2/kiosk.db" "SELECT count(*) FROM responses")" = 0 ] ||
    fail "a response finished too early"
xdotool key --delay 150 Escape Escape Escape Escape  # back to the first need, then leave
sleep 1
[ "$(sqlite3 -batch -noheader "$OUT/data2/kiosk.db" "SELECT status FROM responses")" = abandoned ] ||
    fail "Escape from the first need did not abandon the response"
stop_kiosk

echo "7. a survey language espeak-ng has no voice for is named at start"
jq '.speech.voices.de = "xx-nowhere"' "$(dirname "$0")/../../assets/surveys/default.json" \
    >"$OUT/no-german-voice.json"
start_kiosk --data-dir "$OUT/data3" --survey "$OUT/no-german-voice.json"
for _ in $(seq 1 50); do
    grep -q 'no voice' "$OUT/kiosk.log" && break
    sleep 0.1
done
grep 'no voice' "$OUT/kiosk.log" | grep -q 'language=de voice=xx-nowhere' ||
    fail "the missing German voice was not reported"
[ "$(grep -c 'no voice' "$OUT/kiosk.log")" = 1 ] || fail "voices were reported missing wrongly"
stop_kiosk
echo "speech e2e: all checks passed"
