#!/usr/bin/env bash
# Still-image decode + ImageBind preprocessing, images/s on ONE core: bindspace (JMH,
# ImagePreprocessBenchmark) beside the Python reference (Pillow 9.4 + torchvision 0.14 from Debian,
# torch.set_num_threads(1)) on the same eight 1024x768 JPEGs and PNGs, both pinned to the same CPU,
# interleaved in one run. Prints uptime before and after; results in benchmarks/target/vision/.
#
#   benchmarks/vision.sh [CPU]     # CPU to pin to (default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
CPU=${1:-1}
OUT=benchmarks/target/vision
DATA=benchmarks/target/vision-data
PY=/usr/bin/python3
if [[ -x ./mvnw ]]; then MVN=./mvnw; else MVN=mvn; fi
mkdir -p "$OUT"
echo "== build"
$MVN -q -o -pl benchmarks -am package -DskipTests
echo "== images ($DATA)"
[[ -f $DATA/img7.png ]] || $PY benchmarks/python/vision_images.py make "$DATA"
echo "== load before: $(uptime)" | tee "$OUT/uptime.txt"
echo "== python reference, pinned to CPU $CPU"
taskset -c "$CPU" $PY benchmarks/python/vision_images.py bench "$DATA" | tee "$OUT/python-1.json"
echo "== bindspace (JMH), pinned to CPU $CPU"
taskset -c "$CPU" java -Dbindspace.visionBench="$DATA" -jar benchmarks/target/benchmarks.jar ImagePreprocessBenchmark \
  -jvmArgsAppend "-Dbindspace.visionBench=$(pwd)/$DATA" -rf json -rff "$OUT/jmh.json" | tee "$OUT/jmh.log" | grep -E "^Image|Benchmark"
echo "== python reference again (drift check)"
taskset -c "$CPU" $PY benchmarks/python/vision_images.py bench "$DATA" | tee "$OUT/python-2.json"
echo "== load after: $(uptime)" | tee -a "$OUT/uptime.txt"
$PY - "$OUT" <<'PYEOF'
import json, sys
out = sys.argv[1]
jmh = {r["params"]["format"]: r["primaryMetric"]["score"] for r in json.load(open(out + "/jmh.json"))}
p1, p2 = json.load(open(out + "/python-1.json")), json.load(open(out + "/python-2.json"))
for fmt in ("jpeg", "png"):
    py = (p1[fmt] + p2[fmt]) / 2
    print(f"{fmt}: bindspace {jmh[fmt]:.1f} img/s, python {py:.1f} img/s (runs {p1[fmt]:.1f}, {p2[fmt]:.1f}), ratio {jmh[fmt] / py:.2f}x")
PYEOF
