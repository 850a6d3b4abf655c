// Asking the CPU to start loading a cache line that the replay will read soon (the live table's
// slots, the pool model's blocks, the next events of a batch).
//
// Written as a volatile PREFETCHT0 on x86-64, not as GCC's __builtin_prefetch: a function whose
// only effect is a __builtin_prefetch counts for GCC 12 as free of side effects, so a call to it
// that was not inlined early (FlatMap::prefetch_for_erase, the live table's prefetch) was deleted
// as dead code, and the Release build carried no prefetch of the live table at all
// (docs/performance.md §3). A volatile asm is never deleted. PREFETCHT0 exists on every x86-64
// and brings the line into all cache levels; the store that usually follows finds it there.
#pragma once

#include <cstddef>

namespace fragreplay {

// About one core's own cache (an L2 of 512 KiB to 2 MiB). A table larger than this misses on
// most lookups, so prefetching its slots pays for the hashing; a smaller one mostly hits, and
// the hints would only cost time (measured on the driver scenarios, docs/performance.md §3).
inline constexpr std::size_t kCoreCacheBytes = std::size_t{1} << 20;

inline void prefetch_line(const void* p) {
#if defined(__x86_64__)
  asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(p)));
#else
  __builtin_prefetch(p, 0, 3);
#endif
}

// The lines holding the first and last byte of an object of `size` bytes at p (an object not a
// divisor of the cache line may straddle two lines).
inline void prefetch_object(const void* p, unsigned long size) {
  const char* c = static_cast<const char*>(p);
  prefetch_line(c);
  prefetch_line(c + size - 1);
}

}  // namespace fragreplay
