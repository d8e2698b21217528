#!/usr/bin/env bash
# Builds examples/media/ (the bundled examples' sample media, committed) from Debian's gcompris-qt-data:
# real photos (public domain / CC0, Wikimedia via GCompris), drawings and recordings (GPL-3) of GCompris'
# explore_farm_animals and instruments activities, plus a synthetic video and a long recording made here.
# These items are held out from bindspace-mini's training (docs/models/bindspace-mini.md), so the examples
# show the model on media it never saw. Credits: examples/media/CREDITS.md (written by this script).
# Needs: gcompris-qt-data, webp, imagemagick, librsvg2-bin, sox, ffmpeg (apt-get install -y ...).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="$ROOT/examples/media"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
python3 "$ROOT/tools/mini-train/gcompris_rcc.py" "$TMP/g" \
  /usr/share/gcompris-qt/rcc/explore_farm_animals.rcc /usr/share/gcompris-qt/rcc/instruments.rcc
FARM="$TMP/g/gcompris/src/activities/explore_farm_animals/resource/animals"
INST="$TMP/g/gcompris/src/activities/instruments/resource"
rm -rf "$OUT" && mkdir -p "$OUT/images" "$OUT/audio" "$OUT/video"
for a in dog cow horse owl duck; do
  dwebp -quiet "$FARM/$a.webp" -o "$TMP/$a.png"
  convert "$TMP/$a.png" -resize 384x384 -quality 88 "$OUT/images/$a.jpg"
  sox "$FARM/$a.ogg" -r 16000 -c 1 "$OUT/audio/$a.ogg" trim 0 6
done
for i in piano violin trumpet drum_kit; do
  rsvg-convert -w 384 -h 384 --keep-aspect-ratio -b white "$INST/$i.svg" -o "$OUT/images/$i.png"
  sox "$INST/$i.ogg" -r 16000 -c 1 "$OUT/audio/$i.ogg" trim 0 6
done
# A synthetic video: the dog photo, slowly zoomed, with its own bark (ffmpeg, as data-sources.md §4).
dwebp -quiet "$FARM/dog.webp" -o "$TMP/dog.png"
ffmpeg -loglevel error -y -loop 1 -i "$TMP/dog.png" -i "$FARM/dog.ogg" -filter_complex \
  "[0:v]scale=1280:-2,zoompan=z='min(zoom+0.0015,1.3)':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=100:s=320x240:fps=25,format=yuv420p[v];[1:a]apad,atrim=0:4[a]" \
  -map "[v]" -map "[a]" -t 4 -c:v libx264 -crf 30 -c:a aac -b:a 48k "$OUT/video/dog.mp4"
# A long recording for the Moments example: quiet noise with a cow at 10 s, a dog at 25 s and a trumpet at 40 s.
sox -n -r 16000 -c 1 "$TMP/bed.wav" synth 55 pinknoise vol 0.02
for spec in cow:10 dog:25 trumpet:40; do
  n="${spec%%:*}"; t="${spec##*:}"
  sox "$OUT/audio/$n.ogg" -r 16000 -c 1 "$TMP/$n-pad.wav" trim 0 5 pad "$t" 0
done
sox -m "$TMP/bed.wav" "$TMP/cow-pad.wav" "$TMP/dog-pad.wav" "$TMP/trumpet-pad.wav" "$OUT/audio/farm-walk.ogg" trim 0 55
cat > "$OUT/CREDITS.md" <<'CREDITS'
# Credits for the example media

All files are derived from Debian's `gcompris-qt-data` package (GCompris, https://gcompris.net) by
`tools/examples/make_example_media.sh`: photos resized to 384 px JPEG, drawings rendered to 384 px PNG,
sounds converted to 16 kHz mono Ogg Vorbis and cut to at most 6 s.

| file | origin | author | licence |
|---|---|---|---|
| images/dog.jpg | commons.wikimedia.org/wiki/File:German-shepherd-4040871920._(2).jpg | Hans Kemperman | public domain |
| images/cow.jpg | commons.wikimedia.org/wiki/File:Cow-IMG_2050.JPG | Dohduhdah | public domain |
| images/horse.jpg | commons.wikimedia.org/wiki/File:Nokota_Horse_Stud_Band.jpg | Seth Zeigler | CC0-1.0 |
| images/owl.jpg | commons.wikimedia.org/wiki/File:Owl_The_Nightbird.jpg | Lepale | CC0-1.0 |
| images/duck.jpg | commons.wikimedia.org/wiki/File:Aylesbury_Duck._(9373723157).jpg | Bernard Spragg | CC0-1.0 |
| images/piano.png, violin.png, trumpet.png, drum_kit.png | GCompris instruments drawings | Bruno Coudoin and others, 2000, 2008 | GPL-3.0 |
| audio/dog.ogg, cow.ogg, horse.ogg, owl.ogg, duck.ogg | GCompris explore_farm_animals sounds | Bruno Coudoin and others, 2000, 2008 | GPL-3.0 |
| audio/piano.ogg, violin.ogg, trumpet.ogg | GCompris instruments recordings | Sylvain Dechy, Jérome Blanchard, Julie Jules, Chloé Tuvuku | GPL-3.0 |
| audio/drum_kit.ogg | freesound.org sample 29534 (via GCompris) | freesound contributor | Creative Commons Sampling Plus 1.0 |
| video/dog.mp4 | made here from images/dog.jpg's source photo and audio/dog.ogg's source sound | — | as its sources (public domain photo, GPL-3.0 sound) |
| audio/farm-walk.ogg | made here: pink noise with cow.ogg, dog.ogg and trumpet.ogg at 10 s, 25 s and 40 s | — | GPL-3.0 (its sounds) |
CREDITS
du -sh "$OUT"; find "$OUT" -type f | sort
