// Linux SLUB kmalloc (the linux-slub profile): requests up to the largest size class
// (KMALLOC_MAX_CACHE_SIZE, 8 KiB with 4 KiB pages) take an object of the smallest class that
// holds them (8, 16, 32, 64, 96, 128, 192, 256, 512, 1K, 2K, 4K, 8K: the kmalloc caches); larger
// ones go to the page allocator as one block of 2^order pages, order = get_order(n)
// (kmalloc_large). bytes_alloc in the kmem:kmalloc tracepoint is exactly that footprint, which
// is how model agreement is measured on real captures.
//
// Slabs follow mm/slub.c in outline: each cache allocates from its current (cpu) slab, LIFO from
// that slab's freelist (a new slab hands out objects in address order); when it is full the first
// partial slab is taken, else a new slab of 2^order physically contiguous pages (falling back to
// the smallest order that holds one object when no such block is free). A freed object returns to
// its slab; a slab that was full joins the tail of the partial list; a slab that becomes empty is
// discarded when the cache already keeps min_partial partial slabs (ilog2(size) / 2 within
// [5, 10]). Per-CPU partial lists and NUMA nodes are not modelled (one CPU, one node).
//
// Objects of other slab caches (kmem_cache_alloc) come from a cache of their own, one per object
// size the trace records (bytes_alloc: the cache's object size; a trace names no cache), created
// on first use with the order SLUB's calculate_order gives that size (slab_order.hpp). Such caches
// are never merged with the kmalloc caches of the same size (the kernel may merge compatible
// caches; a trace does not say which it did). kfree() frees objects of any cache.
//
// Invariants (check_invariants()): every slab's used count matches its freelist; a slab is the
// cpu slab, on the partial list (free objects left), or full (on no list); no empty slab is on the
// partial list beyond min_partial; pages held = slab pages + large-allocation pages.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <optional>
#include <vector>

#include "base/flat_map.hpp"
#include "model/pool/pool_allocator.hpp"
#include "model/pool/pool_pages.hpp"
#include "model/profile.hpp"

namespace fragreplay::model {

class SlubPool final : public PoolAllocator {
 public:
  // The handle kmalloc(0) returns (ZERO_SIZE_PTR): no memory behind it.
  static constexpr std::uint64_t kZeroSizePtr = 16;

  SlubPool(const Profile& profile, PoolPages& pages, PhysicalMemory& memory);

  AllocOutcome allocate(const PoolRequest& request) override;
  // kmem_cache_alloc: an object of the cache of `object_size`-byte objects for a request of
  // request.bytes (the cache's object_size before alignment and metadata). Fails (kInvalid) for
  // a size of 0, a request above the object size, or an object no slab can hold.
  AllocOutcome allocate_object(std::uint64_t object_size, const PoolRequest& request);
  bool free(std::uint64_t handle) override;
  void advance_time(std::uint64_t) override {}
  PoolUsage usage() const override;
  void check_invariants() const override;

  // The footprint kmalloc gives a request of n bytes (what the kmalloc tracepoint's bytes_alloc
  // reports).
  std::uint64_t charged_bytes(std::uint64_t n) const;

  // For tests: the slabs of the kmalloc cache of `size` bytes (of the slab cache of objects of
  // that size when `slab_cache`).
  struct SlabView {
    std::uint64_t base;
    unsigned order;
    unsigned objects;
    std::vector<unsigned> used;  // indices of the used objects, ascending
    friend bool operator==(const SlabView&, const SlabView&) = default;
  };
  std::vector<SlabView> slabs(std::uint64_t size, bool slab_cache = false) const;  // by address
  std::optional<std::uint64_t> cpu_slab(std::uint64_t size, bool slab_cache = false) const;
  std::vector<std::uint64_t> partial_slabs(std::uint64_t size,
                                           bool slab_cache = false) const;  // list order

 private:
  struct Slab {
    unsigned cache = 0;
    unsigned order = 0;
    unsigned objects = 0;
    unsigned used = 0;
    std::vector<unsigned> freelist;  // free object indices; the next allocation takes the back
  };
  struct Cache {
    std::uint64_t size = 0;
    unsigned order = 0;
    unsigned min_partial = 5;
    std::optional<std::uint64_t> cpu;  // the slab allocations come from
    std::list<std::uint64_t> partial;  // slabs with free objects, not the cpu slab
  };

  // The cache `size` names: a kmalloc class (the first kmalloc_caches_ caches) or a slab cache.
  const Cache* find_cache(std::uint64_t size, bool slab_cache) const;
  // An object from cache `index` (___slab_alloc), for a request of n bytes.
  AllocOutcome allocate_in(unsigned index, std::uint64_t n, OwnerId owner);

  OwnerId owner_for(Tag tag);
  std::optional<std::uint64_t> new_slab(unsigned cache, OwnerId owner);
  void discard(std::uint64_t base);
  std::map<std::uint64_t, Slab>::iterator slab_of(std::uint64_t address);

  PoolPages& pages_;
  PhysicalMemory& memory_;
  std::uint64_t page_;
  std::vector<Cache> caches_;  // the kmalloc classes, then slab caches in order of first use
  std::size_t kmalloc_caches_ = 0;
  FlatMap<unsigned> slab_caches_;  // object size -> index in caches_
  unsigned min_partial_floor_ = 5;
  unsigned min_partial_ceiling_ = 10;
  std::map<std::uint64_t, Slab> slabs_;  // base address -> slab
  FlatMap<std::uint64_t> large_;         // kmalloc_large address -> pages
  FlatMap<std::uint64_t> live_;          // object handle -> footprint
  std::uint64_t live_bytes_ = 0;
};

}  // namespace fragreplay::model
