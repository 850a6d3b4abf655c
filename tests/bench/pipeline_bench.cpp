// Micro-benchmarks of the three stages every event crosses: the native parser (bytes to Events),
// the live table (address to record: insert, find, erase) and the pool model (allocate_pool /
// free_pool on a win7-x64 machine). Each reports items/s, one item being one event or one
// operation, so the figures compare with the end-to-end events/s scripts/bench prints.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "generate/scenarios.hpp"
#include "model/machine.hpp"
#include "replay/live_table.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay {
namespace {

std::uint64_t mix(std::uint64_t& s) {
  std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// 200,000 events of a generated scenario, as native text held in memory.
std::string scenario_text(std::string_view scenario) {
  std::FILE* f = std::tmpfile();
  generate::generate(*generate::find_scenario(scenario), 200000, 1, f);
  std::string text;
  std::rewind(f);
  char buf[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  std::fclose(f);
  return text;
}

void BM_ParseNative(benchmark::State& state) {
  static const std::string text = scenario_text("long-running");
  std::vector<trace::Event> events(4096);
  std::uint64_t total = 0;
  for (auto _ : state) {
    auto reader = trace::open_trace(trace::memory_source(text, "bench.csv"), trace::ReadOptions{});
    while (const std::size_t n = reader->read(events)) total += n;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(total));
  state.SetBytesProcessed(static_cast<std::int64_t>(text.size()) * state.iterations());
}
BENCHMARK(BM_ParseNative)->Unit(benchmark::kMillisecond);

// Declaring N DMA adapters: one lookup per declaration, so the time per declaration stays flat
// as N grows (a linear duplicate check made 160,000 declarations cost 17 s).
void BM_AdapterDeclarations(benchmark::State& state) {
  std::string text = "# fragreplay trace v1\n";
  for (std::int64_t i = 0; i < state.range(0); ++i) {
    text += "#!adapter name=nic" + std::to_string(i) + " map_registers=8\n";
  }
  text +=
      "time_ns,event,routine,pool,tag,bytes,address,lowest,highest,boundary,cache,node,"
      "adapter,process,thread\n";
  std::vector<trace::Event> events(16);
  for (auto _ : state) {
    auto reader = trace::open_trace(trace::memory_source(text, "bench.csv"), trace::ReadOptions{});
    while (reader->read(events) != 0) {
    }
    benchmark::DoNotOptimize(reader->adapters().size());
  }
  state.SetItemsProcessed(state.range(0) * state.iterations());
}
BENCHMARK(BM_AdapterDeclarations)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(160000)
    ->Unit(benchmark::kMillisecond);

// A live table holding `live` allocations; each iteration frees a random live one (take: find
// and erase in one probe) and allocates a fresh address (insert): the steady state of a long
// replay.
void BM_LiveTable(benchmark::State& state) {
  const auto live = static_cast<std::uint64_t>(state.range(0));
  replay::LiveTable table;
  std::vector<std::uint64_t> addresses;
  std::uint64_t seed = 1;
  std::uint64_t next = 0xFFFFA80000100000ull;
  for (std::uint64_t i = 0; i < live; ++i, next += 0x40) {
    table.insert(next, replay::LiveRecord{});
    addresses.push_back(next);
  }
  for (auto _ : state) {
    const std::size_t i = mix(seed) % addresses.size();
    std::optional<replay::LiveRecord> r = table.take(addresses[i]);
    benchmark::DoNotOptimize(r);
    table.insert(next, replay::LiveRecord{});
    addresses[i] = next;
    next += 0x40;
  }
  state.SetItemsProcessed(state.iterations() * 2);
}
BENCHMARK(BM_LiveTable)->Arg(1000)->Arg(100000)->Arg(1000000);

// The pool model: 4,096 live small NonPagedPoolNx blocks (16-1,024 bytes); each iteration frees
// a random one and allocates another.
void BM_PoolModel(benchmark::State& state) {
  const model::Profile& profile = model::builtin_profile("win7-x64");
  model::Machine machine(profile, model::MachineConfig{});
  std::vector<std::uint64_t> handles;
  std::uint64_t seed = 1;
  const Tag tag = Tag::from_chars("Bnch");
  for (int i = 0; i < 4096; ++i) {
    handles.push_back(
        machine.allocate_pool(0x200, Bytes{16 + mix(seed) % 1009}, tag, false).handle);
  }
  for (auto _ : state) {
    const std::size_t i = mix(seed) % handles.size();
    machine.free_pool(handles[i]);
    handles[i] = machine.allocate_pool(0x200, Bytes{16 + mix(seed) % 1009}, tag, false).handle;
  }
  state.SetItemsProcessed(state.iterations() * 2);
}
BENCHMARK(BM_PoolModel);

}  // namespace
}  // namespace fragreplay
