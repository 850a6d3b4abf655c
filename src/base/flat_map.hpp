// An open-addressing hash map from 64-bit keys to small values: one flat array, linear probing,
// backward-shift deletion (no tombstones), capacity a power of two kept at most 7/8 full
// (grows at that load). It backs the replay's live table and the pool model's block table,
// where std::unordered_map's node per entry would cost an allocation per event.
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

namespace fragreplay {

template <typename V>
class FlatMap {
 public:
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};

  explicit FlatMap(std::size_t initial_capacity = 16) {
    rehash(std::bit_ceil(initial_capacity < 16 ? 16 : initial_capacity));
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::size_t capacity() const { return slots_.size(); }

  V* find(std::uint64_t key) {
    std::size_t i = home(key);
    while (true) {
      Slot& s = slots_[i];
      if (s.key == key) return &s.value;
      if (s.key == kEmpty) return nullptr;
      i = (i + 1) & mask_;
    }
  }
  const V* find(std::uint64_t key) const { return const_cast<FlatMap*>(this)->find(key); }

  // Inserts key -> value. REQUIRES: key is not present and key != kEmpty.
  V& insert(std::uint64_t key, V value) {
    if ((size_ + 1) * 8 > slots_.size() * 7) rehash(slots_.size() * 2);
    std::size_t i = home(key);
    while (slots_[i].key != kEmpty) i = (i + 1) & mask_;
    slots_[i].key = key;
    slots_[i].value = std::move(value);
    ++size_;
    return slots_[i].value;
  }

  // Removes key; returns false if it was not present.
  bool erase(std::uint64_t key) {
    std::size_t i = home(key);
    while (slots_[i].key != key) {
      if (slots_[i].key == kEmpty) return false;
      i = (i + 1) & mask_;
    }
    // Backward-shift: pull later entries of the cluster into the hole when their home allows.
    std::size_t hole = i;
    std::size_t j = i;
    while (true) {
      j = (j + 1) & mask_;
      if (slots_[j].key == kEmpty) break;
      const std::size_t h = home(slots_[j].key);
      // Move j into hole if its home is not in (hole, j] cyclically.
      const bool home_between = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
      if (!home_between) {
        slots_[hole] = std::move(slots_[j]);
        hole = j;
      }
    }
    slots_[hole].key = kEmpty;
    slots_[hole].value = V{};
    --size_;
    return true;
  }

  void clear() {
    for (auto& s : slots_) s = Slot{};
    size_ = 0;
  }

  // Calls f(key, value&) for every entry, in slot order (not insertion order).
  template <typename F>
  void for_each(F&& f) {
    for (auto& s : slots_) {
      if (s.key != kEmpty) f(s.key, s.value);
    }
  }
  template <typename F>
  void for_each(F&& f) const {
    for (const auto& s : slots_) {
      if (s.key != kEmpty) f(s.key, s.value);
    }
  }

  // Throws std::logic_error if the probing invariant or the size is broken.
  void check_invariants() const {
    std::size_t n = 0;
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      if (slots_[i].key == kEmpty) continue;
      ++n;
      for (std::size_t k = home(slots_[i].key); k != i; k = (k + 1) & mask_) {
        if (slots_[k].key == kEmpty) throw std::logic_error("FlatMap: gap before a key's slot");
      }
    }
    if (n != size_) throw std::logic_error("FlatMap: size does not match occupied slots");
  }

 private:
  struct Slot {
    std::uint64_t key = kEmpty;
    V value{};
  };

  static std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
  }
  std::size_t home(std::uint64_t key) const { return static_cast<std::size_t>(mix(key)) & mask_; }

  void rehash(std::size_t capacity) {
    std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(capacity));
    mask_ = capacity - 1;
    size_ = 0;
    for (auto& s : old) {
      if (s.key != kEmpty) insert(s.key, std::move(s.value));
    }
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace fragreplay
