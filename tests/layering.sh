#!/usr/bin/env bash
# Checks the include table of docs/design.md ("Dependencies between stages") three ways:
#   1. every #include "<folder>/..." under src/<stage>/ names a folder or header the table allows;
#   2. src/CMakeLists.txt gives each stage, in fragreplay_visible(fragreplay_<stage> ...), exactly
#      the entries of its row (the build then refuses any other include by construction);
#   3. every stage folder under src/ has a row.
# Usage: layering.sh ROOT (the repository).
set -euo pipefail
root=${1:?usage: layering.sh ROOT}
design=$root/docs/design.md
cmake=$root/src/CMakeLists.txt
status=0
fail() {
  echo "layering: $*"
  status=1
}

# The table: "| `stage` | entries |" rows after the "| stage | may include |" header.
rows=$(awk '/^\| stage \| may include \|/ { t = 1; next } t && /^\|---/ { next }
            t && /^\| `[a-z_]+` \|/ { print; next } t { exit }' "$design")
[ -n "$rows" ] || { echo "layering: no include table in docs/design.md"; exit 1; }
declare -A allowed
stages=()
while IFS= read -r row; do
  stage=$(sed -E 's/^\| `([a-z_]+)` \|.*/\1/' <<<"$row")
  stages+=("$stage")
done <<<"$rows"
is_stage() {
  local s
  for s in "${stages[@]}"; do [ "$s" = "$1" ] && return 0; done
  return 1
}
while IFS= read -r row; do
  stage=$(sed -E 's/^\| `([a-z_]+)` \|.*/\1/' <<<"$row")
  cell=$(sed -E 's/^\| `[a-z_]+` \| (.*) \|$/\1/' <<<"$row" | tr -d '`,:')
  entries=""
  for word in $cell; do
    if is_stage "$word" || [[ $word =~ ^[a-z_]+/[a-z_/]+\.hpp$ ]]; then
      entries+="$word "
    fi
  done
  allowed[$stage]=$entries
done <<<"$rows"

# 1. The sources.
for stage in "${stages[@]}"; do
  [ -d "$root/src/$stage" ] || { fail "docs/design.md has a row for $stage but src/$stage is missing"; continue; }
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    file=${line%%:*}
    path=$(sed -E 's/.*#include "([^"]+)".*/\1/' <<<"$line")
    folder=${path%%/*}
    ok=0
    for a in ${allowed[$stage]}; do
      if [ "$a" = "$folder" ] || [ "$a" = "$path" ]; then ok=1; fi
    done
    [ $ok -eq 1 ] || fail "${file#"$root"/} includes $path, but $stage may include only: ${allowed[$stage]}"
  done < <(grep -rHE '#include "[a-z_]+/' "$root/src/$stage" || true)
done

# 2. The build: fragreplay_visible(fragreplay_<stage> entries...), possibly over several lines.
for stage in "${stages[@]}"; do
  built=$(awk -v t="fragreplay_visible(fragreplay_$stage " '
      index($0, t) == 1 { on = 1; $0 = substr($0, length(t)) }
      on { line = line " " $0; if ($0 ~ /\)/) { on = 0 } }
      END { gsub(/[()]/, " ", line); print line }' "$cmake" | tr -s ' ' '\n' | grep -v '^$' | sort)
  want=$(tr -s ' ' '\n' <<<"${allowed[$stage]}" | grep -v '^$' | sort)
  if [ -z "$built" ]; then
    fail "src/CMakeLists.txt has no fragreplay_visible(fragreplay_$stage ...)"
  elif [ "$built" != "$want" ]; then
    fail "src/CMakeLists.txt lets $stage see: $(echo $built); docs/design.md says: $(echo $want)"
  fi
done

# 3. Every stage folder is in the table.
for dir in "$root"/src/*/; do
  d=$(basename "$dir")
  is_stage "$d" || fail "src/$d has no row in the include table of docs/design.md"
done

[ $status -eq 0 ] && echo "layering: ${#stages[@]} stages; sources, build and docs/design.md agree"
exit $status
