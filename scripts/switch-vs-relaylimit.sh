#!/usr/bin/env bash
# The switch against the ceiling of a user-space relay, in one run (docs/performance.md):
#
#   scripts/switch-vs-relaylimit.sh BENCH_DIR [RUNS] [OTHER_JAR]
#
# BENCH_DIR holds wireblast.c and relaylimit.c (../shared/bench); they are compiled into
# target/bench. For each frame size (64 B: 5,000,000 frames; 1514 B: 2,000,000) and each of RUNS runs
# (default 5), in turn: relaylimit (a fresh process each run), the switch with its default tail drop,
# the switch with --flow-control, and OTHER_JAR's switch if given (e.g. a build of an older commit).
# Every switch gets one warm-up run first. Prints each run's wireblast line, then the medians and the
# median of the per-run ratios to relaylimit.
set -euo pipefail
cd "$(dirname "$0")/.."

bench=${1:?usage: scripts/switch-vs-relaylimit.sh BENCH_DIR [RUNS] [OTHER_JAR]}
runs=${2:-5}
other=${3:-}
jar=tools/target/ndis4j.jar
[ -f "$jar" ] || { echo "build the jar first: ./mvnw -q -pl tools -am package -DskipTests" >&2; exit 2; }
mkdir -p target/bench
gcc -O2 -pthread -o target/bench/wireblast "$bench/wireblast.c"
gcc -O2 -pthread -o target/bench/relaylimit "$bench/relaylimit.c"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

declare -A port
start_switch() { # NAME JAR ARGS...
    local name=$1 file=$2; shift 2
    port[$name]=$(free_port)
    java -jar "$file" switch --listen "127.0.0.1:${port[$name]}" --stats-interval 0 "$@" >/dev/null 2>&1 &
    pids+=($!)
}
start_switch tail-drop "$jar"
start_switch flow-control "$jar" --flow-control
subjects=(tail-drop flow-control)
if [ -n "$other" ]; then
    start_switch other "$other"
    subjects+=(other)
fi
for name in "${subjects[@]}"; do # the switch says where it listens once it accepts
    until (exec 3<>"/dev/tcp/127.0.0.1/${port[$name]}") 2>/dev/null; do sleep 0.1; done
done

results=$(mktemp)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for size in 64 1514; do
    count=$([ "$size" = 64 ] && echo 5000000 || echo 2000000)
    for name in "${subjects[@]}"; do
        target/bench/wireblast 127.0.0.1 "${port[$name]}" "${port[$name]}" "$count" "$size" >/dev/null
    done
    for run in $(seq 1 "$runs"); do
        p=$(free_port)
        target/bench/relaylimit "$p" &
        until grep -q ":$(printf '%04X' "$p") 00000000:0000 0A" /proc/net/tcp; do sleep 0.05; done
        line=$(target/bench/wireblast 127.0.0.1 "$p" "$p" "$count" "$size")
        echo "$size relaylimit $run $line" | tee -a "$results"
        for name in "${subjects[@]}"; do
            line=$(target/bench/wireblast 127.0.0.1 "${port[$name]}" "${port[$name]}" "$count" "$size")
            echo "$size $name $run $line" | tee -a "$results"
        done
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# Columns of a result line: SIZE NAME RUN sent S received R size Z seconds T pps P gbps G loss L
python3 - "$results" <<'EOF'
import sys, statistics, collections
rows = [l.split() for l in open(sys.argv[1])]
by = collections.defaultdict(dict)
for r in rows:
    by[(r[0], r[1])][int(r[2])] = (float(r[12]), float(r[14]), float(r[16]))
print()
print("size  subject       median Mpps  median Gbit/s  worst loss  median of per-run ratios to relaylimit")
for (size, name), runs in sorted(by.items(), key=lambda k: (int(k[0][0]), k[0][1] != "relaylimit", k[0][1])):
    limit = by[(size, "relaylimit")]
    ratios = [runs[i][0] / limit[i][0] for i in runs if i in limit]
    print(f"{size:>4}  {name:<12}  {statistics.median(v[0] for v in runs.values()) / 1e6:>11.2f}"
          f"  {statistics.median(v[1] for v in runs.values()):>13.2f}  {max(v[2] for v in runs.values()):>10.4f}"
          f"  {statistics.median(ratios):.2f}")
EOF
