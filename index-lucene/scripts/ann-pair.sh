#!/usr/bin/env bash
# Paired ANN measurement: hnswlib and bindspace's float32 index with Residency.HEAP (without and with
# -XX:+UseTransparentHugePages), alternated on one kept index each, under the machine's transparent
# huge page setting and, where it can be changed (root), under THP=always too, which gives hnswlib's
# malloc'ed index 2 MB pages as well. Restores the setting on exit.
#
#   index-lucene/scripts/ann-pair.sh DATA_DIR D WORK_DIR [EF] [ROUNDS]
#
# DATA_DIR holds ann_data.py's files (base.f32, queries.f32, truth.i32). WORK_DIR keeps both indexes
# (built on first use: hnswlib M 16 / efConstruction 100, bindspace maxConn 16 / beamWidth 100, 2
# threads). Prints one line per system and mode.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=${1:?usage: ann-pair.sh DATA_DIR D WORK_DIR [EF] [ROUNDS]}
D=${2:?}
WORK=${3:?}
EF=${4:-48,64,96}
ROUNDS=${5:-2}
PY=${PY:-/usr/bin/python3}
THP=/sys/kernel/mm/transparent_hugepage/enabled
cd "$ROOT"
mkdir -p "$WORK"
./mvnw -B -ntp -o -q -pl index-lucene -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
DEPS=$(tr ':' '\n' <index-lucene/target/test-classpath.txt | grep -v '/core/target/' | paste -sd: -)
CP="index-lucene/target/classes:index-lucene/target/test-classes:core/target/classes:$DEPS"
# bench [JVM_FLAG] -- [ANNBENCH ARGS...]
bench() {
  local jvm=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do jvm+=("$1"); shift; done
  [ $# -eq 0 ] || shift
  java --add-modules jdk.incubator.vector -Xmx"${HEAP:-6g}" "${jvm[@]}" -cp "$CP" dev.bindspace.lucene.bench.AnnBench \
    --data "$DATA" --dataset pair --d "$D" --work "$WORK" --keep true --repeat 3 --ef "$EF" "$@" 2>/dev/null
}
summary() { "$PY" -c 'import sys, json
print("  ".join("beam %d: recall %.4f, %.0f q/s" % (j["ef"], j["recall10"], j["qps"]) for j in map(json.loads, sys.stdin)))'; }
[ -d "$WORK/pair-none" ] || bench -- >/dev/null
"$PY" index-lucene/src/bench/python/hnsw_queries.py --data "$DATA" --d "$D" --index "$WORK/hnswlib.bin" --ef "$EF" >/dev/null

modes=("$(sed 's/.*\[\(.*\)\].*/\1/' "$THP")")
ORIGINAL=${modes[0]}
if [ -w "$THP" ] && [ "$ORIGINAL" != always ]; then
  modes+=(always)
  trap 'echo "$ORIGINAL" >"$THP"' EXIT
fi
for round in $(seq 1 "$ROUNDS"); do
  for mode in "${modes[@]}"; do
    if [ -w "$THP" ]; then echo "$mode" >"$THP"; fi
    echo "[$(date +%T)] round $round, THP=$mode"
    echo "  hnswlib                 $("$PY" index-lucene/src/bench/python/hnsw_queries.py --data "$DATA" --d "$D" \
      --index "$WORK/hnswlib.bin" --ef "$EF" | summary)"
    echo "  bindspace HEAP          $(bench -- --reuse true --residency HEAP | summary)"
    echo "  bindspace HEAP + flag   $(bench -XX:+UseTransparentHugePages -- --reuse true --residency HEAP | summary)"
  done
done
