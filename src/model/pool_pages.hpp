// Pages for the pool: virtual pages handed to the pool allocators, each nonpaged page backed by a
// physical frame taken from PhysicalMemory (paged pool pages are not backed until touched, so
// they take no frame here: research/pool-model.md §3.8, last point). Virtual addresses are
// model-internal: a 64-bit bump allocator, never reused.
//
// Two ways to get pages: allocate() reserves and commits in one step (the legacy pool's whole
// pages); reserve() takes address space only and commit()/free() back and release single pages
// inside it (the segment heap commits its segments and subsegments page by page, §4.2).
//
// Invariant: pages_held() = committed nonpaged pages (each with one frame) + committed paged
// pages; no page is committed twice.
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
  // Allocates `n` nonpaged pages backed by physically contiguous frames whose first frame is a
  // multiple of n (a buddy allocator's block). REQUIRES: n is a power of two. Returns nullopt if
  // no such run of free frames exists (nothing is taken then).
  std::optional<std::uint64_t> allocate_aligned_run(PageCount n, OwnerId owner);
  // Reserves `n` pages of address space; nothing is committed. Returns the first page number.
  std::uint64_t reserve(PageCount n);
  // Commits pages [vpn, vpn + n) of a reservation. REQUIRES: none of them is committed. Returns
  // false, committing nothing, if nonpaged frames ran out.
  bool commit(std::uint64_t vpn, PageCount n, bool nonpaged, OwnerId owner);
  // Frees (decommits) pages [vpn, vpn + n). REQUIRES: all of them are committed.
  void free(std::uint64_t vpn, PageCount n);

  // Whether `n` more pages can be committed now (nonpaged pages need free frames).
  bool can_commit(PageCount n, bool nonpaged) const {
    return !nonpaged || memory_.free_frames() >= n;
  }

  PageCount pages_held() const { return held_; }
  PageCount nonpaged_pages() const { return held_ - PageCount{paged_held_}; }
  PageSize page_size() const { return page_size_; }
  std::uint64_t address_of(std::uint64_t vpn) const { return vpn << page_size_.shift; }
  std::uint64_t vpn_of(std::uint64_t address) const { return address >> page_size_.shift; }
  bool committed(std::uint64_t vpn) const { return frames_.find(vpn) != nullptr; }
  // The frame backing a nonpaged page, or nullopt for a paged or uncommitted page.
  std::optional<Pfn> frame_of(std::uint64_t vpn) const;

  void check_invariants() const;

 private:
  static constexpr std::uint32_t kPaged = PhysicalMemory::kNoFrame;

  PhysicalMemory& memory_;
  PageSize page_size_;
  std::uint64_t next_vpn_;
  PageCount held_;
  std::uint64_t paged_held_ = 0;
  FlatMap<std::uint32_t> frames_;  // vpn -> frame of every committed page (kPaged if paged)
};

}  // namespace fragreplay::model
