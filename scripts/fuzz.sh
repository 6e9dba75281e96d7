#!/usr/bin/env bash
# Coverage-guided fuzzing of eixm's decoders with libFuzzer (Swift's -sanitize=fuzzer, with AddressSanitizer).
#
#   scripts/fuzz.sh TARGET SECONDS [--keep]   fuzz one target (frame, envelope, header, header-json, audit,
#                                             rules-yaml, exercise-yaml)
#   scripts/fuzz.sh all SECONDS [--keep]      each target in turn, SECONDS each
#   scripts/fuzz.sh list                      the target names
#
# The corpus kept in the repository (Fuzz/corpus/TARGET) seeds each run; the inputs the run finds go to a scratch
# folder, and with --keep the ones that add coverage are merged into the kept corpus (libFuzzer -merge=1). A crash,
# a broken promise (FuzzTarget: a round trip that differs, an error message showing a Swift type) or a hang leaves
# its input in Fuzz/findings/ and the script exits 1: add it to Fuzz/corpus/TARGET/ once fixed, and the test suite
# (FuzzCorpusTests) replays it from then on. Linked with lld (gold fails on the sanitized objects). Each run prints "TARGET: N executions in S s".
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(frame envelope header header-json audit rules-yaml exercise-yaml)
if [[ "${1:-}" == list ]]; then printf '%s\n' "${targets[@]}"; exit 0; fi
if [[ $# -lt 2 ]]; then
    echo "usage: scripts/fuzz.sh TARGET|all SECONDS [--keep]   (targets: ${targets[*]})" >&2
    exit 2
fi
target=$1 seconds=$2 keep=${3:-}
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then echo "SECONDS must be a whole number above 0, not '$seconds'" >&2; exit 2; fi
if [[ "$target" == all ]]; then
    chosen=("${targets[@]}")
else
    if ! printf '%s\n' "${targets[@]}" | grep -qx -- "$target"; then
        echo "unknown target '$target'; targets: ${targets[*]}" >&2
        exit 2
    fi
    chosen=("$target")
fi

echo "building the fuzzing binary (release, -sanitize=fuzzer,address)..." >&2
swift build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld \
    2>&1 | grep -vE "Cannot export local symbol" | tail -3 >&2
binary="$(swift build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld --show-bin-path)/eixm-fuzz"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p Fuzz/findings
status=0
for name in "${chosen[@]}"; do
    mkdir -p "$scratch/$name"
    log="$scratch/$name.log"
    # SWIFT_BACKTRACE off: the Swift backtracer would hold the process after a crash that libFuzzer reports.
    if ! EIXM_FUZZ_TARGET=$name SWIFT_BACKTRACE=enable=no "$binary" "$scratch/$name" "Fuzz/corpus/$name" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
        -artifact_prefix="Fuzz/findings/$name-" >"$log" 2>&1; then
        status=1
        echo "$name: FOUND a crash, a broken promise or a hang; its input is in Fuzz/findings/:" >&2
        grep -E "broken promise|ERROR: |Fatal error|SUMMARY|Test unit written" "$log" | head -8 >&2
    fi
    runs=$(grep -oE "stat::number_of_executed_units: *[0-9]+" "$log" | grep -oE "[0-9]+$" || echo 0)
    echo "$name: $runs executions in $seconds s"
    if [[ "$keep" == --keep ]]; then
        EIXM_FUZZ_TARGET=$name SWIFT_BACKTRACE=enable=no "$binary" -merge=1 "Fuzz/corpus/$name" "$scratch/$name" \
            >/dev/null 2>&1 || true
    fi
done
exit $status
