// Linux's external-fragmentation indices, exactly as mm/vmstat.c computes them
// (docs/model.md §8.2, docs/measures.md §3.2), over a histogram of free blocks by
// order. Results are in thousandths, as the kernel keeps them (debugfs prints them as 0.xxx).
#pragma once

#include <cstdint>
#include <span>

namespace fragreplay::model {

// fill_contig_page_info: free pages, free blocks, and blocks of `order` that could be carved.
struct ContigPageInfo {
  std::uint64_t free_pages = 0;            // Σ n_k 2^k
  std::uint64_t free_blocks_total = 0;     // Σ n_k
  std::uint64_t free_blocks_suitable = 0;  // Σ_{k >= order} n_k 2^(k - order)
};
ContigPageInfo contig_page_info(std::span<const std::uint64_t> blocks_by_order, unsigned order);

// unusable_free_index: 1000 when nothing is free, else
// (free_pages - (free_blocks_suitable << order)) * 1000 / free_pages.
std::int32_t unusable_free_index(unsigned order, const ContigPageInfo& info);

// __fragmentation_index: 0 when there are no free blocks; -1000 when a suitable block exists
// (the request would succeed); else 1000 - (1000 + free_pages * 1000 / 2^order) /
// free_blocks_total, integer divisions.
std::int32_t fragmentation_index(unsigned order, const ContigPageInfo& info);

}  // namespace fragreplay::model
