// Hostile input files end in exit status 2 with one line naming the file, never in a crash
// (README "Safety"): JSON nested 200,000 deep given to every command that reads JSON back; names
// that are not UTF-8 (a Latin-1 process name) still give a report, with U+FFFD in the JSON;
// control characters quoted from the input reach the terminal as \xNN.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli/command.hpp"
#include "cli/terminal_text.hpp"
#include "cli_support.hpp"

namespace fragreplay::cli {
namespace {

using testing::run_cli;
using testing::RunResult;
using testing::TempFile;

std::string sample(const char* name) {
  return std::string(FRAGREPLAY_SOURCE_DIR) + "/traces/" + name;
}

// `depth` arrays inside each other, in a document that is otherwise a plausible report.
std::string nested(std::size_t depth) {
  return R"({"schema_version": 1, "totals": {}, "x": )" + std::string(depth, '[') +
         std::string(depth, ']') + "}";
}

// `depth` objects inside each other: {"a": {"a": ... 1}}.
std::string nested_objects(std::size_t depth) {
  std::string out;
  for (std::size_t i = 0; i < depth; ++i) out += R"({"a": )";
  return out + "1" + std::string(depth, '}');
}

TEST(HostileJson, DeepNestingIsRefusedBeforeParsingByEveryReader) {
  // The shapes that overflowed the stack: a profile value printed in a message (analyze,
  // profiles: exit 139), report sums walked by merge (exit 139); and the same depth in a report
  // for diff and check and in a limits file.
  const std::size_t depth = 200000;
  const TempFile profile(".json",
                         R"({"name": )" + std::string(depth, '[') + std::string(depth, ']') + "}");
  const TempFile report(".json", R"({"schema_version": 1, "trace": {}, "profile": {},
      "contiguous": {}, "data_quality": {}, "by_tag": [], "by_routine": [], "totals": )" +
                                     nested_objects(depth) + "}");
  const TempFile limits_deep(".json",
                             R"({"limits_version": 1, "rules": [)" + nested_objects(depth) + "]}");
  const TempFile out(".json", "");
  const TempFile limits(".json", R"({"limits_version": 1, "rules": [
      {"metric": "totals.allocations", "max": 1}]})");
  const std::vector<std::pair<Args, std::string>> runs{
      {{"analyze", sample("sample-nic.csv"), "--profile-file", profile.path()}, profile.path()},
      {{"profiles", "--show", profile.path()}, profile.path()},
      {{"diff", report.path(), report.path()}, report.path()},
      {{"check", report.path(), "--limits", limits.path()}, report.path()},
      {{"check", sample("sample-nic.baseline.json"), "--limits", limits_deep.path()},
       limits_deep.path()},
      {{"merge", report.path(), "-o", out.path()}, report.path()},
  };
  for (const auto& [args, file] : runs) {
    const RunResult r = run_cli(args);
    EXPECT_EQ(r.status, kExitUsage) << args[0];
    EXPECT_EQ(r.err, "fragreplay: " + file + ": JSON nested deeper than 128 levels\n") << args[0];
  }
}

