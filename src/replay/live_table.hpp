// The live-allocation table: trace address -> what the model did for that allocation. A flat
// open-addressing map (base/flat_map.hpp), so a replay allocates nothing per event once the
// table has grown to the trace's peak number of live allocations.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "base/flat_map.hpp"
#include "model/outcome.hpp"
#include "trace/event.hpp"

namespace fragreplay::replay {

struct LiveRecord {
  std::uint64_t handle = 0;  // the model's handle
  std::uint64_t requested = 0;
  std::uint64_t footprint = 0;
  model::Waste waste;
  std::uint64_t line = 0;  // where it was allocated
  std::uint64_t time_ns = 0;
  std::uint32_t tag_index = 0;        // row in Results::by_tag
  std::uint32_t process_index = 0;    // row in Results::by_process
  std::uint32_t call_site_index = 0;  // row in Results::by_call_site
  trace::Routine routine = trace::Routine::kExAllocatePoolWithTag;
  std::uint8_t pool_kind = 0;  // replay::PoolKind of a pool allocation (pool_kind.hpp); 0 = none
  bool init = false;           // allocated inside a DriverEntry phase
  bool rundown = false;        // predates the trace (Results::rundown), in no GroupStats
};

class LiveTable {
 public:
  LiveRecord* find(std::uint64_t address) {
    if (address == kReserved) return reserved_ ? &*reserved_ : nullptr;
    return map_.find(address);
  }
  // REQUIRES: address not live.
  void insert(std::uint64_t address, const LiveRecord& r) {
    if (address == kReserved) {
      reserved_ = r;
    } else {
      map_.insert(address, r);
    }
  }
  void erase(std::uint64_t address) {
    if (address == kReserved) {
      reserved_.reset();
    } else {
      map_.erase(address);
    }
  }
  // Starts loading the slot of `address` into cache (see FlatMap::prefetch).
  void prefetch(std::uint64_t address) const { map_.prefetch(address); }
  std::size_t size() const { return map_.size() + (reserved_ ? 1 : 0); }
  template <typename F>
  void for_each(F&& f) const {
    map_.for_each(f);
    if (reserved_) f(kReserved, *reserved_);
  }
  void check_invariants() const { map_.check_invariants(); }

 private:
  // FlatMap reserves the all-ones key; an address a trace may still contain.
  static constexpr std::uint64_t kReserved = FlatMap<LiveRecord>::kEmpty;
  FlatMap<LiveRecord> map_{1024};
  std::optional<LiveRecord> reserved_;
};

}  // namespace fragreplay::replay
