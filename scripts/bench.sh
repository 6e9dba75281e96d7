#!/usr/bin/env bash
# Runs eixm's benchmarks in release mode and prints their figures next to the bound that matters, measured in
# the same run. Usage: scripts/bench.sh [codec|rules|route|audit|all] [options]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product eixm-bench >&2
bench=.build/release/eixm-bench
case "${1:-all}" in
    all)
        shift || true
        "$bench" codec "$@"
        "$bench" rules "$@"
        "$bench" route
        "$bench" audit
        ;;
    *)
        exec "$bench" "$@"
        ;;
esac
