#!/usr/bin/env bash
# Builds Doorstep and runs every test: unit tests, the command line, and the real kiosk under
# Xvfb tapped with real X input. Installs what is missing first. Safe to run twice.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash platform/linux/install-deps.sh test
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2
cd build
ctest --output-on-failure
