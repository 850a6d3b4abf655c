#!/usr/bin/env bash
# Output safety end to end (README, "Safety"): the real binary writes through a character device
# and a FIFO without replacing them, follows a symlinked baseline, feeds a process substitution,
# fails with exit 2 and one line when standard output is a full device, ends quietly on a closed
# pipe, and removes its temporary file when SIGTERM arrives. Devices are made with mknod in a
# scratch directory (never the system's own /dev files); without the right to (not root, outside
# CI) the device cases are skipped. Last, batch -j writes reports concurrently into one directory.
set -uo pipefail
bin=${1:?usage: output_safety.sh FRAGREPLAY TRACE}
trace=${2:?usage: output_safety.sh FRAGREPLAY TRACE}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

if mknod "$tmp/full" c 1 7 2>/dev/null && mknod "$tmp/null" c 1 3 2>/dev/null; then
  for args in "analyze $trace" "analyze $trace --markdown -" "info $trace" "info $trace --json" \
              "profiles --show win7-x64"; do
    # shellcheck disable=SC2086
    "$bin" $args >"$tmp/full" 2>"$tmp/err"
    status=$?
    [ "$status" = 2 ] || bad "$args > full device: exit $status, expected 2"
    grep -qx "fragreplay: cannot write to standard output: No space left on device" "$tmp/err" ||
      bad "$args > full device: stderr was: $(cat "$tmp/err")"
  done
  "$bin" analyze "$trace" --quiet --json "$tmp/null" || bad "--json to a null device failed"
  [ -c "$tmp/null" ] || bad "--json replaced the null device"
  "$bin" analyze "$trace" --quiet --json "$tmp/full" 2>"$tmp/err"
  [ $? = 2 ] || bad "--json to a full device did not fail"
  [ -c "$tmp/full" ] || bad "--json replaced the full device"
  "$bin" generate --scenario network-driver --events 2M -o "$tmp/full" 2>"$tmp/err"
  [ $? = 2 ] || bad "generate to a full device did not fail"
  grep -qx "fragreplay: $tmp/full: write failed: No space left on device" "$tmp/err" ||
    bad "generate's error does not name the file: $(cat "$tmp/err")"
elif [ "${CI:-}" = true ]; then
  bad "CI runs as root: mknod must work"
else
  echo "skipped the device cases: mknod needs root"
fi

mkfifo "$tmp/fifo"
cat "$tmp/fifo" >"$tmp/from-fifo" &
reader=$!
"$bin" analyze "$trace" --quiet --json "$tmp/fifo" || bad "--json to a FIFO failed"
wait "$reader"
[ -p "$tmp/fifo" ] || bad "--json replaced the FIFO"
head -c 1 "$tmp/from-fifo" | grep -q '{' || bad "the FIFO's reader got no report"

"$bin" analyze "$trace" --quiet --markdown >(wc -c >"$tmp/count") || bad "--markdown >(...) failed"
sleep 0.5
[ "$(cat "$tmp/count" 2>/dev/null || echo 0)" -gt 0 ] || bad "the process substitution got nothing"

"$bin" analyze "$trace" --quiet --json "$tmp/real-base.json" || bad "analyze --json failed"
echo '{"limits_version": 1, "rules": [{"metric": "totals.allocations", "max": 1000000000}]}' >"$tmp/limits.json"
ln -s real-base.json "$tmp/base.json"
before=$(stat -c %i "$tmp/real-base.json")
"$bin" check "$trace" --limits "$tmp/limits.json" --baseline "$tmp/base.json" --update-baseline \
  --quiet >"$tmp/check.out" 2>&1 || bad "check --update-baseline through a symlink failed"
[ -L "$tmp/base.json" ] || bad "the baseline symlink was replaced"
[ "$(stat -c %i "$tmp/real-base.json")" != "$before" ] || bad "the baseline's target was not rewritten"

"$bin" analyze "$trace" 2>"$tmp/err" | head -1 >/dev/null
[ ! -s "$tmp/err" ] || bad "a closed pipe was not quiet: $(cat "$tmp/err")"

mkdir "$tmp/gen"
"$bin" generate --scenario long-running --events 200M -o "$tmp/gen/big.csv" &
pid=$!
for _ in $(seq 50); do
  [ -n "$(ls -A "$tmp/gen")" ] && break
  sleep 0.1
done
sleep 0.3
kill -TERM "$pid"
wait "$pid"
status=$?
[ "$status" = 143 ] || bad "generate killed by SIGTERM: exit $status, expected 143"
[ -z "$(ls -A "$tmp/gen")" ] || bad "SIGTERM left files behind: $(ls -A "$tmp/gen")"

# Concurrent writers into one directory: batch -j 4 over eight traces (two share a name, so their
# reports are -2 suffixed) leaves eight whole reports and the fleet summary, nothing else.
mkdir -p "$tmp/many/a" "$tmp/many/b" "$tmp/reports"
for i in 1 2 3; do
  "$bin" generate --scenario network-driver --events 20k --seed "$i" -o "$tmp/many/a/t$i.csv"
  "$bin" generate --scenario storage-driver --events 20k --seed "$i" -o "$tmp/many/b/s$i.csv"
done
cp "$tmp/many/a/t1.csv" "$tmp/many/b/t1.csv"
cp "$tmp/many/a/t2.csv" "$tmp/many/b/t2.csv"
"$bin" batch "$tmp"/many/a/*.csv "$tmp"/many/b/*.csv --out "$tmp/reports" -j 4 --quiet ||
  bad "batch -j 4 failed"
count=$(find "$tmp/reports" -name '*.json' | wc -l)
[ "$count" = 9 ] || bad "batch -j 4 wrote $count JSON files, expected 8 reports and fleet.json"
stray=$(find "$tmp/reports" -name '.*' -o -name '*tmp*')
[ -z "$stray" ] || bad "batch -j 4 left temporary files: $stray"
for f in "$tmp"/reports/*.json; do
  tail -c 2 "$f" | grep -q '}' || bad "$f is not a whole report"
done

[ "$fail" = 0 ] && echo "output safety: all cases passed"
exit "$fail"
