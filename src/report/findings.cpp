// The rules behind the findings (see findings.hpp). Each rationale paraphrases the documentation
// page it names; the facts behind the pages are in docs/model.md §3.7, §4.3 and §5.3-§5.5.
#include "report/findings.hpp"

#include <algorithm>
#include <tuple>

#include "base/format.hpp"

namespace fragreplay::report {

using replay::Pitfall;
using replay::PitfallCounter;
using trace::Routine;

namespace {

std::string plural(std::uint64_t n, const char* one, const char* many) {
  return thousands(n) + " " + (n == 1 ? one : many);
}

// "this request" or "these 12 requests".
std::string these(std::uint64_t n, const char* one, const char* many) {
  return n == 1 ? std::string("this ") + one : "these " + plural(n, one, many);
}

struct RuleContext {
  const replay::Results& r;
  std::vector<Finding>& out;

  void add(const char* rule, Severity severity, Tag tag, Routine routine, const PitfallCounter& c,
           std::string rationale) const {
    out.push_back(Finding{rule, severity, tag.to_string(),
                          std::string(trace::routine_name(routine)), c.count, c.bytes.value,
                          c.first_line, std::move(rationale)});
  }
};

void small_page_granular(const RuleContext& x, const replay::PitfallRow& row) {
  const PitfallCounter& c = row[Pitfall::kSubPageGranular];
  if (c.count < 2) return;
  const std::string routine(trace::routine_name(row.routine));
  x.add(kRules[0].id, Severity::kWarning, row.tag, row.routine, c,
        routine + " hands out whole pages whatever the size asked (" + kRules[0].doc + "), so " +
            these(c.count, "request", "requests") + " below " + human_bytes(x.r.profile.page_size) +
            " left " + human_bytes(c.bytes.value) + " unused in their last pages, up to " +
            human_bytes(c.peak_live.value) +
            " at once: allocate one page-multiple buffer at initialisation and carve it up.");
}

void contiguous_after_init(const RuleContext& x, const replay::PitfallRow& row) {
  const PitfallCounter& c = row[Pitfall::kContiguousAfterInit];
  if (c.count == 0) return;
  std::string refused;
  if (c.failures != 0) {
    refused = c.count == 1 ? std::string(", and the model refused it")
                           : ", and the model refused " + thousands(c.failures) + " of them";
  }
  x.add(kRules[1].id, c.failures != 0 ? Severity::kError : Severity::kWarning, row.tag, row.routine,
        c,
        "Physical memory fragments as the system runs, so the documentation asks drivers to set up "
        "contiguous and long-term I/O buffers in DriverEntry and reuse them (" +
            std::string(kRules[1].doc) + "); " + plural(c.count, "request", "requests") + " for " +
            human_bytes(c.bytes.value) + " came after initialisation" + refused + ".");
}

void contiguous_churn(const RuleContext& x, const replay::PitfallRow& row) {
  const PitfallCounter& c = row[Pitfall::kContiguousChurn];
  if (c.count < 2) return;
  const bool common = row.routine == Routine::kAllocateCommonBuffer;
  x.add(kRules[2].id, Severity::kWarning, row.tag, row.routine, c,
        common
            ? "A common buffer is meant to be allocated once and used for the driver's whole "
              "lifetime (Using Common-Buffer Bus-Master DMA), yet " +
                  plural(c.count, "was", "were") + " freed while the driver ran (" +
                  human_bytes(c.bytes.value) + "): keep them and reuse them."
            : "Each " + std::string(trace::routine_name(row.routine)) +
                  " call searches physical memory for a free run and the documentation advises "
                  "against calling it repeatedly (MmAllocateContiguousMemory), yet " +
                  plural(c.count, "buffer was", "buffers were") + " freed while the driver ran (" +
                  human_bytes(c.bytes.value) + "): allocate them once and reuse them.");
}

void big_pool_tail(const RuleContext& x, const replay::PitfallRow& row) {
  const PitfallCounter& c = row[Pitfall::kBigPoolTail];
  if (c.count == 0 || c.bytes.value == 0) return;
  x.add(kRules[3].id, Severity::kWarning, row.tag, row.routine, c,
        "On " + x.r.profile.name + " a pool request above " + thousands(x.r.profile.small_max) +
            " bytes takes whole pages and the rest of the last page is lost (" + kRules[3].doc +
            "); allocating whole pages plus a small block for the remainder would have saved " +
            human_bytes(c.bytes.value) + " over " + these(c.count, "request", "requests") +
            ", up to " + human_bytes(c.peak_live.value) + " at once.");
}

void deprecated_routine(const RuleContext& x, const replay::PitfallRow& row) {
  const PitfallCounter& c = row[Pitfall::kDeprecatedRoutine];
  if (c.count == 0) return;
  const bool quota = row.routine == Routine::kExAllocatePoolWithQuotaTag ||
                     row.routine == Routine::kExAllocatePoolWithQuota;
  const bool priority = row.routine == Routine::kExAllocatePoolWithTagPriority;
  x.add(kRules[4].id, Severity::kInfo, row.tag, row.routine, c,
        std::string(trace::routine_name(row.routine)) +
            " is deprecated from Windows 10 version 2004 (" + kRules[4].doc + "): " +
            (quota      ? "use ExAllocatePool2 with POOL_FLAG_USE_QUOTA, or ExAllocatePoolQuotaZero"
             : priority ? "use ExAllocatePool3, or ExAllocatePoolPriorityZero"
                        : "use ExAllocatePool2, or ExAllocatePoolZero") +
            " in a driver that also runs on older Windows (" + plural(c.count, "call", "calls") +
            ").");
}

void executable_nonpaged(const RuleContext& x, const replay::PitfallRow& row) {
  const PitfallCounter& c = row[Pitfall::kExecutableNonPaged];
  if (c.count == 0) return;
  x.add(kRules[5].id, Severity::kWarning, row.tag, row.routine, c,
        plural(c.count, "request", "requests") + " for " + human_bytes(c.bytes.value) +
            " asked for executable nonpaged pool; a driver that keeps only data there should "
            "use NonPagedPoolNx (POOL_FLAG_NON_PAGED) from Windows 8 on, or opt in with "
            "POOL_NX_OPTIN (" +
            kRules[5].doc + ").");
}

void map_registers(const replay::Results& r, std::vector<Finding>& out) {
  const auto& facts = r.facts.adapters;
  for (std::size_t i = 0; i < r.adapters.size(); ++i) {
    const replay::AdapterResult& a = r.adapters[i];
    const std::uint64_t peak = i < facts.size() ? facts[i].peak : 0;
    if (a.map_registers == 0 || (2 * peak <= a.map_registers && a.failures == 0)) continue;
    std::string refused;
    if (a.failures != 0) {
      refused = ", and " + plural(a.failures, "common buffer was", "common buffers were") +
                " refused for lack of them";
    }
    Finding f;
    f.rule = kRules[6].id;
    f.severity = a.failures != 0 ? Severity::kError : Severity::kWarning;
    f.tag = i < facts.size() ? facts[i].peak_tag.to_string() : "";
    f.routine = std::string(trace::routine_name(Routine::kAllocateCommonBuffer));
    f.count = peak;
    f.bytes = peak * r.profile.page_size;
    f.first_line = i < facts.size() ? facts[i].peak_line : 0;
    f.rationale =
        "Each common buffer holds one map register per page for as long as it lives and can tie "
        "up all of an adapter's registers (" +
        std::string(kRules[6].doc) + "); adapter '" + a.name + "' had " + thousands(peak) +
        " of its " + thousands(a.map_registers) + " in common buffers at once" + refused +
        ": use fewer, page-sized or single common buffers.";
    out.push_back(std::move(f));
  }
}

}  // namespace

std::vector<Finding> findings(const replay::Results& r) {
  std::vector<Finding> out;
  const RuleContext x{r, out};
  for (const replay::PitfallRow& row : r.facts.rows) {
    small_page_granular(x, row);
    contiguous_after_init(x, row);
    contiguous_churn(x, row);
    big_pool_tail(x, row);
    deprecated_routine(x, row);
    executable_nonpaged(x, row);
  }
  map_registers(r, out);
  std::sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    return std::tie(b.severity, b.bytes, a.rule, a.tag, a.routine, a.first_line) <
           std::tie(a.severity, a.bytes, b.rule, b.tag, b.routine, b.first_line);
  });
  return out;
}

}  // namespace fragreplay::report
