// CSV tables: the timeline's columns per order (the golden case reports-csv-markdown covers the
// other tables whole), and quoting of trace text.
#include <gtest/gtest.h>

#include "report/csv_reports.hpp"

namespace fragreplay::report {
namespace {

const std::string& file(const std::vector<CsvFile>& files, const std::string& name) {
  for (const CsvFile& f : files) {
    if (f.name == name) return f.content;
  }
  static const std::string kNone = "(missing)";
  return kNone;
}

TEST(CsvReports, TimelineRowsWithPerOrderColumns) {
  replay::Results r;
  r.profile.page_size = 4096;
  replay::TimelineSample s;
  s.time_ns = 1500;
  s.events = 7;
  s.live_requested = Bytes{100};
  s.live_footprint = Bytes{4096};
  s.live_waste.sub_page = Bytes{3996};
  s.pool_page_bytes = Bytes{8192};
  s.free_frames = PageCount{10};
  s.largest_free_run = PageCount{4};
  s.largest_free_run_below_16m = PageCount{2};
  s.largest_free_run_below_4g = PageCount{4};
  s.contiguous_requests = 3;
  s.contiguous_failures = 1;
  // Free runs of 1, 1, 4 and 4 pages: F = 10; order 1 can use the two 4-page runs (4 blocks of 2
  // = 8 pages): unusable(1) = (10 - 8) / 10 = 0.2 (docs/model.md §8.2).
  s.free_runs_by_order = {2, 0, 2};
  s.unusable_index = {0.0, 0.2, 0.2};
  s.fragmentation_index = {-1.0, -1.0, -1.0};
  r.timeline.push_back(s);
  r.timeline.push_back(s);
  r.timeline.back().free_runs_by_order.resize(1);  // a shorter sample leaves its cells empty
  r.timeline.back().unusable_index.resize(1);
  r.timeline.back().fragmentation_index.resize(1);
  const std::vector<CsvFile> files = csv_reports(r);
  const std::string& csv = file(files, "timeline.csv");
  EXPECT_EQ(csv,
            "time_ns,events,live_requested_bytes,live_footprint_bytes,waste_pool_header,"
            "waste_granularity,waste_sub_page_rounding,pool_page_bytes,free_frames,"
            "largest_free_run_bytes,largest_free_run_below_16m_bytes,"
            "largest_free_run_below_4g_bytes,contiguous_requests,contiguous_failures,"
            "failures_exhaustion,failures_fragmentation,failures_constraint,"
            "failures_map_registers,failures_invalid,"
            "free_runs_order_0,free_runs_order_1,free_runs_order_2,unusable_index_order_0,"
            "unusable_index_order_1,unusable_index_order_2,fragmentation_index_order_0,"
            "fragmentation_index_order_1,fragmentation_index_order_2,frame_map\n"
            "1500,7,100,4096,0,0,3996,8192,10,16384,8192,16384,3,1,0,0,0,0,0,2,0,2,0.000,0.200,"
            "0.200,-1.000,-1.000,-1.000,\n"
            "1500,7,100,4096,0,0,3996,8192,10,16384,8192,16384,3,1,0,0,0,0,0,2,,,0.000,,,-1.000,,,"
            "\n");
}

TEST(CsvReports, TraceTextIsQuoted) {
  replay::Results r;
  r.tags = {Tag::from_chars("a,b")};
  r.by_tag.resize(1);
  r.by_tag[0].allocations = 1;
  r.processes = {"say \"hi\""};
  r.by_process.resize(1);
  const auto files = csv_reports(r);
  EXPECT_NE(file(files, "by_tag.csv").find("\n\"a,b\",1,"), std::string::npos);
  EXPECT_NE(file(files, "by_process.csv").find("\n\"say \"\"hi\"\"\",0,"), std::string::npos);
}

}  // namespace
}  // namespace fragreplay::report
