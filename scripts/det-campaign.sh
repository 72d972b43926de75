#!/usr/bin/env bash
# The race corpus campaign (issue 16, docs/deterministic.md "Race corpus"): for each racy driver of
# org.ndis4j.examples.races and each mode — the deterministic strategies (pct, random) and the
# threaded kernel — CAMPAIGNS campaigns with different master seeds, each in its own JVM with the same
# wall time, each stopping at the race's first failure; then each fixed twin under each deterministic
# strategy for TWIN_SECONDS (at most TWIN_SCHEDULES schedules; 0 seconds: no twins), which must stay
# clean. Prints the table docs/deterministic.md shows.
#
#   scripts/det-campaign.sh [SECONDS_PER_CAMPAIGN] [CAMPAIGNS] [TWIN_SECONDS]
#   env: MODES (default "pct random threaded"; a strategy this build lacks is skipped, said once),
#        RACES (default all five), JOBS (JVMs at a time, default 2), TWIN_SCHEDULES (default 10000),
#        OUT (results directory, default target/det-campaign)
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER=${1:-20}
CAMPAIGNS=${2:-20}
TWIN_SECONDS=${3:-300}
MODES=${MODES:-"pct random threaded"}
RACES=${RACES:-"free-while-queued halt-frees-pool lost-update timer-cancel missing-set-event"}
JOBS=${JOBS:-2}
TWIN_SCHEDULES=${TWIN_SCHEDULES:-10000}
OUT=${OUT:-target/det-campaign}

./mvnw -q -o -pl examples -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/det-campaign.cp -Dmdep.includeScope=test
# test-classes first: its simplelogger.properties (warn) rather than the demos' NDIS trace at debug
CP="$PWD/examples/target/test-classes:$PWD/examples/target/classes:$PWD/virtual-nic/target/classes"
CP="$CP:$PWD/sdk/target/classes:$(cat examples/target/det-campaign.cp)"
JAVA=(java -cp "$CP" org.ndis4j.examples.races.RaceCampaign)

rm -rf "$OUT" && mkdir -p "$OUT"
AVAILABLE=$("${JAVA[@]}" strategies)
CPUS=$(nproc)
pin() { # pin a campaign's JVM to one CPU when taskset exists
    if command -v taskset > /dev/null; then echo "taskset -c $(($1 % CPUS))"; fi
}

RUN_MODES=""
for mode in $MODES; do
    if [[ $mode != threaded ]] && ! grep -qx "$mode" <<< "$AVAILABLE"; then
        echo "det-campaign: strategy '$mode' is not in this build (it has: $(echo $AVAILABLE)); skipped" >&2
    else
        RUN_MODES="$RUN_MODES $mode"
    fi
done

jobs_file="$OUT/jobs"
: > "$jobs_file"
n=0
for race in $RACES; do
    for mode in $RUN_MODES; do
        for c in $(seq 1 "$CAMPAIGNS"); do
            seed=$(printf '0x%x' $((0xC0FFEE + c)))
            echo "$(pin $n) ${JAVA[*]@Q} $race $mode RACY $seed $SECONDS_PER 1000000 > $OUT/$race.$mode.$c.tsv" >> "$jobs_file"
            n=$((n + 1))
        done
    done
    for mode in $RUN_MODES; do
        if [[ $TWIN_SECONDS -gt 0 && $mode != threaded ]]; then
            echo "$(pin $n) ${JAVA[*]@Q} $race $mode FIXED 0xC0FFEE $TWIN_SECONDS $TWIN_SCHEDULES > $OUT/$race.twin.$mode.tsv" >> "$jobs_file"
            n=$((n + 1))
        fi
    done
done

echo "det-campaign: $n JVMs, $JOBS at a time, ${SECONDS_PER}s per campaign, twins ${TWIN_SECONDS}s / $TWIN_SCHEDULES schedules;" \
    "load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
start=$(date +%s)
tr '\n' '\0' < "$jobs_file" | xargs -0 -P "$JOBS" -I{} sh -c '{}'
echo "det-campaign: done in $(($(date +%s) - start)) s; load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

"${JAVA[@]}" table "$OUT"/*.tsv | tee "$OUT/table.md"
