// Counts every record of an ETL file by what it is: header type, "<group>:<type>" for classic
// kernel events, provider GUID for the others; and the span of their timestamps. Counting a
// record costs an array increment (a short linear search for GUIDs, which are few per trace), so
// it keeps up with the reader's pace; the InputFacts maps are built only when asked for.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "trace/etl/event_record.hpp"
#include "trace/etl/logfile_header.hpp"
#include "trace/input_facts.hpp"

namespace fragreplay::trace::etl {

class RecordTally {
 public:
  void count(const Record& r);
  std::uint64_t records() const { return records_; }

  // Adds the counts to `facts` (records, the by_* maps, other_records) and the time span,
  // measured from `origin` with `clock`.
  void fill(InputFacts& facts, std::uint64_t origin, const TraceClock& clock) const;

 private:
  struct GuidCount {
    std::array<std::uint8_t, 16> guid{};
    std::uint64_t count = 0;
  };
  static void count_guid(std::vector<GuidCount>& counts, std::size_t& last, const std::uint8_t* g);

  std::uint64_t records_ = 0;
  std::uint64_t other_ = 0;
  std::array<std::uint64_t, 256> by_header_type_{};
  // Counts by group, then type; a group's row is allocated when its first event is counted.
  std::array<std::unique_ptr<std::array<std::uint64_t, 256>>, 256> by_hook_;
  std::vector<GuidCount> providers_;
  std::vector<GuidCount> classic_;
  std::size_t last_provider_ = 0;
  std::size_t last_classic_ = 0;
  bool has_time_ = false;
  std::uint64_t min_time_ = 0;
  std::uint64_t max_time_ = 0;
};

}  // namespace fragreplay::trace::etl
