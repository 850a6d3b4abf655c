#!/usr/bin/env bash
# Validates the shipped WPR recording profile (scripts/capture/pool.wprp) against the part of
# WPR's documented schema it uses (tests/wprp_profile.xsd), and checks what the schema cannot:
# a profile's Id is Name.DetailLevel.LoggingMode, as WPR names profiles, and the provider asks for
# the Pool keyword and a stack on both kinds of pool allocation.
set -euo pipefail
xmllint=${1:?usage: check_wprp.sh XMLLINT ROOT}
root=${2:?usage: check_wprp.sh XMLLINT ROOT}
profile=$root/scripts/capture/pool.wprp
"$xmllint" --noout --schema "$root/tests/wprp_profile.xsd" "$profile"
value() { "$xmllint" --xpath "string($1)" "$profile"; }
id=$(value '//Profile/@Id')
want="$(value '//Profile/@Name').$(value '//Profile/@DetailLevel').$(value '//Profile/@LoggingMode')"
if [ "$id" != "$want" ]; then
  echo "wprp: profile Id '$id' should be Name.DetailLevel.LoggingMode: '$want'"
  exit 1
fi
for needed in "//Keyword[@Value='Pool']" "//Keyword[@Value='Loader']" \
  "//Stack[@Value='PoolAllocation']" "//Stack[@Value='PoolAllocationSession']"; do
  if [ "$(value "count($needed)")" != 1 ]; then
    echo "wprp: $profile lacks $needed"
    exit 1
  fi
done
echo "wprp: $profile follows the schema; profile $id"
