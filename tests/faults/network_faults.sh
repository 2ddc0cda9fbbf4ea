#!/usr/bin/env bash
# Network faults: real kiosks sync to a real doorstep-server through doorstep-fault-proxy, which
# gives every connection a fault picked at random (seeded): latency with jitter, a bandwidth
# cap, a stall with no bytes, a reset (before and in the middle of the answer), closing after N
# bytes either way (which includes "committed, but the answer never arrived"), and answers of
# 500, 503 and 429 of its own. Kiosks keep capturing and syncing until FAULTS faults were
# injected, then drain straight to the server. Checks:
#   * 0 lost, 0 duplicated: the server holds exactly the kiosks' answers, each once;
#   * no retry storm: every request beyond one per batch is explained by a connection the proxy
#     failed (each failing connection fails exactly one request);
# and prints the requests per answer delivered.
# Usage: network_faults.sh --kiosk BIN --server BIN --proxy BIN --out DIR [--faults N]
#        [--kiosks N] [--seed S]
# When DOORSTEP_RESULTS names a file, appends the results to it as markdown table rows.
set -euo pipefail
FAULTS=300
KIOSKS_AT_ONCE=3
SEED=$RANDOM$RANDOM
BATCH=5
while [ $# -gt 0 ]; do
    case "$1" in
        --kiosk) KIOSK=$(realpath "$2"); shift 2 ;;
        --server) SERVER=$(realpath "$2"); shift 2 ;;
        --proxy) PROXY=$(realpath "$2"); shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        --faults) FAULTS=$2; shift 2 ;;
        --kiosks) KIOSKS_AT_ONCE=$2; shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        *) echo "network_faults.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
: "${KIOSK:?--kiosk}" "${SERVER:?--server}" "${PROXY:?--proxy}" "${OUT:?--out}"
rm -rf "$OUT" && mkdir -p "$OUT"
source "$(dirname "$0")/../e2e/sync_lib.sh"
SURVEY=$(dirname "$0")/../../assets/surveys/default.json
echo "network_faults: seed $SEED, $FAULTS faults, $KIOSKS_AT_ONCE kiosks"

# Behaviours that make the request on their connection fail; latency and bandwidth only slow it.
FAILING=(stall:1500 reset reset_mid_response close_after_up:300 close_after_down:40 drop_response
         status:500 status:503:1 status:429:1)
SLOWING=(latency:40:30 bandwidth:100000)
PLAN="random:pass|pass|$(IFS='|'; echo "${SLOWING[*]}|${FAILING[*]}")"

SERVER_PORT=$(free_port)
URL="http://127.0.0.1:$SERVER_PORT"
start_server
"$PROXY" --listen 127.0.0.1:0 --port-file "$OUT/proxy.port" --upstream "127.0.0.1:$SERVER_PORT" \
    --plan "$PLAN" --seed "$SEED" --stats "$OUT/proxy-stats.json" >>"$OUT/proxy.log" 2>&1 &
SYNC_PIDS+=($!)
for _ in $(seq 1 100); do [ -s "$OUT/proxy.port" ] && break; sleep 0.05; done
[ -s "$OUT/proxy.port" ] || fail "fault proxy did not start"
PROXY_URL="http://127.0.0.1:$(cat "$OUT/proxy.port")"

point_at() {  # point_at DATA_DIR URL: the server the kiosk's identity names
    jq --arg url "$2" '.server_url = $url' "$1/device.json" >"$1/device.json.new"
    mv "$1/device.json.new" "$1/device.json" && chmod 600 "$1/device.json"
}

injected() {  # faults injected so far: every connection that did not simply pass
    jq '[.behaviours | to_entries[] | select(.key != "pass") | .value] | add // 0' \
        "$OUT/proxy-stats.json" 2>/dev/null || echo 0
}

