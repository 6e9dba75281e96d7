#!/usr/bin/env bash
# Runs the test suite under a sanitizer: AddressSanitizer (heap overflows, use after free, leaks off) or
# ThreadSanitizer (data races). Each builds into its own folder (.build-asan, .build-tsan), so the ordinary build
# is left alone; the first build takes several minutes on two cores.
#
#   scripts/sanitizers.sh address|thread [swift test options, e.g. --filter Router]
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-}
case "$kind" in
    address) scratch=.build-asan; export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1} ;;
    thread) scratch=.build-tsan; export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1} ;;
    *) echo "usage: scripts/sanitizers.sh address|thread [swift test options]" >&2; exit 2 ;;
esac
shift
# The Swift backtracer would hold a crashed test process; the sanitizer prints its own report.
export SWIFT_BACKTRACE=enable=no
swift build --build-tests --sanitize="$kind" --scratch-path "$scratch" 2>&1 | grep -vE "Cannot export local symbol" | tail -3
swift test --skip-build --sanitize="$kind" --scratch-path "$scratch" "$@"
