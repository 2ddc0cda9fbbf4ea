#!/usr/bin/env bash
# The Debian packages: builds doorstep-kiosk and doorstep-server with CPack from the build
# directory, then checks what they hold (files, control fields, conffiles, maintainer scripts),
# verifies both systemd units with systemd-analyze against the unpacked packages (with cage from
# Debian beside them, as the kiosk package depends on it) and runs the packaged binaries on the
# packaged settings files.
# Usage: packages_test.sh BUILD_DIR OUTDIR
set -euo pipefail
BUILD=$(realpath "$1")
OUT=$2
rm -rf "$OUT" && mkdir -p "$OUT"
OUT=$(realpath "$OUT")

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

echo "1. cpack builds both packages"
(cd "$BUILD" && cpack -G DEB -B "$OUT/packages" >"$OUT/cpack.log" 2>&1) ||
    { tail -30 "$OUT/cpack.log" >&2; fail "cpack failed"; }
kiosk_deb=$(ls "$OUT"/packages/doorstep-kiosk_*.deb 2>/dev/null) || fail "no doorstep-kiosk .deb"
server_deb=$(ls "$OUT"/packages/doorstep-server_*.deb 2>/dev/null) || fail "no doorstep-server .deb"

# has_line FILE LINE: the exact line is in the file.
has_line() {
    grep -qxF -- "$2" "$1" || fail "$(basename "$1") lacks '$2'"
}

# check_package DEB NAME: contents, control fields, conffiles and scripts common to both.
check_package() {
    local deb=$1 name=$2 dir="$OUT/$2"
    mkdir -p "$dir"
    [ "$(dpkg-deb -f "$deb" Package)" = "$name" ] || fail "$deb is not $name"
    dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/^ *//; s/ .*//' >"$dir/depends"
    dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$dir/files"
    dpkg-deb -e "$deb" "$dir/control"
    has_line "$dir/files" "/usr/bin/$name"
    has_line "$dir/files" "/lib/systemd/system/$name.service"
    has_line "$dir/files" "/usr/share/doc/$name/install.md"
    has_line "$dir/depends" adduser
    has_line "$dir/depends" libc6
    has_line "$dir/depends" libsqlite3-0
    has_line "$dir/depends" libsystemd0
    for script in postinst prerm postrm; do
        [ -x "$dir/control/$script" ] || fail "$name has no executable $script"
        sh -n "$dir/control/$script" || fail "$name's $script is not valid sh"
        grep -q "'$name.service'" "$dir/control/$script" || fail "$name's $script skips the unit"
    done
    grep -q "adduser --system --group --home /var/lib/doorstep" "$dir/control/postinst" ||
        fail "$name's postinst does not create the system user doorstep"
    grep -q "deb-systemd-helper enable '$name.service'" "$dir/control/postinst" ||
        fail "$name's postinst does not enable its unit"
    grep -q "deb-systemd-invoke stop '$name.service'" "$dir/control/prerm" ||
        fail "$name's prerm does not stop its unit"
    grep -q "deb-systemd-helper purge '$name.service'" "$dir/control/postrm" ||
        fail "$name's postrm does not forget its unit on purge"
    dpkg-deb -x "$deb" "$OUT/root"
}

echo "2. doorstep-kiosk: binary, unit, settings, assets, dependencies, scripts"
check_package "$kiosk_deb" doorstep-kiosk
for file in /etc/doorstep/kiosk.json /etc/pam.d/doorstep-kiosk \
    /usr/share/doorstep/surveys/default.json /usr/share/doorstep/translations/manager.json \
    /usr/share/doorstep/simulate/comments.json; do
    has_line "$OUT/doorstep-kiosk/files" "$file"
done
has_line "$OUT/doorstep-kiosk/control/conffiles" /etc/doorstep/kiosk.json
has_line "$OUT/doorstep-kiosk/control/conffiles" /etc/pam.d/doorstep-kiosk
for dependency in cage xwayland procps fonts-dejavu-core libpam-systemd libsdl2-2.0-0 libcurl4 \
    libsodium23 libespeak-ng1 espeak-ng-data; do
    has_line "$OUT/doorstep-kiosk/depends" "$dependency"
done

