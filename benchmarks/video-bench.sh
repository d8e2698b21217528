#!/usr/bin/env bash
# Video preprocessing throughput, Java (VideoPipelineBenchmark, JMH) beside the Python reference
# (benchmarks/python/video_reference.py) on the same generated clip, in one run. Needs the ffmpeg
# CLI and Debian's python3-torch. About 3 minutes.
#
#   benchmarks/video-bench.sh [seconds]     # clip length, default 30
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_LEN=${1:-30}
OUT=benchmarks/target/video
CLIP=$OUT/bench-640x360-30.mp4
mkdir -p "$OUT"
if [[ ! -f $CLIP ]]; then
  ffmpeg -v error -y -f lavfi -i "testsrc2=size=640x360:rate=30:duration=$SECONDS_LEN" -c:v libx264 \
    -pix_fmt yuv420p -preset medium -g 60 "$CLIP"
fi
FRAMES=$(ffprobe -v error -count_packets -select_streams v:0 -show_entries stream=nb_read_packets -of csv=p=0 "$CLIP")
VIDEO_SECONDS=$(python3 -c "print($FRAMES / 30)")
if [[ -x ./mvnw ]]; then MVN=./mvnw; else MVN=mvn; fi
[[ -f benchmarks/target/benchmarks.jar ]] || $MVN -q -pl benchmarks -am package -DskipTests
echo "== uptime before: $(uptime)"
java -Djmh.ignoreLock=true -Dbindspace.video.clip="$CLIP" -Dbindspace.video.seconds="$VIDEO_SECONDS" \
  -jar benchmarks/target/benchmarks.jar VideoPipelineBenchmark \
  -jvmArgsAppend "-Dbindspace.video.clip=$CLIP -Dbindspace.video.seconds=$VIDEO_SECONDS" | tee "$OUT/jmh.log"
echo "== python reference"
/usr/bin/python3 benchmarks/python/video_reference.py "$CLIP" 5 | tee "$OUT/python.json"
echo "== CPU seconds per video (all threads / child processes; less sensitive to the neighbours)"
java -cp benchmarks/target/benchmarks.jar dev.bindspace.benchmarks.VideoCpuRun "$CLIP" "$VIDEO_SECONDS" 5 \
  | tee "$OUT/java-cpu.json"
echo "== uptime after: $(uptime)"
