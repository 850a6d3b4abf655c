// `fragreplay check (TRACE | REPORT.json) --limits LIMITS.json [--baseline BASE.json]`: the CI
// gate. Replays the trace (or reads the report), compares it with the baseline, evaluates the
// limits file's rules, prints every change and each rule's result, writes the CI outputs asked
// for, and exits 0 (passed), 1 (a rule was violated) or 2 (bad input or usage).
#include <boost/program_options.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "base/error.hpp"
#include "cli/command.hpp"
#include "cli/nothing_replayed.hpp"
#include "cli/pooltag_option.hpp"
#include "cli/read_options.hpp"
#include "cli/symbols_option.hpp"
#include "cli/terminal_text.hpp"
#include "cli/trace_replay.hpp"
#include "gate/check_json.hpp"
#include "gate/check_report.hpp"
#include "gate/check_text.hpp"
#include "gate/github_annotations.hpp"
#include "gate/input_error.hpp"
#include "gate/junit_xml.hpp"
#include "gate/limits.hpp"
#include "gate/report_diff.hpp"
#include "gate/report_reader.hpp"
#include "gate/rule_check.hpp"
#include "gate/step_summary.hpp"
#include "json/json_file.hpp"
#include "report/json_report.hpp"
#include "report/output_file.hpp"

namespace fragreplay::cli {
namespace po = boost::program_options;

namespace {

constexpr const char* kIntro =
    "Usage: fragreplay check (TRACE | REPORT.json) --limits LIMITS.json [--baseline BASE.json]\n"
    "                        [options]\n"
    "\n"
    "The CI gate. Replays TRACE (or reads a report written by 'analyze --json'), compares it\n"
    "with the baseline report, and evaluates the rules of the limits file: a maximum for a\n"
    "metric; a maximum increase over the baseline in percent that fails only when the increase\n"
    "also exceeds a minimum absolute change; the same per tag, routine, process or DMA\n"
    "adapter ('*' for all); no contiguous failures of a cause; no new findings of a\n"
    "severity. Every change from the baseline is printed; only a violated rule fails. The\n"
    "limits file's format is in docs/schema.md (section 8) and traces/limits-example.json.\n"
    "\n"
    "A report is recognised by its content (a JSON object); anything else is a trace.\n";

constexpr const char* kOutro =
    "\n"
    "When $GITHUB_STEP_SUMMARY is set (in GitHub Actions), a Markdown summary is appended to it.\n"
    "\n"
    "Examples:\n"
    "  fragreplay check trace.csv --baseline base.json --limits limits.json\n"
    "  fragreplay check trace.csv --baseline base.json --limits limits.json --github \\\n"
    "      --junit fragreplay-junit.xml\n"
    "  fragreplay check trace.csv --baseline base.json --limits limits.json --update-baseline\n"
    "  fragreplay check new.json --baseline base.json --limits limits.json --json verdict.json\n"
    "\n"
    "A trace (or report) that replays no allocation -- a capture without pool events, a time\n"
    "window that holds none -- is refused rather than passed: every limit holds on nothing.\n"
    "--allow-empty checks it all the same.\n"
    "\n"
    "Exit status: 0 every rule passed, 1 a rule was violated, 2 bad input or usage (a missing\n"
    "or malformed file, a limits file that does not validate, a bad option, nothing to\n"
    "replay), 3 internal error.\n";

// A report starts with '{' (after white space and a UTF-8 byte order mark); a trace never does.
bool looks_like_report(const std::string& path) {
  if (path == "-") return false;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), std::fclose);
  if (!f) return false;  // the trace reader says why it cannot be opened
  char buf[512];
  const std::size_t n = std::fread(buf, 1, sizeof buf, f.get());
  std::size_t i = n >= 3 && std::memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  while (i < n && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r')) ++i;
  return i < n && buf[i] == '{';
}

// Appends to $GITHUB_STEP_SUMMARY; a failure is a warning, not a reason to fail the gate.
void append_step_summary(const std::string& path, const std::string& markdown, Io io) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "ab"), std::fclose);
  const bool ok = f &&
                  std::fwrite(markdown.data(), 1, markdown.size(), f.get()) == markdown.size() &&
                  std::fflush(f.get()) == 0;
  if (!ok) {
    io.err << "fragreplay: warning: cannot append the summary to $GITHUB_STEP_SUMMARY ("
           << terminal_text(path) << "): " << std::strerror(errno) << "\n";
  }
}

// A report read, or a trace replayed into one.
struct LoadedReport {
  gate::ReportMetrics metrics;
  std::string text;  // the report as a file holds it
  bool replayed = false;
};

// A gate that checked nothing must not pass: refuses a replay of no allocation (exit 2) unless
// --allow-empty.
void refuse_if_nothing_replayed(const std::optional<std::string>& why,
                                const po::variables_map& vm) {
  if (why && !vm["allow-empty"].as<bool>())
    throw Error("nothing to replay: " + *why + "; --allow-empty checks it all the same");
}

