// An open-addressing hash map from 64-bit keys to small values: linear probing, backward-shift
// deletion (no tombstones), capacity a power of two kept at most half full (grows at that load).
// It backs the replay's live table and the pool model's block tables, where std::unordered_map's
// node per entry would cost an allocation per event. At half load a linear probe averages 2.5
// slots for a miss; at the 7/8 this map once allowed it was 32.5, and a deletion's backward shift
// walked clusters as long (measured: the replay's hottest loop, scripts/bench).
//
// Two layouts of the slots, one probing code:
//  - SplitSlots (the default): keys and values in two arrays, so a probe reads 8-byte keys (eight
//    to a cache line) and touches a value only on a hit. Best for maps mostly asked about keys
//    they do not hold, or with large values rarely read.
//  - JoinedSlots (SlotMap): each key beside its value in one array, so a hit near its home slot
//    costs one cache line, not two. Best for maps whose lookups almost always hit and read the
//    value: the live table, the legacy pool's blocks (docs/performance.md).
//
// Invariants: size() == number of occupied slots; every key sits at or after its home slot with
// no empty slot in between (checked by check_invariants()). The key kEmpty (all ones) is reserved.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

#include "base/prefetch.hpp"

namespace fragreplay {

inline constexpr std::uint64_t kFlatMapEmptyKey = ~std::uint64_t{0};

// Keys in one array, values in another.
template <typename V>
class SplitSlots {
 public:
  explicit SplitSlots(std::size_t n = 0) : keys_(n, kFlatMapEmptyKey), values_(n) {}
  std::size_t size() const { return keys_.size(); }
  std::uint64_t& key(std::size_t i) { return keys_[i]; }
  std::uint64_t key(std::size_t i) const { return keys_[i]; }
  V& value(std::size_t i) { return values_[i]; }
  const V& value(std::size_t i) const { return values_[i]; }
  void prefetch(std::size_t i) const {
    prefetch_line(&keys_[i]);
    prefetch_object(&values_[i], sizeof(V));
  }

 private:
  std::vector<std::uint64_t> keys_;
  std::vector<V> values_;
};

// Each key beside its value: one array of {key, value} slots.
template <typename V>
class JoinedSlots {
 public:
  explicit JoinedSlots(std::size_t n = 0) : slots_(n) {}
  std::size_t size() const { return slots_.size(); }
  std::uint64_t& key(std::size_t i) { return slots_[i].key; }
  std::uint64_t key(std::size_t i) const { return slots_[i].key; }
  V& value(std::size_t i) { return slots_[i].value; }
  const V& value(std::size_t i) const { return slots_[i].value; }
  // A slot not a divisor of the cache line may straddle two lines: load both.
  void prefetch(std::size_t i) const { prefetch_object(&slots_[i], sizeof(Slot)); }

 private:
  struct Slot {
    std::uint64_t key = kFlatMapEmptyKey;
    V value{};
  };
  std::vector<Slot> slots_;
};

template <typename V, template <typename> class Slots = SplitSlots>
class FlatMap {
 public:
  static constexpr std::uint64_t kEmpty = kFlatMapEmptyKey;

