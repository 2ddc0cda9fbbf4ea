#!/usr/bin/env bash
# Builds Doorstep and runs every test: unit tests, the command line, the real kiosk under Xvfb
# tapped with real X input, the dashboard in headless Chromium, and the server's tests against
# SQLite (ctest `server`) and against PostgreSQL (`server_postgres`). tests/server/with-postgres.sh
# starts a throwaway PostgreSQL cluster on loopback for the whole ctest run and stops it
# afterwards, whether the tests pass or not. Installs what is missing first (Debian packages, and
# the browser tests' npm packages from package-lock.json). Safe to run twice.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash platform/linux/install-deps.sh test
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2
(cd tests/web && npm ci --no-audit --no-fund --loglevel=error)
cd build
bash "$root/tests/server/with-postgres.sh" ctest --output-on-failure
