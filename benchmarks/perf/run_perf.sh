#!/usr/bin/env bash
# Issue 10's measurement in ONE run, stage after stage on an otherwise idle machine: sgemm ceilings
# (numpy/OpenBLAS, ND4J), the PyTorch reference and Java (fp32, int8) file -> embedding per modality
# at batch 1 and 8, then a summary with the ratios. See docs/performance-measure.md.
#
#   benchmarks/perf/run_perf.sh --fp32 ../perf/standin-huge --weights ../perf/standin-huge.pt \
#       --media ../perf/media \
#       [--int8 ../perf/standin-huge-int8] [--out benchmarks/target/perf] \
#       [--warmup 2] [--warmup-seconds 10] [--reps 5] [--intra 2] [--inter 1] [--opt ALL] [--arena true] [--spin false] [--max-batch 16] \
#       [--batches 1,8] [--modalities vision,text,audio] [--skip numpy,nd4j,pytorch,fp32,int8] [--tower true] \
#       [--pytorch-args "..."] [--java-opts "..."] [--order interleaved]
#
# --warmup-seconds 10 (default): both sides keep making untimed calls until at least --warmup calls AND
# this many seconds have passed: the JVM compiles the image decoder, resampler and filterbank over the
# first ~20 calls (PyTorch's kernels are compiled ahead of time), and a service embedding many files
# runs compiled code; the warm-up calls' times are kept in the JSON files (warmup_ms). 0 = calls only.
# --order interleaved (default): modality after modality, PyTorch then Java fp32 then Java int8, so each
# ratio compares measurements minutes apart (a virtual machine's speed drifts by 5-10 % over a
# quarter of an hour); --order staged: all PyTorch cases first, then all Java fp32, then all int8.
# --tower true (default): with vision and audio, also time the graph alone on preprocessed tensors
# (EncoderLatencyBenchmark's vision-tower and audio-tower cases), for the tower's own GFLOP/s.
# --media: a folder with images/*.jpg, audio/*.wav, sentences.txt (make_media.py writes it; into
# OUT/media when --media is not given or does not exist). Every stage's failure is written to
# stages.tsv and the summary; the other stages still run.
# NO_BUILD=1 uses benchmarks/target/benchmarks.jar as it is (default: build it from this checkout).
# Results: OUT/{machine.txt, stages.tsv, monitor.log, windows.tsv, flops-*.json, sgemm-*.json,
#               pytorch.json, java-*.json, logs/*.log, summary.md, summary.json}
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
PY=/usr/bin/python3   # Debian's python: torch, numpy (OpenBLAS) and onnx live there, not in pyenv
FP32="" INT8="" MEDIA="" WEIGHTS="" OUT=$ROOT/benchmarks/target/perf
WARMUP=2 WARMUP_S=10 REPS=5 INTRA=2 INTER=1 OPT=ALL ARENA=true SPIN=false MAXB=16 BATCHES=1,8 MODS=vision,text,audio SKIP=""
PYTORCH_ARGS="" JAVA_OPTS="" TOWER=true ORDER=interleaved
while [[ $# -gt 0 ]]; do
  case $1 in
    --fp32) FP32=$2 ;; --int8) INT8=$2 ;; --media) MEDIA=$2 ;; --weights) WEIGHTS=$2 ;; --out) OUT=$2 ;;
    --warmup) WARMUP=$2 ;; --warmup-seconds) WARMUP_S=$2 ;; --reps) REPS=$2 ;; --intra) INTRA=$2 ;; --inter) INTER=$2 ;; --opt) OPT=$2 ;;
    --arena) ARENA=$2 ;; --spin) SPIN=$2 ;; --max-batch) MAXB=$2 ;; --batches) BATCHES=$2 ;; --modalities) MODS=$2 ;;
    --skip) SKIP=$2 ;; --tower) TOWER=$2 ;; --pytorch-args) PYTORCH_ARGS=$2 ;; --java-opts) JAVA_OPTS=$2 ;;
    --order) ORDER=$2 ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift 2 || { echo "option $1 needs a value" >&2; exit 2; }
done
[[ -n $FP32 ]] || { echo "--fp32 BUNDLE_DIR is required (try --help)" >&2; exit 2; }
[[ $ORDER == interleaved || $ORDER == staged ]] || { echo "--order must be interleaved or staged, got $ORDER" >&2; exit 2; }
# shellcheck source=../openblas-core.sh
source benchmarks/openblas-core.sh   # Debian's OpenBLAS misdetects this CPU: choose its AVX-512 kernels
mkdir -p "$OUT/logs"
OUT=$(cd "$OUT" && pwd)
[[ -n $MEDIA ]] || MEDIA=$OUT/media
export BINDSPACE_BENCH_RESULTS=$OUT   # Java cases append their time windows to windows.tsv
rm -f "$OUT"/stages.tsv "$OUT"/monitor.log "$OUT"/windows.tsv "$OUT"/summary.md "$OUT"/java-*.json "$OUT"/pytorch*.json
skipped() { [[ ",$SKIP," == *",$1,"* ]]; }

