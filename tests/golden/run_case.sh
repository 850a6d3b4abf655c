#!/usr/bin/env bash
# Runs one golden case: tests/golden/<case>/cmd holds the arguments of one fragreplay run (shell
# words; $OUT names a scratch directory for files the run writes), optionally preceded by
# environment assignments (GITHUB_STEP_SUMMARY=$OUT/summary.md check ...). The run happens inside
# the case directory, with no GitHub Actions variables from the caller's environment. What it printed and its exit status are compared with expected.stdout,
# expected.stderr (if present) and expected.status (default 0); files it wrote to $OUT with
# expected.files/<name>. A difference fails the test and is shown as a unified diff.
#
# The scratch directory's path is written as $OUT in every output compared.
#
# REGEN=1 rewrites the expected files instead (do this on purpose only, and read the diff).
set -uo pipefail
bin=${1:?usage: run_case.sh FRAGREPLAY CASE_DIR}
case_dir=${2:?usage: run_case.sh FRAGREPLAY CASE_DIR}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
OUT=$(mktemp -d)
export OUT
trap 'rm -rf "$OUT"' EXIT
cd "$case_dir" || exit 2
args=$(cat cmd)
# Leading NAME=value words set the run's environment; the rest are fragreplay's arguments.
assignments=
while [[ $args =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*=[^[:space:]]*)[[:space:]]+(.*)$ ]]; do
  assignments+="${BASH_REMATCH[1]} "
  args=${BASH_REMATCH[2]}
done
unset GITHUB_STEP_SUMMARY GITHUB_ACTIONS GITHUB_OUTPUT GITHUB_ENV
eval "$assignments\"$bin\" $args" >"$OUT/.stdout" 2>"$OUT/.stderr"
status=$?
# The scratch directory's name changes every run: outputs show it as $OUT.
out_re=$(printf '%s' "$OUT" | sed 's/[].[\*^$/]/\\&/g')
for f in "$OUT"/.stdout "$OUT"/.stderr "$OUT"/*; do
  [ -f "$f" ] && sed -i "s/$out_re/\$OUT/g" "$f"
done

if [ "${REGEN:-0}" = 1 ]; then
  cp "$OUT/.stdout" expected.stdout
  if [ -s "$OUT/.stderr" ]; then cp "$OUT/.stderr" expected.stderr; else rm -f expected.stderr; fi
  if [ "$status" != 0 ]; then echo "$status" > expected.status; else rm -f expected.status; fi
  rm -rf expected.files
  for f in "$OUT"/*; do
    [ -e "$f" ] || continue
    mkdir -p expected.files && cp "$f" expected.files/
  done
  echo "regenerated $(basename "$case_dir")"
  exit 0
fi

fail=0
expected_status=0
[ -f expected.status ] && expected_status=$(cat expected.status)
if [ "$status" != "$expected_status" ]; then
  echo "exit status $status, expected $expected_status"
  fail=1
fi
diff -u expected.stdout "$OUT/.stdout" || fail=1
if [ -f expected.stderr ]; then
  diff -u expected.stderr "$OUT/.stderr" || fail=1
elif [ -s "$OUT/.stderr" ]; then
  echo "unexpected stderr:"; cat "$OUT/.stderr"; fail=1
fi
if [ -d expected.files ]; then
  for f in expected.files/*; do
    diff -u "$f" "$OUT/$(basename "$f")" || fail=1
  done
fi
exit $fail
