// The modelled machine: physical memory, the pool of the profile's era (legacy pool, segment heap
// or Linux SLUB), DMA adapters, and the page-granular routines, behind an API that is the
// kernel's own routines. It knows nothing about traces or files; the replay engine calls it once
// per event.
//
// Invariants (check_invariants()): those of PhysicalMemory, of the pool pages and of the pool;
// frames in use = frames the nonpaged pool holds + frames of live page-granular allocations taken
// from the page lists + background frames; every adapter's map registers in use = the sum over its
// live common buffers and never above budget.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/contiguous_window.hpp"
#include "base/flat_map.hpp"
#include "base/kernel_abi.hpp"
#include "base/tag.hpp"
#include "base/units.hpp"
#include "model/outcome.hpp"
#include "model/physical/boot_layout.hpp"
#include "model/physical/physical_memory.hpp"
#include "model/pool/pool_allocator.hpp"
#include "model/pool/pool_pages.hpp"
#include "model/profile.hpp"

namespace fragreplay::model {

using AdapterId = std::uint32_t;
class SlubPool;

struct MachineConfig {
  // Physical RAM map; empty = the PC map of the profile's default RAM size.
  std::vector<RamRange> ram;
  // --background: percent of RAM other consumers hold when the trace starts, and the seed of
  // their pattern (boot_layout.hpp).
  unsigned background_percent = 0;
  std::uint64_t background_seed = 1;
  // Explain each failed contiguous request (last_contiguous_diagnosis()).
  bool diagnose_failures = true;
};

struct AdapterUsage {
  AdapterConfig config;
  std::uint64_t in_use = 0;
  std::uint64_t peak = 0;
  std::uint64_t failures = 0;  // common buffers refused for lack of map registers
};

struct MachineUsage {
  PoolUsage pool;
  Bytes page_granular;              // live noncached, contiguous and common-buffer allocations
  std::uint64_t map_registers = 0;  // in use, all adapters
};

class Machine {
 public:
  Machine(const Profile& profile, MachineConfig config);
  ~Machine();
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  const Profile& profile() const { return profile_; }
  const PhysicalMemory& memory() const { return memory_; }
  PhysicalMemory& memory() { return memory_; }
  const PoolPages& pool_pages() const { return pool_pages_; }
  // Frames pre-occupied by --background.
  PageCount background_frames() const { return background_; }
  // The explanation of the last contiguous request, if it failed for want of memory in its
  // window (not for invalid arguments or map registers); valid until the next call.
  const ContiguousDiagnosis* last_contiguous_diagnosis() const {
    return has_diagnosis_ ? &memory_.last_diagnosis() : nullptr;
  }

  // ExAllocatePoolWithTag / ExAllocatePoolWithQuotaTag.
  AllocOutcome allocate_pool(std::uint64_t pool_type, Bytes bytes, Tag tag, bool quota);
  // ExAllocatePool2 / ExAllocatePool3: POOL_FLAGS decoded per docs/model.md §4.3.
  AllocOutcome allocate_pool2(std::uint64_t flags, Bytes bytes, Tag tag);
  bool free_pool(std::uint64_t handle);
  // A hint that the pool allocation `handle` will be freed soon (PoolAllocator::prefetch_free).
  void prefetch_pool_free(std::uint64_t handle) const { pool_->prefetch_free(handle); }

  // Linux (a kSlub profile): kmalloc / kfree through the SLUB pool, and the page allocator's
  // blocks of 2^order pages (alloc_pages / __free_pages, the mm_page_alloc and mm_page_free
  // tracepoints) for `bytes` rounded up to such a block.
  bool is_linux() const { return profile_.backend == PoolBackend::kSlub; }
  AllocOutcome kmalloc(Bytes bytes, Tag tag);
  // kmem_cache_alloc: an object of the slab cache of `object_size`-byte objects (SlubPool).
  AllocOutcome kmem_cache_alloc(Bytes object_size, Bytes bytes, Tag tag);
  // kfree and kmem_cache_free (either frees an object of any cache).
  bool kfree(std::uint64_t handle);
  AllocOutcome alloc_pages(Bytes bytes, Tag tag);
  bool free_page_block(std::uint64_t handle);

  AllocOutcome allocate_noncached(Bytes bytes, Tag tag);
  bool free_noncached(std::uint64_t handle);

