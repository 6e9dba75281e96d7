#!/usr/bin/env bash
# A chaos run: does an ACK still mean what it says when processes die?
#
#   scripts/chaos.sh [DURATION_SECONDS] [SEED] [RATE]        defaults: 60 s, seed 1, 300 msgs/s
#
# Starts an `eixm router` process on 127.0.0.1, `eixm load --router` against it from another process (30 of the 34
# default nodes, open loop at RATE), and four `eixm node --state` processes (SPOC-NL, SPOC-AT, SPOC-SE, SPOC-FI)
# that send each other requests and answer every one with a reply. For DURATION seconds it kills, at seeded random
# moments, the router or one node process with SIGKILL, and starts it again on the same folder (and port) a moment
# later. Then it lets the run settle, stops everything with SIGTERM and checks, from records the router does not
# keep for itself:
#   - load: every message answered ACCEPTED reached each addressee (the load process's senders and recipients
#     count that themselves; --max-lost 0), and its report counts the reconnects;
#   - node processes: no request was acted on twice (no request has two replies in the audit log), and none that
#     was accepted before the chaos ended was forgotten (each has its one reply);
#   - the router's audit log, across every life of the router, verifies (hash chain, signed checkpoints, sealed).
# Prints CHAOS PASSED or CHAOS FAILED with what failed; exits 1 on failure. The run folder is kept and named.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-60}"
seed="${2:-1}"
rate="${3:-300}"
[ "$duration" -ge 10 ] || { echo "chaos.sh: DURATION must be at least 10 seconds" >&2; exit 2; }
swift build -c release --product eixm >&2
eixm=$(pwd)/.build/release/eixm
work=$(mktemp -d)
RANDOM=$seed
node_ids=(SPOC-NL SPOC-AT SPOC-SE SPOC-FI)
declare -A node_pid
router_pid=""
load_pid=""
cleanup() {
    for pid in "${node_pid[@]}" $router_pid $load_pid; do kill -KILL "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

"$eixm" pki init --out "$work/pki" >/dev/null
# The load's nodes: every node of the PKI (the default 34) but the four node processes; the default exercise's mix.
load_nodes=$(for certificate in "$work"/pki/*.pem; do
    node=$(basename "$certificate" .pem)
    case " ca EIXM-ROUTER ${node_ids[*]} " in *" $node "*) continue ;; esac
    printf '%s, ' "$node"
done)
sed "s/^nodes: default.*/nodes: [${load_nodes%, }]/; s/^name: .*/name: chaos-load/" configs/exercise.yaml > "$work/load.yaml"
# The node processes: requests to each other only, every one answered by a reply within a simulated hour.
sed "s/^nodes: .*/nodes: [$(IFS=,; echo "${node_ids[*]}" | sed 's/,/, /g')]/" configs/examples/answering-nodes.yaml > "$work/nodes.yaml"

start_router() {
    local listen=$1
    "$eixm" router --pki "$work/pki" --listen "$listen" --port-file "$work/port" --out "$work/router" \
        >> "$work/router.out" 2>> "$work/router.log" &
    router_pid=$!
}
start_node() {
    local id=$1
    "$eixm" node --id "$id" --router "127.0.0.1:$port" --pki "$work/pki" --config "$work/nodes.yaml" \
        --state "$work/nodes/$id" >> "$work/nodes/$id.out" 2>> "$work/nodes/$id.log" &
    node_pid[$id]=$!
}

mkdir -p "$work/nodes"
start_router 127.0.0.1:0
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { echo "the router did not start:" >&2; cat "$work/router.log" >&2; exit 1; }
port=$(cat "$work/port")
for id in "${node_ids[@]}"; do start_node "$id"; done
"$eixm" load --router "127.0.0.1:$port" --pki "$work/pki" --config "$work/load.yaml" --rate "$rate" \
    --duration "${duration}s" --drain 30s --max-lost 0 --out "$work/load" > "$work/load.out" 2> "$work/load.log" &
load_pid=$!
echo "chaos: router on 127.0.0.1:$port, load at $rate msgs/s from 30 nodes, 4 node processes; $duration s, seed $seed; folder $work" >&2

# Kills process $1 ($2 in the log) with SIGKILL and waits $3 milliseconds.
kill_for_a_moment() {
    kill -KILL "$1"
    wait "$1" 2>/dev/null || true
    echo "chaos: $(date -u +%T) $2 killed (SIGKILL), restarting in $3 ms" >&2
    sleep "$(printf '%d.%03d' $(($3 / 1000)) $(($3 % 1000)))"
}

# The chaos: every 2-5 s, SIGKILL the router (one time in three) or a node process, and start it again 0.2-1.2 s later.
router_kills=0
node_kills=0
sleep 3
end=$((SECONDS + duration - 5))
while [ $SECONDS -lt $end ]; do
    pause_ms=$((200 + RANDOM % 1000))
    if [ $((RANDOM % 3)) -eq 0 ]; then
        kill_for_a_moment "$router_pid" router "$pause_ms"
        router_kills=$((router_kills + 1))
        start_router "127.0.0.1:$port"
    else
        id=${node_ids[$((RANDOM % ${#node_ids[@]}))]}
        kill_for_a_moment "${node_pid[$id]}" "$id" "$pause_ms"
        node_kills=$((node_kills + 1))
        start_node "$id"
    fi
    sleep "$((2 + RANDOM % 4))"
done
quiet_from=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
echo "chaos: $quiet_from the chaos ends ($router_kills router kills, $node_kills node kills); settling" >&2

failures=()
load_status=0
wait "$load_pid" || load_status=$?
load_pid=""
sleep 8
for id in "${node_ids[@]}"; do kill -TERM "${node_pid[$id]}"; done
for id in "${node_ids[@]}"; do wait "${node_pid[$id]}" || failures+=("$id ended with an error: $(tail -n 3 "$work/nodes/$id.log")"); done
node_pid=()
kill -TERM "$router_pid"
wait "$router_pid" || failures+=("the router's last life ended with an error")
router_pid=""

echo "== load (from another process, across $router_kills router kills)"
grep -E "^(Nodes|Connections lost|Unanswered|Threshold|PASSED|FAILED)" "$work/load.out" || true
[ "$load_status" -eq 0 ] || failures+=("eixm load exited $load_status (a threshold failed: messages lost or unanswered)")
grep -Eq "Connections lost and made again: [1-9]" "$work/load.out" || [ "$router_kills" -eq 0 ] \
    || failures+=("the load report counts no reconnects though the router was killed $router_kills time(s)")

echo "== node processes (across $node_kills node kills and $router_kills router kills)"
python3 scripts/check-replies.py "$work/router/audit" "$quiet_from" "${node_ids[@]}" \
    || failures+=("the node processes' requests and replies do not pair up (above)")

echo "== the router's audit log, every life of it"
"$eixm" audit verify "$work/router/audit" --pki "$work/pki" || failures+=("the audit log does not verify")
recoveries=$(grep -c "recovered" "$work/router.log" || true)
echo "router lives: $((router_kills + 1)); recovery lines on its standard error: $recoveries"

echo "Run folder: $work"
if [ ${#failures[@]} -gt 0 ]; then
    printf 'CHAOS FAILED: %s\n' "${failures[@]}"
    exit 1
fi
echo "CHAOS PASSED: $router_kills router kills, $node_kills node kills; 0 acknowledged messages lost, 0 acted on twice, the audit log verifies"
