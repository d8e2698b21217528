#!/usr/bin/env bash
# ANN benchmark of issue 9: bindspace's LuceneVectorIndex (float32 and int7) against hnswlib,
# FAISS IndexHNSWFlat and FAISS IndexFlatIP, on the same clustered synthetic data, in one run.
#
#   index-lucene/scripts/bench-ann.sh [OUT_DIR]            (default index-lucene/target/bench-ann)
#
# Environment (defaults in brackets):
#   SETS      "name:n:d ..." data sets; n = "prepared" uses $DATA/name as made beforehand
#             (ann_real_data.py)                                  ["a:1000000:384 b:200000:1024"]
#   QUERIES   queries per set                                    [1000]
#   CLUSTERS  clusters per set, "name:count ..."                 ["a:1000 b:500"]
#   EF        beams swept (hnswlib ef, FAISS efSearch, bindspace candidates) [10,16,24,32,48,64,96,128,192,256]
#   M, EFC    graph degree (Lucene maxConn) and build beam (Lucene beamWidth) [16, 100]
#   THREADS   build threads for every system (queries are single-threaded for all) [nproc]
#   DATA      where the generated vectors go                     [/tmp/bindspace-ann-data]
#   PY        Debian's python with python3-hnswlib and python3-faiss [/usr/bin/python3]
#   HEAP      JVM heap of the Java side (Residency.HEAP holds the vectors there too) [6g]
#   REPEAT    timed passes over the queries per beam, best kept  [3]
#
# Writes results.jsonl (one JSON object per measured point), phases.txt and load.txt (the load
# average every 5 s), and summary.md (tables for docs/benchmarks-ann.md).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-$ROOT/index-lucene/target/bench-ann}
SETS=${SETS:-"a:1000000:384 b:200000:1024"}
QUERIES=${QUERIES:-1000}
CLUSTERS=${CLUSTERS:-"a:1000 b:500"}
EF=${EF:-10,16,24,32,48,64,96,128,192,256}
M=${M:-16}
EFC=${EFC:-100}
THREADS=${THREADS:-$(nproc)}
DATA=${DATA:-/tmp/bindspace-ann-data}
PY=${PY:-/usr/bin/python3}
HEAP=${HEAP:-6g}
REPEAT=${REPEAT:-3}
BENCH="$ROOT/index-lucene/src/bench/python"
cd "$ROOT"

mkdir -p "$OUT"
: >"$OUT/results.jsonl"
: >"$OUT/phases.txt"
(while true; do echo "$(date +%s) $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 5; done) >"$OUT/load.txt" &
SAMPLER=$!
trap 'kill $SAMPLER 2>/dev/null || true' EXIT
phase() { echo "$(date +%s) $1 $2" >>"$OUT/phases.txt"; echo "[$(date +%T)] $1 $2 (load $(cut -d' ' -f1 /proc/loadavg))" >&2; }

phase build-java start
./mvnw -B -ntp -o -q -pl index-lucene -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
# a snapshot of the compiled classes: a rebuild during the run cannot change what is measured
rm -rf "$OUT/classes"
mkdir -p "$OUT/classes"
cp -r index-lucene/target/classes "$OUT/classes/main"
cp -r index-lucene/target/test-classes "$OUT/classes/test"
cp -r core/target/classes "$OUT/classes/core"
DEPS=$(tr ':' '\n' <index-lucene/target/test-classpath.txt | grep -v '/core/target/' | paste -sd: -)
CP="$OUT/classes/main:$OUT/classes/test:$OUT/classes/core:$DEPS"
phase build-java end

JAVA_VERSION=$(java -version 2>&1 | head -1) THREADS=$THREADS M=$M EFC=$EFC SETS=$SETS QUERIES=$QUERIES $PY - >"$OUT/machine.json" <<'PY'
import json, os, subprocess
cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
mem = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")) / 1048576
def deb(p):
    return subprocess.run(["dpkg-query", "-W", "-f=${Version}", p], capture_output=True, text=True).stdout
import sys
print(json.dumps(dict(machine=cpu, cores=os.cpu_count(), mem_gib=round(mem, 1), java=os.environ["JAVA_VERSION"],
                      python=sys.version.split()[0], hnswlib=deb("python3-hnswlib"), faiss=deb("python3-faiss"),
                      threads=int(os.environ["THREADS"]), m=int(os.environ["M"]), efc=int(os.environ["EFC"]),
                      sets=os.environ["SETS"], queries=int(os.environ["QUERIES"]))))
PY

for set in $SETS; do
  IFS=: read -r name n d <<<"$set"
  clusters=$(tr ' ' '\n' <<<"$CLUSTERS" | awk -F: -v s="$name" '$1 == s {print $2}')
  if [ "$n" = prepared ]; then # made beforehand, e.g. by ann_real_data.py
    [ -f "$DATA/$name/base.f32" ] || { echo "SETS: $name is 'prepared' but $DATA/$name/base.f32 is missing" >&2; exit 2; }
  else
    phase "gen-$name" start
    OMP_NUM_THREADS=$THREADS $PY "$BENCH/ann_data.py" --out "$DATA/$name" --n "$n" --d "$d" --queries "$QUERIES" \
      --clusters "${clusters:-1000}"
    phase "gen-$name" end
  fi
  for sys in hnswlib faiss-hnsw faiss-flat; do
    phase "$sys-$name" start
    $PY "$BENCH/ann_peers.py" --data "$DATA/$name" --dataset "$name" --d "$d" --m "$M" --ef-construction "$EFC" \
      --ef "$EF" --systems "$sys" --build-threads "$THREADS" --repeat "$REPEAT" | tee -a "$OUT/results.jsonl"
    phase "$sys-$name" end
  done
  # float32 three ways on one index (built once, MAPPED; then reopened with Residency.HEAP, without and
  # with 2 MB heap pages), then int7
  for variant in NONE NONE-HEAP NONE-HEAP-THP INT7; do
    q=${variant%%-*}
    extra=()
    jvm=()
    case $variant in
      NONE) extra=(--keep true) ;;
      NONE-HEAP) extra=(--reuse true --keep true --residency HEAP) ;;
      NONE-HEAP-THP) extra=(--reuse true --residency HEAP); jvm=(-XX:+UseTransparentHugePages) ;;
    esac
    phase "bindspace-$variant-$name" start
    java --add-modules jdk.incubator.vector -Xmx"$HEAP" "${jvm[@]}" -cp "$CP" dev.bindspace.lucene.bench.AnnBench \
      --data "$DATA/$name" --dataset "$name" --d "$d" --quantization "$q" --m "$M" --beam-width "$EFC" \
      --ef "$EF" --threads "$THREADS" --repeat "$REPEAT" --work "$DATA/indexes" "${extra[@]}" \
      2> >(grep -v -e '^WARNING: Using incubator' -e 'VectorizationProvider' -e 'too old: 17' >&2) \
      | tee -a "$OUT/results.jsonl"
    phase "bindspace-$variant-$name" end
  done
done
$PY "$BENCH/ann_report.py" "$OUT" >"$OUT/summary.md"
cat "$OUT/summary.md"
