#!/usr/bin/env bash
# Runs the libFuzzer targets of tests/fuzz for SECONDS each (docs/testing.md, "Fuzzing and
# sanitizers"):
#
#   bench/fuzz.sh SECONDS [TARGET...]     (targets: batch_decode survey_parse request_checks
#                                          gzip_inflate csv_escape ack_decode; default all)
#
# Builds build-fuzz with clang-14 and DOORSTEP_FUZZ=ON (the libraries the targets link, with
# -fsanitize=fuzzer,address,undefined; no window, no other tests). Each target starts from a copy
# of its committed corpus in a temporary directory, so the committed corpus only grows by hand.
# Prints one line per target: runs, exec/s, crashes. A crash keeps its input in
# build-fuzz/crashes/TARGET/ and makes the script exit 1. With DOORSTEP_RESULTS naming a file, a
# markdown row per target is appended to it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
all_targets=(batch_decode survey_parse request_checks gzip_inflate csv_escape ack_decode)
usage() { echo "usage: $0 SECONDS [TARGET...] (targets: ${all_targets[*]})" >&2; exit 2; }
[ $# -ge 1 ] && [[ $1 =~ ^[1-9][0-9]*$ ]] || usage
seconds=$1
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for target in "${targets[@]}"; do
    [[ " ${all_targets[*]} " == *" $target "* ]] || { echo "unknown target: $target" >&2; usage; }
done

bash "$root/platform/linux/install-deps.sh" fuzz
build="$root/build-fuzz"
CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -DDOORSTEP_FUZZ=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 --target "${targets[@]/#/fuzz_}"

work=$(mktemp -d /tmp/doorstep-fuzz-XXXXXX)
trap 'rm -rf "$work"' EXIT
# UBSan stops at the first report, as ASan does, so libFuzzer keeps the input that caused it.
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1
crashed=0
for target in "${targets[@]}"; do
    cp -r "$root/tests/fuzz/corpus/$target" "$work/$target"
    crashes="$build/crashes/$target"
    mkdir -p "$crashes"
    options=(-max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048
             -artifact_prefix="$crashes/")
    dict="$root/tests/fuzz/$target.dict"
    [ -f "$dict" ] && options+=(-dict="$dict")
    log="$build/fuzz-$target.log"
    touch "$work/$target.started"
    status=0
    "$build/tests/fuzz/fuzz_$target" "${options[@]}" "$work/$target" >"$log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    per_second=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    found=$(find "$crashes" -newer "$work/$target.started" -type f \
        \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
    if [ "$status" -ne 0 ] && [ "$found" -eq 0 ]; then
        found=1  # died without an artifact (e.g. killed): still not a pass
    fi
    printf '%-15s %12s runs %8s exec/s %3s crashes\n' "$target" "${runs:-?}" "${per_second:-?}" \
        "$found"
    if [ "$found" -ne 0 ]; then
        crashed=1
        echo "  $target: see $log; inputs kept in $crashes/" >&2
    fi
    if [ -n "${DOORSTEP_RESULTS:-}" ]; then
        printf '| fuzz | %s: runs, exec/s, crashes | %s runs, %s exec/s, %s crashes | 0 crashes in %s s |\n' \
            "$target" "${runs:-?}" "${per_second:-?}" "$found" "$seconds" \
            >>"$DOORSTEP_RESULTS"
    fi
done
exit $crashed
