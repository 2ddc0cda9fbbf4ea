#!/usr/bin/env bash
# shellcheck disable=SC2015  # "A && B || fail" is meant: fail unless both hold
# doorstep-fault-proxy in front of doorstep-echo-server, driven by the curl CLI: each behaviour
# the sync tests rely on does what it claims, and the stats count what happened.
#
# Each curl invocation opens one new connection, so connection N meets plan entry N. The echo
# server counts a request once it has read all of it, before answering: comparing that count
# before and after tells "upstream never saw it" from "upstream saw it, the answer was lost".
# No timing assertions: a stall is only checked by curl's --max-time failing.
# Usage: fault_proxy_test.sh path/to/doorstep-fault-proxy path/to/doorstep-echo-server OUTDIR
set -euo pipefail
PROXY=$(realpath "$1")
ECHO_SERVER=$(realpath "$2")
OUT=$3
rm -rf "$OUT" && mkdir -p "$OUT"
BODY_BYTES=3000

PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    for log in "$OUT"/*.log "$OUT"/*.txt; do
        [ -f "$log" ] || continue
        echo "--- $log" >&2
        cat "$log" >&2
    done
    exit 1
}

wait_for_file() {
    for _ in $(seq 200); do
        [ -s "$1" ] && return 0
        sleep 0.05
    done
    fail "$1 never appeared"
}

# fetch NAME [CURL ARGS...]: one curl run through the proxy. Sets RC (curl's exit code) and CODE
# (HTTP status, 000 when none); the body lands in $OUT/NAME.body, the headers in NAME.headers.
fetch() {
    local name=$1
    shift
    RC=0
    # -q: ignore ~/.curlrc; --noproxy: an http_proxy variable must not reroute loopback traffic.
    CODE=$(curl -q -sS --noproxy '*' --max-time 10 -o "$OUT/$name.body" -D "$OUT/$name.headers" \
        -w '%{http_code}' "$@" 2>>"$OUT/curl.log") || RC=$?
}

count() { cat "$OUT/upstream.count"; }

expect_count() {
    [ "$(count)" = "$1" ] || fail "$2: upstream counted $(count) requests, expected $1"
}

echo "command line: loopback only, clear errors, exit code 2"
for bad in "--listen 10.0.0.1:0 --upstream 127.0.0.1:1" "--listen 127.0.0.1:0 --upstream 8.8.8.8:80" \
    "--listen 127.0.0.1:0 --upstream example.com:80"; do
    rc=0
    # shellcheck disable=SC2086  # split on purpose
    "$PROXY" $bad --plan pass >"$OUT/refusal.txt" 2>&1 || rc=$?
    [ "$rc" = 2 ] || fail "'$bad' exited $rc, expected 2"
    grep -q 'loopback' "$OUT/refusal.txt" || fail "'$bad' did not mention loopback"
done
for plan in "" "explode" "stall" "status:99" "latency:1:2:3" "pass|reset" "random:pass|stall:x"; do
    rc=0
    "$PROXY" --listen 127.0.0.1:0 --upstream 127.0.0.1:1 --plan "$plan" >"$OUT/plan.txt" 2>&1 || rc=$?
    [ "$rc" = 2 ] || fail "plan '$plan' exited $rc, expected 2"
    grep -q -- '--plan' "$OUT/plan.txt" || fail "plan '$plan' error does not name --plan"
done

"$ECHO_SERVER" --port-file "$OUT/upstream.port" --count-file "$OUT/upstream.count" \
    --body-bytes "$BODY_BYTES" 2>"$OUT/echo.log" &
PIDS+=($!)
wait_for_file "$OUT/upstream.port"
UPSTREAM_PORT=$(cat "$OUT/upstream.port")

# The reference answer, fetched directly (this is upstream's request 1).
curl -q -sS --noproxy '*' --max-time 10 -o "$OUT/expected.body" "http://127.0.0.1:$UPSTREAM_PORT/"
[ "$(stat -c %s "$OUT/expected.body")" = "$BODY_BYTES" ] || fail "echo server body size"
expect_count 1 "direct request"
head -c 5000 /dev/zero | tr '\0' 'x' >"$OUT/upload.bin"  # a POST body large enough for Expect

PLAN="pass,pass,drop_response,reset,status:503:7,trickle:20000,close_after_down:10,stall:3000"
PLAN+=",reset_mid_response,latency:30:20,bandwidth:100000,close_after_up:20,status:429,pass"
PLAN+=",pass,random:pass|status:500,random:pass|status:500"
"$PROXY" --listen 127.0.0.1:0 --upstream "127.0.0.1:$UPSTREAM_PORT" --plan "$PLAN" --seed 2 \
    --stats "$OUT/stats.json" --port-file "$OUT/proxy.port" 2>"$OUT/proxy.log" &
PROXY_PID=$!
PIDS+=("$PROXY_PID")
wait_for_file "$OUT/proxy.port"
URL="http://127.0.0.1:$(cat "$OUT/proxy.port")/v1/batches"
grep -q '"connections":0' "$OUT/stats.json" || fail "no initial stats: $(cat "$OUT/stats.json")"

echo "1 pass: the body arrives intact"
fetch pass_get "$URL"
[ "$RC" = 0 ] && [ "$CODE" = 200 ] || fail "pass: curl $RC, HTTP $CODE"
cmp -s "$OUT/pass_get.body" "$OUT/expected.body" || fail "pass: body differs"
expect_count 2 "pass"

echo "2 pass: a 5000-byte POST reaches upstream whole"
fetch pass_post --data-binary "@$OUT/upload.bin" "$URL"
[ "$RC" = 0 ] && [ "$CODE" = 200 ] || fail "pass POST: curl $RC, HTTP $CODE"
grep -qi '^X-Request-Body-Bytes: 5000' "$OUT/pass_post.headers" || fail "pass POST: body not whole"
expect_count 3 "pass POST"

echo "3 drop_response: upstream committed, the client got nothing"
fetch drop --data-binary "@$OUT/upload.bin" "$URL"
[ "$RC" != 0 ] || fail "drop_response: curl succeeded"
[ ! -s "$OUT/drop.body" ] || fail "drop_response: the client got body bytes"
expect_count 4 "drop_response"

echo "4 reset: fails by a reset, not a timeout, and upstream never hears of it"
fetch reset "$URL"
[ "$RC" != 0 ] && [ "$RC" != 28 ] || fail "reset: curl exit $RC (28 is a timeout)"
expect_count 4 "reset"

echo "5 status:503:7: 503 with Retry-After, upstream not contacted"
fetch status --data-binary "@$OUT/upload.bin" "$URL"
[ "$RC" = 0 ] && [ "$CODE" = 503 ] || fail "status: curl $RC, HTTP $CODE"
grep -qi '^Retry-After: 7' "$OUT/status.headers" || fail "status: no Retry-After: 7"
grep -q '"error":"busy"' "$OUT/status.body" || fail "status: body $(cat "$OUT/status.body")"
expect_count 4 "status"

echo "6 trickle: slow, but the full body intact"
fetch trickle "$URL"
[ "$RC" = 0 ] && [ "$CODE" = 200 ] || fail "trickle: curl $RC, HTTP $CODE"
cmp -s "$OUT/trickle.body" "$OUT/expected.body" || fail "trickle: body differs"
expect_count 5 "trickle"

echo "7 close_after_down:10: the answer is cut short"
fetch truncated "$URL"
[ "$RC" != 0 ] || fail "close_after_down: curl succeeded"
! cmp -s "$OUT/truncated.body" "$OUT/expected.body" || fail "close_after_down: full body arrived"
expect_count 6 "close_after_down"

echo "8 stall: curl gives up at --max-time"
rc=0
curl -q -sS --noproxy '*' --max-time 1 -o /dev/null "$URL" 2>>"$OUT/curl.log" || rc=$?
[ "$rc" = 28 ] || fail "stall: curl exit $rc, expected 28 (timeout)"
expect_count 6 "stall"

echo "9 reset_mid_response: upstream committed, the client got part of it and a reset"
fetch midreset "$URL"
[ "$RC" != 0 ] || fail "reset_mid_response: curl succeeded"
! cmp -s "$OUT/midreset.body" "$OUT/expected.body" || fail "reset_mid_response: full body"
expect_count 7 "reset_mid_response"

echo "10 latency: slower, intact"
fetch latency "$URL"
[ "$RC" = 0 ] && cmp -s "$OUT/latency.body" "$OUT/expected.body" || fail "latency: curl $RC"
expect_count 8 "latency"

echo "11 bandwidth: both ways capped, both ways intact"
fetch bandwidth --data-binary "@$OUT/upload.bin" "$URL"
[ "$RC" = 0 ] && cmp -s "$OUT/bandwidth.body" "$OUT/expected.body" || fail "bandwidth: curl $RC"
grep -qi '^X-Request-Body-Bytes: 5000' "$OUT/bandwidth.headers" || fail "bandwidth: request cut"
expect_count 9 "bandwidth"

echo "12 close_after_up:20: the request is cut, upstream never completes it"
fetch cut_request --data-binary "@$OUT/upload.bin" "$URL"
[ "$RC" != 0 ] || fail "close_after_up: curl succeeded"
expect_count 9 "close_after_up"

echo "13+14 status on a keep-alive client: first request answered, then a new connection"
fetch keepalive_status -o "$OUT/keepalive_second.body" "$URL" "$URL"
[ "$RC" = 0 ] || fail "status then pass: curl $RC"
grep -qi '^HTTP/1.1 429' "$OUT/keepalive_status.headers" || fail "status then pass: no 429"
grep -qi '^HTTP/1.1 200' "$OUT/keepalive_status.headers" || fail "status then pass: no 200"
cmp -s "$OUT/keepalive_second.body" "$OUT/expected.body" || fail "status then pass: body"
expect_count 10 "status then pass"

echo "15 pass on a keep-alive client: two requests, one connection"
fetch keepalive_pass -o "$OUT/keepalive_pass2.body" "$URL" "$URL"
[ "$RC" = 0 ] && cmp -s "$OUT/keepalive_pass2.body" "$OUT/expected.body" ||
    fail "keep-alive pass: curl $RC"
expect_count 12 "keep-alive pass"

echo "16+17 random:pass|status:500: --seed 2 always picks pass, then status:500"
fetch random1 "$URL"
[ "$RC" = 0 ] && [ "$CODE" = 200 ] || fail "random with seed 2, first: curl $RC, HTTP $CODE"
fetch random2 "$URL"
[ "$RC" = 0 ] && [ "$CODE" = 500 ] || fail "random with seed 2, second: curl $RC, HTTP $CODE"
expect_count 13 "random"

echo "stats: exact counts after SIGTERM, which exits 0"
kill -TERM "$PROXY_PID"
rc=0
wait "$PROXY_PID" || rc=$?
[ "$rc" = 0 ] || fail "proxy exited $rc on SIGTERM"
stats=$(cat "$OUT/stats.json")
grep -q '"connections":17,' <<<"$stats" || fail "stats connections: $stats"
expected='"behaviours":{"bandwidth:100000":1,"close_after_down:10":1,"close_after_up:20":1,'
expected+='"drop_response":1,"latency:30:20":1,"pass":5,"reset":1,"reset_mid_response":1,'
expected+='"stall:3000":1,"status:429":1,"status:500":1,"status:503:7":1,"trickle:20000":1}'
grep -qF "$expected" <<<"$stats" || fail "stats behaviours: $stats, expected $expected"

echo "a dead upstream: the client is refused, stats say so"
"$PROXY" --listen 127.0.0.1:0 --upstream 127.0.0.1:1 --plan pass --stats "$OUT/dead.json" \
    --port-file "$OUT/dead.port" 2>"$OUT/dead.log" &
DEAD_PID=$!
PIDS+=("$DEAD_PID")
wait_for_file "$OUT/dead.port"
fetch dead "http://127.0.0.1:$(cat "$OUT/dead.port")/"
[ "$RC" != 0 ] || fail "dead upstream: curl succeeded"
for _ in $(seq 100); do
    grep -q '"upstream_failures":1' "$OUT/dead.json" && break
    sleep 0.05
done
grep -q '"upstream_failures":1' "$OUT/dead.json" || fail "dead upstream stats: $(cat "$OUT/dead.json")"
kill -TERM "$DEAD_PID"
wait "$DEAD_PID" || fail "proxy with a dead upstream did not exit 0"

echo "fault proxy: all checks passed"
