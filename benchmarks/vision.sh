#!/usr/bin/env bash
# Still-image decode + ImageBind preprocessing, images/s on ONE core: bindspace (JMH,
# ImagePreprocessBenchmark) beside the Python reference (Pillow 9.4 + torchvision 0.14 from Debian,
# torch.set_num_threads(1)) on the same eight 1024x768 JPEGs and PNGs, both pinned to the same CPU,
# alternating in one run (ROUNDS=3 rounds). Prints uptime per round; results in benchmarks/target/vision/.
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
ROUNDS=${ROUNDS:-3}
echo "== load before: $(uptime)" | tee "$OUT/uptime.txt"
# Python and JMH alternate, ROUNDS times each, on the same CPU, so load changes hit both sides
for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r: python reference, pinned to CPU $CPU"
  taskset -c "$CPU" $PY benchmarks/python/vision_images.py bench "$DATA" | tee "$OUT/python-$r.json"
  echo "== round $r: bindspace (JMH), pinned to CPU $CPU"
  taskset -c "$CPU" java -jar benchmarks/target/benchmarks.jar ImagePreprocessBenchmark \
    -jvmArgsAppend "-Dbindspace.visionBench=$(pwd)/$DATA" -rf json -rff "$OUT/jmh-$r.json" > "$OUT/jmh-$r.log"
  grep -E "^ImagePreprocessBenchmark" "$OUT/jmh-$r.log"
  echo "   load: $(uptime)" | tee -a "$OUT/uptime.txt"
done
$PY - "$OUT" "$ROUNDS" <<'PYEOF'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
py = {f: [json.load(open(f"{out}/python-{r}.json"))[f] for r in range(1, rounds + 1)] for f in ("jpeg", "png")}
jv = {f: [next(x["primaryMetric"]["score"] for x in json.load(open(f"{out}/jmh-{r}.json")) if x["params"]["format"] == f)
          for r in range(1, rounds + 1)] for f in ("jpeg", "png")}
for f in ("jpeg", "png"):
    ratios = [j / p for j, p in zip(jv[f], py[f])]
    print(f"{f}: bindspace {statistics.median(jv[f]):.1f} img/s {['%.1f' % v for v in jv[f]]}, "
          f"python {statistics.median(py[f]):.1f} img/s {['%.1f' % v for v in py[f]]}, "
          f"per-round ratios {['%.2f' % v for v in ratios]}, median ratio {statistics.median(ratios):.2f}x")
    dec = [json.load(open(f"{out}/python-{r}.json")).get(f + "_decode_only") for r in range(1, rounds + 1)]
    if all(d is not None for d in dec):
        print(f"{f}: Pillow's decoder alone {statistics.median(dec):.1f} img/s {['%.1f' % v for v in dec]} = "
              f"{statistics.median(dec) / statistics.median(py[f]):.2f}x the whole Python pipeline")
PYEOF