# stage NAME CMD...: runs CMD with its output in logs/NAME.log (and on screen), records the exit
# status and time window in stages.tsv, never stops the run.
stage() {
  local name=$1; shift
  local log=$OUT/logs/$name.log t0 rc
  echo "== $name ($(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)): $*"
  t0=$(date +%s.%N)
  "$@" > >(tee "$log") 2>&1
  rc=$?
  printf '%s\t%d\t%s\t%s\t%s\n' "$name" "$rc" "$t0" "$(date +%s.%N)" "$log" >> "$OUT/stages.tsv"
  [[ $rc -eq 0 ]] || echo "!! stage $name failed (rc=$rc), see $log; continuing"
  return 0
}

{
  echo "date: $(date -u +%FT%TZ)   host: $(hostname)"
  lscpu | grep -E '^(Model name|CPU\(s\)|Thread|Core|Socket|L2|L3)' | sed 's/  */ /g'
  echo "flags: $(grep -o -w -E 'avx512f|avx512_vnni|avx512_bf16|avx512_fp16|avx_vnni|amx_tile|amx_bf16|amx_int8' /proc/cpuinfo | sort -u | tr '\n' ' ')"
  free -g | sed -n 2p | awk '{print "memory: " $2 " GiB total, " $7 " GiB available"}'
  echo "uptime: $(uptime)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "python3 (Debian): $($PY -c 'import sys, numpy, torch; print(sys.version.split()[0], "numpy", numpy.__version__, "torch", torch.__version__)' 2>&1)"
  echo "libblas.so.3 -> $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3)"
  echo "OpenBLAS kernels (numpy/torch): OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset} -> $(openblas_core)"
  echo "ORT (Java): $(grep -m1 -o '<onnxruntime.version>[^<]*' pom.xml | sed 's/.*>//')"
  echo "settings: order=$ORDER warmup=$WARMUP warmup-seconds=$WARMUP_S reps=$REPS batches=$BATCHES java intra=$INTRA inter=$INTER opt=$OPT arena=$ARENA spin=$SPIN max-batch=$MAXB"
  echo "bundles: fp32=$FP32 int8=${INT8:-none}; weights=${WEIGHTS:-none}; media=$MEDIA"
} > "$OUT/machine.txt" 2>&1
cat "$OUT/machine.txt"

# shellcheck source=monitor.sh
source benchmarks/monitor.sh   # logs the CPU other processes use meanwhile
start_monitor "$OUT/monitor.log"

# Build from this checkout with -am: a bare "-pl benchmarks" build would take the other bindspace
# modules from ~/.m2, which other checkouts on the machine may have overwritten.
JAR=benchmarks/target/benchmarks.jar
if [[ -z ${NO_BUILD:-} ]]; then
  if [[ -x ./mvnw ]]; then MVN=./mvnw; else MVN=mvn; fi
  build() { $MVN -B -q -o -pl benchmarks -am package -DskipTests || $MVN -B -q -pl benchmarks -am package -DskipTests; }
  stage build build
fi
if [[ ! -d $MEDIA ]]; then
  stage media $PY benchmarks/perf/make_media.py --out "$MEDIA"
fi

stage flops-fp32 $PY benchmarks/perf/onnx_flops.py --bundle "$FP32" --out "$OUT/flops-fp32.json"
[[ -n $INT8 ]] && stage flops-int8 $PY benchmarks/perf/onnx_flops.py --bundle "$INT8" --out "$OUT/flops-int8.json"

# sgemm ceilings: numpy over Debian's OpenBLAS (one child process per thread count), then ND4J
# with 1 and 2 BLAS threads (OMP_NUM_THREADS caps what setMaxThreads may use)
# the Python scripts are written on another branch: pass whichever output flag they declare
outflag() { if $PY "$1" --help 2>/dev/null | grep -q -- '--json'; then echo --json; else echo --out; fi; }
skipped numpy || stage sgemm-numpy $PY benchmarks/perf/sgemm_ceiling.py --threads 1,"$(nproc)" --reps "$REPS" \
  "$(outflag benchmarks/perf/sgemm_ceiling.py)" "$OUT/sgemm-numpy.json"
skipped nd4j || OMP_NUM_THREADS=$(nproc) stage sgemm-nd4j java $JAVA_OPTS -cp $JAR \
  dev.bindspace.benchmarks.SgemmCeiling --threads 1,$(nproc) --reps "$REPS" --out "$OUT/sgemm-nd4j.json"

