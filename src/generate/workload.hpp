// The vocabulary the scenarios are written in: a Workload turns "allocate 1536 bytes of
// NonPagedPoolNx tagged NicC" into a native trace line with a fresh address and a time that only
// moves forward, remembers what is live so that it can be freed by the matching routine, and
// stops every scenario at exactly the number of events asked for.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

#include "base/contiguous_window.hpp"
#include "base/kernel_abi.hpp"
#include "base/tag.hpp"
#include "generate/rng.hpp"
#include "trace/event.hpp"
#include "trace/native_writer.hpp"
#include "trace/string_table.hpp"

namespace fragreplay::generate {

// What a scenario keeps to free later: the allocation's address, routine and tag.
struct Handle {
  std::uint64_t address = 0;
  trace::Routine routine = trace::Routine::kExAllocatePoolWithTag;
  Tag tag{};
};

// Physical-address limits of a contiguous request (0 = none; below 4 GB unless told), and its
// caching type.
struct Constraints {
  ContiguousWindow window{PhysAddr{0}, PhysAddr{0xFFFFFFFF}, Bytes{0}};
  CachingType cache = CachingType::kMmCached;
};

class Workload {
 public:
  // Writes to `out` (open for the Workload's lifetime) a trace of exactly `events` events, with
  // `comment` as its comment block. Every event is stamped with process "System" and thread 4.
  Workload(std::FILE* out, std::uint64_t events, std::uint64_t seed, const std::string& comment);

  Rng& rng() { return rng_; }
  // True once the trace holds the events asked for; every call below then writes nothing.
  bool done() const { return written_ >= limit_; }
  std::uint64_t written() const { return written_; }
  std::uint64_t limit() const { return limit_; }
  // Fraction of the trace written, in [0, 1].
  double progress() const {
    return limit_ == 0 ? 1.0 : static_cast<double>(written_) / static_cast<double>(limit_);
  }

  // Moves time forward by `ns` (at least 1 ns between events is added by every event).
  void advance(std::uint64_t ns) { time_ns_ += ns; }
  void declare_adapter(std::string_view name, std::uint64_t highest, std::uint64_t map_registers);

  // Called with the number of events written every kProgressEvery events (progress display).
  static constexpr std::uint64_t kProgressEvery = 1u << 16;
  void set_on_progress(std::function<void(std::uint64_t)> f) { on_progress_ = std::move(f); }

  void phase(trace::Routine phase);
  // ExAllocatePoolWithTag(pool_type, bytes, tag).
  Handle pool(std::uint64_t pool_type, std::uint64_t bytes, Tag tag);
  // ExAllocatePool2(flags, bytes, tag).
  Handle pool2(std::uint64_t flags, std::uint64_t bytes, Tag tag);
  Handle noncached(std::uint64_t bytes, Tag tag);
  // MmAllocateContiguousMemorySpecifyCache, or MmAllocateContiguousMemory when `plain` (which
  // takes only the highest address).
  Handle contiguous(std::uint64_t bytes, Tag tag, const Constraints& c, bool plain = false);
  Handle common_buffer(std::string_view adapter, std::uint64_t bytes, Tag tag);
  // Frees `h` with the routine that matches how it was allocated. A default Handle (from a call
  // made after done()) is ignored.
  void free(const Handle& h);

  // Flushes the trace; throws Error if writing failed.
  void finish();

 private:
  trace::Event next(trace::EventKind kind, trace::Routine routine, Tag tag, std::uint64_t bytes);
  Handle emit(trace::Event& e);

  Rng rng_;
  std::uint64_t limit_;
  std::uint64_t written_ = 0;
  std::uint64_t time_ns_ = 0;
  std::uint64_t next_address_ = 0xFFFFA80000100000ull;
  trace::StringTable strings_;
  trace::StringId process_ = 0;
  trace::StringId thread_ = 0;
  trace::NativeWriter writer_;
  std::function<void(std::uint64_t)> on_progress_;
};

}  // namespace fragreplay::generate
