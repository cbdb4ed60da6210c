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
# shellcheck source-path=SCRIPTDIR/.. source=lib.sh
. "$HERE/../lib.sh"
PKGS="dnsperf unbound dnsmasq-base knot knot-dnsutils util-linux procps
iproute2 gcc libc6-dev python3"

QUICK=""
PROFILE=""
SERVERS="echo,dnsmasq,unbound,moatd"
RATE=100000
RESULTS=""
# MOAT_BUILD_DIR or a build of its own: see build_moatd
BUILD=""
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

NS="mb$$"
BENCH_NS="$NS"
bench_init moat-bench "makes a network namespace"

[ -z "$PROFILE" ] || PKGS="$PKGS linux-perf"
install_packages
# the build dependencies of moatd and its _moatd user
sh "$TOP/scripts/setup.sh"

cc -O2 -Wall -Wextra -o "$WORK/echo" "$HERE/echo.c"

case ",$SERVERS," in
*,moatd,*)
	build_moatd "${TMPDIR:-/tmp}/moat-bench-build" sbin/moatd
	;;
esac

set -- --ns "$NS" --tmp "$WORK" --echo "$WORK/echo" --results "$RESULTS" \
    --rate "$RATE" --servers "$SERVERS"
[ -z "$QUICK" ] || set -- "$@" "$QUICK"
[ -z "$PROFILE" ] || set -- "$@" "$PROFILE"
run_bench "$@"
