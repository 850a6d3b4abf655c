// The machine as it stands when the trace begins: where NT 5.x put its initial nonpaged pool
// (docs/model.md §5.1), the limits of the pool's page allocator that depend on RAM size
// (§3.8), and --background: frames other consumers of a long-running machine already hold.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "base/units.hpp"
#include "model/physical/physical_memory.hpp"
#include "model/pool/pool_pages.hpp"
#include "model/profile.hpp"

namespace fragreplay::model {

struct InitialPoolPlacement {
  Pfn first;
  PageCount pages;
  bool large_pages = false;  // mapped by large pages: must-be-cached frames (MiAddCachedRange)
};

// The NT 5.x initial nonpaged pool (profile.initial_pool == kNt5), sized as WRK's init code does:
// on machines too small for large pages (RAM <= large_page_min_ram) start from
// initial_pool_small_machine; a size above 7/8 of RAM is dropped; a size below the minimum becomes
// minimum + per_mb x (MiB of RAM above initial_pool_free_above); at most initial_pool_maximum and
// half of the largest RAM range (the loader's largest free descriptor), in whole pages.
// Placed in the largest RAM range: with large pages at its bottom if the range starts on a
// large-page boundary, else at its top if it ends on one, else at its first large-page boundary
// (WRK MiComputeInitialLargePage); without large pages at its bottom.
std::optional<InitialPoolPlacement> place_initial_pool(const Profile& profile,
                                                       const std::vector<RamRange>& ram);

// The page allocator's settings for a machine of `ram_frames` frames: the SList depth doubles at
// 1 GiB of RAM and is 8 times deeper at 2 GiB (MiInitializeNonPagedPool); freed expansion pages
// are kept only while at most 5 (100 above 500 MB, 300 above 1000 MB) pool pages are free
// (MmFreedExpansionPoolMaximum, mminit.c).
PoolPagesConfig pool_pages_config(const Profile& profile, PageCount ram_frames,
                                  const std::optional<InitialPoolPlacement>& initial);

// --background PERCENT[:SEED]: claims frames for `owner` until `percent` % of RAM (at most what
// is free) is held, in a pattern drawn from a splitmix64 stream seeded with `seed`, and returns
// how many it claimed. Each walk goes up RAM over the frames still free: an extent of 2^j frames
// (j = 0..9 with probability 2^-(j+1), the rest on j = 9: mean about 5 frames, at most 512), then
// a gap uniform in [0, 2g] free frames, g = 5 x (100 - percent) / percent, so a walk covers about
// the share; walks repeat until exactly the share is held.
std::uint64_t occupy_background(PhysicalMemory& memory, unsigned percent, std::uint64_t seed,
                                OwnerId owner);

}  // namespace fragreplay::model
