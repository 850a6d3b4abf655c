// The replay's cost per event for contiguous requests against small pool requests on a 64 GiB
// machine (win7-x64, timeline on): 1 M alloc/free pairs of each, generated on the fly, timed in one
// run. The target: contiguous pairs of random sizes (1-512 pages) in at most 3 times the
// time of small pool pairs. Counters: pool_s, contiguous_s and their ratio.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include "model/machine.hpp"
#include "replay/engine.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay {
namespace {

// A trace reader that makes events instead of parsing them: `pairs` allocations, each freed
// once `window` newer ones are live (the last `window` are freed at the end). Sizes from a fixed
// splitmix64 stream, so every run replays the same trace.
class GeneratedTrace final : public trace::TraceReader {
 public:
  enum class Kind { kPool, kContiguous };
  GeneratedTrace(Kind kind, std::uint64_t pairs, std::uint64_t window)
      : kind_(kind), pairs_(pairs), window_(window) {}

  std::size_t read(std::span<trace::Event> out) override {
    std::size_t n = 0;
    while (n < out.size() && (next_alloc_ < pairs_ || next_free_ < pairs_)) {
      trace::Event& e = out[n++];
      e = trace::Event{};
      e.time_ns = events_ * 100;
      e.source_pos = events_ + 3;
      ++events_;
      // At most `window` allocations live at a time: once one more is live, the oldest is freed;
      // at the end the last `window` are freed.
      if (next_alloc_ == pairs_ || next_alloc_ - next_free_ > window_) {
        make_free(e, next_free_++);
      } else {
        make_alloc(e, next_alloc_++);
      }
    }
    return n;
  }
  std::string_view format() const override { return "generated"; }
  const std::string& name() const override { return name_; }
  const trace::StringTable& strings() const override { return strings_; }
  const std::vector<trace::AdapterDecl>& adapters() const override { return adapters_; }
  const trace::BadLines& bad_lines() const override { return bad_; }
  std::uint64_t bytes_consumed() const override { return 0; }
  std::uint64_t bytes_total() const override { return 0; }

 private:
  std::uint64_t next() {
    std::uint64_t z = (seed_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  static std::uint64_t address(std::uint64_t i) { return 0x10000 + i * 16; }
  void make_alloc(trace::Event& e, std::uint64_t i) {
    e.kind = trace::EventKind::kAlloc;
    e.tag = Tag::from_chars(kind_ == Kind::kPool ? "Pool" : "Cont");
    e.address = address(i);
    if (kind_ == Kind::kPool) {
      e.routine = trace::Routine::kExAllocatePoolWithTag;
      e.pool_arg = trace::PoolArg::kPoolType;
      e.pool = 0x200;  // NonPagedPoolNx
      e.bytes = 16 + next() % 1009;
    } else {
      e.routine = trace::Routine::kMmAllocateContiguousMemorySpecifyCache;
      e.bytes = (1 + next() % 512) * 4096;
      e.window.highest = PhysAddr{next() % 2 == 0 ? 0xFFFFFFFF : ~std::uint64_t{0}};
      e.cache = CachingType::kMmCached;
    }
  }
  void make_free(trace::Event& e, std::uint64_t i) {
    e.kind = trace::EventKind::kFree;
    e.routine = kind_ == Kind::kPool ? trace::Routine::kExFreePoolWithTag
                                     : trace::Routine::kMmFreeContiguousMemorySpecifyCache;
    e.address = address(i);
  }

  Kind kind_;
  std::uint64_t pairs_, window_;
  std::uint64_t next_alloc_ = 0;
  std::uint64_t next_free_ = 0;
  std::uint64_t events_ = 0;
  std::uint64_t seed_ = 1;
  std::string name_ = "generated";
  trace::StringTable strings_;
  std::vector<trace::AdapterDecl> adapters_;
  trace::BadLines bad_;
};

double replay_seconds(GeneratedTrace::Kind kind, std::uint64_t pairs) {
  model::MachineConfig config;
  config.ram = model::pc_ram_map(Bytes{64ull << 30}, PageSize{12});
  model::Machine machine(model::builtin_profile("win7-x64"), config);
  GeneratedTrace trace(kind, pairs, 32);
  // CPU time of the process, so a busy shared machine does not skew the ratio.
  const std::clock_t start = std::clock();
  const replay::Results r = replay::replay_trace(trace, machine, replay::ReplayOptions{});
  const std::clock_t stop = std::clock();
  benchmark::DoNotOptimize(r.totals.allocations);
  return static_cast<double>(stop - start) / CLOCKS_PER_SEC;
}

void ContiguousVsPoolPairs(benchmark::State& state) {
  const auto pairs = static_cast<std::uint64_t>(state.range(0));
  double pool = 0, contiguous = 0;
  for (auto _ : state) {
    pool = replay_seconds(GeneratedTrace::Kind::kPool, pairs);
    contiguous = replay_seconds(GeneratedTrace::Kind::kContiguous, pairs);
  }
  state.counters["pool_s"] = pool;
  state.counters["contiguous_s"] = contiguous;
  state.counters["ratio"] = contiguous / pool;
}
BENCHMARK(ContiguousVsPoolPairs)->Arg(1000000)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
}  // namespace fragreplay

namespace fragreplay {
namespace {

// Each replay alone (for profiling one of them).
void ReplayPairs(benchmark::State& state) {
  const auto kind =
      state.range(0) == 0 ? GeneratedTrace::Kind::kPool : GeneratedTrace::Kind::kContiguous;
  double seconds = 0;
  for (auto _ : state) seconds = replay_seconds(kind, 1000000);
  state.counters["cpu_s"] = seconds;
}
BENCHMARK(ReplayPairs)
    ->ArgName("contiguous")
    ->Arg(0)
    ->Arg(1)
    ->Iterations(1)
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace fragreplay
