#!/usr/bin/env bash
# Real fuzzing of every Jazzer target, a bounded time each (docs/fuzzing.md).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [MODULE:CLASS[#METHOD] ...]
#
# Default: 60 s for each target in TARGETS below. Prints the executions of each target; exits 1 if
# a target found something (its input is written under that module's
# src/test/resources/<package>/<Class>Inputs/<method>/: commit it, it becomes a regression test of
# ./mvnw verify) or ran fewer than MIN_EXECUTIONS executions (too slow to have fuzzed anything).
set -euo pipefail
cd "$(dirname "$0")/.."

# Every fuzz target, as MODULE:CLASS or MODULE:CLASS#METHOD (one @FuzzTest per run). Targets in
# other modules are added here; nothing else changes.
TARGETS=(
    "virtual-nic:org.ndis4j.wire.FrameDecoderFuzzTest"
    "virtual-nic:org.ndis4j.wire.SwitchFuzzTest"
    "virtual-nic:org.ndis4j.nic.HostileDriverFuzzTest"
    "examples:org.ndis4j.examples.vmini.VminiOidFuzzTest"
)
MIN_EXECUTIONS=10000

seconds=${1:-60}
if ! [[ $seconds =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [MODULE:CLASS[#METHOD] ...]" >&2
    exit 2
fi
shift || true
if [ $# -gt 0 ]; then
    TARGETS=("$@")
fi

logs=target/fuzz
mkdir -p "$logs"
./mvnw -q -pl "$(printf '%s\n' "${TARGETS[@]}" | cut -d: -f1 | sort -u | paste -sd,)" -am test-compile \
    -Dspotless.check.skip=true

failed=0
summary=()
for target in "${TARGETS[@]}"; do
    module=${target%%:*}
    test=${target#*:}
    log="$logs/${test//[#\/]/_}.log"
    echo "fuzzing $test ($module) for $seconds s; log: $log"
    status=0
    JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${seconds}s" ./mvnw -pl "$module" -am test \
        -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip=true \
        >"$log" 2>&1 || status=$?
    # libFuzzer's last words: "Done 123456 runs in 60 second(s)".
    executions=$(grep -oE '^Done [0-9]+ runs' "$log" | awk '{print $2}' | tail -n 1)
    executions=${executions:-0}
    verdict="ok"
    if grep -q 'FuzzTestFindingException' "$log"; then
        verdict="FOUND SOMETHING (see $log; the input is in $module/src/test/resources)"
        failed=1
    elif [ "$status" -ne 0 ]; then
        verdict="FAILED (exit status $status; see $log)"
        failed=1
    elif [ "$executions" -lt "$MIN_EXECUTIONS" ]; then
        verdict="TOO FEW EXECUTIONS (fewer than $MIN_EXECUTIONS)"
        failed=1
    fi
    summary+=("$(printf '%-45s %10s executions in %s s  %s' "$test" "$executions" "$seconds" "$verdict")")
done

echo
printf '%s\n' "${summary[@]}"
exit "$failed"
