#!/bin/sh
# Quick start (a): install what is needed, build, and run moatd in the
# foreground on its embedded default (a DNS forwarder on 127.0.0.1 and
# ::1 port 53, using the servers of /etc/resolv.conf).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${MOAT_BUILD_DIR:-$top/build}

sh "$top/scripts/setup.sh"
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)"
exec "$build/sbin/moatd" -d -s "$build/moatd.sock" "$@"