TEST(HostileJson, NestingUpToTheLimitIsParsed) {
  // 128 levels in all (the object and 127 arrays): past the depth check, refused for its shape.
  const TempFile ok(".json", nested(127));
  const RunResult r = run_cli({"diff", ok.path(), ok.path()});
  EXPECT_EQ(r.status, kExitOk) << r.err;
  const TempFile deep(".json", nested(128));
  EXPECT_EQ(run_cli({"diff", deep.path(), deep.path()}).err,
            "fragreplay: " + deep.path() + ": JSON nested deeper than 128 levels\n");
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A native trace whose process column holds "Prozeß.exe" in Latin-1 (0xDF, not UTF-8).
const char* kLatin1Trace =
    "# fragreplay trace v1\n"
    "time_ns,event,routine,pool,tag,bytes,address,lowest,highest,boundary,cache,node,adapter,"
    "process,thread\n"
    "1000,alloc,ExAllocatePoolWithTag,NonPagedPoolNx,Latn,100,0xffffa80000101000,,,,,,,"
    "Proze\xdf.exe,4\n";

TEST(HostileNames, ANameThatIsNotUtf8IsWrittenWithReplacementCharacters) {
  const TempFile trace(".csv", kLatin1Trace);
  const TempFile json(".json", "");
  RunResult r = run_cli({"analyze", trace.path(), "-q", "--json", json.path()});
  ASSERT_EQ(r.status, kExitOk) << r.err;
  EXPECT_EQ(r.err, "");
  const auto doc = nlohmann::json::parse(slurp(json.path()));
  EXPECT_EQ(doc["by_process"][0]["process"], "Proze\xef\xbf\xbd.exe");
  EXPECT_EQ(doc["data_quality"]["names_not_utf8"], 1);
  // The terminal summary says so too.
  r = run_cli({"analyze", trace.path()});
  ASSERT_EQ(r.status, kExitOk) << r.err;
  EXPECT_NE(r.out.find("Note: 1 name in the trace (process, tag, adapter or call site) is not "
                       "UTF-8; the reports show each bad byte as U+FFFD"),
            std::string::npos)
      << r.out;
  // What-if reports and batch reports go through the same writer.
  r = run_cli(
      {"analyze", trace.path(), "-q", "--profile", "win7-x64,win8-x64", "--json", json.path()});
  ASSERT_EQ(r.status, kExitOk) << r.err;
  EXPECT_EQ(nlohmann::json::parse(slurp(json.path()))["results"][1]["by_process"][0]["process"],
            "Proze\xef\xbf\xbd.exe");
  const auto dir = std::filesystem::path(json.path()).replace_extension(".d");
  r = run_cli({"batch", trace.path(), "--out", dir.string(), "-q"});
  EXPECT_EQ(r.status, kExitOk) << r.err;
  const auto stem = std::filesystem::path(trace.path()).stem().string();
  EXPECT_EQ(
      nlohmann::json::parse(slurp((dir / (stem + ".json")).string()))["by_process"][0]["process"],
      "Proze\xef\xbf\xbd.exe");
  EXPECT_EQ(
      nlohmann::json::parse(slurp((dir / "fleet.json").string()))["data_quality"]["names_not_utf8"],
      1);
  std::filesystem::remove_all(dir);
}

TEST(HostileNames, BatchErrorsNameTheTrace) {
  // An error that names only the report (a directory where it should go) still names the trace.
  const TempFile trace(".csv", kLatin1Trace);
  const auto dir = std::filesystem::path(trace.path()).replace_extension(".d");
  const auto stem = std::filesystem::path(trace.path()).stem().string();
  const std::string report = (dir / (stem + ".json")).string();
  std::filesystem::create_directories(report);
  const RunResult r = run_cli({"batch", trace.path(), "--out", dir.string(), "-q"});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err, "fragreplay: batch: " + trace.path() + ": " + report +
                       ": cannot write a report over a directory: Is a directory\n"
                       "fragreplay: batch: 1 of 1 traces could not be analysed (left out of " +
                       (dir / "fleet.json").string() + ")\n");
  std::filesystem::remove_all(dir);
}

TEST(TerminalText, ControlCharactersAndBrokenUtf8AreEscapedUtf8Kept) {
  EXPECT_EQ(terminal_text("got \"\x1b]0;PWNED\x07\x1b[2J\""), "got \"\\x1b]0;PWNED\\x07\\x1b[2J\"");
  EXPECT_EQ(terminal_text("ok\rhidden\n\t\x7f"), "ok\\x0dhidden\\x0a\\x09\\x7f");
  EXPECT_EQ(terminal_text("two\nlines\r\n", Newlines::kKeep), "two\nlines\\x0d\n");
  // UTF-8 stays; C1 controls (U+009B is CSI), Latin-1 bytes and cut sequences do not.
  EXPECT_EQ(terminal_text("Proze\xc3\x9f \xe2\x86\x92 \xf0\x9f\x98\x80"),
            "Proze\xc3\x9f \xe2\x86\x92 \xf0\x9f\x98\x80");
  EXPECT_EQ(terminal_text("\xc2\x9b"
                          "2J Proze\xdf \xe2\x86"),
            "\\xc2\\x9b2J Proze\\xdf \\xe2\\x86");
  EXPECT_EQ(terminal_text("\xc0\xaf \xed\xa0\x80"),
            "\\xc0\\xaf \\xed\\xa0\\x80");  // overlong, surrogate
}

TEST(TerminalText, MessagesQuotingTheInputCannotDriveTheTerminal) {
  RunResult r =
      run_cli({"analyze", sample("sample-nic.csv"), "--memory-map", "\x1b]0;PWNED\x07\x1b[2J"});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err,
            "fragreplay: option '--memory-map': range \"\\x1b]0;PWNED\\x07\\x1b[2J\": expected "
            "START-END or START+LENGTH (examples: 0x1000-0x9ffff,1MiB+3071MiB,0x100000000+1GiB)\n");
  r = run_cli({"ab\rcd"});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err.substr(0, 40), "fragreplay: unknown command 'ab\\x0dcd' (");
  // A trace named with an escape sequence: info's text and analyze's error quote it escaped.
  const TempFile trace("\x1b[2J.csv", kLatin1Trace);
  const std::string shown = trace.path().substr(0, trace.path().size() - 8) + "\\x1b[2J.csv";
  r = run_cli({"info", trace.path()});
  EXPECT_EQ(r.status, kExitOk) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')), "fragreplay info: " + shown);
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
  r = run_cli({"analyze", trace.path(), "--from", "x"});
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
  // analyze's text summary names the Latin-1 process with its byte escaped.
  r = run_cli({"analyze", trace.path()});
  EXPECT_EQ(r.status, kExitOk) << r.err;
  EXPECT_EQ(r.out.find('\xdf'), std::string::npos);
}

}  // namespace
}  // namespace fragreplay::cli
