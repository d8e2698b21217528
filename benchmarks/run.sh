#!/usr/bin/env bash
# Builds the benchmarks, generates the shared vectors, runs JMH and the Python peers (FAISS, numpy) on
# the same vectors, and prints one summary with the derived ratios. About 15-20 minutes on 2 cores.
#
#   benchmarks/run.sh                      # everything
#   benchmarks/run.sh -p dataset=100k_1024 # extra arguments go to JMH (then peers run on all data sets)
#
# Results: benchmarks/target/results/{machine.json,monitor.log,windows.tsv,jmh.json,jmh.log,peers.json,summary.md}
# Data:    benchmarks/target/data (generated once, ~2 GB; never committed)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=$ROOT/benchmarks/target/results
export BINDSPACE_BENCH_DATA=$ROOT/benchmarks/target/data
export BINDSPACE_BENCH_RESULTS=$OUT   # trials append their time windows to windows.tsv
PY=/usr/bin/python3   # Debian's python: python3-numpy and python3-faiss live there, not in pyenv
if [[ -x ./mvnw ]]; then MVN=./mvnw; else MVN=mvn; fi

SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
if ! $PY -c 'import numpy, faiss' 2>/dev/null; then
  echo "== installing python3-numpy python3-faiss (Debian)"
  $SUDO apt-get install -y python3-faiss python3-numpy
fi
# Debian's FAISS and numpy call whatever libblas.so.3 is selected; the reference BLAS would make the
# peers' batched search ~10x slower. Compare against the strongest peer: OpenBLAS.
if ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
  echo "== installing libopenblas0-pthread so FAISS and numpy use OpenBLAS"
  $SUDO apt-get install -y libopenblas0-pthread
fi
echo "== BLAS behind FAISS/numpy: $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3)"
source benchmarks/openblas-core.sh   # Debian's OpenBLAS misdetects this CPU: choose its AVX-512 kernels
echo "== OpenBLAS kernels: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset} -> $(openblas_core)"

echo "== build"
$MVN -q -pl benchmarks -am package -DskipTests
mkdir -p "$OUT" "$BINDSPACE_BENCH_DATA"

echo "== data ($BINDSPACE_BENCH_DATA)"
java -cp benchmarks/target/benchmarks.jar dev.bindspace.benchmarks.GenerateData

$PY benchmarks/python/summarize.py machine "$OUT/machine.json"

rm -f "$OUT/monitor.log" "$OUT/windows.tsv"
# shellcheck source=monitor.sh
source benchmarks/monitor.sh   # logs the CPU other processes use meanwhile
start_monitor "$OUT/monitor.log"

echo "== JMH (log: $OUT/jmh.log)"
# -foe: a benchmark whose self-check fails stops the run instead of leaving a hole in the table.
# -e TokenizerBenchmark: the tokenizer benchmark has its own command (docs/tokenizers.md) and needs
# the CLIP vocabulary from ../shared; it is not part of the search summary.
java -jar benchmarks/target/benchmarks.jar -foe true -e TokenizerBenchmark -rf json -rff "$OUT/jmh.json" "$@" 2>&1 | tee "$OUT/jmh.log"

echo "== peers: FAISS and numpy"
$PY benchmarks/python/peers.py --data "$BINDSPACE_BENCH_DATA" --out "$OUT/peers.json"

echo "== summary ($OUT/summary.md)"
$PY benchmarks/python/summarize.py report --jmh "$OUT/jmh.json" --peers "$OUT/peers.json" \
  --machine "$OUT/machine.json" --monitor "$OUT/monitor.log" --out "$OUT/summary.md"