LoadedReport load_or_replay(const std::string& path, const po::variables_map& vm, Io io,
                            bool refuse_empty) {
  LoadedReport r;
  if (looks_like_report(path)) {
    r.text = fragreplay::read_whole_file(path);
    r.metrics = gate::read_report(fragreplay::parse_json_text(r.text, path), path);
    if (refuse_empty) refuse_if_nothing_replayed(nothing_replayed(r.metrics), vm);
  } else {
    const ReplaySettings settings = replay_settings(vm);
    if (settings.profiles.size() > 1) {
      throw Error("check: one profile at a time (a baseline holds one report); got " +
                  std::to_string(settings.profiles.size()));
    }
    const ProgressMode progress = parse_progress_mode(vm["progress"].as<std::string>());
    const TagOwnerNamer tag_owners(vm, io.err);
    TraceReplay replay(path, settings);
    replay::Results results = replay.run(nullptr, progress, io.err);
    CallSiteNamer(settings.kernel_symbols).name(results);
    tag_owners.name(results);
    if (refuse_empty) refuse_if_nothing_replayed(nothing_replayed(results, &replay.facts()), vm);
    r.metrics = gate::read_report(report::to_json(results), path);
    r.text = report::to_json_text(results);
    r.replayed = true;
  }
  return r;
}

// What the command line asked for, checked for consistency.
struct CheckOptions {
  std::string input;
  std::string limits;
  std::string baseline;        // "" when none
  bool have_baseline = false;  // the baseline file exists
  bool update = false;
  bool github = false;
  bool all = false;
  bool quiet = false;
  std::optional<std::string> json, junit, markdown, report_out;
};

CheckOptions check_options(const po::variables_map& vm) {
  if (!vm.count("input")) {
    throw Error("check: missing TRACE or REPORT.json (see 'fragreplay check --help')");
  }
  if (!vm.count("limits")) {
    throw Error(
        "check: missing --limits LIMITS.json: the rules to check (see 'fragreplay check "
        "--help')");
  }
  CheckOptions o;
  o.input = vm["input"].as<std::string>();
  o.limits = vm["limits"].as<std::string>();
  if (vm.count("baseline")) o.baseline = vm["baseline"].as<std::string>();
  o.have_baseline = !o.baseline.empty() && std::filesystem::exists(o.baseline);
  o.update = vm["update-baseline"].as<bool>();
  o.github = vm["github"].as<bool>();
  o.all = vm["all"].as<bool>();
  o.quiet = vm["quiet"].as<bool>();
  auto optional = [&](const char* name) -> std::optional<std::string> {
    if (!vm.count(name)) return std::nullopt;
    return vm[name].as<std::string>();
  };
  o.json = optional("json");
  o.junit = optional("junit");
  o.markdown = optional("markdown");
  o.report_out = optional("report-out");
  if (o.update && o.baseline.empty()) {
    throw Error("option '--update-baseline': needs --baseline FILE, the file to rewrite");
  }
  if (o.github && o.json == "-") {
    throw Error(
        "options '--github' and '--json -' both write to standard output; write the JSON to a "
        "file");
  }
  return o;
}

// Everything that can be refused is refused before a replay that may take minutes.
void refuse_early(const CheckOptions& o, const gate::Limits& limits, const po::variables_map& vm) {
  if (!o.baseline.empty() && !o.have_baseline && !o.update) {
    throw Error(Position{o.baseline, 0, 0, false},
                "cannot open: no such file (write a first baseline with --update-baseline)");
  }
  const bool baseline_is_report = o.have_baseline && looks_like_report(o.baseline);
  if (o.update && o.have_baseline && !baseline_is_report) {
    throw Error("option '--update-baseline': " + o.baseline +
                " is not a JSON report (a trace?); the baseline to rewrite must be a report");
  }
  if (!o.have_baseline && !o.update) {
    for (const gate::Rule& rule : limits.rules) {
      if (rule.needs_baseline()) {
        throw Error(Position{limits.file, 0, 0, false},
                    rule.where + " (\"" + rule.name +
                        "\"): compares with a baseline; give one with --baseline FILE");
      }
    }
  }
  const bool any_trace = !looks_like_report(o.input) || (o.have_baseline && !baseline_is_report);
  if (any_trace) return;
  for (const char* option : {"profile", "ram", "from", "to", "progress", "on-bad-line"}) {
    if (vm.count(option) && !vm[option].defaulted()) {
      throw Error("option '--" + std::string(option) + "' applies to a trace, but " + o.input +
                  (o.have_baseline ? " and the baseline are reports" : " is a report") +
                  " (replayed already)");
    }
  }
}

// Standard output first (the verdict is seen even if a file cannot be written), then the files.
void write_outputs(const CheckOptions& o, const gate::CheckReport& check,
                   const LoadedReport& current, Io io) {
  if (o.json != "-") io.out << gate::check_text(check, gate::CheckTextOptions{o.all, o.quiet});
  if (o.github) io.out << gate::github_annotations(check);
  if (o.json) write_output(*o.json, gate::check_json_text(check, o.all), io);
  io.out.flush();
  if (o.report_out) write_output(*o.report_out, current.text, io);
  if (o.junit) write_output(*o.junit, gate::junit_xml(check), io);
  const std::string markdown = gate::markdown_summary(check);
  if (o.markdown) write_output(*o.markdown, markdown, io);
  if (const char* summary = std::getenv("GITHUB_STEP_SUMMARY"); summary != nullptr && *summary) {
    append_step_summary(summary, markdown, io);
  }
}

