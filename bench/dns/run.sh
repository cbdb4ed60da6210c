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
# The DNS benchmark: moatd against dnsmasq, unbound and a batched UDP
# echo, in a network namespace of its own.  As root on Debian 12:
#
#	sh bench/dns/run.sh [--quick] [--profile] [--servers a,b,...]
#	    [--rate QPS] [--results FILE]
#
# It installs what it needs (non-interactive, idempotent), builds moatd
# (or uses MOAT_BUILD_DIR, a build tree holding sbin/moatd) and the echo,
# runs bench.py and prints where the JSON results are.  It exits non-zero
# only when something could not run, never because a target was missed.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
PYTHON=/usr/bin/python3
PKGS="dnsperf unbound dnsmasq-base knot knot-dnsutils util-linux procps
iproute2 gcc libc6-dev python3"

QUICK=""
PROFILE=""
SERVERS="echo,dnsmasq,unbound,moatd"
RATE=100000
RESULTS=""
while [ $# -gt 0 ]; do
	case "$1" in
	--quick)	QUICK=--quick ;;
	--profile)	PROFILE=--profile ;;
	--servers)	SERVERS=${2:?}; shift ;;
	--rate)		RATE=${2:?}; shift ;;
	--results)	RESULTS=${2:?}; shift ;;
	*)
		echo "usage: run.sh [--quick] [--profile] [--servers list]" \
		    "[--rate qps] [--results file]" >&2
		exit 2 ;;
	esac
	shift
done

if [ "$(id -u)" -ne 0 ]; then
	echo "run.sh: run as root (it installs packages and makes a network" \
	    "namespace)" >&2
	exit 1
fi

NS="mb$$"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/moat-bench.XXXXXX")
chmod 755 "$WORK"
[ -n "$RESULTS" ] || RESULTS="$WORK/results.json"
OWN_POLICY=""
PYPID=""

cleanup() {
	# whatever still runs in our namespace, each by its pid
	if ip netns list 2>/dev/null | grep -q "^$NS\\b"; then
		for pid in $(ip netns pids "$NS" 2>/dev/null); do
			kill -TERM "$pid" 2>/dev/null || true
		done
		sleep 0.5
		for pid in $(ip netns pids "$NS" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null || true
		done
		ip netns del "$NS" 2>/dev/null || true
	fi
	if [ -n "$OWN_POLICY" ]; then
		rm -f /usr/sbin/policy-rc.d
	fi
}
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
	# unbound and knot are run here by hand: keep their packages from
	# starting system services that would take the host's port 53
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

[ -z "$PROFILE" ] || PKGS="$PKGS linux-perf"
install_packages
# the build dependencies of moatd and its _moatd user
sh "$TOP/scripts/setup.sh"

cc -O2 -Wall -Wextra -o "$WORK/echo" "$HERE/echo.c"

BUILD_OK=1
case ",$SERVERS," in
*,moatd,*)
	if [ -n "${MOAT_BUILD_DIR:-}" ]; then
		BUILD="$MOAT_BUILD_DIR"
	else
		BUILD="${TMPDIR:-/tmp}/moat-bench-build"
		echo "run.sh: building moatd (Release) in $BUILD"
		if ! { cmake -S "$TOP" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release \
		    -DMOAT_TESTS=OFF >"$WORK/build.log" 2>&1 &&
		    cmake --build "$BUILD" -j2 >>"$WORK/build.log" 2>&1; }; then
			echo "run.sh: moatd does not build; see" \
			    "$WORK/build.log" >&2
			BUILD_OK=""
		fi
	fi
	if [ -n "$BUILD_OK" ] && [ ! -x "$BUILD/sbin/moatd" ]; then
		echo "run.sh: no $BUILD/sbin/moatd" >&2
		BUILD_OK=""
	fi
	;;
esac

set -- --ns "$NS" --tmp "$WORK" --echo "$WORK/echo" --results "$RESULTS" \
    --rate "$RATE" --servers "$SERVERS"
[ -z "$QUICK" ] || set -- "$@" "$QUICK"
[ -z "$PROFILE" ] || set -- "$@" "$PROFILE"
[ -z "$BUILD_OK" ] || [ -z "${BUILD:-}" ] || set -- "$@" --moatd-build "$BUILD"

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
