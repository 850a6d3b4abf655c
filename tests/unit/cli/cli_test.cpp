// The command line, run in-process: help that teaches, exit statuses, one clear line per error.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/error.hpp"
#include "cli/command.hpp"
#include "cli/size_option.hpp"
#include "cli_support.hpp"
#include "test_support.hpp"

namespace fragreplay::cli {
namespace {

using testing::run_cli;
using testing::RunResult;

// A native trace with `body` as its events, in a temporary file.
class TempTrace : public testing::TempFile {
 public:
  explicit TempTrace(const std::string& body) : TempFile(".csv", testing::native_trace(body)) {}
};

TEST(Cli, VersionAndHelp) {
  EXPECT_EQ(run_cli({"--version"}).out, "fragreplay 0.1.0\n");
  const RunResult help = run_cli({"--help"});
  EXPECT_EQ(help.status, kExitOk);
  EXPECT_NE(help.out.find("analyze"), std::string::npos);
  const RunResult analyze = run_cli({"analyze", "--help"});
  EXPECT_EQ(analyze.status, kExitOk);
  for (const char* needle :
       {"--profile", "--ram", "--json", "--events-out", "--on-bad-line", "--memory-map",
        "--background", "--sample-every", "--timeline-csv", "Examples:", "Exit status"}) {
    EXPECT_NE(analyze.out.find(needle), std::string::npos) << needle;
  }
  EXPECT_EQ(run_cli({}).status, kExitUsage);
}

TEST(Cli, UsageErrorsAreOneLineAndExitTwo) {
  RunResult r = run_cli({"frobnicate"});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err,
            "fragreplay: unknown command 'frobnicate' (commands: analyze diff check info convert "
            "generate batch merge profiles; see 'fragreplay --help')\n");
  r = run_cli({"analyze", "/nonexistent/trace.csv"});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err, "fragreplay: /nonexistent/trace.csv: cannot open: No such file or directory\n");
  r = run_cli({"analyze"});
  EXPECT_EQ(r.err, "fragreplay: analyze: missing TRACE (see 'fragreplay analyze --help')\n");
  r = run_cli({"analyze", "x.csv", "--frobnicate"});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(
      r.err,
      "fragreplay analyze: unrecognised option '--frobnicate' (see 'fragreplay analyze --help')\n");
  TempTrace t("");
  r = run_cli({"analyze", t.path(), "--profile", "win95"});
  EXPECT_EQ(r.err,
            "fragreplay: unknown profile 'win95' (known: nt5-x86, nt5-x64, win7-x64, win8-x64, "
            "win10-19h1-x64, win10-2004-x64, ia64, linux-slub)\n");
  r = run_cli({"analyze", t.path(), "--on-bad-line", "maybe"});
  EXPECT_EQ(r.err, "fragreplay: option '--on-bad-line': expected fail or skip, got \"maybe\"\n");
  r = run_cli({"analyze", t.path(), "--ram", "1MiB"});
  EXPECT_EQ(r.err, "fragreplay: option '--ram': at least 2MiB of RAM is needed\n");
}

TEST(Cli, MalformedLineStopsWithItsPosition) {
  TempTrace t("0,alloc,ExAllocatePoolWithTag,NonPagedPool,Tag1,12a,0x10,,,,,,,,\n");
  const RunResult r = run_cli({"analyze", t.path()});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err, "fragreplay: " + t.path() +
                       ":3: column 'bytes': expected an unsigned integer, got \"12a\"\n");
  const RunResult skipped = run_cli({"analyze", t.path(), "--on-bad-line=skip", "--json", "-"});
  EXPECT_EQ(skipped.status, kExitOk);
}

