#!/usr/bin/env bash
# A real Prometheus scrapes a running `eixm router --http`: starts the router on 127.0.0.1 with its HTTP endpoint,
# checks /healthz and /readyz, runs `eixm load --router` against it, lets Prometheus (Debian's `prometheus`, scraping
# every second) scrape it, asks Prometheus's query API for eixm_messages_received_total, checks the scrape with
# `promtool check metrics`, then stops the router with SIGTERM and compares the last scrape with its report.
# Usage: scripts/prometheus.sh [DURATION_OF_LOAD]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-6s}"
for tool in prometheus promtool curl; do
    command -v "$tool" >/dev/null || { echo "prometheus.sh needs '$tool' (apt-get install prometheus curl)" >&2; exit 2; }
done
swift build -c release --product eixm >&2
eixm=.build/release/eixm
work=$(mktemp -d)
router_pid=""
prometheus_pid=""
cleanup() {
    [ -n "$router_pid" ] && kill -KILL "$router_pid" 2>/dev/null || true
    [ -n "$prometheus_pid" ] && kill -KILL "$prometheus_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "PROMETHEUS FAILED: $*" >&2; exit 1; }
# Waits up to ten seconds for a file to hold something.
wait_for_file() { for _ in $(seq 1 100); do [ -s "$1" ] && return 0; sleep 0.1; done; return 1; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

"$eixm" pki init --out "$work/pki" >/dev/null
"$eixm" router --pki "$work/pki" --listen 127.0.0.1:0 --port-file "$work/port" --out "$work/router" \
    --http 127.0.0.1:0 --http-port-file "$work/http-port" > "$work/router.out" 2> "$work/router.log" &
router_pid=$!
wait_for_file "$work/port" || { cat "$work/router.log" >&2; fail "the router did not start"; }
port=$(cat "$work/port")
http=$(cat "$work/http-port")
echo "router listening on 127.0.0.1:$port, HTTP endpoint on 127.0.0.1:$http"
[ "$(curl -fsS "http://127.0.0.1:$http/healthz")" = "ok" ] || fail "/healthz did not say ok"
[ "$(curl -fsS "http://127.0.0.1:$http/readyz")" = "ready" ] || fail "/readyz did not say ready"

web=$(free_port)
cat > "$work/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: eixm-router
    static_configs:
      - targets: ["127.0.0.1:$http"]
EOF
promtool check config "$work/prometheus.yml" >/dev/null
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
    --web.listen-address="127.0.0.1:$web" > "$work/prometheus.log" 2>&1 &
prometheus_pid=$!

"$eixm" load --router "127.0.0.1:$port" --pki "$work/pki" --rate 200 --duration "$duration" --out "$work/load" \
    > "$work/load.txt" 2> "$work/load.log" || { cat "$work/load.txt" >&2; fail "the load run failed"; }
# The router is idle now: what it counted is final until it stops.
curl -fsS "http://127.0.0.1:$http/metrics" > "$work/metrics.txt"
sent=$(awk '/^eixm_messages_received_total/ { s += $2 } END { print s + 0 }' "$work/metrics.txt")
[ "$sent" -gt 0 ] || fail "the router's /metrics counts no message received after the load"

# Prometheus's own view: the sum over the router's series, once a scrape after the load has been stored.
received=""
for _ in $(seq 1 60); do
    answer=$(curl -fsS "http://127.0.0.1:$web/api/v1/query" --data-urlencode 'query=sum(eixm_messages_received_total)' || true)
    received=$(printf '%s' "$answer" | python3 -c '
import json, sys
try:
    result = json.load(sys.stdin)["data"]["result"]
    print(int(float(result[0]["value"][1])) if result else "")
except Exception:
    print("")')
    [ "$received" = "$sent" ] && break
    sleep 1
done
[ "$received" = "$sent" ] || { tail -20 "$work/prometheus.log" >&2; fail "Prometheus's sum(eixm_messages_received_total) is '$received' after 60 s, not the $sent the router counts"; }
echo "Prometheus query sum(eixm_messages_received_total) = $received"
up=$(curl -fsS "http://127.0.0.1:$web/api/v1/query" --data-urlencode 'query=up{job="eixm-router"}')
printf '%s' "$up" | grep -q '"value":\[[0-9.]*,"1"\]' || fail "Prometheus does not see the router up: $up"

promtool check metrics < "$work/metrics.txt" || fail "promtool check metrics found problems in the scrape"
echo "promtool check metrics: no problems in $(grep -vc '^#' "$work/metrics.txt") samples"

kill -TERM "$router_pid"
wait "$router_pid" || fail "the router did not stop cleanly on SIGTERM"
router_pid=""
report=$(sed -n 's/^Messages: \([0-9]*\) received, \([0-9]*\) accepted, \([0-9]*\) rejected.*/\1 \2 \3/p' "$work/router/router-report.txt")
scraped_received=$(awk '/^eixm_messages_received_total/ { s += $2 } END { print s + 0 }' "$work/metrics.txt")
scraped_accepted=$(awk '/^eixm_messages_accepted_total/ { s += $2 } END { print s + 0 }' "$work/metrics.txt")
scraped_acknowledged=$(awk '/^eixm_acknowledgements_total/ { print $2 + 0 }' "$work/metrics.txt")
read -r report_received report_accepted _ <<< "$report"
report_acknowledged=$(sed -n 's/.* \([0-9]*\) acknowledged, .*/\1/p' "$work/router/router-report.txt")
echo "router report: $report_received received, $report_accepted accepted, $report_acknowledged acknowledged; last scrape: $scraped_received, $scraped_accepted, $scraped_acknowledged; Prometheus: $received received"
[ "$scraped_received" = "$report_received" ] || fail "the scrape's received ($scraped_received) is not the report's ($report_received)"
[ "$scraped_accepted" = "$report_accepted" ] || fail "the scrape's accepted ($scraped_accepted) is not the report's ($report_accepted)"
[ "$scraped_acknowledged" = "$report_acknowledged" ] || fail "the scrape's acknowledgements ($scraped_acknowledged) are not the report's ($report_acknowledged)"
[ "$received" = "$report_received" ] || fail "Prometheus's received ($received) is not the report's ($report_received)"
kill -TERM "$prometheus_pid"
wait "$prometheus_pid" 2>/dev/null || true
prometheus_pid=""
echo "PROMETHEUS PASSED"