  // MmAllocatePagesForMdl[Ex] (machine_mdl.cpp): whole frames in [lowest, highest] (LowAddress,
  // HighAddress; then that window moved up by `skip`, SkipBytes, and again), not contiguous and
  // not mapped; MmFreePagesFromMdl.
  AllocOutcome allocate_pages_for_mdl(Bytes bytes, PhysAddr lowest, PhysAddr highest, Bytes skip,
                                      CachingType cache, Tag tag);
  bool free_pages_from_mdl(std::uint64_t handle);

  // MmAllocateContiguousMemorySpecifyCache semantics; the other two routines map onto it.
  AllocOutcome allocate_contiguous(Bytes bytes, const ContiguousWindow& window, CachingType cache,
                                   Tag tag);
  bool free_contiguous(std::uint64_t handle);

  AdapterId add_adapter(const AdapterConfig& config);
  static constexpr AdapterId kDefaultAdapter = 0;
  // AllocateCommonBuffer; AllocateCommonBufferEx adds a MaximumAddress below the adapter's limit
  // and a cache type from CacheEnabled (AllocateCommonBuffer is always cached on x86/x64).
  AllocOutcome allocate_common_buffer(AdapterId adapter, Bytes bytes, Tag tag,
                                      std::uint64_t maximum = ~std::uint64_t{0},
                                      CachingType cache = CachingType::kMmCached);
  bool free_common_buffer(std::uint64_t handle);
  const std::vector<AdapterUsage>& adapters() const { return adapters_; }

  void advance_time(std::uint64_t now_ns);
  MachineUsage usage() const;
  // Bytes of pool pages held plus live page-granular bytes: usage()'s two fields the engine reads
  // after every event, without building the rest (every pool's usage().pages is the pages its
  // PoolPages holds, checked by check_invariants()).
  Bytes used_bytes() const {
    return profile_.page_size.bytes_of(pool_pages_.pages_held()) + page_granular_;
  }
  void check_invariants() const;

  // The pool allocator (tests inspect layouts through it).
  PoolAllocator& pool() { return *pool_; }

 private:
  enum class PageKind : std::uint8_t { kNonCached, kContiguous, kCommonBuffer, kBuddy, kMdl };
  // Where the memory of a page-granular allocation came from.
  enum class Backing : std::uint8_t {
    kPageLists,  // frames taken from the page lists (a chain, or a contiguous run)
    kPoolRun,    // NT 5.x MmCached: pages carved from a free nonpaged pool run
    kPoolBlock   // NT 5.x MmCached: an ExAllocatePoolWithTag 'MmCm' block; `first` is its handle
  };
  struct PageAllocation {
    std::uint64_t first = 0;  // first frame, chain head, first pool page or pool handle
    std::uint64_t pages = 0;
    std::uint64_t map_registers = 0;
    AdapterId adapter = 0;
    PageKind kind = PageKind::kContiguous;
    Backing backing = Backing::kPageLists;
  };

  std::uint64_t next_system_va(std::uint64_t pages);
  // Records a run of frames already taken from memory_ as a page-granular allocation of `kind`
  // for `bytes` requested, and says so in an outcome (footprint, sub-page waste, physical range).
  AllocOutcome hand_out_run(Pfn first, PageCount pages, Bytes bytes, PageKind kind);
  AllocOutcome contiguous(Bytes bytes, Pfn lowest, Pfn highest, PageCount boundary,
                          CachingType cache, OwnerId owner, PageKind kind);
  // NT 5.x: MmCached requests try nonpaged pool first (§5.3 steps 1 and 3).
  // `pool_bytes`: what is asked of the pool (common buffers: whole pages).
  std::optional<AllocOutcome> contiguous_from_pool(Bytes bytes, Bytes pool_bytes,
                                                   const ContiguousRequest& request, OwnerId owner);
  bool free_pages(std::uint64_t handle, PageKind kind);
  // Between kernel calls: the zero-page thread gets the CPU.
  void idle() { memory_.run_zero_page_thread(); }

  Profile profile_;
  PhysicalMemory memory_;
  std::optional<InitialPoolPlacement> initial_pool_;
  PageCount background_;
  PoolPages pool_pages_;
  std::unique_ptr<PoolAllocator> pool_;
  SlubPool* slub_ = nullptr;  // pool_, on a kSlub profile
  std::vector<AdapterUsage> adapters_;
  FlatMap<PageAllocation> page_allocations_;
  Bytes page_granular_;
  std::uint64_t next_va_;
  bool diagnose_failures_ = true;
  bool has_diagnosis_ = false;
};

}  // namespace fragreplay::model
