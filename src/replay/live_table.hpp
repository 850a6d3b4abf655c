// The live-allocation table: trace address -> what a free of that allocation needs (the model's
// handle, the sizes to take off its rows, its rows, its routine and pool). A free is the
// replay's most frequent lookup, and it almost always hits, so each address sits beside a
// 32-byte packed record in one slot array (SlotMap, base/flat_map.hpp): a hit reads one slot,
// a 40-byte slot that a prefetch brings in ahead of time, and a free finds and erases in one
// probe (take()). A replay allocates nothing per event once the table has grown to the trace's
// peak number of live allocations.
//
// Packing is exact for every input: a record whose requested size or waste parts do not fit
// the narrow fields, or whose footprint is not requested + waste, is marked wide and keeps its
// full values in a side table (wide_), so what take() returns is always what insert() was given.
//
// Invariants (check_invariants()): both maps' own; an entry is marked wide exactly when wide_
// holds its address; a packed (not wide) entry's fields are those of a record that fits.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <utility>

#include "base/flat_map.hpp"
#include "model/outcome.hpp"
#include "trace/event.hpp"

namespace fragreplay::replay {

// One live allocation, as insert() takes it and take() gives it back.
struct LiveRecord {
  std::uint64_t handle = 0;  // the model's handle
  std::uint64_t requested = 0;
  std::uint64_t footprint = 0;
  model::Waste waste;
  std::uint32_t tag_index = 0;        // row in Results::by_tag
  std::uint32_t process_index = 0;    // row in Results::by_process
  std::uint32_t call_site_index = 0;  // row in Results::by_call_site
  trace::Routine routine = trace::Routine::kExAllocatePoolWithTag;
  // Its row of Results::by_pool_kind (replay::PoolKindRow, pool_kind.hpp); 0 = no pool.
  std::uint8_t kind_row = 0;
  bool rundown = false;  // predates the trace (Results::rundown), in no GroupStats
  friend bool operator==(const LiveRecord&, const LiveRecord&) = default;
};

class LiveTable {
 public:
  bool contains(std::uint64_t address) const {
    if (address == kReserved) return reserved_.has_value();
    return map_.find(address) != nullptr;
  }
  // Removes the allocation at `address` and returns it; nullopt if none is live there.
  std::optional<LiveRecord> take(std::uint64_t address) {
    if (address == kReserved) return std::exchange(reserved_, std::nullopt);
    Packed p;
    if (!map_.take(address, p)) return std::nullopt;
    if ((p.flags & kWide) == 0) [[likely]]
      return decode(p, nullptr);
    Wide w;
    if (!wide_.take(address, w)) throw std::logic_error("LiveTable: a wide record lost its sizes");
    return decode(p, &w);
  }
  // REQUIRES: address not live.
  void insert(std::uint64_t address, const LiveRecord& r) {
    if (address == kReserved) {
      reserved_ = r;
      return;
    }
    Packed p = pack_common(r);
    if (fits(r)) {
      p.requested = static_cast<std::uint32_t>(r.requested);
      p.pool_header = static_cast<std::uint8_t>(r.waste.pool_header.value);
      p.granularity = static_cast<std::uint16_t>(r.waste.granularity.value);
      p.sub_page = static_cast<std::uint16_t>(r.waste.sub_page.value);
    } else [[unlikely]] {
      p.flags |= kWide;
      wide_.insert(address, Wide{r.requested, r.footprint, r.waste});
    }
    map_.insert(address, p);
  }
  // Starts loading the slot of `address`, and the one a take() would shift back, into cache
  // (see FlatMap::prefetch).
  void prefetch(std::uint64_t address) const { map_.prefetch_for_erase(address); }
  // Whether the slots have outgrown a core's own cache (base/prefetch.hpp): prefetching pays.
  bool outgrows_cache() const { return map_.outgrows_core_cache(); }
  // The model's handle of the pool allocation live at `address`, if there is one (a prefetch
  // hint: a wrong or missing answer costs only time).
  std::optional<std::uint64_t> pool_handle(std::uint64_t address) const {
    const Packed* p = map_.find(address);
    if (p == nullptr || trace::routine_family(p->routine) != trace::RoutineFamily::kPool) {
      return std::nullopt;
    }
    return p->handle;
  }
  std::size_t size() const { return map_.size() + (reserved_ ? 1 : 0); }
  // Live allocations kept wide (tests and diagnostics).
  std::size_t wide_count() const { return wide_.size(); }
  // Calls f(address, const LiveRecord&) for every live allocation, in no particular order.
  template <typename F>
  void for_each(F&& f) const {
    map_.for_each([&](std::uint64_t a, const Packed& p) {
      f(a, decode(p, (p.flags & kWide) != 0 ? wide_.find(a) : nullptr));
    });
    if (reserved_) f(kReserved, *reserved_);
  }
  // Throws std::logic_error if an invariant is broken (live_table.cpp).
  void check_invariants() const;

