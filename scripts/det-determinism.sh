#!/usr/bin/env bash
# Determinism check of the deterministic scheduler (docs/deterministic.md): a vmini scenario on the
# in-memory wire runs for seeds 1..N twice in one JVM (hashes compared there) and once more in a fresh
# JVM; the event-log hashes of the two JVMs must be identical.
#   scripts/det-determinism.sh [N=1000]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
./mvnw -q -pl examples -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/det-cp.txt -Dmdep.includeScope=test
CP="examples/target/test-classes:examples/target/classes:$(cat examples/target/det-cp.txt)"
mkdir -p target
java -cp "$CP" org.ndis4j.examples.vmini.VminiDeterminism 1 "$N" twice > target/det-hashes-1.txt
java -cp "$CP" org.ndis4j.examples.vmini.VminiDeterminism 1 "$N" > target/det-hashes-2.txt
if diff -q target/det-hashes-1.txt target/det-hashes-2.txt > /dev/null; then
    echo "identical: $N seeds, twice in one JVM and once in a fresh JVM ($(cut -f2 target/det-hashes-1.txt | sort -u | wc -l) distinct runs, $(grep -c 'fail' target/det-hashes-1.txt || true) failing)"
else
    echo "DIFFERENT hashes between the JVMs:" >&2
    diff target/det-hashes-1.txt target/det-hashes-2.txt | head -20 >&2
    exit 1
fi
