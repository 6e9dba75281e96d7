#!/usr/bin/env bash
# The after-action pages in a real browser: runs a short default exercise, a storyline with scored injects, a load
# run with a router crash and a partition, and an exercise with --http for its live view; renders each report.html
# (and the live page while the exercise runs) with headless Chromium to PNG, and fails when a page logs anything to
# the console (an error, a failed request) or when a chart, as the browser built the page, has no data mark.
# Usage: scripts/browser-check.sh [FOLDER_FOR_THE_PNGS]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null || { echo "browser-check.sh needs chromium (apt-get install chromium)" >&2; exit 2; }
swift build -c release --product eixm >&2
eixm=.build/release/eixm
work=$(mktemp -d)
shots="${1:-$work/png}"
mkdir -p "$shots"
live_pid=""
cleanup() { [ -n "$live_pid" ] && kill -KILL "$live_pid" 2>/dev/null || true; }
trap cleanup EXIT
fail() { echo "BROWSER CHECK FAILED: $*" >&2; exit 1; }
# At most a minute per page; --timeout stops loading after 6 s (the live page's event stream never ends by itself).
browser() {
    timeout 60 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --enable-logging=stderr --v=0 \
        --timeout=6000 "$@"
}

# check NAME URL MIN_CHARTS: a PNG of the page, its console, and its charts as the browser built them.
check() {
    local name="$1" url="$2" minimum="$3"
    browser --window-size=1280,2400 --screenshot="$shots/$name.png" "$url" > /dev/null 2> "$work/$name.shot.log"
    # The DOM after the page ran (the live page swaps in the server's newer state), and what it logged.
    browser --dump-dom "$url" > "$work/$name.dom.html" 2> "$work/$name.log"
    if grep -h ":CONSOLE" "$work/$name.log" "$work/$name.shot.log"; then
        fail "$name: the page logged to the console (above)"
    fi
    [ -s "$shots/$name.png" ] || fail "$name: no screenshot"
    python3 - "$work/$name.dom.html" "$name" "$minimum" <<'EOF'
import sys
from html.parser import HTMLParser

class Charts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.charts = []
    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg" and "chart" in (attrs.get("class") or "").split():
            self.charts.append((attrs.get("aria-label", "?"), int(attrs.get("data-marks", "0"))))

path, name, minimum = sys.argv[1], sys.argv[2], int(sys.argv[3])
parser = Charts()
parser.feed(open(path, encoding="utf-8").read())
empty = [title for title, marks in parser.charts if marks <= 0]
if empty:
    sys.exit(f"BROWSER CHECK FAILED: {name}: empty chart(s): {', '.join(empty)}")
if len(parser.charts) < minimum:
    sys.exit(f"BROWSER CHECK FAILED: {name}: {len(parser.charts)} chart(s), expected at least {minimum}")
print(f"{name}: {len(parser.charts)} charts, none empty: " + "; ".join(f"{t} ({m} marks)" for t, m in parser.charts))
EOF
}

"$eixm" exercise --duration 8s --out "$work/exercise" > "$work/exercise.txt" 2> "$work/exercise.log" \
    || { cat "$work/exercise.txt" "$work/exercise.log" >&2; fail "the exercise failed"; }
check exercise "file://$work/exercise/report.html" 8

# A storyline with scored injects: the page's injects chart and tables.
"$eixm" exercise --scenario asset-recovery --out "$work/story" > "$work/story.txt" 2> "$work/story.log" \
    || { cat "$work/story.txt" "$work/story.log" >&2; fail "the storyline failed"; }
check story "file://$work/story/report.html" 6
grep -q "Injects and expected actions" "$work/story.dom.html" || fail "story: no injects section"

"$eixm" load --rate 300 --duration 6s --out "$work/load" \
    --fault 'router_crash: {at: 2s, down_for: 1s}' --fault 'partition: {nodes: [SPOC-MT], at: 1s, for: 2s}' \
    > "$work/load.txt" 2> "$work/load.log" || { cat "$work/load.txt" "$work/load.log" >&2; fail "the load run failed"; }
check load "file://$work/load/report.html" 5

"$eixm" exercise --duration 20s --out "$work/live" --http 127.0.0.1:0 --http-port-file "$work/http-port" \
    > "$work/live.txt" 2> "$work/live.log" &
live_pid=$!
for _ in $(seq 1 100); do [ -s "$work/http-port" ] && break; sleep 0.1; done
[ -s "$work/http-port" ] || { cat "$work/live.log" >&2; fail "the live exercise did not serve HTTP"; }
http=$(cat "$work/http-port")
# Ready once every node is connected and the traffic runs; then a few seconds of it.
for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$http/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
sleep 4
check live "http://127.0.0.1:$http/" 8
wait "$live_pid" || { cat "$work/live.log" >&2; fail "the live exercise failed"; }
live_pid=""
check live-final "file://$work/live/report.html" 8
echo "PNGs in $shots"
echo "BROWSER CHECK PASSED"
