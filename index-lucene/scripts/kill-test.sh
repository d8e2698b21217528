#!/usr/bin/env bash
# Reliability test of LuceneVectorIndex (issue 9): SIGKILL during indexing, then reopen.
#
#   index-lucene/scripts/kill-test.sh [TRIALS] [WORK_DIR]      (defaults: 20, index-lucene/target/kill-test)
#
# Each trial starts `KillTest write` on the same index directory (it reopens what the previous
# trials left and keeps adding batches, committing after every second one), lets it commit 1-3
# times, kills it with SIGKILL 0-2 s later (mid-batch, mid-commit or mid-merge), then runs
# `KillTest verify`:
# Lucene's CheckIndex must find the files clean, and the index must open at the last commit the
# killed process announced (or the one it was in the middle of), with every committed entry
# bit-exact, nothing uncommitted, and searchable. Exit status 0 only if every trial passes.
set -euo pipefail
TRIALS=${1:-20}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${2:-$ROOT/index-lucene/target/kill-test}
cd "$ROOT"

./mvnw -B -ntp -o -q -pl index-lucene -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
rm -rf "$WORK"
mkdir -p "$WORK/classes"
# a snapshot of the compiled classes: a rebuild while the trials run cannot mix versions
cp -r index-lucene/target/classes "$WORK/classes/main"
cp -r index-lucene/target/test-classes "$WORK/classes/test"
cp -r core/target/classes "$WORK/classes/core"
DEPS=$(tr ':' '\n' <index-lucene/target/test-classpath.txt | grep -v '^/.*/core/target/classes$' | paste -sd: -)
CP="$WORK/classes/main:$WORK/classes/test:$WORK/classes/core:$DEPS"
JAVA=(java --add-modules jdk.incubator.vector -Xmx1g -cp "$CP")
INDEX="$WORK/index"
RESULTS="$WORK/results.jsonl"
passed=0
for ((t = 1; t <= TRIALS; t++)); do
  LOG="$WORK/trial-$t.log"
  "${JAVA[@]}" dev.bindspace.lucene.reliability.KillTest write "$INDEX" >"$LOG" 2>"$WORK/trial-$t.err" &
  pid=$!
  for _ in $(seq 1 600); do
    grep -q '^READY' "$LOG" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  if ! grep -q '^READY' "$LOG"; then
    echo "trial $t: writer never became ready"; cat "$WORK/trial-$t.err"; exit 1
  fi
  # let it commit 1-3 times first (opening a grown index and merging can take a while), then
  # kill it at a random moment 0-2 s later: mid-batch, mid-commit or mid-merge
  want=$((1 + RANDOM % 3))
  for _ in $(seq 1 1200); do
    [[ $(grep -c '^COMMITTED' "$LOG" || true) -ge $want ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  delay=$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 2.0 * r / 32767 }')
  sleep "$delay"
  kill -9 "$pid"
  wait "$pid" 2>/dev/null || true
  committed=$(awk '/^COMMITTED/ {v = $2} END {print v}' "$LOG")
  committing=$(awk '/^COMMITTING/ {v = $2} END {print v}' "$LOG")
  start=$(awk '/^READY/ {print $2}' "$LOG")
  # batches after the crash: last announced commit + 1, or the one in progress + 1
  lo=$(( ${committed:--1} + 1 ))
  [[ -z "$committed" ]] && lo=$start
  hi=$(( ${committing:--1} + 1 ))
  [[ -z "$committing" ]] && hi=$start
  line=$("${JAVA[@]}" dev.bindspace.lucene.reliability.KillTest verify "$INDEX" "$lo" "$hi" 2>>"$WORK/trial-$t.err") \
    && ok=1 || ok=0
  echo "{\"trial\": $t, \"commits_before_kill\": $want, \"killed_after_s\": $delay, \"start_batches\": $start, ${line#\{}" >>"$RESULTS"
  echo "trial $t: killed ${delay}s after commit $want (started at $start batches, last COMMITTED ${committed:-none}, COMMITTING ${committing:-none}) -> $line"
  passed=$((passed + ok))
done
echo "$passed/$TRIALS trials reopened cleanly at the last commit (results: $RESULTS)"
[[ $passed -eq $TRIALS ]]