# PyTorch reference: the fastest setting measured on this machine is torch.set_num_threads(1) with
# OPENBLAS_NUM_THREADS=2 (2+2 oversubscribes 2 cores and is ~2x slower); pytorch_bench.py sets the former
PB=benchmarks/perf/pytorch_bench.py
if $PY $PB --help 2>/dev/null | grep -q -- '--state'; then WFLAG=--state; else WFLAG=--weights; fi
pytorch_run() { # MODALITIES(comma-separated) -> OUT/pytorch-<first modality or all>.json
  skipped pytorch && return 0
  if [[ -z $WEIGHTS ]]; then echo "== pytorch: skipped (no --weights)"; return 0; fi
  local tag=$2
  # same inputs, warm-up and repetitions as the Java side
  # shellcheck disable=SC2086
  OPENBLAS_NUM_THREADS=$(nproc) stage "pytorch$tag" $PY $PB $WFLAG "$WEIGHTS" --media "$MEDIA" \
    "$(outflag $PB)" "$OUT/pytorch$tag.json" --modalities "$1" --batches "$BATCHES" --warmup "$WARMUP" \
    --warmup-seconds "$WARMUP_S" \
    --reps "$REPS" $PYTORCH_ARGS
}

java_run() { # LABEL BUNDLE FLOPS MODALITIES(space-separated): one JVM per case, OUT/java-LABEL-<case>.json
  # One JVM per modality, as pytorch_bench.py holds one tower at a time: measured in one process
  # after the vision and text cases, the audio cases ran up to 30 % slower than alone (same code,
  # same bundle), an artefact of the order, not of the encoder.
  local mod mods=$4
  [[ $TOWER == true && " $mods " == *" vision "* ]] && mods=${mods/vision/vision vision-tower}
  [[ $TOWER == true && " $mods " == *" audio "* ]] && mods=${mods/audio/audio audio-tower}
  for mod in $mods; do
    # shellcheck disable=SC2086
    stage "java-$1-$mod" java $JAVA_OPTS -cp $JAR dev.bindspace.benchmarks.EncoderLatencyBenchmark --bundle "$2" \
      --media "$MEDIA" --label "$1" --modalities "$mod" --batches "$BATCHES" --warmup "$WARMUP" \
      --warmup-seconds "$WARMUP_S" --reps "$REPS" \
      --intra "$INTRA" --inter "$INTER" --opt "$OPT" --arena "$ARENA" --spin "$SPIN" --max-batch "$MAXB" \
      --flops "$3" --out "$OUT/java-$1-$mod.json"
  done
}

# merge OUT_FILE PARTS...: the summariser reads one pytorch.json and one java-LABEL.json each: the
# per-case results, concatenated
merge() {
  $PY - "$@" <<'PYEOF'
import json, sys
out, parts = sys.argv[1], [p for p in sys.argv[2:]]
merged = None
for p in parts:
    try:
        d = json.load(open(p))
    except (OSError, ValueError) as e:
        print(f"results {p} missing or unreadable: {e}")
        continue
    if merged is None:
        merged = d
    else:
        merged["results"].extend(d.get("results", []))
    if "load_ms" in d:
        merged.setdefault("load_ms_by_modality", {})[d["results"][0]["modality"] if d.get("results") else p] = d.get("load_ms")
if merged is not None:
    merged["processes"] = "one process per modality"
    json.dump(merged, open(out, "w"), indent=2)
PYEOF
}

ALL_MODS=${MODS//,/ }
# int8 GFLOP/s counts the fp32 graph's operations (same work, lower precision)
if [[ $ORDER == staged ]]; then
  pytorch_run "$MODS" ""
  skipped fp32 || java_run fp32 "$FP32" "$OUT/flops-fp32.json" "$ALL_MODS"
  [[ -n $INT8 ]] && ! skipped int8 && java_run int8 "$INT8" "$OUT/flops-fp32.json" "$ALL_MODS"
else
  for m in $ALL_MODS; do
    pytorch_run "$m" "-$m"
    skipped fp32 || java_run fp32 "$FP32" "$OUT/flops-fp32.json" "$m"
    [[ -n $INT8 ]] && ! skipped int8 && java_run int8 "$INT8" "$OUT/flops-fp32.json" "$m"
  done
  [[ -n $WEIGHTS ]] && ! skipped pytorch && merge "$OUT/pytorch.json" $(for m in $ALL_MODS; do echo "$OUT/pytorch-$m.json"; done)
fi
for label in fp32 int8; do
  ls "$OUT"/java-$label-*.json >/dev/null 2>&1 && merge "$OUT/java-$label.json" $(ls "$OUT"/java-$label-*.json)
done

stage summary $PY benchmarks/perf/summarize_perf.py "$OUT"
echo "== done: $OUT/summary.md"
