# Sourced by the benchmark scripts (run.sh, perf/run_perf.sh). The machine may be shared:
# start_monitor LOG appends, every ~10 s, "<epoch> others=<cpu%> <busy commands>" for the CPU used by
# processes outside the calling script's process group, so a summary can say how contended each
# stage was. It stops when the calling script exits.
start_monitor() {
  local log=$1 me
  me=$(ps -o pgid= $$ | tr -d ' ')
  (
    while sleep 9; do
      top -b -n 2 -d 1 -w 200 | awk -v me="$me" -v t="$(date +%s)" '
        /^top -/ { n++ } n == 2 && $1 ~ /^[0-9]+$/ && $9 + 0 > 0 {
          cmd = "ps -o pgid= -p " $1; pg = ""; cmd | getline pg; close(cmd); gsub(/ /, "", pg)
          if (pg != me) { other += $9; if ($9 >= 10) top = top " " $12 "(" $9 "%)" }
        }
        END { printf "%s others=%.0f%%%s\n", t, other, top }'
    done >> "$log"
  ) &
  BENCH_MONITOR=$!
  trap 'kill $BENCH_MONITOR 2>/dev/null || true' EXIT
}
