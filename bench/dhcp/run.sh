#!/bin/sh
#
# Copyright (c) 2026 The moatd developers
#
# Permission to use, copy, modify, and distribute this software for any
# purpose with or without fee is hereby granted, provided that the above
# copyright notice and this permission notice appear in all copies.
#
# THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
# WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
# MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
# ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
# WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
# ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
# OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
#
# The DHCPv4 benchmark: moatd against Kea and dnsmasq, with perfdhcp, in
# two network namespaces of its own joined by a veth pair.  As root on
# Debian 12:
#
#	sh bench/dhcp/run.sh [--quick] [--servers a,b,...] [--period S]
#	    [--clients N] [--results FILE] [--build DIR]
#
# It installs what it needs (non-interactive, idempotent), builds moatd
# (or uses --build DIR or MOAT_BUILD_DIR, a build tree holding sbin/moatd
# and libexec/moatd/dhcp-engine), runs bench.py and prints where the JSON
# results are.  It exits non-zero only when something could not run, never
# because a target was missed.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
PYTHON=/usr/bin/python3
PKGS="kea-dhcp4-server kea-admin dnsmasq-base util-linux procps iproute2
python3"

QUICK=""
SERVERS="kea,dnsmasq,moatd"
PERIOD=""
CLIENTS=""
RESULTS=""
BUILD="${MOAT_BUILD_DIR:-}"
while [ $# -gt 0 ]; do
	case "$1" in
	--quick)	QUICK=--quick ;;
	--servers)	SERVERS=${2:?}; shift ;;
	--period)	PERIOD=${2:?}; shift ;;
	--clients)	CLIENTS=${2:?}; shift ;;
	--results)	RESULTS=${2:?}; shift ;;
	--build)	BUILD=${2:?}; shift ;;
	*)
		echo "usage: run.sh [--quick] [--servers list] [--period s]" \
		    "[--clients n] [--results file] [--build dir]" >&2
		exit 2 ;;
	esac
	shift
done

if [ "$(id -u)" -ne 0 ]; then
	echo "run.sh: run as root (it installs packages and makes network" \
	    "namespaces)" >&2
	exit 1
fi

# bench.py names its namespaces $PREFIX"s" and $PREFIX"c" and the veth
# ends $PREFIX"a" and $PREFIX"b": short enough for an interface name
PREFIX="bd$$"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/moat-dhcp-bench.XXXXXX")
chmod 755 "$WORK"
[ -n "$RESULTS" ] || RESULTS="$WORK/results.json"
OWN_POLICY=""
PYPID=""

# shellcheck disable=SC2317 # cleanup and stop are run by the traps
cleanup() {
	# whatever still runs in our namespaces, each by its pid
	for ns in "${PREFIX}s" "${PREFIX}c"; do
		ip netns list 2>/dev/null | grep -q "^$ns\\b" || continue
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -TERM "$pid" 2>/dev/null || true
		done
		sleep 0.5
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null || true
		done
		ip netns del "$ns" 2>/dev/null || true
	done
	if [ -n "$OWN_POLICY" ]; then
		rm -f /usr/sbin/policy-rc.d
	fi
}
# shellcheck disable=SC2317
stop() {
	# bench.py stops what it started when told to
	if [ -n "$PYPID" ]; then
		kill -TERM "$PYPID" 2>/dev/null || true
		wait "$PYPID" 2>/dev/null || true
	fi
	exit 130
}
trap cleanup EXIT
trap stop INT TERM HUP

install_packages() {
	missing=""
	for p in $PKGS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		    grep -q "ok installed" || missing="$missing $p"
	done
	[ -n "$missing" ] || return 0
	# Kea and dnsmasq are run here by hand: keep the packages from
	# starting a DHCP server on the host's interfaces
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		OWN_POLICY=1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	# shellcheck disable=SC2086 # one word per package
	apt-get install -y -q --no-install-recommends $missing
	if [ -n "$OWN_POLICY" ]; then
		rm -f /usr/sbin/policy-rc.d
		OWN_POLICY=""
	fi
}

# a Kea service the package started anyway (systemd ignores policy-rc.d
# on some setups) would answer on the host's own interfaces
stop_kea_service() {
	command -v systemctl >/dev/null 2>&1 || return 0
	[ -d /run/systemd/system ] || return 0
	for unit in kea-dhcp4-server kea-ctrl-agent; do
		if systemctl is-enabled --quiet "$unit" 2>/dev/null ||
		    systemctl is-active --quiet "$unit" 2>/dev/null; then
			echo "run.sh: stopping and disabling $unit"
			systemctl disable --now "$unit" >/dev/null 2>&1 || true
		fi
	done
}

install_packages
stop_kea_service

BUILD_OK=1
case ",$SERVERS," in
*,moatd,*)
	# the build dependencies of moatd and its _moatd user
	sh "$TOP/scripts/setup.sh"
	if [ -z "$BUILD" ]; then
		BUILD="${TMPDIR:-/tmp}/moat-dhcp-bench-build"
		echo "run.sh: building moatd (Release) in $BUILD"
		if ! { cmake -S "$TOP" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release \
		    -DMOAT_TESTS=OFF >"$WORK/build.log" 2>&1 &&
		    cmake --build "$BUILD" -j2 >>"$WORK/build.log" 2>&1; }; then
			echo "run.sh: moatd does not build; see" \
			    "$WORK/build.log" >&2
			BUILD_OK=""
		fi
	fi
	if [ -n "$BUILD_OK" ] && {
	    [ ! -x "$BUILD/sbin/moatd" ] ||
	    [ ! -x "$BUILD/libexec/moatd/dhcp-engine" ]; }; then
		echo "run.sh: no $BUILD/sbin/moatd or" \
		    "$BUILD/libexec/moatd/dhcp-engine" >&2
		BUILD_OK=""
	fi
	;;
esac

set -- --prefix "$PREFIX" --tmp "$WORK" --results "$RESULTS" \
    --servers "$SERVERS"
[ -z "$QUICK" ] || set -- "$@" "$QUICK"
[ -z "$PERIOD" ] || set -- "$@" --period "$PERIOD"
[ -z "$CLIENTS" ] || set -- "$@" --clients "$CLIENTS"
[ -z "$BUILD_OK" ] || [ -z "$BUILD" ] || set -- "$@" --moatd-build "$BUILD"

# in the background, so that a signal reaches the trap at once
"$PYTHON" "$HERE/bench.py" "$@" &
PYPID=$!
status=0
wait "$PYPID" || status=$?
PYPID=""
if [ "$status" -eq 0 ] && [ -z "$BUILD_OK" ]; then
	status=1
fi
exit "$status"
