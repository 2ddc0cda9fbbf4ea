#!/usr/bin/env bash
# End to end, service recovery on the real kiosk under Xvfb, tapped with real X input: a low
# answer's thank-you offers "May we contact you?", the customer types an e-mail address on the
# on-screen keyboard (a wrong one first, refused in words) and sends it; the store then holds one
# contact, sealed, and the file never holds what was typed. A high answer is offered nothing.
# Screenshots at three sizes.
# Usage: contact_e2e.sh path/to/doorstep-kiosk OUTDIR
set -euo pipefail
KIOSK=$(realpath "$1")
BASE=$2
rm -rf "$BASE" && mkdir -p "$BASE"
OUT=$BASE
source "$(dirname "$0")/lib.sh"
ASSETS=$(dirname "$0")/../../assets

# A copy of the shipped survey with the offer switched on, beside the manager's words.
mkdir -p "$BASE/assets/surveys" "$BASE/assets/translations"
jq '.contact_offer.enabled = true' "$ASSETS/surveys/default.json" >"$BASE/assets/surveys/offer.json"
cp "$ASSETS/translations/manager.json" "$BASE/assets/translations/"
SURVEY_FLAG=(--survey "$BASE/assets/surveys/offer.json")
# The key head office would send in its first alerts reply (any 32 bytes seal; nobody opens
# them here).
KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')

# layout of the offer survey (the keyboard and the buttons do not depend on the words).
type_text() {
    local text=$1 i
    for ((i = 0; i < ${#text}; i++)); do
        tap contact key 0 "${text:i:1}"
    done
}

# pass SIZE: one low answer and one high answer at SIZE.
pass() {
    local size=$1
    OUT="$BASE/$size"
    mkdir -p "$OUT/data"
    start_xvfb "$size"
    "$KIOSK" alerts --data-dir "$OUT/data" >/dev/null  # creates the store
    sql "INSERT INTO meta (key, value) VALUES ('contact_key', '$KEY')"
    start_kiosk --data-dir "$OUT/data" "${SURVEY_FLAG[@]}" --idle-timeout 60
    tap attract start 0
    answer_questions 2
    [ "$(sql 'SELECT count(*) FROM responses')" = 1 ] || fail "the low answer was not stored first"
    screenshot "1-offer"
    tap contact_offer contact_yes 0
    screenshot "2-contact-empty"
    type_text "ann@example"
    tap contact done 0
    screenshot "3-contact-refused"
    [ "$(sql 'SELECT count(*) FROM contacts')" = 0 ] || fail "an unreadable contact was kept"
    type_text ".com"
    screenshot "4-contact-typed"
    tap contact done 0
    sleep 0.3
    screenshot "5-thanks"
    [ "$(sql 'SELECT count(*) FROM contacts')" = 1 ] || fail "the contact was not kept"
    [ "$(sql "SELECT count(*) FROM contacts c JOIN responses r ON r.uuid = c.response_uuid")" = 1 ] ||
        fail "the contact does not name the stored answer"
    [ "$(sql "SELECT length(sealed) FROM contacts")" = $(((15 + 48) * 2)) ] ||
        fail "the sealed contact is not the sealed box of the address"
    if grep -a -q 'ann@example.com' "$OUT/data/"kiosk.db*; then
        fail "the store file holds the address in clear"
    fi
    grep -q 'ann@example' "$OUT/kiosk.log" && fail "the log holds the address"
    # A tap anywhere returns to attract; a happy customer is not asked.
    tap thank_you dismiss 0
    tap attract start 0
    tap need face 5
    tap need face 4
    tap need face 5
    tap least_met least_met 1
    tap comment done 0
    tap intent intent 9
    sleep 0.3
    screenshot "6-thank-you-happy"
    local yes_xy
    yes_xy=$(target contact_offer contact_yes 0)
    # shellcheck disable=SC2086
    xdotool mousemove $yes_xy click 1  # a plain thank-you: this tap only dismisses it
    sleep 0.5
    # Had it offered, these taps would now leave a second contact.
    type_text "bob@example.com"
    tap contact done 0
    sleep 0.3
    [ "$(sql 'SELECT count(*) FROM responses')" = 2 ] || fail "the high answer was not stored"
    [ "$(sql 'SELECT count(*) FROM contacts')" = 1 ] || fail "a happy customer was asked"
    stop_kiosk
    stop_xvfb
}

for size in 1280x800 800x480 480x800; do
    echo "contact at $size"
    pass "$size"
done
echo "PASS: contact_e2e"
