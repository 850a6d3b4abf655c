// An open-addressing hash map from 64-bit keys to small values: linear probing, backward-shift
// deletion (no tombstones), capacity a power of two kept at most half full (grows at that load).
// It backs the replay's live table and the pool model's block table, where std::unordered_map's
// node per entry would cost an allocation per event. Keys and values live in two arrays, so a
// probe reads 8-byte keys (eight to a cache line) and touches a value only on a hit. At half
// load a linear probe averages 2.5 slots for a miss; at the 7/8 this map once allowed it was
// 32.5, and a deletion's backward shift walked clusters as long (measured: the replay's hottest
// loop, scripts/bench).
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
  std::size_t capacity() const { return keys_.size(); }

  V* find(std::uint64_t key) {
    std::size_t i = home(key);
    while (true) {
      const std::uint64_t k = keys_[i];
      if (k == key) return &values_[i];
      if (k == kEmpty) return nullptr;
      i = (i + 1) & mask_;
    }
  }
  const V* find(std::uint64_t key) const { return const_cast<FlatMap*>(this)->find(key); }

  // Asks the CPU to load key's home slot (key and value) into cache: a caller that knows the
  // keys it will look up soon hides the cache misses of a table larger than the cache.
  void prefetch(std::uint64_t key) const {
    const std::size_t i = home(key);
    __builtin_prefetch(&keys_[i]);
    __builtin_prefetch(&values_[i], 1);
  }

  // Inserts key -> value. REQUIRES: key is not present and key != kEmpty.
  V& insert(std::uint64_t key, V value) {
    if ((size_ + 1) * 2 > keys_.size()) rehash(keys_.size() * 2);
    std::size_t i = home(key);
    while (keys_[i] != kEmpty) i = (i + 1) & mask_;
    keys_[i] = key;
    values_[i] = std::move(value);
    ++size_;
    return values_[i];
  }

  // Removes key; returns false if it was not present.
  bool erase(std::uint64_t key) {
    std::size_t i = home(key);
    while (keys_[i] != key) {
      if (keys_[i] == kEmpty) return false;
      i = (i + 1) & mask_;
    }
    // Backward-shift: pull later entries of the cluster into the hole when their home allows.
    std::size_t hole = i;
    std::size_t j = i;
    while (true) {
      j = (j + 1) & mask_;
      if (keys_[j] == kEmpty) break;
      const std::size_t h = home(keys_[j]);
      // Move j into hole if its home is not in (hole, j] cyclically.
      const bool home_between = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
      if (!home_between) {
        keys_[hole] = keys_[j];
        values_[hole] = std::move(values_[j]);
        hole = j;
      }
    }
    keys_[hole] = kEmpty;
    values_[hole] = V{};
    --size_;
    return true;
  }

  void clear() {
    for (auto& k : keys_) k = kEmpty;
    for (auto& v : values_) v = V{};
    size_ = 0;
  }

  // Calls f(key, value&) for every entry, in slot order (not insertion order).
  template <typename F>
  void for_each(F&& f) {
    for (std::size_t i = 0; i < keys_.size(); ++i) {
      if (keys_[i] != kEmpty) f(keys_[i], values_[i]);
    }
  }
  template <typename F>
  void for_each(F&& f) const {
    for (std::size_t i = 0; i < keys_.size(); ++i) {
      if (keys_[i] != kEmpty) f(keys_[i], values_[i]);
    }
  }

  // Throws std::logic_error if the probing invariant or the size is broken.
  void check_invariants() const {
    std::size_t n = 0;
    for (std::size_t i = 0; i < keys_.size(); ++i) {
      if (keys_[i] == kEmpty) continue;
      ++n;
      for (std::size_t k = home(keys_[i]); k != i; k = (k + 1) & mask_) {
        if (keys_[k] == kEmpty) throw std::logic_error("FlatMap: gap before a key's slot");
      }
    }
    if (n != size_) throw std::logic_error("FlatMap: size does not match occupied slots");
    if (size_ * 2 > keys_.size()) throw std::logic_error("FlatMap: more than half full");
  }

 private:
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
    std::vector<std::uint64_t> old_keys =
        std::exchange(keys_, std::vector<std::uint64_t>(capacity, kEmpty));
    std::vector<V> old_values = std::exchange(values_, std::vector<V>(capacity));
    mask_ = capacity - 1;
    size_ = 0;
    for (std::size_t i = 0; i < old_keys.size(); ++i) {
      if (old_keys[i] != kEmpty) insert(old_keys[i], std::move(old_values[i]));
    }
  }

  std::vector<std::uint64_t> keys_;
  std::vector<V> values_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace fragreplay
