#!/usr/bin/env bash
# Validates every JUnit file the golden cases expect (tests/golden/*/expected.files/*.xml)
# against tests/junit.xsd, and checks that each testsuite's counts match its testcases.
set -euo pipefail
xmllint=${1:?usage: check_junit.sh XMLLINT TESTS_DIR}
tests=${2:?usage: check_junit.sh XMLLINT TESTS_DIR}
status=0
found=0
for f in "$tests"/golden/*/expected.files/*.xml; do
  [ -e "$f" ] || continue
  found=$((found + 1))
  if ! out=$("$xmllint" --noout --schema "$tests/junit.xsd" "$f" 2>&1); then
    echo "$out"
    status=1
    continue
  fi
  # tests = testcases, failures = <failure>, errors = <error>, skipped = <skipped>.
  for pair in "tests:count(//testcase)" "failures:count(//testcase/failure)" \
              "errors:count(//testcase/error)" \
              "skipped:count(//testcase/skipped)"; do
    attr=${pair%%:*}
    counted=$("$xmllint" --xpath "${pair#*:}" "$f")
    declared=$("$xmllint" --xpath "string(/testsuites/testsuite/@$attr)" "$f")
    if [ "$counted" != "$declared" ]; then
      echo "$f: testsuite says $attr=$declared, its testcases give $counted"
      status=1
    fi
  done
done
if [ "$found" -eq 0 ]; then
  echo "check_junit: no JUnit file found under $tests/golden"
  exit 1
fi
[ $status -eq 0 ] && echo "check_junit: $found JUnit files valid against junit.xsd"
exit $status
