// mm/vmstat.c's indices (see vmstat_index.hpp).
#include "model/physical/vmstat_index.hpp"

namespace fragreplay::model {

ContigPageInfo contig_page_info(std::span<const std::uint64_t> blocks_by_order, unsigned order) {
  ContigPageInfo info;
  for (unsigned k = 0; k < blocks_by_order.size(); ++k) {
    const std::uint64_t blocks = blocks_by_order[k];
    info.free_blocks_total += blocks;
    info.free_pages += blocks << k;
    if (k >= order) info.free_blocks_suitable += blocks << (k - order);
  }
  return info;
}

std::int32_t unusable_free_index(unsigned order, const ContigPageInfo& info) {
  if (info.free_pages == 0) return 1000;
  return static_cast<std::int32_t>((info.free_pages - (info.free_blocks_suitable << order)) * 1000 /
                                   info.free_pages);
}

std::int32_t fragmentation_index(unsigned order, const ContigPageInfo& info) {
  const std::uint64_t requested = std::uint64_t{1} << order;
  if (info.free_blocks_total == 0) return 0;
  if (info.free_blocks_suitable != 0) return -1000;
  return static_cast<std::int32_t>(
      1000 - static_cast<std::int64_t>((1000 + info.free_pages * 1000 / requested) /
                                       info.free_blocks_total));
}

}  // namespace fragreplay::model
