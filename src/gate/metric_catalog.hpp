// The metrics `diff` and `check` know by name: every scalar a report holds (totals, waste parts,
// peak, end state, contiguous failures by cause, DMA, data quality) and the fields of its keyed
// rows (per tag, per routine, per DMA adapter, per finding), each with its unit. Names are the
// JSON paths of report schema_version 1; a reader for a later schema maps its fields onto these
// names, so limits files and baselines keep working. Limits files may name only these metrics,
// so a typo is caught before a long replay; fields a report has beyond them are still diffed.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fragreplay::gate {

enum class Unit : unsigned char {
  kBytes,        // shown in binary units ("1.50 KiB")
  kCount,        // shown with thousands separators
  kNanoseconds,  // shown as a trace time ("3.20 ms")
  kNumber        // anything else: shown with four significant digits
};
std::string_view unit_name(Unit unit);  // "bytes", "count", "ns", "number"

// The kinds of keyed rows a report holds; a row's key is its tag, routine, process (as the trace
// names it, "" when not recorded), driver module (from a pool-tag list, "" for the tags it does
// not name), adapter name or, for a finding, "rule tag routine".
enum class RowGroup : unsigned char {
  kTag,
  kRoutine,
  kProcess,
  kModule,
  kAdapter,
  kFinding,
  kCallSite,
  kPoolKind
};
inline constexpr std::size_t kRowGroupCount = 8;
std::string_view row_group_name(RowGroup group);    // "tag", "routine", "process", "adapter", ...
std::string_view row_group_plural(RowGroup group);  // "tags", "routines", ...

struct MetricInfo {
  std::string_view name;
  Unit unit;
};

// Scalar metrics, in the order reports show them.
std::span<const MetricInfo> known_metrics();
// The fields of one row of `group`, in the order reports show them.
std::span<const MetricInfo> known_row_fields(RowGroup group);
// nullptr when unknown.
const MetricInfo* find_known_metric(std::string_view name);
const MetricInfo* find_known_row_field(RowGroup group, std::string_view name);

// The unit of a field the catalog does not know, from its name: "..._bytes" (or a part of a
// "waste" object) is bytes, "..._ns" is a time, other integers are counts.
Unit guess_unit(std::string_view path, bool integral);

// Causes of a failed contiguous allocation, as report schema 1 names them.
std::span<const std::string_view> contiguous_causes();

// The known name closest to `name` (for "did you mean"), or "" when none is close.
std::string closest_name(std::string_view name, const std::vector<std::string_view>& known);

}  // namespace fragreplay::gate