# One kiosk: capture a few answers, sync through the proxy, again, until enough faults.
# Each sync prints "requests N": summed per kiosk into requests.txt.
kiosk_loop() {
    local dir=$1 round=0 printed
    while [ "$(injected)" -lt "$FAULTS" ]; do
        round=$((round + 1))
        "$KIOSK" simulate --data-dir "$dir" --responses 40 --seed "$SEED$round" \
            --survey "$SURVEY" >/dev/null
        # Up to 6 tries per batch, then the next round: a kiosk's backoff doubles with every
        # failure in a row (to 5 minutes), right for a store, idle time for this suite.
        printed=$("$KIOSK" sync --data-dir "$dir" --once --batch-size "$BATCH" --attempts 6 \
            --timeout 1 --connect-timeout 1 --backoff-base-ms 20 2>>"$dir.log" || true)
        sed -n 's/.*requests \([0-9]*\).*/\1/p' <<<"$printed" >>"$dir.requests"
    done
}

pids=()
for k in $(seq 1 "$KIOSKS_AT_ONCE"); do
    enroll "$OUT/k$k" "$URL"
    point_at "$OUT/k$k" "$PROXY_URL"
    : >"$OUT/k$k.requests"
    kiosk_loop "$OUT/k$k" &
    pids+=($!)
done
for pid in "${pids[@]}"; do
    wait "$pid" || fail "a kiosk loop failed"
done

# What the proxy did, then the rest straight to the server.
cp "$OUT/proxy-stats.json" "$OUT/faults.json"
failing_connections=0
for spec in "${FAILING[@]}"; do
    n=$(jq --arg s "$spec" '.behaviours[$s] // 0' "$OUT/faults.json")
    failing_connections=$((failing_connections + n))
done
faults=$(injected)
through_proxy=$(cat "$OUT"/k*.requests | awk '{s += $1} END {print s + 0}')
rounds=$(cat "$OUT"/k*.requests | wc -l)
sent_through_proxy=0
dirs=()
for k in $(seq 1 "$KIOSKS_AT_ONCE"); do
    dirs+=("$OUT/k$k")
    pending=$(kiosk_sql "$OUT/k$k" "SELECT count(*) FROM responses WHERE sync_state <> 'synced'")
    total=$(kiosk_sql "$OUT/k$k" "SELECT count(*) FROM responses")
    sent_through_proxy=$((sent_through_proxy + total - pending))
    point_at "$OUT/k$k" "$URL"
    "$KIOSK" sync --data-dir "$OUT/k$k" --once --batch-size "$BATCH" >>"$OUT/k$k.log" 2>&1 ||
        fail "kiosk $k could not drain straight to the server"
done
check_exactly_once "${dirs[@]}"
answers=$(server_count)

# Each batch delivered through the proxy took one request, plus one for every request a fault
# failed. Batches: the answers sent through the proxy over the batch size, and at most one
# smaller batch per sync round.
batches=$((sent_through_proxy / BATCH + rounds))
allowed=$((batches + failing_connections))
echo "network_faults: $faults faults ($(jq -c .behaviours "$OUT/faults.json")),"
echo "  $answers answers on the server, each once; $sent_through_proxy sent through the proxy"
echo "  in $through_proxy requests (at least $batches batches, $failing_connections failing connections)"
[ "$through_proxy" -le "$allowed" ] ||
    fail "retry storm: $through_proxy requests for $batches batches and $failing_connections failures"
[ "$faults" -ge "$FAULTS" ] || fail "only $faults faults were injected"
per_answer=$(awk -v r="$through_proxy" -v a="$sent_through_proxy" 'BEGIN {printf "%.3f", r / a}')
echo "network_faults: all checks passed; $per_answer requests per answer delivered (batches of $BATCH)"
if [ -n "${DOORSTEP_RESULTS:-}" ]; then
    {
        echo "| network faults | faults injected, answers lost, duplicated | $faults, 0 of $answers, 0 | 0 lost, 0 duplicated |"
        echo "| network faults | requests per answer delivered (batches of $BATCH; 0.2 with no fault) | $per_answer | no retry storm |"
    } >>"$DOORSTEP_RESULTS"
fi
