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
# shellcheck shell=sh
#
# What the benchmarks' run.sh scripts share.  Each sources it once it has
# set HERE, its own directory; install_packages reads PKGS, the Debian
# packages it needs, and build_moatd BUILD, a build tree given to it.
#
#	bench_init TAG WHAT	root check, the work directory, the traps
#	install_packages	installs what of $PKGS is missing
#	build_moatd DIR EXE...	sets BUILD and BUILD_OK
#	run_bench ARGS...	runs $HERE/bench.py ARGS and exits with it
#
# The network namespaces in $BENCH_NS are emptied, each process by its
# pid, and deleted on the way out, whatever bench.py left behind.

TOP=$(cd "$HERE/../.." && pwd)
PYTHON=/usr/bin/python3
BENCH_NS=""
OWN_POLICY=""
PYPID=""
# cleared by build_moatd when moatd should have been measured and cannot
BUILD_OK=1

# shellcheck disable=SC2317 # cleanup and stop are run by the traps
cleanup() {
	# whatever still runs in our namespaces, each by its pid
	for ns in $BENCH_NS; do
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

# bench_init TAG WHAT: as root only (WHAT says what else it does besides
# installing packages), WORK made as a new directory named after TAG, the
# results in it unless RESULTS names a file, and the traps set
bench_init() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "run.sh: run as root (it installs packages and $2)" >&2
		exit 1
	fi
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
	chmod 755 "$WORK"
	[ -n "${RESULTS:-}" ] || RESULTS="$WORK/results.json"
	trap cleanup EXIT
	trap stop INT TERM HUP
}

install_packages() {
	missing=""
	for p in $PKGS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		    grep -q "ok installed" || missing="$missing $p"
	done
	[ -n "$missing" ] || return 0
	# the servers measured are run here by hand: keep their packages
	# from starting system services on the host's interfaces and ports
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

# build_moatd DIR EXE...: BUILD is the build tree to measure: BUILD when
# set, else MOAT_BUILD_DIR, else a Release build made in DIR.  BUILD_OK is
# cleared when that does not build or lacks one of the EXEs (paths in it).
build_moatd() {
	dir=$1
	shift
	[ -n "${BUILD:-}" ] || BUILD=${MOAT_BUILD_DIR:-}
	if [ -z "$BUILD" ]; then
		BUILD=$dir
		echo "run.sh: building moatd (Release) in $BUILD"
		if ! { cmake -S "$TOP" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release \
		    -DMOAT_TESTS=OFF >"$WORK/build.log" 2>&1 &&
		    cmake --build "$BUILD" -j2 >>"$WORK/build.log" 2>&1; }; then
			echo "run.sh: moatd does not build; see" \
			    "$WORK/build.log" >&2
			BUILD_OK=""
			return 0
		fi
	fi
	lacking=""
	for exe in "$@"; do
		[ -x "$BUILD/$exe" ] || lacking=1
	done
	[ -n "$lacking" ] || return 0
	msg="run.sh: no"
	sep=""
	for exe in "$@"; do
		msg="$msg$sep $BUILD/$exe"
		sep=" or"
	done
	echo "$msg" >&2
	BUILD_OK=""
}

# run_bench ARGS...: bench.py in the background, so that a signal reaches
# the trap at once; exits with its status, or 1 when moatd did not build
run_bench() {
	[ -z "$BUILD_OK" ] || [ -z "${BUILD:-}" ] ||
	    set -- "$@" --moatd-build "$BUILD"
	"$PYTHON" "$HERE/bench.py" "$@" &
	PYPID=$!
	status=0
	wait "$PYPID" || status=$?
	PYPID=""
	if [ "$status" -eq 0 ] && [ -z "$BUILD_OK" ]; then
		status=1
	fi
	exit "$status"
}
