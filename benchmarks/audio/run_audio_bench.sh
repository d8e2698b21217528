#!/usr/bin/env bash
# Audio preprocessing throughput, bindspace (Java) beside torchaudio, both pinned to one core.
# Needs: a built encoders-audio (./mvnw -o -pl encoders-audio -am install -DskipTests and test-compile),
# /usr/bin/python3 with python3-torchaudio and python3-numpy. Usage: benchmarks/audio/run_audio_bench.sh [reps]
set -euo pipefail
cd "$(dirname "$0")/../.."
REPS=${1:-15}
CORE=${CORE:-1}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
WAV="$WORK/bench_44k1_stereo_60s.wav"
/usr/bin/python3 - "$WAV" <<'PY'
import sys, numpy as np, wave
rate, n = 44100, 44100 * 60
t = np.arange(n) / rate
rng = np.random.default_rng(1)
x = np.stack([0.3 * np.sin(2 * np.pi * 220 * t) * (1 + 0.5 * np.sin(2 * np.pi * 0.5 * t)) + 0.05 * rng.standard_normal(n),
              0.2 * np.sin(2 * np.pi * (300 + 50 * t) * t) + 0.05 * rng.standard_normal(n)])
pcm = np.clip(np.round(x.T * 32767), -32768, 32767).astype("<i2")
with wave.open(sys.argv[1], "wb") as w:
    w.setnchannels(2); w.setsampwidth(2); w.setframerate(rate); w.writeframes(pcm.tobytes())
PY
./mvnw -B -q -o -pl encoders-audio dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')  commit: $(git rev-parse --short HEAD)"
echo "uptime: $(uptime)"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')  pinned to core $CORE"
echo "java: $(java -version 2>&1 | head -1)"
taskset -c "$CORE" java -XX:ActiveProcessorCount=1 -Xmx1g \
  -cp "encoders-audio/target/test-classes:encoders-audio/target/classes:$(cat "$WORK/cp.txt")" \
  dev.bindspace.audio.internal.AudioThroughput "$WAV" "$REPS"
taskset -c "$CORE" /usr/bin/python3 benchmarks/audio/torchaudio_throughput.py "$WAV" "$REPS"
echo "uptime after: $(uptime)"