TEST(Cli, AnalyzeWritesJsonAndEventsAtomically) {
  TempTrace t("0,alloc,ExAllocatePoolWithTag,NonPagedPool,Tag1,100,0x10,,,,,,,,\n");
  const std::string json = t.path() + ".json";
  const std::string events = t.path() + ".events.csv";
  const RunResult r = run_cli({"analyze", t.path(), "--json", json, "--events-out", events, "-q"});
  EXPECT_EQ(r.status, kExitOk) << r.err;
  EXPECT_EQ(r.out, "");
  std::ifstream j(json);
  const auto doc = nlohmann::json::parse(j);
  EXPECT_EQ(doc["totals"]["footprint_bytes"], 128);
  std::ifstream e(events);
  std::string header, row;
  std::getline(e, header);
  std::getline(e, row);
  EXPECT_EQ(row, "3,0,alloc,ExAllocatePoolWithTag,Tag1,100,128,16,12,0,1,,,,0x10,");
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(t.path()).parent_path())) {
    EXPECT_EQ(entry.path().string().find(t.path() + ".json.tmp"), std::string::npos)
        << "temporary left behind";
  }
  std::filesystem::remove(json);
  std::filesystem::remove(events);
}

// An output naming the input would replace the trace with what was derived from it: refused
// before anything is read, also through a symlink.
TEST(Cli, AnOutputThatIsTheInputIsRefused) {
  TempTrace t("0,alloc,ExAllocatePoolWithTag,NonPagedPool,Tag1,100,0x10,,,,,,,,\n");
  const std::string before = [&] {
    std::ifstream f(t.path());
    return std::string(std::istreambuf_iterator<char>(f), {});
  }();
  RunResult r = run_cli({"analyze", t.path(), "--events-out", t.path()});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err, "fragreplay: option '--events-out': " + t.path() +
                       " is the input being read; writing it would destroy the trace (choose "
                       "another file)\n");
  const std::string link = t.path() + ".link";
  std::filesystem::create_symlink(t.path(), link);
  r = run_cli({"convert", t.path(), "-o", link});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err, "fragreplay: option '-o': " + link +
                       " is the input being read; writing it would destroy the trace (choose "
                       "another file)\n");
  r = run_cli({"analyze", link, "--json", t.path(), "-q"});
  EXPECT_EQ(r.status, kExitUsage) << "the same file under another name";
  std::filesystem::remove(link);
  std::ifstream f(t.path());
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(f), {}), before);
}

TEST(SizeOption, AcceptsBinaryUnitsOnly) {
  EXPECT_EQ(parse_size("4096", "ram"), 4096u);
  EXPECT_EQ(parse_size("16GiB", "ram"), 16ull << 30);
  EXPECT_EQ(parse_size("512MiB", "ram"), 512ull << 20);
  EXPECT_EQ(parse_size("64K", "ram"), 64ull << 10);
  EXPECT_EQ(parse_size("2 GiB", "ram"), 2ull << 30);
  try {
    parse_size("4GB", "ram");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "option '--ram': decimal units are ambiguous; use KiB, MiB, GiB or TiB, got \"4GB\" "
              "(examples: 16GiB, 512MiB, 4096)");
  }
  EXPECT_THROW(parse_size("lots", "ram"), Error);
  EXPECT_THROW(parse_size("99999999999TiB", "ram"), Error);
}

TEST(SizeOption, DecimalsThatComeToWholeBytes) {
  EXPECT_EQ(parse_size("4.5GiB", "ram"), 9ull << 29);
  EXPECT_EQ(parse_size("1.25MiB", "ram"), 5ull << 18);
  EXPECT_EQ(parse_size("0.5K", "ram"), 512u);
  EXPECT_EQ(parse_size("3.0B", "ram"), 3u);
}

TEST(SizeOption, DecimalsThatDoNotAreRefusedSayingWhy) {
  auto message = [](const char* text) {
    try {
      parse_size(text, "ram");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(message("0.1KiB"),
            "option '--ram': a fraction of a byte (give a whole number of bytes), got \"0.1KiB\" "
            "(examples: 16GiB, 512MiB, 4096)");
  EXPECT_EQ(message("1.5"),
            "option '--ram': a fraction of a byte (give a whole number of bytes), got \"1.5\" "
            "(examples: 16GiB, 512MiB, 4096)");
  EXPECT_EQ(message("4.GiB"),
            "option '--ram': expected digits after the decimal point, got \"4.GiB\" (examples: "
            "16GiB, 512MiB, 4096)");
}

}  // namespace
}  // namespace fragreplay::cli