 private:
  // FlatMap reserves the all-ones key; an address a trace may still contain.
  static constexpr std::uint64_t kReserved = FlatMap<int>::kEmpty;
  static constexpr std::uint8_t kRundown = 1;
  static constexpr std::uint8_t kWide = 2;  // requested, footprint and waste are in wide_

  // A LiveRecord in 32 bytes: footprint is requested + waste, the sizes are narrowed.
  struct Packed {
    std::uint64_t handle = 0;
    std::uint32_t requested = 0;
    std::uint32_t tag_index = 0;
    std::uint32_t process_index = 0;
    std::uint32_t call_site_index = 0;
    std::uint16_t granularity = 0;
    std::uint16_t sub_page = 0;
    std::uint8_t pool_header = 0;
    trace::Routine routine = trace::Routine::kExAllocatePoolWithTag;
    std::uint8_t kind_row = 0;
    std::uint8_t flags = 0;
  };
  static_assert(sizeof(Packed) == 32);
  struct Wide {
    std::uint64_t requested = 0;
    std::uint64_t footprint = 0;
    model::Waste waste;
  };

  // Whether r's sizes survive the narrow fields exactly.
  static bool fits(const LiveRecord& r) {
    const model::Waste& w = r.waste;
    return r.requested <= std::numeric_limits<std::uint32_t>::max() &&
           w.pool_header.value <= std::numeric_limits<std::uint8_t>::max() &&
           w.granularity.value <= std::numeric_limits<std::uint16_t>::max() &&
           w.sub_page.value <= std::numeric_limits<std::uint16_t>::max() &&
           r.footprint == r.requested + w.total().value;
  }
  static Packed pack_common(const LiveRecord& r) {
    Packed p;
    p.handle = r.handle;
    p.tag_index = r.tag_index;
    p.process_index = r.process_index;
    p.call_site_index = r.call_site_index;
    p.routine = r.routine;
    p.kind_row = r.kind_row;
    p.flags = r.rundown ? kRundown : 0;
    return p;
  }
  // The record `p` stands for, with the sizes of `w` when it is wide.
  static LiveRecord decode(const Packed& p, const Wide* w) {
    LiveRecord r;
    r.handle = p.handle;
    r.tag_index = p.tag_index;
    r.process_index = p.process_index;
    r.call_site_index = p.call_site_index;
    r.routine = p.routine;
    r.kind_row = p.kind_row;
    r.rundown = (p.flags & kRundown) != 0;
    if (w != nullptr) {
      r.requested = w->requested;
      r.footprint = w->footprint;
      r.waste = w->waste;
    } else {
      r.requested = p.requested;
      r.waste = model::Waste{Bytes{p.pool_header}, Bytes{p.granularity}, Bytes{p.sub_page}};
      r.footprint = r.requested + r.waste.total().value;
    }
    return r;
  }

  SlotMap<Packed> map_{1024};
  FlatMap<Wide> wide_;
  std::optional<LiveRecord> reserved_;
};

}  // namespace fragreplay::replay
