// Throughput of the ETL reader: on the real relogged trace net.4.5.2.x64.etl (360 buffers, 359
// LZXPRESS-compressed, 179,474 records of every header type, no pool events: the cost of
// walking, decompressing and counting), and on a synthetic pool trace (8 CPUs, plain buffers
// full of PoolAlloc/PoolFree records: the cost of decoding pool events and merging the CPUs).
// Both read from memory, so the disk is not measured. Reports bytes/s and items/s (records for
// the first, pool events for the second).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "etl_writer.hpp"
#include "trace/compressed_source.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay {
namespace {

std::string net_etl() {
  static const std::string bytes = [] {
    auto src = trace::decompressing_source(
        trace::Compression::kZstd,
        trace::open_file_source(std::string(FRAGREPLAY_SOURCE_DIR) +
                                "/tests/data/etl/net.4.5.2.x64.etl.zst"));
    std::string out;
    char buf[1 << 16];
    while (const std::size_t n = src->read(buf, sizeof buf)) out.append(buf, n);
    return out;
  }();
  return bytes;
}

std::string pool_etl() {
  static const std::string bytes = [] {
    testing::EtlFileOptions o;
    o.cpus = 8;
    o.buffer_size = 64 << 10;
    testing::EtlFile f(o);
    std::uint64_t t = 2000;
    for (int b = 0; b < 64; ++b) {
      for (std::uint16_t cpu = 0; cpu < 8; ++cpu) {
        std::vector<std::string> records;
        for (int i = 0; i < 1600; ++i) {  // 40-byte records, ~64 KiB a buffer
          const std::uint64_t addr = 0xfffffa8000000000 + ((cpu * 1600 + i) << 5);
          records.push_back(testing::perfinfo_record(
              true, 0x0E, (i & 1) ? 0x22 : 0x20, t + static_cast<std::uint64_t>(i) * 8 + cpu,
              testing::pool_payload(8, 0x200, "Bnch", 64 + (i & 255), addr & ~std::uint64_t{32})));
        }
        f.add_buffer(cpu, records);
      }
      t += 1600 * 8;
    }
    return f.bytes();
  }();
  return bytes;
}

void read_all(benchmark::State& state, const std::string& bytes, bool count_records) {
  std::vector<trace::Event> batch(4096);
  std::uint64_t items = 0;
  for (auto _ : state) {
    auto r = trace::open_trace(trace::memory_source(bytes, "bench.etl"), trace::ReadOptions{});
    std::uint64_t events = 0;
    while (const std::size_t n = r->read(batch)) events += n;
    items += count_records ? r->facts().records : events;
    benchmark::DoNotOptimize(events);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes.size() * state.iterations()));
  state.SetItemsProcessed(static_cast<std::int64_t>(items));
}

void BM_EtlReaderNet(benchmark::State& state) { read_all(state, net_etl(), true); }
void BM_EtlReaderPoolEvents(benchmark::State& state) { read_all(state, pool_etl(), false); }

BENCHMARK(BM_EtlReaderNet)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EtlReaderPoolEvents)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace fragreplay