  explicit FlatMap(std::size_t initial_capacity = 16) {
    rehash(std::bit_ceil(initial_capacity < 16 ? 16 : initial_capacity));
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::size_t capacity() const { return slots_.size(); }
  // Whether the slots are larger than a core's cache (kCoreCacheBytes): prefetching pays.
  bool outgrows_core_cache() const {
    return capacity() * (sizeof(std::uint64_t) + sizeof(V)) > kCoreCacheBytes;
  }

  V* find(std::uint64_t key) {
    const std::size_t i = slot_of(key);
    return i == kNone ? nullptr : &slots_.value(i);
  }
  const V* find(std::uint64_t key) const { return const_cast<FlatMap*>(this)->find(key); }

  // Asks the CPU to load key's home slot (key and value) into cache: a caller that knows the
  // keys it will look up soon hides the cache misses of a table larger than the cache.
  void prefetch(std::uint64_t key) const { slots_.prefetch(home(key)); }
  // The same and the slot after it, which an erase's backward shift reads next.
  void prefetch_for_erase(std::uint64_t key) const {
    const std::size_t i = home(key);
    slots_.prefetch(i);
    slots_.prefetch((i + 1) & mask_);
  }

  // Inserts key -> value. REQUIRES: key is not present and key != kEmpty.
  V& insert(std::uint64_t key, V value) {
    if ((size_ + 1) * 2 > slots_.size()) rehash(slots_.size() * 2);
    std::size_t i = home(key);
    while (slots_.key(i) != kEmpty) i = (i + 1) & mask_;
    slots_.key(i) = key;
    slots_.value(i) = std::move(value);
    ++size_;
    return slots_.value(i);
  }

  // Removes key; returns false if it was not present.
  bool erase(std::uint64_t key) {
    const std::size_t i = slot_of(key);
    if (i == kNone) return false;
    erase_slot(i);
    return true;
  }

  // Removes key and moves its value into `out` in one probe; returns false (out untouched) if it
  // was not present.
  bool take(std::uint64_t key, V& out) {
    const std::size_t i = slot_of(key);
    if (i == kNone) return false;
    out = std::move(slots_.value(i));
    erase_slot(i);
    return true;
  }

  void clear() {
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      slots_.key(i) = kEmpty;
      slots_.value(i) = V{};
    }
    size_ = 0;
  }

  // Calls f(key, value&) for every entry, in slot order (not insertion order).
  template <typename F>
  void for_each(F&& f) {
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      if (slots_.key(i) != kEmpty) f(slots_.key(i), slots_.value(i));
    }
  }
  template <typename F>
  void for_each(F&& f) const {
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      if (slots_.key(i) != kEmpty) f(slots_.key(i), slots_.value(i));
    }
  }

  // Throws std::logic_error if the probing invariant or the size is broken.
  void check_invariants() const {
    std::size_t n = 0;
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      if (slots_.key(i) == kEmpty) continue;
      ++n;
      for (std::size_t k = home(slots_.key(i)); k != i; k = (k + 1) & mask_) {
        if (slots_.key(k) == kEmpty) throw std::logic_error("FlatMap: gap before a key's slot");
      }
    }
    if (n != size_) throw std::logic_error("FlatMap: size does not match occupied slots");
    if (size_ * 2 > slots_.size()) throw std::logic_error("FlatMap: more than half full");
  }

 private:
  static constexpr std::size_t kNone = ~std::size_t{0};

  static std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
  }
  std::size_t home(std::uint64_t key) const { return static_cast<std::size_t>(mix(key)) & mask_; }

  // The slot holding key, or kNone.
  std::size_t slot_of(std::uint64_t key) const {
    std::size_t i = home(key);
    while (true) {
      const std::uint64_t k = slots_.key(i);
      if (k == key) return i;
      if (k == kEmpty) return kNone;
      i = (i + 1) & mask_;
    }
  }

  // Empties occupied slot i. Backward shift: later entries of the cluster move into the hole
  // when their home allows, so no probe ever meets a gap before its key.
  void erase_slot(std::size_t i) {
    std::size_t hole = i;
    std::size_t j = i;
    while (true) {
      j = (j + 1) & mask_;
      if (slots_.key(j) == kEmpty) break;
      const std::size_t h = home(slots_.key(j));
      // Move j into hole if its home is not in (hole, j] cyclically.
      const bool home_between = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
      if (!home_between) {
        slots_.key(hole) = slots_.key(j);
        slots_.value(hole) = std::move(slots_.value(j));
        hole = j;
      }
    }
    slots_.key(hole) = kEmpty;
    slots_.value(hole) = V{};
    --size_;
  }

  void rehash(std::size_t capacity) {
    Slots<V> old = std::exchange(slots_, Slots<V>(capacity));
    mask_ = capacity - 1;
    size_ = 0;
    for (std::size_t i = 0; i < old.size(); ++i) {
      if (old.key(i) != kEmpty) insert(old.key(i), std::move(old.value(i)));
    }
  }

  Slots<V> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

// A FlatMap whose keys sit beside their values (JoinedSlots).
template <typename V>
using SlotMap = FlatMap<V, JoinedSlots>;

}  // namespace fragreplay
