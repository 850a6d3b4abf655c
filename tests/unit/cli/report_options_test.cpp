// The report options of `analyze`: trace times for --from/--to, the progress line (with an injected
// clock), and --html/--csv/--markdown writing their files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/error.hpp"
#include "cli/command.hpp"
#include "cli/progress.hpp"
#include "cli/time_option.hpp"
#include "test_support.hpp"

namespace fragreplay::cli {
namespace {

TEST(TraceTime, UnitsAndFractions) {
  EXPECT_EQ(parse_trace_time("1000", "from"), 1000u);
  EXPECT_EQ(parse_trace_time("1000ns", "from"), 1000u);
  EXPECT_EQ(parse_trace_time("250us", "from"), 250'000u);
  EXPECT_EQ(parse_trace_time("5ms", "from"), 5'000'000u);
  EXPECT_EQ(parse_trace_time("1.5ms", "from"), 1'500'000u);
  EXPECT_EQ(parse_trace_time("2s", "from"), 2'000'000'000u);
  EXPECT_EQ(parse_trace_time("0.000000001s", "from"), 1u);
  EXPECT_EQ(parse_trace_time("2 s", "from"), 2'000'000'000u);
  EXPECT_EQ(parse_trace_time("1min", "to"), 60'000'000'000u);
  EXPECT_EQ(parse_trace_time("1h", "to"), 3'600'000'000'000u);
  EXPECT_EQ(parse_trace_time(".5s", "to"), 500'000'000u);
}

TEST(TraceTime, ClearErrors) {
  auto message = [](const std::string& text) {
    try {
      parse_trace_time(text, "from");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("5 parsecs").find("unknown unit 'parsecs'"), std::string::npos);
  EXPECT_NE(message("ms").find("expected a time"), std::string::npos);
  EXPECT_NE(message("1.5ns").find("finer than a nanosecond"), std::string::npos);
  EXPECT_NE(message("99999999999h").find("too large"), std::string::npos);
  EXPECT_NE(message("-5ms").find("option '--from'"), std::string::npos);
}

struct FakeClock {
  double now = 0;
  std::function<double()> fn() {
    return [this] { return now; };
  }
};

TEST(Progress, AutoShowsOnlyOnATerminalOutsideCiForBigInputs) {
  std::ostringstream err;
  FakeClock clock;
  const std::uint64_t big = ProgressLine::kAutoMinBytes;
  EXPECT_TRUE(ProgressLine(err, ProgressMode::kAuto, {true, false}, big, clock.fn()).enabled());
  EXPECT_TRUE(ProgressLine(err, ProgressMode::kAuto, {true, false}, 0, clock.fn()).enabled())
      << "unknown size (standard input)";
  EXPECT_FALSE(
      ProgressLine(err, ProgressMode::kAuto, {true, false}, big - 1, clock.fn()).enabled());
  EXPECT_FALSE(ProgressLine(err, ProgressMode::kAuto, {false, false}, big, clock.fn()).enabled());
  EXPECT_FALSE(ProgressLine(err, ProgressMode::kAuto, {true, true}, big, clock.fn()).enabled());
  EXPECT_TRUE(ProgressLine(err, ProgressMode::kAlways, {false, true}, 1, clock.fn()).enabled());
  EXPECT_FALSE(ProgressLine(err, ProgressMode::kNever, {true, false}, big, clock.fn()).enabled());
  EXPECT_EQ(parse_progress_mode("always"), ProgressMode::kAlways);
  EXPECT_THROW(parse_progress_mode("sometimes"), Error);
}

TEST(Progress, TerminalLineIsRewrittenAFewTimesASecondAndErased) {
  std::ostringstream err;
  FakeClock clock;
  ProgressLine p(err, ProgressMode::kAuto, {true, false}, 100u << 20, clock.fn());
  clock.now = 0.2;
  p.update(1u << 20, 100'000);
  EXPECT_EQ(err.str(), "") << "nothing in the first half second";
  clock.now = 1.0;
  p.update(25u << 20, 2'000'000);
  // 25 MiB of 100 MiB in 1 s: 2 M events/s, 75 MiB left at 25 MiB/s = 3 s.
  EXPECT_EQ(err.str(), "\rreplaying: 25.0 MiB of 100 MiB (25 %), 2.00 M events/s, 3 s left\033[K");
  clock.now = 1.1;
  p.update(30u << 20, 2'100'000);
  EXPECT_EQ(err.str().find("30.0 MiB"), std::string::npos) << "at most four lines a second";
  clock.now = 1.3;
  p.update(30u << 20, 2'100'000);
  EXPECT_NE(err.str().find("30.0 MiB"), std::string::npos);
  p.finish();
  EXPECT_EQ(err.str().substr(err.str().size() - 4), "\r\033[K");
}

TEST(Progress, LinesElsewhere) {
  EXPECT_EQ(ProgressLine::format(3u << 20, 0, 1500, 2.0), "replaying: 3.00 MiB read, 750 events/s");
  EXPECT_EQ(ProgressLine::format(10u << 20, 20u << 20, 5'000'000, 200.0),
            "replaying: 10.0 MiB of 20.0 MiB (50 %), 25 k events/s, 3 min 20 s left");
  std::ostringstream err;
  FakeClock clock;
  ProgressLine p(err, ProgressMode::kAlways, {false, false}, 20u << 20, clock.fn());
  clock.now = 2;
  p.update(10u << 20, 1000);
  p.finish();
  EXPECT_EQ(err.str(), "replaying: 10.0 MiB of 20.0 MiB (50 %), 500 events/s, 2 s left\n");
}

// generate counts events written (issue 16, item 10: a long generate showed nothing): auto shows
// from 1 M events on a terminal outside CI; 2.5 M of 10 M in 5 s is 500 k/s, 7.5 M left = 15 s.
TEST(Progress, GenerateCountsEventsWritten) {
  std::ostringstream err;
  FakeClock clock;
  const auto events = ProgressUnit::kEventsWritten;
  const std::uint64_t big = ProgressLine::kAutoMinEvents;
  EXPECT_TRUE(
      ProgressLine(err, ProgressMode::kAuto, {true, false}, big, clock.fn(), events).enabled());
  EXPECT_FALSE(
      ProgressLine(err, ProgressMode::kAuto, {true, false}, big - 1, clock.fn(), events).enabled());
  EXPECT_EQ(ProgressLine::format_events(2'500'000, 10'000'000, 5.0),
            "generating: 2,500,000 of 10,000,000 events (25 %), 500 k events/s, 15 s left");
  ProgressLine p(err, ProgressMode::kAlways, {false, false}, 10'000'000, clock.fn(), events);
  clock.now = 2;
  p.update(0, 4'000'000);
  EXPECT_EQ(err.str(),
            "generating: 4,000,000 of 10,000,000 events (40 %), 2.00 M events/s, 3 s left\n");
}

struct CliRun {
  int status;
  std::string out, err;
};
CliRun run_cli(const Args& args) {
  std::ostringstream out, err;
  const int status = run(args, Io{out, err});
  return {status, out.str(), err.str()};
}

class TempDir {
 public:
  TempDir()
      : path_(std::filesystem::temp_directory_path() /
              ("fragreplay-report-options-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

std::string read(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(AnalyzeReports, WritesHtmlCsvAndMarkdown) {
  TempDir dir;
  std::ofstream(dir / "t.csv") << testing::native_trace(
      "0,alloc,MmAllocateNonCachedMemory,,Rx,100,0x10,,,,,,,,\n"
      "5000000,alloc,MmAllocateNonCachedMemory,,Rx,100,0x20,,,,,,,,\n");
  const CliRun r = run_cli({"analyze", dir / "t.csv", "--html", dir / "r.html", "--csv",
                            dir / "csv/sub", "--markdown", dir / "s.md", "-q", "--progress=never"});
  ASSERT_EQ(r.status, kExitOk) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(read(dir / "r.html").rfind("<!DOCTYPE html>", 0), 0u);
  for (const char* f : {"timeline.csv", "by_tag.csv", "by_routine.csv", "by_process.csv",
                        "failures.csv", "findings.csv"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / (std::string("csv/sub/") + f))) << f;
  }
  EXPECT_NE(read(dir / "s.md").find("small-page-granular-request"), std::string::npos);

  const CliRun window = run_cli({"analyze", dir / "t.csv", "--from", "1ms", "--markdown", "-"});
  ASSERT_EQ(window.status, kExitOk) << window.err;
  EXPECT_NE(window.out.find("Counting trace time 1.00 ms to the end only (1 event"),
            std::string::npos)
      << window.out;
}

TEST(AnalyzeReports, OptionMistakesAreOneLine) {
  TempDir dir;
  std::ofstream(dir / "t.csv") << testing::native_trace("");
  const CliRun backwards = run_cli({"analyze", dir / "t.csv", "--from", "2s", "--to", "1s"});
  EXPECT_EQ(backwards.status, kExitUsage);
  EXPECT_EQ(backwards.err,
            "fragreplay: options '--from' and '--to': the window ends before it starts\n");
  const CliRun both = run_cli({"analyze", dir / "t.csv", "--json", "-", "--markdown", "-"});
  EXPECT_EQ(both.status, kExitUsage);
  EXPECT_NE(both.err.find("only one report can go to standard output"), std::string::npos);
  const CliRun progress = run_cli({"analyze", dir / "t.csv", "--progress", "loud"});
  EXPECT_EQ(progress.status, kExitUsage);
  EXPECT_NE(progress.err.find("expected auto, always or never"), std::string::npos);
}

}  // namespace
}  // namespace fragreplay::cli
