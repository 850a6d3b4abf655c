// One malloc/free sequence, two ways, for scripts/bench's comparison with heaptrack_print:
//   churn run EVENTS LIVE   performs it with malloc and free (record it with `heaptrack churn
//   run`); churn csv EVENTS LIVE   writes the same sequence as a native fragreplay trace on stdout.
// The sequence: LIVE allocations of 16-1024 bytes, then, until EVENTS events, a free of a
// randomly chosen live one followed by a new allocation in its slot, then frees of all left, in
// slot order. A fixed linear congruential generator makes both modes draw the same sizes and slots.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

struct Lcg {
  std::uint64_t state = 1;
  std::uint32_t next() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(state >> 33);
  }
};

// Calls alloc(slot, bytes) and release(slot) in the order of the sequence.
template <typename Alloc, typename Release>
void sequence(std::uint64_t events, std::uint64_t live, Alloc alloc, Release release) {
  Lcg rng;
  std::uint64_t done = 0;
  for (std::uint64_t s = 0; s < live && done < events; ++s, ++done)
    alloc(s, 16 + rng.next() % 1009);
  while (done + 2 + live <= events) {
    const std::uint64_t s = rng.next() % live;
    release(s);
    alloc(s, 16 + rng.next() % 1009);
    done += 2;
  }
  for (std::uint64_t s = 0; s < live && done < events; ++s, ++done) release(s);
}

int run(std::uint64_t events, std::uint64_t live) {
  std::vector<void*> slots(live, nullptr);
  std::uint64_t touched = 0;
  sequence(
      events, live,
      [&](std::uint64_t s, std::uint32_t bytes) {
        slots[s] = std::malloc(bytes);
        if (slots[s] == nullptr) std::abort();
        static_cast<unsigned char*>(slots[s])[0] = 1;  // so the allocation is not optimised out
        ++touched;
      },
      [&](std::uint64_t s) {
        std::free(slots[s]);
        slots[s] = nullptr;
      });
  return touched == 0 ? 1 : 0;
}

int csv(std::uint64_t events, std::uint64_t live) {
  std::printf("# fragreplay trace v1\n");
  std::printf(
      "time_ns,event,routine,pool,tag,bytes,address,lowest,highest,boundary,cache,node,adapter,"
      "process,thread\n");
  std::uint64_t t = 0;
  // Slot s lives at its own 2 KiB-aligned address, so every live address is distinct.
  const auto address = [](std::uint64_t s) { return 0xFFFF800000000000ULL + (s << 11); };
  sequence(
      events, live,
      [&](std::uint64_t s, std::uint32_t bytes) {
        std::printf("%llu,alloc,ExAllocatePoolWithTag,NonPagedPoolNx,Chrn,%u,0x%llx,,,,,,,,\n",
                    static_cast<unsigned long long>(t), bytes,
                    static_cast<unsigned long long>(address(s)));
        t += 100;
      },
      [&](std::uint64_t s) {
        std::printf("%llu,free,ExFreePoolWithTag,,Chrn,,0x%llx,,,,,,,,\n",
                    static_cast<unsigned long long>(t),
                    static_cast<unsigned long long>(address(s)));
        t += 100;
      });
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: churn run|csv EVENTS LIVE\n");
    return 2;
  }
  const std::string mode = argv[1];
  const std::uint64_t events = std::strtoull(argv[2], nullptr, 10);
  const std::uint64_t live = std::strtoull(argv[3], nullptr, 10);
  if (live == 0 || events < 2 * live) {
    std::fprintf(stderr, "churn: EVENTS must be at least twice LIVE, and LIVE positive\n");
    return 2;
  }
  if (mode == "run") return run(events, live);
  if (mode == "csv") return csv(events, live);
  std::fprintf(stderr, "churn: unknown mode '%s' (run, csv)\n", mode.c_str());
  return 2;
}
