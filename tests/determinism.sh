#!/usr/bin/env bash
# Determinism across processes (docs/design.md: "the same input and options give byte-identical
# JSON"): every output of `analyze` and `info` is written twice, by two processes that differ in
# everything an output must not depend on, and the two are compared byte for byte.
#
# The second run has address-space randomisation switched off (setarch -R) while the first has
# it on, a 64 KiB environment variable that moves the stack, MALLOC_PERTURB_ that fills heap
# blocks with a pattern (so uninitialised bytes differ), another time zone and locale, and starts
# at least a second later. So a printed pointer, an order taken from addresses (a set or hash map
# of pointers), uninitialised memory, the clock or the environment showing in any output makes
# the two differ and fails the test. (An order taken from a string-keyed unordered_map is the
# same in every process of one build; the stored expected files of the golden cases, such as
# golden/html-report, catch that.)
set -uo pipefail
bin=${1:?usage: determinism.sh FRAGREPLAY SOURCE_DIR}
src=${2:?usage: determinism.sh FRAGREPLAY SOURCE_DIR}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
src=$(cd "$src" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Runs fragreplay with the outputs written under $tmp/<run>/<name>/. The second argument is the
# run: "a" as the caller's environment has it, "b" perturbed.
run() {
  local run=$1 name=$2
  shift 2
  local dir=$tmp/$run/$name
  mkdir -p "$dir"
  local -a args=()
  for a in "$@"; do args+=("${a//@OUT@/$dir}"); done
  if [ "$run" = a ]; then
    (cd "$dir" && "$bin" "${args[@]}" >"$dir/stdout" 2>"$dir/stderr")
  else
    local pad
    pad=$(head -c 65536 /dev/zero | tr '\0' x)
    local -a noaslr=()
    setarch "$(uname -m)" -R true 2>/dev/null && noaslr=(setarch "$(uname -m)" -R)
    (cd "$dir" && env FRAGREPLAY_DETERMINISM_PAD="$pad" MALLOC_PERTURB_=165 TZ=Pacific/Kiritimati \
      LC_ALL=C.UTF-8 "${noaslr[@]}" "$bin" "${args[@]}" >"$dir/stdout" 2>"$dir/stderr")
  fi
  echo $? >"$dir/status"
  # The directory's own name differs between the runs; outputs show it as @OUT@.
  local f
  for f in "$dir"/* "$dir"/csv/*; do
    [ -f "$f" ] && sed -i "s#$dir#@OUT@#g" "$f"
  done
}

cases() {
  local r=$1 t=$src/traces e=$src/tests/data
  local all=(--json @OUT@/report.json --html @OUT@/report.html --markdown @OUT@/report.md
             --csv @OUT@/csv --timeline-csv @OUT@/timeline.csv --events-out @OUT@/events.csv)
  run "$r" sample-nic analyze "$t/sample-nic.csv" "${all[@]}"
  run "$r" what-if analyze "$t/sample-nic.csv" --profile win7-x64,win10-19h1-x64 --json @OUT@/r.json
  run "$r" anti-patterns analyze "$t/gen-anti-patterns.csv" --profile nt5-x86 --background 30:7 \
    "${all[@]}"
  run "$r" kmem analyze "$e/linux/kmem_SLUB.log" "${all[@]}"
  run "$r" etl analyze "$e/etl/pool-x64.etl" "${all[@]}"
  run "$r" info-etl info "$e/etl/pool-x64.etl" --json
  run "$r" info-etl-text info "$e/etl/lxcore_kernel.etl"
}

cases a
sleep 1
cases b

fail=0
for d in "$tmp"/a/*/; do
  name=$(basename "$d")
  if [ "$(cat "$d/status")" != 0 ]; then
    echo "FAIL: $name: exit status $(cat "$d/status")"; cat "$d/stderr"; fail=1
  fi
  diff -r "$d" "$tmp/b/$name" >"$tmp/diff" || { echo "FAIL: $name differs between processes:";
    head -40 "$tmp/diff"; fail=1; }
done
n=$(find "$tmp/a" -type f ! -name status | wc -l)
[ "$n" -ge 40 ] || { echo "FAIL: only $n outputs written"; fail=1; }
[ $fail = 0 ] && echo "all $n outputs identical across processes"
exit $fail
