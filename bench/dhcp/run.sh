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
# shellcheck source-path=SCRIPTDIR/.. source=lib.sh
. "$HERE/../lib.sh"
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

# bench.py names its namespaces $PREFIX"s" and $PREFIX"c" and the veth
# ends $PREFIX"a" and $PREFIX"b": short enough for an interface name
PREFIX="bd$$"
BENCH_NS="${PREFIX}s ${PREFIX}c"
bench_init moat-dhcp-bench "makes network namespaces"

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

case ",$SERVERS," in
*,moatd,*)
	# the build dependencies of moatd and its _moatd user
	sh "$TOP/scripts/setup.sh"
	build_moatd "${TMPDIR:-/tmp}/moat-dhcp-bench-build" sbin/moatd \
	    libexec/moatd/dhcp-engine
	;;
esac

set -- --prefix "$PREFIX" --tmp "$WORK" --results "$RESULTS" \
    --servers "$SERVERS"
[ -z "$QUICK" ] || set -- "$@" "$QUICK"
[ -z "$PERIOD" ] || set -- "$@" --period "$PERIOD"
[ -z "$CLIENTS" ] || set -- "$@" --clients "$CLIENTS"
run_bench "$@"