echo "3. doorstep-server: binary, unit, settings, dependencies, scripts"
check_package "$server_deb" doorstep-server
has_line "$OUT/doorstep-server/files" /etc/doorstep/server.json
has_line "$OUT/doorstep-server/control/conffiles" /etc/doorstep/server.json
has_line "$OUT/doorstep-server/depends" libpq5
! grep -qx cage "$OUT/doorstep-server/depends" || fail "doorstep-server must not need cage"
! grep -q '^/usr/share/doorstep/' "$OUT/doorstep-server/files" ||
    fail "doorstep-server ships the kiosk's assets (its dashboard is compiled in)"

echo "4. both units pass systemd-analyze verify against the unpacked packages"
# The tree needs cage and /bin/sh (the kiosk unit's ExecStart and ExecStop) and systemd's own
# units (sysinit.target, ...), copied from this machine without replacing the packages' units.
[ -x /usr/bin/cage ] || fail "cage is not installed (bash platform/linux/install-deps.sh test)"
cp /usr/bin/cage "$OUT/root/usr/bin/cage"
mkdir -p "$OUT/root/bin"
cp "$(readlink -f /bin/sh)" "$OUT/root/bin/sh"
cp -a -n /lib/systemd/system/. "$OUT/root/lib/systemd/system/"
units="$OUT/root/lib/systemd/system"

# verify_unit NAME: systemd-analyze verify passes it with no warning about it.
verify_unit() {
    SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no --root="$OUT/root" \
        "$units/$1.service" >"$OUT/verify-$1.log" 2>&1 &&
        ! grep -q "$1.service" "$OUT/verify-$1.log"
}
for unit in doorstep-kiosk doorstep-server; do
    for line in Type=notify Restart=always StartLimitIntervalSec=0 User=doorstep \
        Wants=network-online.target Environment=DOORSTEP_LOG_PREFIX=1 SyslogLevel=err; do
        has_line "$units/$unit.service" "$line"
    done
    ! grep -q '^Requires=.*network' "$units/$unit.service" ||
        fail "$unit.service requires the network"
    verify_unit "$unit" ||
        { cat "$OUT/verify-$unit.log" >&2; fail "systemd-analyze verify refused $unit.service"; }
done
for line in NotifyAccess=all WatchdogSec=30 \
    "ExecStart=/usr/bin/cage -d -- /usr/bin/doorstep-kiosk"; do
    has_line "$units/doorstep-kiosk.service" "$line"
done
# The check can fail: a missing binary, and a misspelt setting, are both caught.
sed 's|/usr/bin/doorstep-server|/usr/bin/doorstep-missing|' "$units/doorstep-server.service" \
    >"$units/missing-binary.service"
sed 's|^Restart=always|Restart=allways|' "$units/doorstep-server.service" >"$units/misspelt.service"
for broken in missing-binary misspelt; do
    ! verify_unit "$broken" || fail "systemd-analyze verify accepted $broken.service"
    rm "$units/$broken.service"
done

echo "5. the packaged binaries accept the packaged settings files"
"$OUT/root/usr/bin/doorstep-kiosk" --config "$OUT/root/etc/doorstep/kiosk.json" --help >/dev/null ||
    fail "doorstep-kiosk refuses its own kiosk.json"
"$OUT/root/usr/bin/doorstep-server" serve --config "$OUT/root/etc/doorstep/server.json" --help \
    >/dev/null || fail "doorstep-server refuses its own server.json"
echo "6. installed, the kiosk finds its survey beside it and reads /etc/doorstep/kiosk.json"
# Under /opt the binary counts as installed (paths.cpp) without touching /usr; needs root.
if [ -w /opt ]; then
    installed=$(mktemp -d /opt/doorstep-packages-test.XXXXXX)
    trap 'rm -rf "$installed"' EXIT
    cp -a "$OUT/root/usr" "$installed/"
    "$installed/usr/bin/doorstep-kiosk" layout --size 1280x800 --screen attract \
        >"$OUT/layout.json" ||
        fail "the installed kiosk did not find its survey in $installed/usr/share/doorstep"
    jq -e '.targets | length > 0' "$OUT/layout.json" >/dev/null || fail "no tap targets"
    "$installed/usr/bin/doorstep-kiosk" --help | grep -q -- '--config.*/etc/doorstep/kiosk.json' ||
        fail "the installed kiosk does not default to /etc/doorstep/kiosk.json"
    "$installed/usr/bin/doorstep-server" --help |
        grep -q -- '--config.*/etc/doorstep/server.json' ||
        fail "the installed server does not default to /etc/doorstep/server.json"
else
    echo "   (skipped: writing under /opt needs root)"
fi
echo "packages_test: all checks passed; packages in $OUT/packages"
