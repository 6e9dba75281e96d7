#!/usr/bin/env bash
# Checks the router's TLS against the system's OpenSSL (openssl s_client): TLS 1.2 is refused, a client without a
# certificate is refused, a client with its exercise certificate gets the router's WELCOME.
# Usage: scripts/tls-interop.sh [path to eixm]   (default: .build/debug/eixm)
set -euo pipefail
cd "$(dirname "$0")/.."
eixm="${1:-.build/debug/eixm}"
command -v openssl >/dev/null || { echo "FAIL: no openssl command" >&2; exit 1; }
work=$(mktemp -d)
router_pid=""
trap '[ -n "$router_pid" ] && kill "$router_pid" 2>/dev/null && wait "$router_pid" 2>/dev/null; rm -rf "$work"' EXIT
"$eixm" pki init --out "$work/pki" --node SPOC-BE >/dev/null
"$eixm" router --pki "$work/pki" --listen 127.0.0.1:0 --port-file "$work/port" --out "$work/router" \
    > "$work/router.out" 2> "$work/router.log" &
router_pid=$!
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")
client=(openssl s_client -connect "127.0.0.1:$port" -CAfile "$work/pki/ca.pem" -servername eixm-router)
failures=0
check() { # description, expected text, output file
    if grep -q "$2" "$3"; then echo "ok: $1"; else echo "FAIL: $1 (no '$2')"; sed 's/^/    /' "$3"; failures=$((failures + 1)); fi
}

"${client[@]}" -tls1_2 -cert "$work/pki/SPOC-BE.pem" -key "$work/pki/SPOC-BE.key" < /dev/null > "$work/tls12.txt" 2>&1 || true
check "TLS 1.2 is refused" "alert protocol version" "$work/tls12.txt"

"${client[@]}" -tls1_3 -ign_eof < /dev/null > "$work/nocert.txt" 2>&1 || true
check "a client without a certificate is refused" "alert certificate required" "$work/nocert.txt"

# A HELLO frame for SPOC-BE: length 9, type 1, node ID of 7 bytes.
{ printf '\000\000\000\011\001\007SPOC-BE'; sleep 1; } | "${client[@]}" -tls1_3 -quiet \
    -cert "$work/pki/SPOC-BE.pem" -key "$work/pki/SPOC-BE.key" > "$work/valid.bin" 2> "$work/valid.txt" || true
od -An -tx1 -N5 "$work/valid.bin" | tr -d ' \n' > "$work/welcome.txt"
echo >> "$work/welcome.txt"
check "a client with its exercise certificate is welcomed (frame type 02)" "^[0-9a-f]\{8\}02" "$work/welcome.txt"

[ "$failures" -eq 0 ] && echo "TLS interop with the system openssl: all checks passed"
exit "$failures"
