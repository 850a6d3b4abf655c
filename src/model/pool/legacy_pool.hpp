// The legacy NT executive pool (Windows XP/2003 through Windows 10 1809), following
// docs/model.md §3: POOL_HEADER + block granularity, per-size free lists with the era's
// search start, split (front at the start of a page, back otherwise), coalescing on free, whole
// free pages released, per-size lookaside lists with depth tuning, delayed frees, and the
// big-page path with the era's tail policy, and (Windows 8+) the cache-aligned rule of §3.5.
//
// Blocks live in a hash table keyed by their header address, as the kernel finds them by address
// arithmetic (next = address + BlockSize units, previous = address - PreviousSize units).
//
// Invariants (check_invariants()):
//   in every small-block page the blocks tile the page exactly and PreviousSize matches the block
//   before; no two free blocks are adjacent; every free block of more than a header sits on the
//   list of its size exactly once, header-only fragments on none;
//   pages held * page size = live footprint + free bytes + cached bytes;
//   every cache-aligned handle points inside its live block, past the block's own header.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "base/flat_map.hpp"
#include "model/pool/pool_allocator.hpp"
#include "model/pool/pool_pages.hpp"
#include "model/profile.hpp"

namespace fragreplay::model {

class LegacyPool final : public PoolAllocator {
 public:
  // `delayed_frees`: whether the machine has enough RAM for delayed frees (§3.3 step 3).
  LegacyPool(const Profile& profile, PoolPages& pages, PhysicalMemory& memory, bool delayed_frees);

  AllocOutcome allocate(const PoolRequest& request) override;
  bool free(std::uint64_t handle) override;
  // The block a coming free of `handle` reads first (legacy_pool_prefetch.cpp).
  void prefetch_free(std::uint64_t handle) const override {
    if ((handle & (page_bytes_ - 1)) != 0 && aligned_handles_.empty()) {
      blocks_.prefetch(handle - profile_.pool_header);
    }
  }
  void advance_time(std::uint64_t now_ns) override;
  PoolUsage usage() const override;
  void check_invariants() const override;

  // For tests and diagnostics: the blocks of the small-block page holding `address`, in order.
  enum class BlockState : std::uint8_t {
    kFree,       // on a free list (or a header-only fragment on none)
    kAllocated,  // live
    kLookaside,  // freed onto a lookaside list, still carved out
    kPending,    // freed onto the delayed-free list, not yet coalesced
    kFrag,       // the 'Frag' block after a big allocation's tail
    kBigTail     // the part of the page the big allocation itself occupies
  };
  struct BlockView {
    unsigned offset_units;
    unsigned units;
    BlockState state;
    friend bool operator==(const BlockView&, const BlockView&) = default;
  };
  std::vector<BlockView> page_layout(std::uint64_t address) const;
  static const char* state_name(BlockState s);
  // Depth of a lookaside list (tests): descriptor 0 = nonpaged, 1 = paged; `global` picks L over P.
  unsigned lookaside_depth(unsigned descriptor, unsigned units, bool global) const;

 private:
  enum Descriptor : std::uint8_t {
    kNonPaged,
    kPaged,
    kSessionPaged,
    kNonPagedNx,
    kDescriptorCount
  };

  struct Block {
    std::uint64_t list_next = 0;  // free-list links (header addresses; 0 = none)
    std::uint64_t list_prev = 0;
    std::uint16_t units = 0;
    std::uint16_t prev_units = 0;  // PreviousSize: 0 for the first block of a page
    BlockState state = BlockState::kFree;
    std::uint8_t desc = 0;
  };
  struct ListHead {
    std::uint64_t head = 0;
    std::uint64_t tail = 0;
  };
  struct Lookaside {
    std::vector<std::uint64_t> entries;  // LIFO of block header addresses
    unsigned depth = 0;
    std::uint64_t total_allocates = 0;
    std::uint64_t allocate_hits = 0;
    std::uint64_t last_total_allocates = 0;
    std::uint64_t last_allocate_hits = 0;
  };
  struct LookasidePair {
    Lookaside per_cpu;  // P
    Lookaside global;   // L
  };
  struct Pool {
    std::vector<ListHead> lists;            // ListHeads[units - 1]
    std::vector<std::uint64_t> pending;     // delayed frees, LIFO
    std::vector<LookasidePair> lookasides;  // by units - 1, up to lookaside_max_units
  };
  struct BigAllocation {
    std::uint64_t pages = 0;
    std::uint64_t size = 0;  // bytes recorded in the big-page table
    bool tail_reused = false;
    std::uint8_t desc = 0;
  };

