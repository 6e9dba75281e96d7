#!/usr/bin/env bash
# The exercise across hosts: a router host and three node hosts, each a network namespace of its own, joined by veth
# pairs to a bridge in a fifth namespace (the switch). Nothing touches the machine's own network: every address is
# inside these namespaces, and they are deleted at the end.
#
#   scripts/netns-exercise.sh [DOWN_SECONDS]          default 12 (longer than five heartbeats: connections die)
#
# Host 1 runs SPOC-BE and SPOC-FR, host 2 SPOC-DE and SPOC-NL, host 3 SPOC-IT and SPOC-MT, each an `eixm node --state`
# process that sends requests to the others and answers every request with one reply; the router host runs
# `eixm router`. After 10 s the link of host 3 goes down for DOWN_SECONDS (its nodes cannot reach the router; what
# is sent to them waits at the router, what they send waits in their sessions), then comes up again. After 10 s more
# and a quiet spell the run stops and checks: requests to and from host 3 were accepted while it was cut off; every
# request accepted before the quiet spell has its one reply, none has two (the audit log's `in_reply_to`); the
# router's audit log verifies. Needs root and iproute2 (`ip`). Prints NETNS PASSED or NETNS FAILED.
set -euo pipefail
cd "$(dirname "$0")/.."
down="${1:-12}"
command -v ip >/dev/null || { echo "netns-exercise.sh: needs 'ip' (iproute2)" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "netns-exercise.sh: needs root to make network namespaces" >&2; exit 2; }
swift build -c release --product eixm >&2
eixm=$(pwd)/.build/release/eixm
work=$(mktemp -d)
tag=$$
switch=eixm-sw-$tag
router_host=eixm-r-$tag
hosts=(eixm-h1-$tag eixm-h2-$tag eixm-h3-$tag)
nodes_of=("SPOC-BE SPOC-FR" "SPOC-DE SPOC-NL" "SPOC-IT SPOC-MT")
all_nodes=(SPOC-BE SPOC-FR SPOC-DE SPOC-NL SPOC-IT SPOC-MT)
router_address=10.77.0.1
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    for namespace in "$switch" "$router_host" "${hosts[@]}"; do ip netns del "$namespace" 2>/dev/null || true; done
}
trap cleanup EXIT

# The hosts: each has lo and eth0 (10.77.0.N/24), wired to port pN of the bridge in the switch namespace.
ip netns add "$switch"
ip -n "$switch" link add br0 type bridge
ip -n "$switch" link set br0 up
number=1
for namespace in "$router_host" "${hosts[@]}"; do
    ip netns add "$namespace"
    ip -n "$namespace" link set lo up
    ip link add "eixm$tag-$number" type veth peer name "eixm$tag-p$number"
    ip link set "eixm$tag-$number" netns "$namespace" name eth0
    ip link set "eixm$tag-p$number" netns "$switch" name "p$number"
    ip -n "$switch" link set "p$number" master br0 up
    ip -n "$namespace" addr add "10.77.0.$number/24" dev eth0
    ip -n "$namespace" link set eth0 up
    number=$((number + 1))
done
echo "netns: router host $router_address, node hosts 10.77.0.2-4 on one bridge; host 3's link goes down for $down s" >&2

"$eixm" pki init --out "$work/pki" >/dev/null
sed "s/^nodes: .*/nodes: [$(IFS=,; echo "${all_nodes[*]}" | sed 's/,/, /g')]/" configs/examples/answering-nodes.yaml > "$work/nodes.yaml"
ip netns exec "$router_host" "$eixm" router --pki "$work/pki" --listen "$router_address:7443" --out "$work/router" \
    > "$work/router.out" 2> "$work/router.log" &
router_pid=$!
pids+=("$router_pid")
for _ in $(seq 1 100); do grep -q "listening" "$work/router.log" 2>/dev/null && break; sleep 0.1; done
mkdir -p "$work/nodes"
node_pids=()
for index in 0 1 2; do
    for id in ${nodes_of[$index]}; do
        ip netns exec "${hosts[$index]}" "$eixm" node --id "$id" --router "$router_address:7443" --pki "$work/pki" \
            --config "$work/nodes.yaml" --state "$work/nodes/$id" > "$work/nodes/$id.out" 2> "$work/nodes/$id.log" &
        node_pids+=($!)
        pids+=($!)
    done
done

sleep 10
cut_from=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
echo "netns: $cut_from host 3's link down" >&2
ip -n "$switch" link set p4 down
sleep "$down"
cut_until=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
ip -n "$switch" link set p4 up
echo "netns: $cut_until host 3's link up" >&2
sleep 10
settled_from=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
sleep 8

failures=()
kill -TERM "${node_pids[@]}"
for pid in "${node_pids[@]}"; do wait "$pid" || failures+=("a node process ended with an error (logs in $work/nodes)"); done
kill -TERM "$router_pid"
wait "$router_pid" || failures+=("the router ended with an error")
pids=()
cat "$work"/nodes/*.out | grep -v '^$' || true

echo "== while host 3 was cut off ($cut_from to $cut_until)"
if ! python3 - "$work/router/audit" "$cut_from" "$cut_until" <<'PY'; then failures+=("nothing was exchanged with host 3 while it was cut off: the check proves nothing"); fi
import glob, json, sys
folder, since, until = sys.argv[1:]
cut_off = {"SPOC-IT", "SPOC-MT"}
to_host, from_host = 0, 0
for path in sorted(glob.glob(folder + "/audit-*.jsonl")):
    for line in open(path, encoding="utf-8"):
        record = json.loads(line)
        if record.get("event") != "accepted" or not since <= record["real_time"] <= until:
            continue
        to_host += bool(cut_off & set(record.get("recipients", [])))
        from_host += record.get("sender") in cut_off
print(f"accepted for host 3's nodes while cut off: {to_host}; from them (the router cannot hear them): {from_host}")
sys.exit(0 if to_host > 0 else 1)
PY

echo "== host 3's nodes noticed the cut (TCP_USER_TIMEOUT, heartbeats) and connected again"
for id in ${nodes_of[2]}; do
    grep -Eq "connections ([2-9]|[1-9][0-9]+)$" "$work/nodes/$id.out" \
        || failures+=("$id kept one connection through a ${down} s cut: a dead link went unnoticed")
done

echo "== every request answered once, the backlog included"
python3 scripts/check-replies.py "$work/router/audit" "$settled_from" "${all_nodes[@]}" \
    || failures+=("requests and replies do not pair up (above)")
echo "== the router's audit log"
"$eixm" audit verify "$work/router/audit" --pki "$work/pki" || failures+=("the audit log does not verify")
echo "Run folder: $work"
if [ ${#failures[@]} -gt 0 ]; then
    printf 'NETNS FAILED: %s\n' "${failures[@]}"
    exit 1
fi
echo "NETNS PASSED: host 3 cut off for $down s; its backlog arrived, every request answered once, the audit log verifies"
