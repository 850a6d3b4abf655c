// Facts behind the findings (see finding_facts.hpp).
#include "replay/finding_facts.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "base/kernel_abi.hpp"

namespace fragreplay::replay {

using trace::Routine;
using trace::RoutineFamily;

namespace {

bool is_page_granular(RoutineFamily f) {
  return f == RoutineFamily::kNonCached || f == RoutineFamily::kContiguous ||
         f == RoutineFamily::kCommonBuffer || f == RoutineFamily::kMdlPages;
}
bool is_contiguous(RoutineFamily f) {
  return f == RoutineFamily::kContiguous || f == RoutineFamily::kCommonBuffer;
}
// The five routines MS docs "Updating deprecated ExAllocatePool calls" deprecates from 2004.
bool is_deprecated(Routine r) {
  return r == Routine::kExAllocatePool || r == Routine::kExAllocatePoolWithTag ||
         r == Routine::kExAllocatePoolWithQuota || r == Routine::kExAllocatePoolWithQuotaTag ||
         r == Routine::kExAllocatePoolWithTagPriority;
}
// Executable nonpaged pool: a POOL_TYPE with the nonpaged base and no NX bit, or POOL_FLAGS
// asking for NON_PAGED_EXECUTE (and not also NON_PAGED); docs/model.md §1.5.
bool is_executable_nonpaged(const trace::Event& e) {
  if (trace::routine_family(e.routine) != RoutineFamily::kPool) return false;
  if (e.pool_arg == trace::PoolArg::kPoolType) {
    return (e.pool & PoolTypeBit::kBasePoolTypeMask) == 0 &&
           (e.pool & PoolTypeBit::kPoolNxAllocation) == 0;
  }
  if (e.pool_arg == trace::PoolArg::kPoolFlags) {
    return (e.pool & PoolFlag::kNonPagedExecute) != 0 && (e.pool & PoolFlag::kNonPaged) == 0;
  }
  return false;
}

}  // namespace

FindingFacts::FindingFacts(const model::Profile& profile)
    : page_size_(profile.page_size.bytes()),
      small_max_(profile.small_max),
      pool_header_(profile.pool_header),
      granularity_(profile.granularity),
      tail_wasted_(profile.big_tail == model::BigTailPolicy::kWasted) {}

std::uint64_t FindingFacts::split_saving(std::uint64_t n) const {
  if (!tail_wasted_ || n <= small_max_) return 0;
  const std::uint64_t whole = n / page_size_ * page_size_;
  const std::uint64_t rest = n - whole;
  if (rest == 0 || rest > small_max_) return 0;
  // Now: whole pages for all of n. Split: whole pages for `whole`, and the rest as a small block
  // (POOL_HEADER + rest, rounded to the block unit, §3.2).
  const std::uint64_t now = whole + page_size_;
  const std::uint64_t split = whole + round_up_pow2(rest + pool_header_, granularity_);
  return now > split ? now - split : 0;
}

PitfallRow& FindingFacts::row(Tag tag, Routine routine) {
  const std::uint64_t key = (std::uint64_t{tag.value} << 8) | static_cast<unsigned>(routine);
  if (const std::uint32_t* i = index_.find(key)) return facts_.rows[*i];
  index_.insert(key, static_cast<std::uint32_t>(facts_.rows.size()));
  facts_.rows.push_back(PitfallRow{tag, routine, {}});
  return facts_.rows.back();
}

AdapterFacts& FindingFacts::adapter(std::size_t id) {
  if (id >= facts_.adapters.size()) facts_.adapters.resize(id + 1);
  return facts_.adapters[id];
}

void FindingFacts::add(PitfallCounter& c, std::uint64_t line, Bytes bytes, bool failed) {
  if (c.count == 0) c.first_line = line;
  ++c.count;
  c.failures += failed ? 1 : 0;
  c.bytes += bytes;
}

void FindingFacts::on_phase(Routine phase) {
  in_driver_entry_ = phase == Routine::kDriverEntry;
  in_driver_unload_ = phase == Routine::kDriverUnload;
  facts_.driver_entry_seen = facts_.driver_entry_seen || in_driver_entry_;
}

void FindingFacts::on_alloc(const trace::Event& e, const model::AllocOutcome& o,
                            const model::AdapterUsage* usage, std::size_t adapter_id,
                            bool counting) {
  const RoutineFamily family = trace::routine_family(e.routine);
  // Only a routine the trace named can be called deprecated.
  const bool deprecated = is_deprecated(e.routine) && !e.routine_inferred;
  const bool executable = is_executable_nonpaged(e);
  const bool sub_page = o.ok && is_page_granular(family) && e.bytes < page_size_;
  const bool after_init = is_contiguous(family) && facts_.driver_entry_seen && !in_driver_entry_;
  const std::uint64_t saving = o.ok && family == RoutineFamily::kPool ? split_saving(e.bytes) : 0;
  if (!(deprecated || executable || sub_page || after_init || saving != 0 || usage != nullptr)) {
    return;
  }
  PitfallRow& r = row(e.tag, e.routine);
  const std::uint64_t line = e.source_pos;
  // Live bytes are tracked whether or not the window counts, so frees balance.
  if (sub_page) {
    PitfallCounter& c = r[Pitfall::kSubPageGranular];
    c.live += o.waste.sub_page;
    if (counting) {
      add(c, line, o.waste.sub_page, false);
      c.peak_live = std::max(c.peak_live, c.live);
    }
  }
  if (saving != 0) {
    PitfallCounter& c = r[Pitfall::kBigPoolTail];
    c.live += Bytes{saving};
    if (counting) {
      add(c, line, Bytes{saving}, false);
      c.peak_live = std::max(c.peak_live, c.live);
    }
  }
  if (!counting) return;
  if (after_init) {
    add(r[Pitfall::kContiguousAfterInit], line, Bytes{round_up_pow2(e.bytes, page_size_)}, !o.ok);
  }
  if (deprecated) add(r[Pitfall::kDeprecatedRoutine], line, Bytes{e.bytes}, !o.ok);
  if (executable) add(r[Pitfall::kExecutableNonPaged], line, Bytes{e.bytes}, !o.ok);
  if (usage != nullptr) {
    AdapterFacts& a = adapter(adapter_id);
    a.budget = usage->config.map_registers;
    if (o.ok && usage->in_use > a.peak) {
      a.peak = usage->in_use;
      a.peak_tag = e.tag;
      a.peak_line = line;
    }
  }
}

void FindingFacts::on_free(std::uint64_t line, Tag tag, Routine routine, std::uint64_t requested,
                           Bytes footprint, const model::Waste& waste, bool counting) {
  const RoutineFamily family = trace::routine_family(routine);
  const bool sub_page = is_page_granular(family) && requested < page_size_;
  const std::uint64_t saving = family == RoutineFamily::kPool ? split_saving(requested) : 0;
  const bool churn = counting && is_contiguous(family) && !in_driver_unload_;
  if (!(sub_page || saving != 0 || churn)) return;
  PitfallRow& r = row(tag, routine);
  if (sub_page) r[Pitfall::kSubPageGranular].live -= waste.sub_page;
  if (saving != 0) r[Pitfall::kBigPoolTail].live -= Bytes{saving};
  if (churn) add(r[Pitfall::kContiguousChurn], line, footprint, false);
}

void FindingFacts::begin_window(const std::vector<model::AdapterUsage>& adapters) {
  window_open_ = true;
  for (PitfallRow& r : facts_.rows) {
    for (PitfallCounter& c : r.pitfalls) c.peak_live = c.live;
  }
  for (std::size_t i = 0; i < adapters.size(); ++i) {
    AdapterFacts& a = adapter(i);
    a.budget = adapters[i].config.map_registers;
    a.peak = adapters[i].in_use;  // held since before the window: no buffer of its own reached it
    a.peak_tag = Tag{};
    a.peak_line = 0;
    a.failures_before = adapters[i].failures;
  }
}

void FindingFacts::check_invariants() const {
  if (index_.size() != facts_.rows.size()) throw std::logic_error("finding facts: index size");
  for (std::size_t i = 0; i < facts_.rows.size(); ++i) {
    const PitfallRow& r = facts_.rows[i];
    const std::uint64_t key = (std::uint64_t{r.tag.value} << 8) | static_cast<unsigned>(r.routine);
    const std::uint32_t* at = index_.find(key);
    if (at == nullptr || *at != i) throw std::logic_error("finding facts: row index");
    for (const PitfallCounter& c : r.pitfalls) {
      if (window_open_ && c.live > c.peak_live) {
        throw std::logic_error("finding facts: live above peak (row " + std::to_string(i) + ")");
      }
      if (c.failures > c.count) throw std::logic_error("finding facts: failures above count");
    }
  }
}

}  // namespace fragreplay::replay
