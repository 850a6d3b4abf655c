// The Finding value's tables and counts (finding.hpp).
#include "base/finding.hpp"

#include <string>

#include "base/format.hpp"

namespace fragreplay {

const std::array<RuleInfo, 7> kRules{{
    {"small-page-granular-request",
     "two or more requests smaller than a page to MmAllocateNonCachedMemory, "
     "MmAllocateContiguousMemory* or AllocateCommonBuffer, which return whole pages",
     "sub-page rounding waste of those requests", "Allocating System-Space Memory"},
    {"contiguous-after-init",
     "contiguous memory or common buffers allocated outside DriverEntry (once a DriverEntry phase "
     "was seen); an error when the model refused some of them",
     "the requests' sizes rounded up to pages",
     "MmAllocateContiguousMemory; Allocating System-Space Memory"},
    {"contiguous-churn",
     "two or more frees of contiguous memory or common buffers outside DriverUnload (allocated "
     "and freed repeatedly)",
     "footprint freed", "MmAllocateContiguousMemory; Using Common-Buffer Bus-Master DMA"},
    {"big-pool-tail",
     "pool requests above a page on a profile that wastes the big-pool tail (nt5-x86), where "
     "whole pages plus a small block would cost less",
     "what the split would have saved", "Allocating System-Space Memory, the 5 KB example"},
    {"deprecated-pool-routine",
     "calls to ExAllocatePool, ExAllocatePoolWithTag, ExAllocatePoolWithQuota, "
     "ExAllocatePoolWithQuotaTag or ExAllocatePoolWithTagPriority",
     "bytes requested through them",
     "Updating deprecated ExAllocatePool calls to ExAllocatePool2 and ExAllocatePool3"},
    {"executable-nonpaged-pool",
     "requests for executable nonpaged pool (NonPagedPool and its variants without the NX bit, "
     "POOL_FLAG_NON_PAGED_EXECUTE)",
     "bytes requested", "NX and Execute Pool Types"},
    {"map-registers-tied-up",
     "an adapter whose common buffers held more than half its map registers at once, or had a "
     "common buffer refused for lack of them (an error then)",
     "map registers at the peak times the page size", "Using Common-Buffer Bus-Master DMA"},
}};

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "?";
}

std::optional<Severity> parse_severity(std::string_view name) {
  for (const Severity s : {Severity::kInfo, Severity::kWarning, Severity::kError}) {
    if (name == severity_name(s)) return s;
  }
  return std::nullopt;
}

namespace {

std::string plural(std::uint64_t n, const char* one, const char* many) {
  return thousands(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::string severity_counts(const std::vector<Finding>& findings) {
  const auto n = count_by_severity(findings);
  std::string out;
  auto part = [&](std::size_t k, const char* one, const char* many) {
    if (n[k] == 0) return;
    if (!out.empty()) out += ", ";
    out += plural(n[k], one, many);
  };
  part(2, "error", "errors");
  part(1, "warning", "warnings");
  part(0, "info", "info");
  return out.empty() ? "none" : out;
}

std::array<std::size_t, 3> count_by_severity(const std::vector<Finding>& findings) {
  std::array<std::size_t, 3> n{};
  for (const Finding& f : findings) ++n[static_cast<unsigned>(f.severity)];
  return n;
}

}  // namespace fragreplay
