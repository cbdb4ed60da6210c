#!/bin/sh
# Quick start (b): install what is needed, then build and run the whole
# test suite: unit tests and fuzz corpus replays in a plain build and in
# an AddressSanitizer + UndefinedBehaviorSanitizer build (with short
# libFuzzer runs), the man page lint, and the integration tests that run
# moatd as root in network namespaces.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${MOAT_BUILD_DIR:-$top/build}
asan=${MOAT_ASAN_DIR:-$top/build-asan}
results=$(mktemp -d /tmp/moat-results.XXXXXX)
prefix=$(mktemp -d /tmp/moat-prefix.XXXXXX)
fuzz_seconds=${MOAT_FUZZ_SECONDS:-20}
failed_steps=""

trap 'rm -rf "$prefix"' EXIT

step() {
	name=$1
	shift
	echo "==> $name"
	if ! "$@"; then
		echo "==> $name: FAILED"
		failed_steps="$failed_steps $name"
	fi
}

fuzz_briefly() {
	# a short real fuzz run per harness, on a scratch copy of its corpus;
	# a crash is shown (with its input in base64) and the rest still run
	rv=0
	for h in "$asan"/tests/fuzz/fuzz_*; do
		[ -x "$h" ] || continue
		n=$(basename "$h")
		work=$(mktemp -d)
		cp "$top/tests/fuzz/corpus/$n"/* "$work"/
		if "$h" -max_total_time="$fuzz_seconds" -timeout=10 \
		    -close_fd_mask=2 -artifact_prefix="$work/" \
		    -rss_limit_mb=2048 -print_final_stats=0 "$work" \
		    >"$results/fuzz-$n.log" 2>&1; then
			echo "fuzzed $n for ${fuzz_seconds}s: no crash"
		else
			tail -50 "$results/fuzz-$n.log"
			echo "fuzzed $n: FAILED"
			rv=1
		fi
		rm -rf "$work"
	done
	return $rv
}

set -e
sh "$top/scripts/setup.sh"
set +e

step build cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
step build cmake --build "$build" -j "$(nproc)"
step unit ctest --test-dir "$build" --output-on-failure -j 2 \
    --output-junit "$results/ctest-plain.xml"

step asan-build env CC=clang cmake -S "$top" -B "$asan" \
    -DCMAKE_BUILD_TYPE=Debug -DMOAT_SANITIZE=ON -DMOAT_FUZZ=ON
step asan-build cmake --build "$asan" -j "$(nproc)"
step asan-unit env ASAN_OPTIONS=detect_leaks=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$asan" --output-on-failure -j 2 \
    --output-junit "$results/ctest-asan.xml"
step fuzz fuzz_briefly

step install cmake --install "$build" --prefix "$prefix"
step integration env MOAT_PREFIX="$prefix" MOAT_BUILD_DIR="$build" \
    MOAT_SOURCE_DIR="$top" /usr/bin/python3 -m pytest -q -p no:cacheprovider \
    --junitxml="$results/pytest.xml" "$top/tests/integration"

/usr/bin/python3 "$top/scripts/summary.py" "$results" $failed_steps
rv=$?
rm -rf "$results"
exit $rv
