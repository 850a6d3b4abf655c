#!/usr/bin/env bash
# Fails if the replay's prefetch hints (src/base/prefetch.hpp) would not reach the optimised
# build. GCC 12 deletes a call to a function whose only effect is a __builtin_prefetch, so the
# live table's hint once compiled to nothing at -O3 (docs/performance.md §3). This compiles, at
# -O3 with the project's compiler, a function that is kept out of line and only prefetches, the
# shape that was lost, and counts the prefetch instructions left.
set -euo pipefail
cxx=${1:?usage: check_prefetch.sh CXX ROOT}
root=${2:?usage: check_prefetch.sh CXX ROOT}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/probe.cpp" <<'CPP'
#include "base/flat_map.hpp"
#include "base/prefetch.hpp"
struct Value { unsigned long a[4]; };
namespace {
__attribute__((noinline)) void hint(const void* p) { fragreplay::prefetch_object(p, 40); }
}  // namespace
void probe_line(const int* p) { hint(p); }
void probe_map(const fragreplay::SlotMap<Value>& m, unsigned long key) {
  m.prefetch_for_erase(key);
}
CPP
"$cxx" -std=gnu++20 -O3 -DNDEBUG -I"$root/src" -S -o "$tmp/probe.s" "$tmp/probe.cpp"
# Deleting the call to hint() also deletes hint() (it is internal), so a lost hint shows as
# missing prefetch instructions in the file: two for probe_line's object, four for the map's
# two slots (each straddles two lines).
n=$(grep -cE '^\s*prefetch' "$tmp/probe.s" || true)
if [ "$n" -lt 6 ]; then
  echo "prefetch: $n prefetch instructions at -O3, expected 6; the hints were deleted"
  exit 1
fi
echo "prefetch: all $n prefetch instructions kept at -O3"
