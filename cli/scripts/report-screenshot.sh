#!/bin/sh
# Regenerates docs/report-screenshot.png: indexes a media folder with bin/bindspace (default model,
# bindspace-mini), writes an HTML report for a queries file and screenshots it with headless Chromium.
#
#   cli/scripts/report-screenshot.sh MEDIA_DIR [QUERIES_FILE]
#   cli/scripts/report-screenshot.sh
#
# The committed screenshot is `cli/scripts/report-screenshot.sh ../cli-demo/media`: the demo folder of
# docs/cli.md ("Measured"; images/, audio/, video/ and broken/) with cli/scripts/report-queries.txt, a text,
# an image, a sound, a video and an arithmetic query. Queries run from inside MEDIA_DIR, so their file
# operands may be relative to it. Without arguments it uses nine short text notes made here and three
# text queries (no media needed). Needs the jar (./mvnw -B -q -pl cli -am package -DskipTests) and
# /usr/bin/chromium (apt-get install -y chromium).
set -eu
root=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ $# -ge 1 ]; then
  media=$(CDPATH= cd -- "$1" && pwd)
  queries=${2:-$root/cli/scripts/report-queries.txt}
  queries=$(CDPATH= cd -- "$(dirname -- "$queries")" && pwd)/$(basename -- "$queries")
  size=1200,1600
else
  media=$work/notes
  mkdir -p "$media/animals" "$media/kitchen" "$media/city"
  printf '%s\n' "A golden retriever chases a ball across the beach at sunset." > "$media/animals/retriever.txt"
  printf '%s\n' "Two kittens sleep curled up on a warm windowsill." > "$media/animals/kittens.txt"
  printf '%s\n' "A flock of geese flies south over the autumn lake." > "$media/animals/geese.txt"
  printf '%s\n' "Whisk the eggs and sugar, fold in the flour, bake the sponge cake for 25 minutes." > "$media/kitchen/sponge-cake.txt"
  printf '%s\n' "Slow-cooked tomato soup with basil and a slice of sourdough bread." > "$media/kitchen/soup.txt"
  printf '%s\n' "Chocolate chip cookies: brown butter, dark chocolate, a pinch of sea salt." > "$media/kitchen/cookies.txt"
  printf '%s\n' "Rush hour: buses and taxis crawl through the rain-soaked downtown streets." > "$media/city/traffic.txt"
  printf '%s\n' "The jazz quartet played until midnight in the small basement club." > "$media/city/jazz.txt"
  printf '%s\n' "Construction cranes tower over the new glass office buildings by the river." > "$media/city/cranes.txt"
  queries=$work/queries.txt
  cat > "$queries" <<'Q'
# one query per line, same syntax as: bindspace search --expr
text:'a dog playing outside'
text:'baking a dessert' - 0.5*text:'chocolate'
text:'live music at night' + 0.5*text:'city'
Q
  size=1200,900
fi

"$root/bin/bindspace" index add --index "$work/media.bsix" --progress none "$media"
(cd "$media" && "$root/bin/bindspace" report --index "$work/media.bsix" --queries "$queries" --k 4 \
  --title "bindspace report" --out "$work/report.html")
/usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
  --user-data-dir="$work/profile" --screenshot="$root/docs/report-screenshot.png" --window-size="$size" \
  "file://$work/report.html" 2>/dev/null
echo "wrote $root/docs/report-screenshot.png"
