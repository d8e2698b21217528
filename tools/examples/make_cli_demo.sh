#!/usr/bin/env bash
# Builds the 1,000-file folder the CLI was measured on (docs/cli.md, "Measured"): 550 images and 365 sounds
# from bindspace-mini's training data, the 35 H5 videos, and 50 deliberately broken files.
# Needs the data directory that tools/mini-train builds (DATA, default ../mini-data beside the checkout).
#   tools/examples/make_cli_demo.sh [OUT=../cli-demo/media]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DATA="${BINDSPACE_MINI_DATA:-$ROOT/../mini-data}"
D="${1:-$ROOT/../cli-demo/media}"
rm -rf "$D" && mkdir -p "$D/images" "$D/audio" "$D/video" "$D/broken"
pick() { shuf -n "$1" --random-source=<(yes); }   # deterministic sample
find "$DATA/image/train/openclipart" "$DATA/image/train/art4apps" -name "*.png" -o -name "*.jpg" | sort | pick 400 |
  while read -r f; do cp "$f" "$D/images/$(basename "$(dirname "$f")")_$(basename "$f")"; done
find "$DATA/image/train/emoji" -name "*.png" | sort | pick 150 |
  while read -r f; do cp "$f" "$D/images/emoji_$(basename "$(dirname "$f")")_$(basename "$f")"; done
find "$DATA/audio/wav" -name "*.wav" | grep -v espeak | sort | pick 365 |
  while read -r f; do cp "$f" "$D/audio/$(basename "$(dirname "$f")")_$(basename "$f")"; done
cp "$DATA"/eval/H5/videos/*.mp4 "$D/video/"
B="$D/broken"
for f in $(ls "$D/images" | head -12); do head -c 300 "$D/images/$f" > "$B/trunc_$f"; done
for f in $(ls "$D/audio" | head -12); do head -c 30 "$D/audio/$f" > "$B/trunc_$f"; done
for f in $(ls "$D/video" | head -6); do head -c 2000 "$D/video/$f" > "$B/trunc_$f"; done
for n in a b c d e; do : > "$B/empty_$n.png"; : > "$B/empty_$n.wav"; done
for n in 1 2 3 4 5; do head -c 4096 /dev/urandom > "$B/garbage_$n.jpg"; done
head -c 4096 /dev/urandom > "$B/garbage_6.mp4"; head -c 4096 /dev/urandom > "$B/garbage_7.ogg"
head -c 4096 /dev/urandom > "$B/garbage_8.webm"
printf 'RIFF\xff\xff\xff\x7fWAVEfmt ' > "$B/liar.wav"
python3 - "$B/bomb.png" <<'PY'
import struct, sys, zlib
chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
ihdr = struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)  # a 100000 x 100000 RGB header
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))
PY
echo "$(find "$D" -type f | wc -l) files in $D ($(ls "$B" | wc -l) broken)"
