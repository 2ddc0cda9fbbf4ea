#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL 15 cluster on loopback, and stops the cluster after
# it, whatever the command's outcome. The command finds the cluster in DOORSTEP_TEST_POSTGRES, a
# postgresql:// URL of a superuser; tests create (and drop) a database of their own on it.
#
#   tests/server/with-postgres.sh ./build/tests/server/doorstep-server-tests
#
# initdb refuses to run as root, so as root the cluster runs as the `postgres` user that Debian's
# package creates; its files live in a temporary directory either way. When DOORSTEP_TEST_POSTGRES
# is set already (tests/run-all.sh runs all of ctest inside this script), that server is used.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
if [ -n "${DOORSTEP_TEST_POSTGRES:-}" ]; then
    exec "$@"
fi

bin=${DOORSTEP_PG_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$bin/initdb" ]; then
    echo "with-postgres.sh: no PostgreSQL 15 in $bin (install postgresql-15)" >&2
    exit 1
fi

as_owner=()
dir=$(mktemp -d /tmp/doorstep-pg-XXXXXX)
if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir"
    as_owner=(runuser -u postgres --)
fi
stop() {
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cd "$dir"  # the cluster's owner may not be allowed into the caller's directory
"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U doorstep --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
# A loopback port nothing listens on (ss is iproute2's). Another process may take it between the
# look and the start, so a start that fails is tried again on another port, three times at most.
started=false
for _ in 1 2 3; do
    for _ in $(seq 50); do
        port=$((20000 + RANDOM % 12000))  # below the ephemeral range outgoing connections use
        ss -Htan "sport = :$port" 2>/dev/null | grep -q . || break
    done
    # Durability is not under test here (the suite makes hundreds of databases): fsync off.
    if "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
        -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off \
            -c full_page_writes=off -c max_connections=200" >/dev/null; then
        started=true
        break
    fi
done
$started || { cat "$dir/server.log" >&2; exit 1; }

cd - >/dev/null
export DOORSTEP_TEST_POSTGRES="postgresql://doorstep@127.0.0.1:$port/postgres"
echo "with-postgres.sh: PostgreSQL on 127.0.0.1:$port" >&2
status=0
"$@" || status=$?
exit $status
