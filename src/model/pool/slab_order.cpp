// SLUB's slab order for a cache (see slab_order.hpp).
#include "model/pool/slab_order.hpp"

#include <algorithm>
#include <bit>

namespace fragreplay::model {
namespace {

// get_order(): the smallest order whose block of pages holds n bytes.
unsigned get_order(std::uint64_t n, std::uint64_t page) {
  const std::uint64_t pages = (n + page - 1) / page;
  return pages <= 1 ? 0 : static_cast<unsigned>(std::bit_width(pages - 1));
}

// calc_slab_order(): the first order from get_order(min_objects * size) to max_order whose
// leftover is at most 1/fract_leftover of the slab; max_order + 1 when there is none.
unsigned calc_slab_order(std::uint64_t size, std::uint64_t page, unsigned min_objects,
                         unsigned max_order, unsigned fract_leftover) {
  for (unsigned order = get_order(min_objects * size, page); order <= max_order; ++order) {
    const std::uint64_t slab = page << order;
    if (slab % size <= slab / fract_leftover) return order;
  }
  return max_order + 1;
}

}  // namespace

std::optional<unsigned> slab_order(std::uint64_t size, std::uint64_t page,
                                   const SlabOrderRule& rule) {
  if (size == 0 || size > (page << rule.largest_order)) return std::nullopt;
  const std::uint64_t max_objects = (page << rule.max_order) / size;
  unsigned min_objects =
      static_cast<unsigned>(std::min<std::uint64_t>(rule.min_objects, max_objects));
  for (; min_objects > 1; --min_objects) {
    for (unsigned fraction = 16; fraction >= 4; fraction /= 2) {
      const unsigned order = calc_slab_order(size, page, min_objects, rule.max_order, fraction);
      if (order <= rule.max_order) return order;
    }
  }
  // One object per slab: within slub_max_order if it fits, else up to the largest order.
  const unsigned order = calc_slab_order(size, page, 1, rule.max_order, 1);
  if (order <= rule.max_order) return order;
  return calc_slab_order(size, page, 1, rule.largest_order, 1);
}

}  // namespace fragreplay::model