  Descriptor descriptor_for(std::uint64_t pool_type) const;
  static bool is_nonpaged(Descriptor d) { return d == kNonPaged || d == kNonPagedNx; }

  AllocOutcome allocate_small(Descriptor d, std::uint64_t bytes, Tag tag);
  // Moves a small allocation's handle to the next cache-line boundary (§3.5) and books the
  // padding; remembers the handle if it no longer sits right after the block's header.
  void align_to_cache_line(AllocOutcome& o, std::uint64_t padding);
  AllocOutcome allocate_big(Descriptor d, std::uint64_t bytes, Tag tag);
  bool take_from_lists(Descriptor d, unsigned units, std::uint64_t& block_address);
  bool add_page(Descriptor d, unsigned units, Tag tag, std::uint64_t& block_address);
  // Frees the live block `b` at block_address (its entry in blocks_).
  void free_small(std::uint64_t block_address, Block& b);
  // Frees the big allocation `big`, already taken off big_.
  void free_big(std::uint64_t address, const BigAllocation& big);
  // Coalesces a block being freed with its free neighbours and lists it, or releases its page.
  // `b` is its entry in blocks_ when the caller has it, else null.
  void coalesce_and_insert(std::uint64_t block_address, Block* b);
  void flush_pending(Descriptor d);
  // Starts loading the blocks of a delayed-free batch and their neighbours.
  void prefetch_batch(const std::vector<std::uint64_t>& batch) const;

  Block& block(std::uint64_t address);
  const Block& block(std::uint64_t address) const;
  bool listed(const Block& b) const { return b.units > 1 || header_units_ != 1; }
  void list_insert_head(std::uint64_t address, Block& b);
  void list_insert_tail(std::uint64_t address, Block& b);
  void list_remove(std::uint64_t address, Block& b);
  // Marks a new free block (listed at the tail unless it is only a header).
  void insert_free_remainder(std::uint64_t address, Block& b);
  std::uint64_t page_base(std::uint64_t address) const { return address & ~(page_bytes_ - 1); }
  unsigned offset_units(std::uint64_t address) const {
    return static_cast<unsigned>((address & (page_bytes_ - 1)) / unit_);
  }
  bool at_page_end(std::uint64_t address) const { return (address & (page_bytes_ - 1)) == 0; }
  void release_small_page(std::uint64_t page_address);
  OwnerId owner_for(Tag tag);

  void adjust_lookaside_depths();
  void compute_depth(Lookaside& l, std::uint64_t misses, unsigned scan_period) const;

  // check_invariants() in parts (legacy_pool_invariants.cpp): the bytes the blocks hold by state,
  // summed over the small-block pages, and the free blocks that should be on a list.
  struct BlockTally {
    std::uint64_t live = 0;
    std::uint64_t free = 0;
    std::uint64_t cached = 0;
    std::uint64_t blocks = 0;
    std::uint64_t listed_free = 0;
  };
  void check_small_page(std::uint64_t page, std::uint8_t desc, BlockTally& tally) const;
  void check_aligned_handles() const;
  // Walks descriptor d's free lists, taking each block listed off tally.listed_free.
  void check_free_lists(unsigned d, BlockTally& tally) const;
  // Blocks parked on descriptor d's lookaside and delayed-free lists.
  void check_parked(unsigned d) const;

  const Profile& profile_;
  PoolPages& pages_;
  PhysicalMemory& memory_;
  bool delayed_frees_;
  std::uint64_t page_bytes_;
  unsigned unit_;
  unsigned page_units_;
  unsigned header_units_;
  std::array<Pool, kDescriptorCount> pools_;
  SlotMap<Block> blocks_;  // header address -> block (key beside it: lookups hit)
  FlatMap<BigAllocation> big_;
  FlatMap<std::uint8_t> small_pages_;       // page address -> descriptor of small-block pages
  FlatMap<std::uint64_t> aligned_handles_;  // cache-aligned handle -> its block's header address
  Bytes live_;
  Bytes free_;
  Bytes cached_;
  bool in_batch_ = false;  // inside flush_pending: whole pages are released at the end

  // Lookaside tuning clock (§3.4): one balance-set-manager tick per second of trace time.
  bool clock_started_ = false;
  std::uint64_t next_tick_ns_ = 0;
  unsigned scan_count_ = 0;
  unsigned pool_scan_count_ = 0;
};

}  // namespace fragreplay::model
