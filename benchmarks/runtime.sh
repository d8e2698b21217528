#!/usr/bin/env bash
# Issue 10, runtime side: zero-copy hand-over and session options (JMH, bindspace-mini), then the
# concurrency target - 10,000 texts + 1,000 images through bindspace-mini's facade from 4 caller
# threads, without and with the BatchingEncoder queue - sampling process CPU % and RSS every 250 ms.
#
#   benchmarks/runtime.sh [OUT_DIR] [TEXTS] [IMAGES]      # defaults: benchmarks/target/runtime 10000 1000
#   QUICK=1 benchmarks/runtime.sh /tmp/rt 1000 100         # smoke: short JMH, small workload
#
# Writes OUT_DIR/{jmh.json,jmh.txt,concurrency-off.json,concurrency-off-i1.json,concurrency-on.json,concurrency-on-w8.json,summary.txt}
# and prints the summary. Run it alone on the machine: CPU % is of the whole machine's cores.
# Modes: off = 4 callers call the model encoders directly (ORT intra-op = CPU count), off-i1 = the same with
# 1 intra-op thread per session; on = BatchingEncoder,
# default policy (2 workers), 1 intra-op thread per session, synchronous embed(); on-w8 = the same with 8
# embedAsync calls in flight per caller.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-benchmarks/target/runtime}
TEXTS=${2:-10000}
IMAGES=${3:-1000}
MEDIA=${MEDIA:-examples/media/images}
if [[ -x ./mvnw ]]; then MVN=./mvnw; else MVN=mvn; fi
mkdir -p "$OUT"
echo "== build"
$MVN -B -q -pl benchmarks -am package -DskipTests
JAR=benchmarks/target/benchmarks.jar
# fixed, pre-touched heap: RSS growth after warm-up is then native memory or leaks, not the heap being touched
JVM="--add-modules jdk.incubator.vector -Xms384m -Xmx384m -XX:+AlwaysPreTouch"
echo "== load before: $(cat /proc/loadavg)" | tee "$OUT/summary.txt"

if [[ "${QUICK:-0}" == 1 ]]; then JMH_ARGS="-wi 1 -w 1 -i 2 -r 1"; else JMH_ARGS="-wi 3 -w 1 -i 5 -r 2"; fi
echo "== JMH: ZeroCopyBenchmark, SessionOptionsBenchmark"
java -jar $JAR 'ZeroCopyBenchmark|SessionOptionsBenchmark' $JMH_ARGS -prof gc -rf json -rff "$OUT/jmh.json" \
  > "$OUT/jmh.txt" 2>&1
grep -E '^(Benchmark|ZeroCopy|SessionOptions)' "$OUT/jmh.txt" | grep -Ev 'gc\.(count|time|churn)|alloc.rate +' \
  | tee -a "$OUT/summary.txt"

run() { # name, extra args
  local name=$1; shift
  java $JVM -cp $JAR dev.bindspace.benchmarks.ConcurrencyRun --texts "$TEXTS" --images "$IMAGES" --callers 4 \
    --media "$MEDIA" --out "$OUT/concurrency-$name.json" "$@" 2>&1 >/dev/null | grep -v '^WARNING' | tee -a "$OUT/summary.txt"
}
echo "== concurrency: $TEXTS texts + $IMAGES images, 4 callers"
run off --batching off
run off-i1 --batching off --intra 1
run on --batching on --intra 1
run on-w8 --batching on --window 8 --intra 1
echo "== load after: $(cat /proc/loadavg)" | tee -a "$OUT/summary.txt"
