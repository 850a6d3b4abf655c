// What happened last to recently seen addresses that are no longer live: freed, or allocated
// with the model refusing the allocation. A free of such an address is then told apart from a free
// of an address never seen: after "freed" it is a double free; after "refused" it is the driver
// freeing what it got on the real machine.
//
// The window is exactly the last capacity() calls of add() (65,536 by default; an address added
// several times counts once per add): last(a) answers what the latest add of `a` among them said,
// and nothing for an address not among them. Memory is bounded by the window, not trace length.
//
// Every free of a live allocation adds, but last() is asked only when a free misses the live
// table (rare in a good trace), so add() is one store into a ring of 2 x capacity entries,
// written in order; the index that answers last() (address -> adds in the window, latest kind)
// is brought up to date only when last() is asked: the adds since the previous question are
// entered and the adds that left the window since then (still in the ring's older half) are
// dropped, or, after capacity() adds or more, the index is rebuilt from the window. Either way a
// question costs at most what keeping the index on every add would have cost in the meantime.
//
// Invariants (check_invariants()): once brought up to date, the index holds exactly the distinct
// addresses of the window, each with the number of its adds there and the kind of its latest.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>

#include "base/flat_map.hpp"

namespace fragreplay::replay {

class RecentAddresses {
 public:
  enum class Last : std::uint8_t { kFreed, kRefused };
  static constexpr std::size_t kCapacity = 1 << 16;

  // REQUIRES: capacity is a power of two (tests use small windows).
  explicit RecentAddresses(std::size_t capacity = kCapacity)
      : capacity_(capacity), ring_mask_(2 * capacity - 1) {
    if (!std::has_single_bit(capacity)) {
      throw std::invalid_argument("RecentAddresses: capacity must be a power of two");
    }
  }

  // Records the latest thing that happened to `address`. The all-ones address (FlatMap's
  // reserved key) is not recorded and takes no place in the window.
  void add(std::uint64_t address, Last what) {
    if (address == FlatMap<Entry>::kEmpty) return;
    if (!addresses_) allocate();
    const std::size_t slot = static_cast<std::size_t>(added_) & ring_mask_;
    addresses_[slot] = address;
    kinds_[slot] = what;
    ++added_;
  }

  // What the latest add of `address` among the last capacity() adds said; nullopt if none.
  // The all-ones address, never recorded, is said to be freed: a free of it when it is not live
  // has always counted as a double free (FlatMap's find of its reserved key finds an empty
  // slot's default entry), and reports keep saying so.
  std::optional<Last> last(std::uint64_t address) {
    if (address == FlatMap<Entry>::kEmpty) return Last::kFreed;
    sync();
    if (const Entry* e = map_.find(address)) return e->last;
    return std::nullopt;
  }

  std::size_t capacity() const { return capacity_; }

  // Brings the index up to date and checks it against the window. O(capacity).
  void check_invariants() {
    sync();
    map_.check_invariants();
    FlatMap<Entry> expected;
    for (std::uint64_t s = window_start(); s < added_; ++s) enter(expected, s);
    if (expected.size() != map_.size()) {
      throw std::logic_error("RecentAddresses: index size differs from the window's addresses");
    }
    expected.for_each([&](std::uint64_t address, const Entry& want) {
      const Entry* got = map_.find(address);
      if (got == nullptr || got->count != want.count || got->last != want.last) {
        throw std::logic_error("RecentAddresses: index entry differs from the window");
      }
    });
  }

 private:
  struct Entry {
    std::uint32_t count = 0;  // adds of this address in the window
    Last last = Last::kFreed;
  };

  void allocate() {
    // Uninitialised: only the entries written are ever read, and pages are touched as written.
    addresses_ = std::make_unique_for_overwrite<std::uint64_t[]>(ring_mask_ + 1);
    kinds_ = std::make_unique_for_overwrite<Last[]>(ring_mask_ + 1);
  }
  std::uint64_t window_start() const { return added_ > capacity_ ? added_ - capacity_ : 0; }
  std::size_t slot(std::uint64_t seq) const { return static_cast<std::size_t>(seq) & ring_mask_; }

  // Enters add number `seq` into `map`.
  void enter(FlatMap<Entry>& map, std::uint64_t seq) const {
    const std::uint64_t address = addresses_[slot(seq)];
    const Last what = kinds_[slot(seq)];
    if (Entry* e = map.find(address)) {
      ++e->count;
      e->last = what;
    } else {
      map.insert(address, Entry{1, what});
    }
  }
  // Drops add number `seq` (which has left the window) from the index.
  void forget(std::uint64_t seq) {
    const std::uint64_t address = addresses_[slot(seq)];
    if (Entry* e = map_.find(address)) {
      if (--e->count == 0) map_.erase(address);
    }
  }

  // Makes the index describe the window [window_start(), added_).
  void sync() {
    if (synced_ == added_) return;
    if (added_ - synced_ >= capacity_) {
      // Everything the index knew has left the window.
      map_.clear();
      for (std::uint64_t s = window_start(); s < added_; ++s) enter(map_, s);
    } else {
      // The adds since the last sync; each pushes out the add capacity_ before it, which is
      // still in the ring (the ring holds 2 x capacity_ adds, and fewer than capacity_ are new).
      for (std::uint64_t s = synced_; s < added_; ++s) {
        if (s >= capacity_) forget(s - capacity_);
        enter(map_, s);
      }
    }
    synced_ = added_;
  }

  std::size_t capacity_;
  std::size_t ring_mask_;                       // the ring holds 2 x capacity_ adds
  std::unique_ptr<std::uint64_t[]> addresses_;  // add number s at s & ring_mask_
  std::unique_ptr<Last[]> kinds_;
  std::uint64_t added_ = 0;   // adds so far
  std::uint64_t synced_ = 0;  // adds the index describes
  FlatMap<Entry> map_;
};

}  // namespace fragreplay::replay
