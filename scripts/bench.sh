#!/usr/bin/env bash
# Runs eixm's benchmarks in release mode. Usage: scripts/bench.sh [codec] [options]
# Each benchmark prints its figures next to the bound that matters, measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product eixm-bench >&2
exec .build/release/eixm-bench "$@"
