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
  std::uint32_t tag_index = 0;      // row in Results::by_tag
  std::uint32_t process_index = 0;  // row in Results::by_process
  trace::Routine routine = trace::Routine::kExAllocatePoolWithTag;
  bool init = false;     // allocated inside a DriverEntry phase
  bool rundown = false;  // predates the trace (Results::rundown), in no GroupStats
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

// What happened last to recently seen addresses that are no longer live: freed, or allocated
// with the model refusing the allocation. A free of such an address is then told apart from a free
// of an address never seen: after "freed" it is a double free; after "refused" it is the driver
// freeing what it got on the real machine. Bounded (a ring of the last kCapacity addresses), so
// memory does not grow with trace length.
class RecentAddresses {
 public:
  enum class Last : std::uint8_t { kFreed, kRefused };
  static constexpr std::size_t kCapacity = 1 << 16;

  void add(std::uint64_t address, Last what) {
    if (address == FlatMap<Entry>::kEmpty) return;
    if (ring_.size() < kCapacity) {
      ring_.push_back(address);
    } else {
      forget(ring_[next_]);
      ring_[next_] = address;
      next_ = (next_ + 1) % kCapacity;
    }
    if (Entry* e = map_.find(address)) {
      ++e->count;
      e->last = what;
    } else {
      map_.insert(address, Entry{1, what});
    }
  }
  std::optional<Last> last(std::uint64_t address) const {
    if (const Entry* e = map_.find(address)) return e->last;
    return std::nullopt;
  }

 private:
  struct Entry {
    std::uint32_t count = 0;  // occurrences in the ring
    Last last = Last::kFreed;
  };
  void forget(std::uint64_t address) {
    if (Entry* e = map_.find(address)) {
      if (--e->count == 0) map_.erase(address);
    }
  }
  std::vector<std::uint64_t> ring_;
  std::size_t next_ = 0;
  FlatMap<Entry> map_;
};

}  // namespace fragreplay::replay
