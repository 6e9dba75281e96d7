#!/usr/bin/env bash
# 10,000 authorities at once, as the real network would reconnect after a router restart: makes a PKI for the
# default exercise's 34 nodes and NODES designated authorities, starts `eixm router` on 127.0.0.1 with
# configs/examples/authorities.yaml (NODES and, when given, the heartbeat interval put in), and runs `eixm load` with
# every node connecting at once and then offering RATE msgs/s across all of them. Prints the time until every node
# was welcomed (the storm), the router's RSS before and at its peak with the KiB per connection, the CPU each
# process used until the storm ended (the router's per connection, and the least time its handshakes would take on
# the machine's cores without the load beside it) and in all, and the load's verdict (0 lost required: `--max-lost 0`).
# Usage: scripts/connect-storm.sh [NODES] [HEARTBEAT] [RATE] [DURATION]   (default: 10000, the file's 5s, 20, 20s)
# One process cannot hold both ends of 10,000 connections under 20,000 open files: the router runs in its own.
set -euo pipefail
cd "$(dirname "$0")/.."
nodes="${1:-10000}"
heartbeat="${2:-}"
rate="${3:-20}"
duration="${4:-20s}"
swift build -c release --product eixm >&2
eixm=.build/release/eixm
work=$(mktemp -d)
router_pid=""
cleanup() {
    [ -n "$router_pid" ] && kill -KILL "$router_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

config="$work/authorities.yaml"
sed "s/designated_authorities: 10000/designated_authorities: $nodes/" configs/examples/authorities.yaml > "$config"
[ -n "$heartbeat" ] && sed -i "s/heartbeat: [0-9a-z]*/heartbeat: $heartbeat/" "$config"
grep -q "designated_authorities: $nodes" "$config" || { echo "configs/examples/authorities.yaml has no designated_authorities line" >&2; exit 1; }
started=$(date +%s.%N)
"$eixm" pki init --out "$work/pki" --designated-authorities "$nodes" >/dev/null
echo "pki init for $((nodes + 35)) certificates: $(echo "$(date +%s.%N) - $started" | bc -l | xargs printf '%.2f') s"
"$eixm" router --pki "$work/pki" --config "$config" --listen 127.0.0.1:0 --port-file "$work/port" --out "$work/router" \
    > "$work/router.out" 2> "$work/router.log" &
router_pid=$!
for _ in $(seq 1 300); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { echo "the router did not start:" >&2; cat "$work/router.log" >&2; exit 1; }
sleep 1
rss() { awk '/VmRSS/ { print $2 }' "/proc/$1/status"; }
ticks=$(getconf CLK_TCK)
cpu() { awk -v t="$ticks" '{ printf "%.1f", ($14 + $15) / t }' "/proc/$1/stat"; }
rss_before=$(rss "$router_pid")
cpu_before=$(cpu "$router_pid")
status=0
"$eixm" load --router "127.0.0.1:$(cat "$work/port")" --pki "$work/pki" --config "$config" --rate "$rate" \
    --duration "$duration" --warmup 2s --max-lost 0 --out "$work/load" > "$work/load.txt" 2> "$work/load.log" &
load_pid=$!
peak=$rss_before
load_cpu=0
# The storm ends when the load says every node is connected ("load: N/N nodes connected to ..."): the CPU each process
# used until then (the load's includes reading the PKI and making its nodes' TLS contexts before it connects).
storm_router_cpu=""
storm_load_cpu=""
while kill -0 "$load_pid" 2>/dev/null; do
    now=$(rss "$router_pid")
    [ "$now" -gt "$peak" ] && peak=$now
    load_cpu=$(cpu "$load_pid" 2>/dev/null || echo "$load_cpu")
    if [ -z "$storm_router_cpu" ] && grep -q "nodes connected to" "$work/load.log" 2>/dev/null; then
        storm_router_cpu=$(echo "$(cpu "$router_pid") - $cpu_before" | bc -l)
        storm_load_cpu=$load_cpu
    fi
    # Finely until the storm ends, so that its CPU is read close to its end.
    if [ -z "$storm_router_cpu" ]; then sleep 0.1; else sleep 0.5; fi
done
wait "$load_pid" || status=$?
router_cpu=$(echo "$(cpu "$router_pid") - $cpu_before" | bc -l)
kill -TERM "$router_pid"
wait "$router_pid" || true
router_pid=""
grep -E "^Nodes:|^Throughput|lost|PASSED|FAILED" "$work/load.txt" || true
connections=$((nodes + 34))
echo "router RSS: $((rss_before / 1024)) MiB before, $((peak / 1024)) MiB at its peak:" \
    "$(echo "($peak - $rss_before) / $connections" | bc -l | xargs printf '%.1f') KiB per connection ($connections connections)"
if [ -n "$storm_router_cpu" ]; then
    echo "CPU until every node was connected: router $(printf '%.1f' "$storm_router_cpu") s" \
        "($(echo "$storm_router_cpu * 1000000 / $connections" | bc -l | xargs printf '%.0f') µs per connection;" \
        "on $(nproc) cores of its own at least $(echo "$storm_router_cpu / $(nproc)" | bc -l | xargs printf '%.1f') s)," \
        "load process ${storm_load_cpu} s"
fi
echo "CPU during the load: router $(printf '%.1f' "$router_cpu") s, load process ${load_cpu} s"
grep "Connections closed by limits" "$work/router.out" || true
exit "$status"
