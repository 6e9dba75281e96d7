#!/usr/bin/env bash
# Load against a router in a process of its own, as an operator would size a hub: starts `eixm router` on
# 127.0.0.1, runs `eixm load --router` against it from another process, stops the router with SIGTERM, prints its
# report and verifies its audit log. Usage: scripts/load-router.sh [RATE] [DURATION] [extra 'eixm load' options]
set -euo pipefail
cd "$(dirname "$0")/.."
rate="${1:-1000}"
duration="${2:-10s}"
shift 2 || shift $# || true
swift build -c release --product eixm >&2
eixm=.build/release/eixm
work=$(mktemp -d)
router_pid=""
cleanup() { [ -n "$router_pid" ] && kill -KILL "$router_pid" 2>/dev/null || true; }
trap cleanup EXIT

"$eixm" pki init --out "$work/pki" >/dev/null
"$eixm" router --pki "$work/pki" --listen 127.0.0.1:0 --port-file "$work/port" --out "$work/router" \
    > "$work/router.out" 2> "$work/router.log" &
router_pid=$!
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { echo "the router did not start:" >&2; cat "$work/router.log" >&2; exit 1; }
port=$(cat "$work/port")
echo "router pid $router_pid listening on 127.0.0.1:$port; offering $rate msgs/s for $duration" >&2

status=0
"$eixm" load --router "127.0.0.1:$port" --pki "$work/pki" --rate "$rate" --duration "$duration" --out "$work/load" "$@" || status=$?

kill -TERM "$router_pid"
wait "$router_pid"
router_pid=""
cat "$work/router.out"
"$eixm" audit verify "$work/router/audit" --pki "$work/pki"
echo "Run folder: $work (load/report.json, load/series.csv, router/audit/, router/router-report.txt)"
exit "$status"
