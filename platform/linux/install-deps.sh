#!/usr/bin/env bash
# Installs what Doorstep needs from Debian 12 packages, and only what is missing: safe to run
# twice. Usage: install-deps.sh build|run|test|fuzz
set -euo pipefail

BUILD=(cmake g++ make pkg-config libsdl2-dev libimgui-dev libstb-dev libgl-dev libsqlite3-dev
       libcurl4-openssl-dev doctest-dev nlohmann-json3-dev libsimdjson-dev libcpp-httplib-dev libsodium-dev
       zlib1g-dev libcli11-dev libpq-dev fonts-dejavu-core libsystemd-dev libespeak-ng-dev
       espeak-ng-data libeigen3-dev)
# Showing the window on a machine without a display, and the OpenGL drivers Mesa provides.
RUN=(xvfb x11-utils libgl1-mesa-dri curl jq imagemagick xdotool)
# Real X input, screenshots, and reading the SQLite files the tests produce.
# The dashboard's browser tests: Debian's Chromium, driven from Node by playwright-core (npm).
# PostgreSQL 15 (with contrib's unaccent) for the server tests' second run, on a throwaway cluster.
# The packages test: cpack's dpkg-shlibdeps, systemd-analyze, and cage (which needs Xwayland) for
# the kiosk unit, run for real by the cage test.
TEST=(xvfb x11-utils libgl1-mesa-dri xdotool imagemagick sqlite3 jq curl faketime iproute2 openssl
      python3-aiosmtpd sox
      chromium postgresql-15 postgresql-contrib dpkg-dev systemd cage xwayland procps)
# bench/fuzz.sh: clang-14 with libFuzzer and its sanitizer runtimes.
FUZZ=(clang-14 libclang-rt-14-dev llvm-14)

wanted=("${BUILD[@]}")
case "${1:-build}" in
    build) ;;
    run) wanted+=("${RUN[@]}") ;;
    test) wanted+=("${TEST[@]}") ;;
    fuzz) wanted+=("${FUZZ[@]}") ;;
    *) echo "usage: $0 build|run|test|fuzz" >&2; exit 2 ;;
esac

if [ "${1:-build}" = test ]; then
    # Any Node.js 18 or newer will do; Debian's own when there is none.
    command -v node >/dev/null || wanted+=(nodejs)
    command -v npm >/dev/null || wanted+=(npm)
fi

missing=()
for package in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$package")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
fi
echo "installing: ${missing[*]}"
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
