#!/usr/bin/env bash
# The long suites and the benchmarks, one after the other, each adding its rows to one results
# table; the table goes into docs/benchmarks.md as a dated section that names the machine.
#
#   bash bench/prove-it.sh            the long run (hours on 2 cores): 1,000 kiosk kills and 300
#                                     server kills, 10,000 network faults, 1,000 kiosks at once,
#                                     the browser-kiosk comparison, a soak of 200,000 answers
#                                     through the real window and one of 1,000,000 through the
#                                     store, the ingest ratios, 5 minutes
#                                     per fuzz target, the ASan/UBSan build of every test
#   bash bench/prove-it.sh --quick    the same suites at CI size, to check this script itself
#
# The short suites run in the README's test command (ctest crash, network_faults,
# disk_full_e2e, fuzz_corpus, ...); this is the long run. A suite that fails is named in the
# table and the script goes on with the others, then exits 1.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
QUICK=false
[ "${1:-}" = "--quick" ] && QUICK=true
BUILD=$root/build
OUT=$(mktemp -d /tmp/doorstep-prove-it-XXXXXX)
export DOORSTEP_RESULTS=$OUT/results.md
: >"$DOORSTEP_RESULTS"
failed=()

if $QUICK; then
    KILLS=20 SERVER_KILLS=5 FAULTS=100 KIOSKS=100 IDLE_S=10 FUZZ_S=10 ROWS=20000
    SOAK="2000 5 20" STORE_SOAK="20000 2 5"
else
    KILLS=1000 SERVER_KILLS=300 FAULTS=10000 KIOSKS=1000 IDLE_S=60 FUZZ_S=300 ROWS=100000
    SOAK="200000 60 600"  # about three hours of answers through the real window
    STORE_SOAK="1000000 10 60"  # about 15 minutes through the store alone
fi

run() {  # run NAME COMMAND...: runs one suite, its output kept in $OUT/NAME.log
    local name=$1
    shift
    echo "prove-it: $name" >&2
    if ! "$@" >"$OUT/$name.log" 2>&1; then
        failed+=("$name")
        echo "| $name | **failed** (see the run's $name.log) | | |" >>"$DOORSTEP_RESULTS"
        tail -5 "$OUT/$name.log" >&2
    fi
}

# Ratios measured in one run, printed by the benches: the rows they do not write themselves.
ratio_row() {  # ratio_row LOG LABEL GOAL
    local value
    value=$(sed -n 's/.*server_over_raw=\([0-9.]*\).*/\1/p' "$1" | tail -1)
    [ -n "$value" ] && echo "| ingest | $2 | $value | $3 |" >>"$DOORSTEP_RESULTS"
}

bash platform/linux/install-deps.sh test >/dev/null
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j2 >/dev/null || { echo "prove-it: the build failed" >&2; exit 1; }

run crash bash tests/crash/crash_suite.sh --kiosk "$BUILD/kiosk/doorstep-kiosk" \
    --server "$BUILD/server/doorstep-server" --out "$OUT/crash" \
    --kills "$KILLS" --server-kills "$SERVER_KILLS"
run network_faults bash tests/faults/network_faults.sh --kiosk "$BUILD/kiosk/doorstep-kiosk" \
    --server "$BUILD/server/doorstep-server" --proxy "$BUILD/tests/tools/doorstep-fault-proxy" \
    --out "$OUT/network-faults" --faults "$FAULTS" --kiosks 8
run load bash bench/load_bench.sh "$BUILD" "$KIOSKS" 10 10
run chromium bash bench/chromium_compare.sh "$IDLE_S" "$BUILD/kiosk/doorstep-kiosk"
# shellcheck disable=SC2086  # three numbers
run soak bash bench/soak.sh "$BUILD/kiosk/doorstep-kiosk" $SOAK
# shellcheck disable=SC2086
run store_soak bash bench/store_soak.sh "$BUILD/kiosk/doorstep-kiosk" $STORE_SOAK
run sqlite_ingest bash bench/sync_bench.sh "$BUILD" "$ROWS" 0 0
ratio_row "$OUT/sqlite_ingest.log" "server ingest ÷ raw SQLite bulk insert, $ROWS answers" "≥ 0.5"
run postgres_ingest bash bench/pg_bench.sh "$BUILD" "$ROWS"
ratio_row "$OUT/postgres_ingest.log" "server ingest ÷ PostgreSQL COPY, $ROWS answers" "≥ 0.5"
if [ -f bench/fuzz.sh ]; then
    run fuzz bash bench/fuzz.sh "$FUZZ_S"
fi
if [ -f bench/sanitizers.sh ] && ! $QUICK; then
    run sanitizers bash bench/sanitizers.sh
fi

# The dated section, with the machine it ran on.
{
    echo
    echo "## Prove-it run, $(date -u +%Y-%m-%d) ($($QUICK && echo "quick, CI-size" || echo "long"))"
    echo
    echo "\`bash bench/prove-it.sh$($QUICK && echo " --quick")\` at commit $(git rev-parse --short HEAD)," \
        "on $(nproc) cores of $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
        "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)," \
        "Linux $(uname -r), $(. /etc/os-release && echo "$PRETTY_NAME");" \
        "load average $(cut -d' ' -f1-3 /proc/loadavg) when it ended."
    echo
    echo "| suite | measure | result | goal |"
    echo "| --- | --- | --- | --- |"
    cat "$DOORSTEP_RESULTS"
} >>docs/benchmarks.md
echo "prove-it: results in docs/benchmarks.md; logs in $OUT" >&2
[ ${#failed[@]} -eq 0 ] || { echo "prove-it: failed: ${failed[*]}" >&2; exit 1; }
