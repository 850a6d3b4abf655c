// Pages for the pool: the page allocator under the pool allocators, following WRK's
// MiAllocatePoolPages / MiFreePoolPages (docs/model.md §3.8). Nonpaged pages come from
//   1. a cache of single free pages (an SList, LIFO, MiNonPagedPoolSListMaximum deep);
//   2. lists of free page runs bucketed by size (1, 2, 3, 4 or more pages): the first run with
//      enough pages, searched from the request's bucket up, gives its last pages, and the rest of
//      the run goes to the tail of the list for its new size;
//   3. expansion: new virtual pages, each backed by MiRemoveAnyPage(next page colour) — scattered.
// On free, a single page goes to the SList if it has room; an expansion run of more than three
// pages (or any expansion run while lots of pool is free) goes back to the PFN free lists; anything
// else joins the free runs, merged with the run after it and the run before it.
// NT 5.x starts with the initial nonpaged pool: one physically contiguous run of frames, virtual
// page i on frame first + i (§5.1), the first free run. Paged pool pages take no frame (§3.8, last
// point). Virtual addresses are model-internal; expansion addresses are never reused.
//
// The segment heap and SLUB get pages another way: reserve() takes address space only, commit()
// backs single pages inside it with frames straight from the PFN lists and free() gives them back
// there (§4.2: subsegments are committed and decommitted page by page); allocate_aligned_run()
// takes a physically contiguous, size-aligned run (a buddy block). These "reserved" pages never
// pass through the caches of MiAllocatePoolPages.
//
// Invariants (check_invariants()): pages_held() = nonpaged pages in use + paged pages + committed
// reserved pages; every free
// run is on the list of its size (a run that grew from 3 pages by merging stays on the 3-page
// list, as in WRK), runs never touch; free_run_pages() = the pages of the runs; every nonpaged
// page the pool holds (in use, cached, in a run, or initial) has exactly one frame.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "base/flat_map.hpp"
#include "base/units.hpp"
#include "model/physical/physical_memory.hpp"
#include "model/pool/frame_table.hpp"

namespace fragreplay::model {

struct PoolPagesConfig {
  // The initial nonpaged pool: frames [initial_first, initial_first + initial_pages), claimed by
  // the caller. `initial_large_pages`: mapped by large pages, so the kernel reads its physical
  // addresses directly (MI_IS_PHYSICAL_ADDRESS), which changes which sub-range
  // MiCheckForContiguousMemory picks.
  Pfn initial_first;
  PageCount initial_pages;
  bool initial_large_pages = false;
  unsigned slist_depth = 4;                // MiNonPagedPoolSListMaximum
  unsigned run_lists = 4;                  // MI_MAX_FREE_LIST_HEADS
  std::uint64_t expansion_keep_pages = 3;  // larger freed expansion runs go back to the PFN lists
  std::uint64_t freed_expansion_max = 5;   // MmFreedExpansionPoolMaximum
};

class PoolPages {
 public:
  PoolPages(PhysicalMemory& memory, PageSize page_size, const PoolPagesConfig& config = {});

  // MiAllocatePoolPages: `n` virtually contiguous pages; nonpaged ones are handed to `owner`.
  // Returns the first virtual page number, or nullopt if there were not enough frames.
  std::optional<std::uint64_t> allocate(bool nonpaged, PageCount n, OwnerId owner);
  // MiFreePoolPages of pages [vpn, vpn + n) obtained from allocate(); for reserved pages, a
  // decommit of pages [vpn, vpn + n), which must all be committed.
  void free(std::uint64_t vpn, PageCount n);

  // Reserves `n` pages of address space; nothing is committed. Returns the first page number.
  std::uint64_t reserve(PageCount n);
  // Commits pages [vpn, vpn + n) of a reservation; nonpaged ones each take a frame of the next
  // page colour. REQUIRES: none of them is committed. Returns false, committing nothing, if there
  // are not enough free frames.
  bool commit(std::uint64_t vpn, PageCount n, bool nonpaged, OwnerId owner);
  // Whether `n` more pages can be committed now (nonpaged pages need free frames).
  bool can_commit(PageCount n, bool nonpaged) const {
    return !nonpaged || memory_.free_frames() >= n;
  }
  bool committed(std::uint64_t vpn) const { return reserved_.find(vpn) != nullptr; }
  // `n` nonpaged pages backed by physically contiguous frames whose first frame is a multiple of
  // n (a buddy allocator's block). REQUIRES: n is a power of two. Returns nullopt, taking
  // nothing, if there is no such run of free frames.
  std::optional<std::uint64_t> allocate_aligned_run(PageCount n, OwnerId owner);

