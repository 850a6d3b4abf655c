// Pages for the pool: virtual pages handed to the pool allocators, each nonpaged page backed by a
// physical frame taken from PhysicalMemory (paged pool pages are not backed until touched, so
// they take no frame here: research/pool-model.md §3.8, last point). Virtual addresses are
// model-internal: a 64-bit bump allocator, never reused.
//
// Invariant: pages_held() = nonpaged pages (each with one frame) + paged pages.
#pragma once

#include <cstdint>
#include <optional>

#include "base/flat_map.hpp"
#include "base/units.hpp"
#include "model/physical_memory.hpp"

namespace fragreplay::model {

class PoolPages {
 public:
  PoolPages(PhysicalMemory& memory, PageSize page_size);

  // Allocates `n` virtually contiguous pages; nonpaged ones each take a frame owned by `owner`.
  // Returns the first virtual page number, or nullopt if frames ran out (nothing is taken then).
  std::optional<std::uint64_t> allocate(bool nonpaged, PageCount n, OwnerId owner);
  // Frees pages [vpn, vpn + n) (any sub-range of earlier allocations).
  void free(std::uint64_t vpn, PageCount n);

  PageCount pages_held() const { return held_; }
  PageCount nonpaged_pages() const { return PageCount{frames_.size()}; }
  PageSize page_size() const { return page_size_; }
  std::uint64_t address_of(std::uint64_t vpn) const { return vpn << page_size_.shift; }
  std::uint64_t vpn_of(std::uint64_t address) const { return address >> page_size_.shift; }
  // The frame backing a nonpaged page, or nullopt for a paged page.
  std::optional<Pfn> frame_of(std::uint64_t vpn) const;

  void check_invariants() const;

 private:
  PhysicalMemory& memory_;
  PageSize page_size_;
  std::uint64_t next_vpn_;
  PageCount held_;
  std::uint64_t paged_held_ = 0;
  FlatMap<std::uint32_t> frames_;  // vpn -> frame of every nonpaged page
};

}  // namespace fragreplay::model
