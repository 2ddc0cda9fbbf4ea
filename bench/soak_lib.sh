# Shared by the soaks: sample a process's resident memory and open file descriptors until it
# exits, then compare the first sample after the warm-up with the last.
# Source it; it expects OUT (a scratch directory) and fail() (tests/e2e/lib.sh) to be set.

# sample_until_exit PID SAMPLE_S: "SECONDS RSS_KB FDS" lines into $OUT/samples.txt.
sample_until_exit() {
    local pid=$1 every=$2 started rss fds
    started=$(date +%s)
    : >"$OUT/samples.txt"
    while kill -0 "$pid" 2>/dev/null; do
        rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
        fds=$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
        [ -n "$rss" ] && echo "$(($(date +%s) - started)) $rss $fds" >>"$OUT/samples.txt"
        sleep "$every"
    done
}

# report_growth LABEL ANSWERS WARMUP_S: prints the growth and, when DOORSTEP_RESULTS names a
# file, appends it there as markdown table rows.
report_growth() {
    local label=$1 answers=$2 warmup_s=$3
    local first_s first_rss first_fds last_s last_rss last_fds growth_kb
    read -r first_s first_rss first_fds < <(awk -v w="$warmup_s" '$1 >= w' "$OUT/samples.txt" | head -1)
    read -r last_s last_rss last_fds < <(tail -1 "$OUT/samples.txt")
    [ -n "${first_rss:-}" ] || fail "the run ended before the warm-up did; give more answers"
    growth_kb=$((last_rss - first_rss))
    echo "$label answers=$answers seconds=$last_s rss_kb $first_rss (at ${first_s} s)" \
        "-> $last_rss growth_kb=$growth_kb fds $first_fds -> $last_fds"
    if [ -n "${DOORSTEP_RESULTS:-}" ]; then
        {
            echo "| $label | RSS growth over $answers answers, ${last_s} s (after ${warmup_s} s warm-up) | $growth_kb kB | ≤ 1 MB |"
            echo "| $label | open file descriptors, after the warm-up / at the end | $first_fds / $last_fds | no leak |"
        } >>"$DOORSTEP_RESULTS"
    fi
}
