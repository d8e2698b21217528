#!/usr/bin/env bash
# Would a SIMD JPEG decoder reach the >= 2x-Pillow target of encoders-vision? Side by side on one pinned CPU:
# the Python reference (benchmarks/python/vision_images.py: Pillow 9.4 + torchvision, whole pipeline and
# decoder alone) and benchmarks/probes/TurboJpegProbe.java (Debian's libturbojpeg through its JNI binding,
# against bindspace's decoder and preprocessing). Not part of the build: it needs the Debian packages
# libturbojpeg-java (installed here when run as root) and the encoders-vision build.
#
#   benchmarks/turbojpeg-probe.sh [CPU]     # CPU to pin to (default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
CPU=${1:-1}
DATA=benchmarks/target/vision-data
OUT=benchmarks/target/turbojpeg-probe
PY=/usr/bin/python3
if [[ -x ./mvnw ]]; then MVN=./mvnw; else MVN=mvn; fi
if ! dpkg -s libturbojpeg-java >/dev/null 2>&1; then
  [[ $(id -u) = 0 ]] || { echo "needs the Debian package libturbojpeg-java (apt-get install libturbojpeg-java)" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q libturbojpeg-java >/dev/null
fi
mkdir -p "$OUT/classes" "$OUT/lib"
$MVN -q -o -pl encoders-vision -am install -DskipTests
$MVN -q -o -pl encoders-vision dependency:build-classpath -Dmdep.outputFile="$(pwd)/$OUT/cp.txt" >/dev/null
CP="encoders-vision/target/classes:$(cat "$OUT/cp.txt"):/usr/share/java/turbojpeg.jar"
# the binding loads "libturbojpeg.so"; Debian ships only the versioned name
ln -sf "$(ls /usr/lib/x86_64-linux-gnu/libturbojpeg.so.0 /usr/lib/*/libturbojpeg.so.0 2>/dev/null | head -1)" "$OUT/lib/libturbojpeg.so"
javac -d "$OUT/classes" -cp "$CP" benchmarks/probes/TurboJpegProbe.java
[[ -f $DATA/img7.jpg ]] || $PY benchmarks/python/vision_images.py make "$DATA"
echo "== load before: $(uptime)"
echo "== Python reference (Pillow + torchvision), pinned to CPU $CPU"
taskset -c "$CPU" $PY benchmarks/python/vision_images.py bench "$DATA" | tee "$OUT/python.json"
echo "== TurboJPEG probe, pinned to CPU $CPU"
taskset -c "$CPU" java -Djava.library.path="$OUT/lib" -cp "$OUT/classes:$CP" TurboJpegProbe "$DATA" | tee "$OUT/probe.txt"
echo "== load after: $(uptime)"
