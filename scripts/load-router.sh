#!/usr/bin/env bash
# Load against a router in a process of its own, as an operator would size a hub: starts `eixm router` on
# 127.0.0.1, runs `eixm load --router` against it from PROCESSES other processes (each `--shard K/PROCESSES`: the
# nodes and the rate shared among them; their reports merged by `eixm load merge`), stops the router with SIGTERM,
# prints its report and CPU time, and verifies its audit log.
# Usage: scripts/load-router.sh [RATE] [DURATION] [PROCESSES] [extra 'eixm load' options]
set -euo pipefail
cd "$(dirname "$0")/.."
rate="${1:-1000}"
duration="${2:-10s}"
processes="${3:-1}"
shift 3 || shift $# || true
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

clock_ticks=$(getconf CLK_TCK)
router_cpu() { awk -v t="$clock_ticks" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$router_pid/stat"; }
cpu_before=$(router_cpu)
started=$(date +%s.%N)
status=0
if [ "$processes" -eq 1 ]; then
    "$eixm" load --router "127.0.0.1:$port" --pki "$work/pki" --rate "$rate" --duration "$duration" --out "$work/load" "$@" || status=$?
else
    pids=()
    for k in $(seq 1 "$processes"); do
        "$eixm" load --router "127.0.0.1:$port" --pki "$work/pki" --rate "$rate" --duration "$duration" \
            --shard "$k/$processes" --out "$work/load-$k" "$@" > "$work/load-$k.txt" 2> "$work/load-$k.log" &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || true; done
    "$eixm" load merge $(seq -f "$work/load-%g" 1 "$processes") --out "$work/load" || status=$?
fi
cpu_after=$(router_cpu)
elapsed=$(echo "$(date +%s.%N) - $started" | bc -l)
printf "router process CPU: %.2f s over %.1f s of load = %.2f cores (its own, not the load processes')\n" \
    "$(echo "$cpu_after - $cpu_before" | bc -l)" "$elapsed" "$(echo "($cpu_after - $cpu_before) / $elapsed" | bc -l)"

kill -TERM "$router_pid"
wait "$router_pid"
router_pid=""
cat "$work/router.out"
"$eixm" audit verify "$work/router/audit" --pki "$work/pki"
echo "Run folder: $work (load/report.json, load/series.csv, load-K/ per process, router/audit/, router/router-report.txt)"
exit "$status"
