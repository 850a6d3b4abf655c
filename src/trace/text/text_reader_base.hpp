// What the readers of Windows text exports share beyond the line-reader skeleton
// (line_trace_reader.hpp, which holds the bad-line policy): the loop over rows, counting rows by
// event name, the names of pool events, and turning a decoded pool row into an Event with the
// same rules as the ETL reader (modifier bits stripped from the pool type, the session bit set for
// session events, sizes beyond any address space refused).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trace/line_trace_reader.hpp"

namespace fragreplay::trace::text {

// "column 'Size': expected a number of bytes, got \"12a\"".
[[noreturn]] void bad_value(std::string_view column, std::string_view expected,
                            std::string_view got);

// What a pool event of a text export is, from its name (the xperf event name, the tracerpt
// opcode name): allocs and frees (session ones too), rundown snapshots at the start (replayed as
// pre-existing allocations) and at the end, pool-page events, anything else.
enum class PoolRowKind : std::uint8_t {
  kAlloc,
  kFree,
  kRundown,
  kSnapshotEnd,
  kAddPoolPage,
  kBigPoolPage,
  kOther
};
struct PoolRowClass {
  PoolRowKind kind = PoolRowKind::kOther;
  bool session = false;
};
// `name` in normalize_name() form. Returns nullopt if it is not a pool event name.
std::optional<PoolRowClass> classify_pool_name(std::string_view name);
// The same from an ETW PoolTrace opcode (32-47).
PoolRowClass classify_pool_opcode(std::uint64_t opcode);
// Counts the row in the pool counts of `facts`.
void count_pool_row(InputFacts& facts, const PoolRowClass& c);

class TextReaderBase : public LineReaderSkeleton {
 public:
  using LineReaderSkeleton::LineReaderSkeleton;

  const InputFacts& facts() const override;
  // Every reader on this base reads an export of a Windows (ETW) trace.
  Platform platform() const override { return Platform::kWindows; }

 protected:
  // Hands each line that is not blank to `parse_row(line, event)` (under the bad-line policy)
  // until `out` is full or the input ends; parse_row returns true if the line became the event.
  template <typename F>
  std::size_t read_rows(std::span<Event> out, F&& parse_row) {
    std::size_t n = 0;
    std::string_view line;
    while (n < out.size() && lines_.next(line)) {
      if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
      guarded([&] { n += parse_row(line, out[n]) ? 1 : 0; });
    }
    return n;
  }
  // The field of column `col` of the row split last, or "" if the row has no such column.
  std::string_view field(int col) const {
    return col >= 0 && static_cast<std::size_t>(col) < fields_.size()
               ? fields_[static_cast<std::size_t>(col)]
               : std::string_view();
  }
  // Splits `line` into fields_ (LineProblem if a quote is not closed).
  void split(std::string_view line);
  void count_name(std::string_view event_name);

  // Fills `e` with the event of a pool row of kind kAlloc, kFree or kRundown and returns true; or
  // returns false for an alloc that returned NULL (counted, not replayed). `pool_type` is the
  // logged POOL_TYPE (nullopt: not given, NonPagedPool). Raises a LineProblem for a size beyond
  // the 48-bit address space or a free of address 0.
  struct PoolFields {
    std::uint64_t time_ns = 0;
    std::optional<std::uint64_t> pool_type;
    std::uint32_t tag = 0;
    std::uint64_t bytes = 0;
    std::uint64_t address = 0;
    std::string_view process;  // as printed; "" = not recorded
    std::string_view thread;
  };
  bool pool_event(Event& e, const PoolRowClass& c, const PoolFields& f);

  mutable InputFacts facts_;
  std::map<std::string, std::uint64_t, std::less<>> names_;
  std::string scratch_;  // process names being normalised
  std::vector<std::string_view> fields_;
  std::string quoted_;
};

}  // namespace fragreplay::trace::text
