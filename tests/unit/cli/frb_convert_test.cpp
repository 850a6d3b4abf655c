// `convert -o OUT.frb` and the analysis of what it wrote: the same events as the CSV it came
// from, and the same JSON report but for the trace's name and format, on the sample traces.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::cli {
namespace {

using testing::run_cli;
using testing::RunResult;

std::string source(const std::string& rel) {
  return std::string(FRAGREPLAY_SOURCE_DIR) + "/" + rel;
}

std::string temp(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("fragreplay-frb-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

std::vector<trace::Event> events_of(const std::string& path) {
  auto r = trace::open_trace(path, {});
  std::vector<trace::Event> all, batch(1000);
  while (const std::size_t n = r->read(batch))
    all.insert(all.end(), batch.begin(), batch.begin() + n);
  return all;
}

nlohmann::json report_of(const std::vector<std::string>& args) {
  const std::string out = temp("report.json");
  std::vector<std::string> full = args;
  full.insert(full.end(), {"-q", "--json", out});
  const RunResult r = run_cli(full);
  EXPECT_EQ(r.status, kExitOk) << r.err;
  std::ifstream in(out);
  nlohmann::json j = nlohmann::json::parse(in);
  std::filesystem::remove(out);
  return j;
}

// Removes the name and format of every "trace" object (a what-if report has one per profile).
void forget_trace_identity(nlohmann::json& j) {
  if (j.is_object()) {
    if (j.contains("trace")) {
      j["trace"].erase("name");
      j["trace"].erase("format");
    }
    for (auto& [key, value] : j.items()) forget_trace_identity(value);
  } else if (j.is_array()) {
    for (auto& value : j) forget_trace_identity(value);
  }
}

std::vector<trace::Event> without_lines(std::vector<trace::Event> events) {
  for (auto& e : events) e.source_pos = 0;
  return events;
}

TEST(ConvertFrb, AnalysisOfTheFrbIsTheAnalysisOfTheCsv) {
  for (const char* name :
       {"traces/sample-nic.csv", "traces/gen-anti-patterns.csv", "traces/gen-storage-driver.csv"}) {
    SCOPED_TRACE(name);
    const std::string csv = source(name);
    const std::string frb = temp("t.frb");
    const RunResult c = run_cli({"convert", csv, "-o", frb});
    ASSERT_EQ(c.status, kExitOk) << c.err;
    EXPECT_TRUE(events_of(frb) == events_of(csv)) << "the events differ";
    for (const std::vector<std::string>& options :
         {std::vector<std::string>{}, {"--profile", "nt5-x86,win10-19h1-x64"}}) {
      std::vector<std::string> a{"analyze", csv}, b{"analyze", frb};
      a.insert(a.end(), options.begin(), options.end());
      b.insert(b.end(), options.begin(), options.end());
      nlohmann::json from_csv = report_of(a), from_frb = report_of(b);
      EXPECT_EQ(from_frb["trace"]["format"], "frb-v1");
      forget_trace_identity(from_csv);
      forget_trace_identity(from_frb);
      EXPECT_TRUE(from_csv == from_frb) << "the reports differ";
    }
    std::filesystem::remove(frb);
  }
}

TEST(ConvertFrb, FormatOptionOverridesTheName) {
  const std::string csv = source("traces/sample-nic.csv");
  const std::string out = temp("frb-named.csv");
  ASSERT_EQ(run_cli({"convert", csv, "-o", out, "--format", "frb"}).status, kExitOk);
  EXPECT_EQ(trace::open_trace(out, {})->format(), "frb-v1");
  ASSERT_EQ(run_cli({"convert", out, "-o", out + ".frb", "--format", "native"}).status, kExitOk);
  EXPECT_EQ(trace::open_trace(out + ".frb", {})->format(), "native-v1");
  // Written as CSV again, the events are on the lines of the new file.
  EXPECT_TRUE(without_lines(events_of(out + ".frb")) == without_lines(events_of(csv)));
  const RunResult bad = run_cli({"convert", csv, "-o", out, "--format", "xml"});
  EXPECT_EQ(bad.status, kExitUsage);
  EXPECT_NE(bad.err.find("--format expects native or frb"), std::string::npos) << bad.err;
  std::filesystem::remove(out);
  std::filesystem::remove(out + ".frb");
}

}  // namespace
}  // namespace fragreplay::cli
