#!/usr/bin/env bash
# The test command: builds every target with warnings as errors, then runs the whole suite (Swift Testing).
# Extra arguments go to 'swift test', e.g. scripts/test.sh --filter EIXMModelTests
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests -Xswiftc -warnings-as-errors
# A crash prints its message and the crashed thread only (not every thread's stack, registers and images), so that
# the end of a CI log shows what crashed.
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-threads=crashed,registers=none,images=none}"
swift test --skip-build "$@"
