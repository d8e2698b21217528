#!/usr/bin/env bash
# Issue 9's memory target, measured rather than inferred: "with int7 quantisation plus re-scoring,
# recall@10 stays >= 0.95 at <= 35 % of the float index's memory".
#
#   index-lucene/scripts/mem-limit-ann.sh OUT_DIR        (Linux, root: uses the cgroup v1 memory controller)
#
# 1. Generates a clustered set (ann_data.py) and builds a float32 and an int7 LuceneVectorIndex on it
#    (AnnBench --keep true).
# 2. Runs the queries against each index in its own memory cgroup without a limit, starting from a cold
#    page cache for the index files: the cgroup's peak charge (memory.max_usage_in_bytes: the JVM's own
#    memory plus every page of the index files that the searches brought in) is that index's memory.
# 3. Runs the int7 index in a cgroup limited to (a) 35 % of the float run's whole peak, JVM included,
#    and (b) the float run's peak less its index pages (.vec + .vex) plus 35 % of those pages: the
#    same JVM, a third of the index memory. The float index runs under (b) for contrast.
#
# Environment: N [400000], D [384], CLUSTERS [400], EF [48,64,96], XMX [256m], DATA [/tmp/bindspace-ann-mem],
# FRACTION [0.35], PY [/usr/bin/python3]. Writes OUT_DIR/results.jsonl (AnnBench's JSON plus the cgroup
# figures per run) and prints a summary.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:?usage: mem-limit-ann.sh OUT_DIR}
N=${N:-400000}
D=${D:-384}
CLUSTERS=${CLUSTERS:-400}
EF=${EF:-48,64,96}
XMX=${XMX:-256m}
DATA=${DATA:-/tmp/bindspace-ann-mem}
FRACTION=${FRACTION:-0.35}
PY=${PY:-/usr/bin/python3}
CG=/sys/fs/cgroup/memory
[ -w "$CG" ] || { echo "needs a writable cgroup v1 memory controller at $CG (run as root)" >&2; exit 2; }
mkdir -p "$OUT"
: >"$OUT/results.jsonl"
cd "$ROOT"

./mvnw -B -ntp -o -q -pl index-lucene -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
DEPS=$(tr ':' '\n' <index-lucene/target/test-classpath.txt | grep -v '/core/target/' | paste -sd: -)
CP="index-lucene/target/classes:index-lucene/target/test-classes:core/target/classes:$DEPS"
JVM=(java --add-modules jdk.incubator.vector -XX:+UseSerialGC)
BENCH=(-cp "$CP" dev.bindspace.lucene.bench.AnnBench --data "$DATA/set" --dataset set --d "$D" --work "$DATA/indexes"
  --repeat 3)
quiet() { grep -v -e '^WARNING: Using incubator' -e 'VectorizationProvider' -e 'too old: 17' >&2 || true; }

[ -f "$DATA/set/base.f32" ] || "$PY" index-lucene/src/bench/python/ann_data.py --out "$DATA/set" --n "$N" --d "$D" \
  --clusters "$CLUSTERS"
for q in NONE INT7; do
  if [ ! -d "$DATA/indexes/set-${q,,}" ]; then
    "${JVM[@]}" "${BENCH[@]}" --quantization "$q" --ef "$EF" --keep true 2> >(quiet) >/dev/null
  fi
done

# evicts the index files from the page cache (they are clean and, with no process mapping them, evictable)
evict() {
  "$PY" - "$DATA/indexes/set-$1" <<'PY'
import os, sys
for root, _, files in os.walk(sys.argv[1]):
    for f in files:
        fd = os.open(os.path.join(root, f), os.O_RDONLY)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(fd)
PY
}

# run QUANT LIMIT_BYTES|unlimited LABEL [ANNBENCH ARGS...]: the queries in a fresh cgroup; appends one
# JSON line per beam
run() {
  local q=$1 limit=$2 label=$3 cg="$CG/bindspace-ann-$$"
  shift 3
  evict "${q,,}"
  mkdir "$cg"
  [ "$limit" = unlimited ] || echo "$limit" >"$cg/memory.limit_in_bytes"
  echo 0 >"$cg/memory.swappiness" 2>/dev/null || true
  local t0 rc=0
  t0=$(date +%s.%N)
  (echo $BASHPID >"$cg/cgroup.procs"; exec timeout "${RUN_LIMIT_S:-600}" "${JVM[@]}" -Xmx"$XMX" "${BENCH[@]}" --quantization "$q" --ef "$EF" --reuse true \
    --keep true --warmup 1 "$@") 2> >(quiet) >"$OUT/run-$label.jsonl" || rc=$?
  local peak failcnt
  peak=$(cat "$cg/memory.max_usage_in_bytes")
  failcnt=$(cat "$cg/memory.failcnt")
  rmdir "$cg"
  "$PY" - "$OUT/run-$label.jsonl" "$label" "$limit" "$peak" "$failcnt" "$rc" "$t0" \
    >>"$OUT/results.jsonl" <<'PY'
import json, sys, time
path, label, limit, peak, failcnt, rc, t0 = sys.argv[1:]
wall = time.time() - float(t0)
for line in open(path):
    if line.startswith("{"):
        j = json.loads(line)
        j.update(run=label, limit_bytes=None if limit == "unlimited" else int(limit), peak_bytes=int(peak),
                 failcnt=int(failcnt), exit=int(rc), run_s=round(wall, 1))
        print(json.dumps(j))
PY
  echo "[$(date +%T)] $label: peak $((peak >> 20)) MiB, limit $limit, exit $rc" >&2
}

run NONE unlimited float-unlimited
run INT7 unlimited int7-unlimited
FLOAT_PEAK=$(grep '"run": "float-unlimited"' "$OUT/results.jsonl" | head -1 | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["peak_bytes"])')
# what the float index's searches need of it: the graph and the vectors (.vex + .vec); the rest of
# the float run's peak is the JVM and small files, which the int7 run needs as well
FLOAT_FILES=$(du -cb "$DATA"/indexes/set-none/*.vex "$DATA"/indexes/set-none/*.vec | tail -1 | cut -f1)
# (1) 35 % of everything the float run held, JVM included: the strictest reading
LIMIT=$("$PY" -c "print(int($FLOAT_PEAK * $FRACTION))")
run INT7 "$LIMIT" int7-limited-total
# (2) the same JVM and small files, plus 35 % of the float index's own pages
LIMIT2=$("$PY" -c "print(int($FLOAT_PEAK - $FLOAT_FILES + $FRACTION * $FLOAT_FILES))")
run INT7 "$LIMIT2" int7-limited-index
# contrast only, and slow when it thrashes: one beam, one pass, no warm-up, at most 3 minutes (a run
# cut off by the limit leaves no figures, and its exit status is 124)
RUN_LIMIT_S=180 run NONE "$LIMIT2" float-limited-index --ef 48 --repeat 1 --warmup 0

"$PY" - "$OUT/results.jsonl" "$FRACTION" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("| run | limit MiB | peak MiB | beam | recall@10 | q/s |")
print("|---|---|---|---|---|---|")
for r in rows:
    print("| %s | %s | %.0f | %d | %.4f | %.0f |" % (r["run"], "none" if r["limit_bytes"] is None else
          "%.0f" % (r["limit_bytes"] / 2**20), r["peak_bytes"] / 2**20, r["ef"], r["recall10"], r["qps"]))
PY
