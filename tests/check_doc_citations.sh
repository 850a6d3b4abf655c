#!/usr/bin/env bash
# Every citation of the project's own docs resolves: each docs/NAME.md that a source file, test,
# script or README names exists, and each section it cites ("docs/model.md §5.3, §8.2") is a
# numbered heading of that page. The rules live in docs/, so a citation that points nowhere is a
# rule nobody can check.
set -uo pipefail
root=${1:?usage: check_doc_citations.sh PROJECT_ROOT}
cd "$root" || exit 2
fail=0
citations=$(grep -rhoE 'docs/[a-z_-]+\.md( ?§[0-9]+(\.[0-9]+)*(, ?§[0-9]+(\.[0-9]+)*)*)?' \
  src tests scripts README.md traces --include='*.cpp' --include='*.hpp' --include='*.md' \
  --include='*.sh' --include='*.txt' --include='*.json' --include='*.py' 2>/dev/null |
  grep -v '^docs/NAME' | sort -u)
checked=0
while IFS= read -r cite; do
  [ -n "$cite" ] || continue
  page=${cite%%.md*}.md
  if [ ! -f "$page" ]; then
    echo "cited page missing: $cite"
    fail=1
    continue
  fi
  for section in $(printf '%s\n' "$cite" | grep -oE '§[0-9]+(\.[0-9]+)*' | tr -d '§'); do
    checked=$((checked + 1))
    if ! grep -qE "^#+ (§)?${section//./\\.}[. ]" "$page"; then
      echo "cited section missing: $page §$section"
      fail=1
    fi
  done
done <<<"$citations"
[ "$fail" = 0 ] && echo "doc citations: $(wc -l <<<"$citations") citations, $checked sections, all resolve"
exit "$fail"
