// Writes the pool events of a trace as a raw ETL file (one CPU, 64 KiB plain buffers of 64-bit
// PoolAlloc/PoolFree records, 10 MHz QPC clock), so scripts/bench can time `fragreplay analyze`
// on ETL end to end against the same events in the native format. ETW has no events for the
// other routines (contiguous memory, non-cached memory, phases): they are left out and counted.
// With --stacks, the file also maps three images and follows each allocation with a StackWalk of
// 12 frames, one of 64 stacks picked by a hash of the allocation's address (docs/formats.md §10),
// so the cost of stacks can be measured against the same events without them. Usage: etl_from_trace
// [--stacks] IN OUT
#include <cstdio>
#include <exception>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "etl_writer.hpp"
#include "trace/etl/etl_layout.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay {
namespace {

bool is_pool_alloc(trace::Routine r) {
  return r == trace::Routine::kExAllocatePoolWithTag ||
         r == trace::Routine::kExAllocatePoolWithQuotaTag;
}

bool is_pool_free(trace::Routine r) {
  return r == trace::Routine::kExFreePool || r == trace::Routine::kExFreePoolWithTag;
}

// Stack `k` of the 64: the pool allocator's frames in the kernel, then a driver's, then tcpip's.
std::vector<std::uint64_t> synthetic_stack(std::uint64_t k) {
  std::vector<std::uint64_t> frames{0xfffff80000001000, 0xfffff80000002000, 0xfffff80000003000};
  for (std::uint64_t i = 0; i < 6; ++i) frames.push_back(0xfffff88002000000 + k * 0x100 + i * 8);
  for (std::uint64_t i = 0; i < 3; ++i) frames.push_back(0xfffff88001000000 + i * 0x40);
  return frames;
}

int run(const std::string& in, const std::string& out, bool stacks) {
  testing::EtlFileOptions options;
  options.cpus = 1;
  options.buffer_size = 64 << 10;
  testing::EtlFile file(options);
  const auto reader = trace::open_trace(in, trace::ReadOptions{});
  std::vector<trace::Event> events(4096);
  std::vector<std::string> buffer;
  std::size_t buffer_bytes = 0;
  std::uint64_t kept = 0, left_out = 0;
  if (stacks) {
    const auto image = [](std::uint64_t base, std::uint64_t size, const char* name) {
      return testing::system_record(true, trace::etl::kGroupImage, trace::etl::kTypeImageDcStart,
                                    1001, testing::image_payload(8, base, size, 0, name));
    };
    buffer.push_back(image(0xfffff80000000000, 0x800000, "ntoskrnl.exe"));
    buffer.push_back(image(0xfffff88001000000, 0x200000, "tcpip.sys"));
    buffer.push_back(image(0xfffff88002000000, 0x100000, "driver.sys"));
  }
  const auto flush = [&] {
    if (!buffer.empty()) file.add_buffer(0, buffer);
    buffer.clear();
    buffer_bytes = 0;
  };
  while (const std::size_t n = reader->read(events)) {
    for (std::size_t i = 0; i < n; ++i) {
      const trace::Event& e = events[i];
      const bool alloc = e.kind == trace::EventKind::kAlloc && is_pool_alloc(e.routine) &&
                         e.pool_arg == trace::PoolArg::kPoolType;
      const bool free = e.kind == trace::EventKind::kFree && is_pool_free(e.routine);
      if (!alloc && !free) {
        ++left_out;
        continue;
      }
      // 100 ns per tick at 10 MHz, after the header event's time.
      const std::uint64_t ticks = options.header_time + 1 + e.time_ns / 100;
      const char tag[4] = {static_cast<char>(e.tag.value), static_cast<char>(e.tag.value >> 8),
                           static_cast<char>(e.tag.value >> 16),
                           static_cast<char>(e.tag.value >> 24)};
      std::string record = testing::perfinfo_record(
          true, trace::etl::kGroupPool,
          alloc ? trace::etl::kTypePoolAlloc : trace::etl::kTypePoolFree, ticks,
          testing::pool_payload(8, static_cast<std::uint32_t>(e.pool), std::string_view(tag, 4),
                                alloc ? e.bytes : 0, e.address));
      // 48 bytes of buffer header; leave room rather than split a record.
      if (buffer_bytes + record.size() > options.buffer_size - 128) flush();
      if (alloc && stacks) {
        record += testing::perfinfo_record(
            true, trace::etl::kGroupStackWalk, trace::etl::kTypeStackWalk, ticks,
            testing::stack_walk_payload(
                8, ticks, 0, 0, synthetic_stack(((e.address >> 4) * 0x9E3779B97F4A7C15ULL) >> 58)));
      }
      buffer_bytes += record.size();
      buffer.push_back(std::move(record));
      ++kept;
    }
  }
  flush();
  std::ofstream o(out, std::ios::binary);
  const std::string bytes = file.bytes();
  o.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!o) {
    std::fprintf(stderr, "etl_from_trace: cannot write %s\n", out.c_str());
    return 1;
  }
  std::fprintf(stderr, "etl_from_trace: %llu pool events written, %llu other events left out\n",
               static_cast<unsigned long long>(kept), static_cast<unsigned long long>(left_out));
  return 0;
}

}  // namespace
}  // namespace fragreplay

int main(int argc, char** argv) {
  const bool stacks = argc == 4 && std::string_view(argv[1]) == "--stacks";
  if (argc != 3 && !stacks) {
    std::fprintf(stderr, "usage: etl_from_trace [--stacks] IN OUT\n");
    return 2;
  }
  try {
    return fragreplay::run(argv[argc - 2], argv[argc - 1], stacks);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "etl_from_trace: %s\n", e.what());
    return 1;
  }
}