  // NT 5.x MiCheckForContiguousMemory (MmCached): the first virtual page of n pages inside
  // [vpn, vpn + pages) whose frames are consecutive, lie in [lowest, highest] and do not cross a
  // multiple of `boundary` frames; nullopt if there is none.
  std::optional<std::uint64_t> contiguous_part(std::uint64_t vpn, PageCount pages, PageCount n,
                                               Pfn lowest, Pfn highest, PageCount boundary) const;
  // NT 5.x MiFindContiguousMemoryInPool: carves n such pages out of a free run (the run's other
  // pages are freed again) for a caller outside the pool. Returns the first virtual page.
  std::optional<std::uint64_t> take_contiguous(PageCount n, Pfn lowest, Pfn highest,
                                               PageCount boundary, OwnerId owner);
  // Returns pages obtained from take_contiguous().
  void free_contiguous(std::uint64_t vpn, PageCount n);

  // Pages handed to the pool allocator (nonpaged in use + paged + committed reserved pages).
  PageCount pages_held() const {
    return PageCount{nonpaged_in_use_ + paged_held_ + reserved_.size()};
  }
  // Frames the nonpaged pool holds: the initial pool, every expansion page still mapped, and the
  // committed nonpaged reserved pages.
  PageCount frames_held() const {
    return PageCount{initial_pages_ + expansion_frames_.size() + reserved_.size() -
                     reserved_paged_};
  }
  // Pages handed out by take_contiguous().
  PageCount contiguous_pages() const { return PageCount{contiguous_pages_}; }
  PageCount free_run_pages() const { return PageCount{free_run_pages_}; }
  std::size_t slist_depth() const { return slist_.size(); }
  PageSize page_size() const { return page_size_; }
  std::uint64_t address_of(std::uint64_t vpn) const { return vpn << page_size_.shift; }
  std::uint64_t vpn_of(std::uint64_t address) const { return address >> page_size_.shift; }
  // The frame backing a nonpaged page, or nullopt for a paged page.
  std::optional<Pfn> frame_of(std::uint64_t vpn) const;
  // The free runs of one list, head first: (first page, pages) (tests).
  std::vector<std::pair<std::uint64_t, std::uint64_t>> free_runs(unsigned list) const;
  std::uint64_t initial_vpn() const { return initial_vpn_; }

  void check_invariants() const;

 private:
  struct Run {
    std::uint64_t pages = 0;
    std::uint64_t prev = 0;  // list links: first pages of runs, 0 = none
    std::uint64_t next = 0;
    unsigned list = 0;
  };
  struct ListHead {
    std::uint64_t head = 0;
    std::uint64_t tail = 0;
  };

  bool in_initial(std::uint64_t vpn) const {
    return vpn >= initial_vpn_ && vpn < initial_vpn_ + initial_pages_;
  }
  unsigned list_for(std::uint64_t pages) const {
    return static_cast<unsigned>(std::min<std::uint64_t>(pages, config_.run_lists) - 1);
  }
  void insert_run(std::uint64_t vpn, std::uint64_t pages, bool at_head);
  void remove_run(std::uint64_t vpn);
  // Pages go back to the pool (SList, runs, or the PFN lists).
  void release(std::uint64_t vpn, std::uint64_t n);
  void hand_over(std::uint64_t vpn, std::uint64_t n, OwnerId owner);
  // Calls f(frame) for the frames of nonpaged pool pages [vpn, vpn + n) (initial or expansion,
  // all mapped) in order while f returns true; returns false if f stopped.
  template <typename F>
  bool for_each_frame(std::uint64_t vpn, std::uint64_t n, F&& f) const;

  PhysicalMemory& memory_;
  PageSize page_size_;
  PoolPagesConfig config_;
  OwnerId free_owner_;
  std::uint64_t initial_vpn_;
  std::uint64_t initial_pages_;
  std::uint64_t next_expansion_vpn_;
  std::uint64_t next_paged_vpn_;
  std::uint64_t nonpaged_in_use_ = 0;
  std::uint64_t paged_held_ = 0;
  std::uint64_t contiguous_pages_ = 0;
  std::uint64_t free_run_pages_ = 0;  // MmNumberOfFreeNonPagedPool
  std::vector<std::uint64_t> slist_;  // cached single pages, LIFO
  std::vector<ListHead> lists_;
  FlatMap<Run> runs_;                   // first page -> run
  FlatMap<std::uint64_t> run_by_last_;  // last page -> first page
  FrameTable expansion_frames_;         // vpn -> frame of every expansion page mapped
  // Reserved address space (reserve/commit): committed page -> its frame, or kPaged.
  static constexpr std::uint32_t kPaged = PhysicalMemory::kNoFrame;
  std::uint64_t next_reserved_vpn_;
  std::uint64_t reserved_paged_ = 0;
  FlatMap<std::uint32_t> reserved_;
  bool in_reserved(std::uint64_t vpn) const { return vpn >= first_reserved_vpn_; }
  std::uint64_t first_reserved_vpn_;
};

}  // namespace fragreplay::model
