#!/usr/bin/env bash
# Builds Doorstep and runs every test: unit tests, the command line, the real kiosk under Xvfb
# tapped with real X input, and the dashboard in headless Chromium. Installs what is missing
# first (Debian packages, and the browser tests' npm packages from package-lock.json). Safe to
# run twice.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash platform/linux/install-deps.sh test
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2
(cd tests/web && npm ci --no-audit --no-fund --loglevel=error)
cd build
ctest --output-on-failure
