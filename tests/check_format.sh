#!/usr/bin/env bash
# Fails if any C++ source differs from what clang-format (with .clang-format) would write.
set -euo pipefail
clang_format=${1:?usage: check_format.sh CLANG_FORMAT ROOT}
root=${2:?usage: check_format.sh CLANG_FORMAT ROOT}
cd "$root"
report=$(mktemp)
trap 'rm -f "$report"' EXIT
mapfile -t files < <(find src tests -name '*.cpp' -o -name '*.hpp' | sort)
if "$clang_format" --dry-run --Werror "${files[@]}" 2>"$report"; then
  echo "format: ${#files[@]} files follow .clang-format"
else
  head -40 "$report"
  echo "format: run clang-format -i on the files above"
  exit 1
fi
