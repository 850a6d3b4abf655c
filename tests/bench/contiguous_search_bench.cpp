// The contiguous search on the free-run index against the frame-by-frame reference scan
// (model/naive_contiguous.hpp) on PC-shaped machines of 1, 16 and 64 GiB, fresh and fragmented
// (30 % of RAM held by --background's pattern). The ratio of a Naive to an Index run of the same
// arguments is the speed-up; scripts/bench prints it.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>

#include "model/physical/boot_layout.hpp"
#include "model/physical/physical_memory.hpp"
#include "naive_contiguous.hpp"

namespace fragreplay::model {
namespace {

// One machine per (GiB, background) for the whole run: building 64 GiB takes a while.
PhysicalMemory& machine(unsigned gib, unsigned background) {
  static std::map<std::pair<unsigned, unsigned>, std::unique_ptr<PhysicalMemory>> cache;
  auto& slot = cache[{gib, background}];
  if (!slot) {
    slot =
        std::make_unique<PhysicalMemory>(pc_ram_map(Bytes{std::uint64_t{gib} << 30}, PageSize{12}),
                                         PageSize{12}, PagePolicy{64, 8, 128});
    if (background != 0) {
      occupy_background(*slot, background, 1, slot->intern_owner({OwnerClass::kBackground, Tag{}}));
    }
  }
  return *slot;
}

// The requests: 0 = 8 pages anywhere, 1 = 256 pages anywhere, 2 = 16 pages below 4 GiB inside
// one 64 KiB block, scanning down (Windows 10 style).
ContiguousRequest request(int kind, const PhysicalMemory& m) {
  const Pfn top{m.end_frame().value - 1};
  switch (kind) {
    case 0:
      return {PageCount{8},
              Pfn{0},
              top,
              PageCount{0},
              CachingType::kMmCached,
              ScanDirection::kAscending};
    case 1:
      return {PageCount{256},           Pfn{0}, top, PageCount{0}, CachingType::kMmCached,
              ScanDirection::kAscending};
    default:
      return {PageCount{16},          Pfn{0},
              Pfn{0xFFFFF},           PageCount{16},
              CachingType::kMmCached, ScanDirection::kDescending};
  }
}

void Index(benchmark::State& state) {
  PhysicalMemory& m =
      machine(static_cast<unsigned>(state.range(0)), static_cast<unsigned>(state.range(1)));
  const ContiguousRequest r = request(static_cast<int>(state.range(2)), m);
  for (auto _ : state) benchmark::DoNotOptimize(m.find_contiguous(r));
}

void Naive(benchmark::State& state) {
  PhysicalMemory& m =
      machine(static_cast<unsigned>(state.range(0)), static_cast<unsigned>(state.range(1)));
  const ContiguousRequest r = request(static_cast<int>(state.range(2)), m);
  for (auto _ : state) benchmark::DoNotOptimize(naive_find_contiguous(m, r));
}

// Arguments: GiB, background percent, request kind.
void Arguments(benchmark::internal::Benchmark* b) {
  b->ArgNames({"GiB", "bg", "req"});
  for (int gib : {1, 16, 64}) {
    for (int bg : {0, 30}) {
      for (int req : {0, 1, 2}) b->Args({gib, bg, req});
    }
  }
  b->Unit(benchmark::kMicrosecond);
}

BENCHMARK(Index)->Apply(Arguments);
BENCHMARK(Naive)->Apply(Arguments);

}  // namespace
}  // namespace fragreplay::model