// check refused its input: the CI outputs asked for say so too (gate/input_error.hpp), then the
// error goes on to the command line's one handler (exit 2).
void write_input_error(const CheckOptions& o, const Error& e, Io io) {
  gate::InputError input{e.where().file, e.where().line, e.message()};
  if (e.where().binary) input.message += " (at byte " + std::to_string(e.where().byte_offset) + ")";
  if (o.github) {
    io.out << gate::github_input_error(input);
    io.out.flush();
  }
  if (!o.junit) return;
  try {
    write_output(*o.junit, gate::junit_input_error(input, o.input), io);
  } catch (const Error& junit) {
    io.err << "fragreplay: warning: " << terminal_text(junit.what()) << "\n";
  }
}

// Everything after the options: load, compare, evaluate, write.
int run_check(const CheckOptions& options, const po::variables_map& vm, Io io) {
  const gate::Limits limits = gate::read_limits_file(options.limits);
  refuse_early(options, limits, vm);

  std::vector<std::string> notes;
  std::optional<LoadedReport> baseline;
  if (options.have_baseline) {
    try {
      baseline = load_or_replay(options.baseline, vm, io, false);
    } catch (const Error& e) {
      if (!options.update) throw;
      notes.push_back("the old baseline could not be read (" + std::string(e.what()) +
                      "); it is replaced");
    }
  }
  const LoadedReport current = load_or_replay(options.input, vm, io, true);

  gate::CheckReport check;
  check.input = options.input;
  check.replayed = current.replayed;
  check.current = &current.metrics;
  check.baseline = baseline ? &baseline->metrics : nullptr;
  check.limits = &limits;
  if (baseline) {
    check.diff = gate::diff_reports(baseline->metrics, current.metrics);
    for (std::string& n : check.diff->notes) notes.push_back(std::move(n));
  } else if (options.update) {
    notes.push_back("there was no baseline to compare with; it is created from this run");
  }
  check.notes = std::move(notes);
  check.verdict =
      gate::check_rules(limits, gate::CheckInputs{check.current, check.baseline, options.update});
  check.exit_status = check.verdict.passed() ? kExitOk : kExitViolation;
  if (options.update) {
    report::write_file_atomically(options.baseline, current.text);
    check.baseline_rewritten = options.baseline;
  }
  write_outputs(options, check, current, io);
  return check.exit_status;
}

}  // namespace

int check_command(const Args& args, Io io) {
  po::options_description visible("Options");
  visible.add_options()("limits,l", po::value<std::string>(),
                        "the rules: a limits file (JSON; required)")(
      "baseline,b", po::value<std::string>(),
      "the report to compare with (JSON, as 'analyze --json' writes it), or a trace to replay "
      "under the same options")(
      "update-baseline", po::bool_switch(),
      "rewrite the baseline from this run (creating it if missing); rules that compare with "
      "the baseline are skipped, the others still apply")(
      "junit", po::value<std::string>(),
      "write the verdict as JUnit XML to FILE (an errored test case when the input cannot be "
      "checked)")(
      "github", po::bool_switch(),
      "print GitHub Actions annotations (::error for each violated rule, or for the input that "
      "could not be checked)")(
      "json", po::value<std::string>(),
      "write the verdict as JSON to FILE ('-' = standard output, instead of the text)")(
      "markdown", po::value<std::string>(), "write the Markdown summary to FILE")(
      "report-out", po::value<std::string>(),
      "also write the current run's JSON report to FILE (as 'analyze --json' would)")(
      "all,a", po::bool_switch(), "also list the values that did not change")(
      "quiet,q", po::bool_switch(), "print only violated rules and the verdict")(
      "allow-empty", po::bool_switch(),
      "check a trace (or report) that replays no allocation; without it such an input is "
      "refused (exit 2), since every limit holds on nothing");
  po::options_description replay_options("Replay options (when the input is a trace)");
  add_model_options(replay_options, Profiles::kOne);
  add_sampling_option(replay_options);
  add_window_options(replay_options);
  add_symbols_option(replay_options);
  add_pooltag_option(replay_options);
  add_progress_option(replay_options);
  add_read_options(replay_options);
  replay_options.add_options()("help,h", po::bool_switch(), "show this help");
  po::options_description hidden;
  hidden.add_options()("input", po::value<std::string>());
  add_hidden_replay_options(hidden);
  po::options_description all;
  all.add(visible).add(replay_options).add(hidden);
  po::positional_options_description positional;
  positional.add("input", 1);

  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
  po::notify(vm);

  if (vm["help"].as<bool>()) {
    io.out << kIntro << "\n" << visible << "\n" << replay_options << kOutro;
    return kExitOk;
  }
  const CheckOptions options = check_options(vm);
  try {
    return run_check(options, vm, io);
  } catch (const Error& e) {
    write_input_error(options, e, io);
    throw;
  }
}

}  // namespace fragreplay::cli
