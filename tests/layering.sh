#!/usr/bin/env bash
# Checks that each pipeline stage includes only the stages it may depend on (README, "Design").
set -euo pipefail
src=${1:?usage: layering.sh SRC_DIR}
declare -A allowed=(
  [base]="base"
  [trace]="base trace"
  [model]="base model"
  [replay]="base trace model replay"
  [report]="base trace model replay report"
  [generate]="base trace generate"
  [cli]="base trace model replay report generate cli"
)
status=0
for stage in "${!allowed[@]}"; do
  [ -d "$src/$stage" ] || continue
  while IFS= read -r line; do
    file=${line%%:*}
    inc=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$line")
    ok=0
    for a in ${allowed[$stage]}; do [ "$inc" = "$a" ] && ok=1; done
    if [ $ok -eq 0 ]; then
      echo "layering: $file includes $inc/, but $stage may only include: ${allowed[$stage]}"
      status=1
    fi
  done < <(grep -H -E '#include "[a-z_]+/' -r "$src/$stage" || true)
done
[ $status -eq 0 ] && echo "layering: every include follows the pipeline"
exit $status
