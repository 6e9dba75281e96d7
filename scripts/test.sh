#!/usr/bin/env bash
# The test command: builds every target with warnings as errors, then runs the whole suite (Swift Testing).
# Extra arguments go to 'swift test', e.g. scripts/test.sh --filter EIXMModelTests
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests -Xswiftc -warnings-as-errors
swift test --skip-build "$@"
