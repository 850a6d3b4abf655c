// The slab order SLUB gives a cache of objects of a given size: Linux mm/slub.c calculate_order()
// and calc_slab_order(). A slab-cache object (kmem_cache_alloc) is placed on a slab of its own
// cache, whose order is computed here, as the kernel computes it when the cache is created.
//
// The rule: start with min_objects objects per slab (4 * (fls(nr_cpus) + 1), 20 for the 8 CPUs the
// linux-slub profile's kmalloc classes assume), capped at what a slab of slub_max_order pages
// holds; take the smallest order from get_order(min_objects * size) up to slub_max_order
// (PAGE_ALLOC_COSTLY_ORDER, 3) whose leftover (slab bytes mod size) is at most 1/16 of the slab,
// else 1/8, else 1/4; else try again with one object fewer; else the smallest order that holds one
// object, up to the page allocator's largest order. The built-in kmalloc classes' orders follow
// the same rule (a test checks this).
#pragma once

#include <cstdint>
#include <optional>

namespace fragreplay::model {

struct SlabOrderRule {
  unsigned min_objects = 20;    // 4 * (fls(8) + 1)
  unsigned max_order = 3;       // slub_max_order = PAGE_ALLOC_COSTLY_ORDER
  unsigned largest_order = 10;  // MAX_ORDER - 1 on x86-64 (MAX_ORDER 11)
};

// The order of a slab of objects of `size` bytes on pages of `page` bytes; nullopt when not even
// one object fits in a block of the largest order (or size is 0).
std::optional<unsigned> slab_order(std::uint64_t size, std::uint64_t page,
                                   const SlabOrderRule& rule = {});

}  // namespace fragreplay::model
