#!/usr/bin/env bash
# Builds the media folder that benchmarks/perf/run_perf.sh, EncoderLatencyBenchmark and
# pytorch_bench.py read, from the project's own sample media (examples/media, see its CREDITS.md):
#   OUT/images/*.jpg|png   the sample photos/drawings as they are (decode + resize are part of the cost)
#   OUT/audio/*.wav        the sample .ogg recordings as 16 kHz mono 16-bit PCM WAV, cut to 10 s at most
#                          (so both sides read WAV natively and neither side resamples)
#   OUT/texts.txt          8 short captions, one per line
# Usage: benchmarks/perf/make_media.sh OUT      (needs ffmpeg)
set -euo pipefail
OUT=${1:?usage: make_media.sh OUT}
cd "$(dirname "$0")/../.."
mkdir -p "$OUT/images" "$OUT/audio"
cp examples/media/images/*.jpg examples/media/images/*.png "$OUT/images/"
for f in examples/media/audio/*.ogg; do
  n=$(basename "$f" .ogg)
  ffmpeg -v error -y -i "$f" -t 10 -ac 1 -ar 16000 -c:a pcm_s16le "$OUT/audio/$n.wav"
done
cat > "$OUT/texts.txt" <<'TXT'
a dog barking in the yard
a cow standing in a green field
a drum kit on a small stage
a duck swimming on a pond
a horse galloping across a meadow
an owl hooting at night
someone playing the piano
a trumpet solo in a jazz club
TXT
echo "media in $OUT: $(ls "$OUT/images" | wc -l) images, $(ls "$OUT/audio" | wc -l) WAV files, $(wc -l < "$OUT/texts.txt") texts"
