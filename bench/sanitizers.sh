#!/usr/bin/env bash
# Builds the whole project and its tests with gcc's AddressSanitizer and UndefinedBehaviorSanitizer
# into build-asan, then runs every test there the way tests/run-all.sh does: all of ctest inside
# tests/server/with-postgres.sh, so the server's tests run against SQLite and PostgreSQL
# (docs/testing.md, "Fuzzing and sanitizers").
#
#   bench/sanitizers.sh [CTEST-ARGS...]     (e.g. -R unit to run one suite)
#
# Any sanitizer report fails the test it happens in: UBSan halts on its first report, and ASan's
# leak check makes a leaking process exit non-zero. tests/fuzz/lsan.supp names the few leaks that
# are not ours (and why). With DOORSTEP_RESULTS naming a file, a markdown row is appended to it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash platform/linux/install-deps.sh test
flags="-fsanitize=address,undefined -fno-omit-frame-pointer"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS="$flags" \
    -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
cmake --build build-asan -j2
(cd tests/web && npm ci --no-audit --no-fund --loglevel=error)

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# verify_asan_link_order=0: sync_e2e skews a kiosk's clock with faketime, whose LD_PRELOADed
# library then comes before ASan's runtime; ASan works so (libfaketime wraps only clock calls) but
# refuses to start unless told.
export ASAN_OPTIONS=detect_leaks=1:verify_asan_link_order=0
export LSAN_OPTIONS="suppressions=$root/tests/fuzz/lsan.supp:print_suppressions=0"
log="$root/build-asan/sanitizers-ctest.log"
status=0
(cd build-asan && bash "$root/tests/server/with-postgres.sh" ctest --output-on-failure "$@") \
    2>&1 | tee "$log" || status=$?
summary=$(grep -E '^[0-9]+% tests passed' "$log" | tail -1)
echo "sanitizers: ${summary:-no ctest summary (see $log)}"
if [ -n "${DOORSTEP_RESULTS:-}" ]; then
    printf '| sanitizers | ctest under gcc ASan+UBSan | %s | every test passes, no report |\n' \
        "${summary:-ctest did not finish}" >>"$DOORSTEP_RESULTS"
fi
exit $status
