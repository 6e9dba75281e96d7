#!/usr/bin/env bash
# The default exercise as separate OS processes on 127.0.0.1: a router and one process per node (34), each with
# its own certificate, exchanging signed messages over mutual TLS. After DURATION seconds (default 20) the nodes
# get SIGTERM (they stop their traffic and wait for what is in flight), then the router gets SIGTERM and prints
# its report. Usage: scripts/exercise-processes.sh [DURATION] [extra 'eixm router'/'eixm node' options]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-20}"
shift || true
swift build -c release --product eixm >&2
eixm=.build/release/eixm
work=$(mktemp -d)
router_pid=""
node_pids=()
cleanup() {
    for pid in "${node_pids[@]}" $router_pid; do kill -KILL "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

mkdir -p "$work/nodes"
"$eixm" pki init --out "$work/pki" >/dev/null
"$eixm" router --pki "$work/pki" --listen 127.0.0.1:0 --port-file "$work/port" --out "$work/router" "$@" \
    > "$work/router.out" 2> "$work/router.log" &
router_pid=$!
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { echo "the router did not start:" >&2; cat "$work/router.log" >&2; exit 1; }
port=$(cat "$work/port")
echo "router pid $router_pid listening on 127.0.0.1:$port; starting the nodes" >&2

for certificate in "$work"/pki/*.pem; do
    node=$(basename "$certificate" .pem)
    case "$node" in ca|EIXM-ROUTER) continue ;; esac
    "$eixm" node --id "$node" --router "127.0.0.1:$port" --pki "$work/pki" "$@" > "$work/nodes/$node.out" 2> "$work/nodes/$node.log" &
    node_pids+=($!)
done
echo "${#node_pids[@]} node processes running; exchanging for $duration s" >&2
sleep "$duration"

echo "stopping the nodes (SIGTERM)" >&2
kill -TERM "${node_pids[@]}"
failed=0
for pid in "${node_pids[@]}"; do wait "$pid" || failed=$((failed + 1)); done
node_pids=()
cat "$work"/nodes/*.out | grep -v '^$' | sort > "$work/nodes.txt" || true
echo "stopping the router (SIGTERM)" >&2
kill -TERM "$router_pid"
wait "$router_pid"
router_pid=""
cat "$work/router.out"
echo
echo "Nodes ($(wc -l < "$work/nodes.txt") reported, $failed failed):"
cat "$work/nodes.txt"
"$eixm" audit verify "$work/router/audit" --pki "$work/pki"
echo "Run folder: $work (router/audit/, router/router-report.txt, one log per node)"
[ "$failed" -eq 0 ]
