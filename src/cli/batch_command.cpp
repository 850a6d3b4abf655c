// `fragreplay batch TRACE... -j N --out DIR`: analyses many traces in parallel, N at a time, one
// JSON report each in DIR plus DIR/fleet.json, their merge (gate/fleet.hpp). A trace that fails
// (missing, malformed) is reported with its error and left out; the others still complete.
#include <atomic>
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "base/error.hpp"
#include "base/format.hpp"
#include "cli/command.hpp"
#include "cli/command_line.hpp"
#include "cli/nothing_replayed.hpp"
#include "cli/pooltag_option.hpp"
#include "cli/profile_choice.hpp"
#include "cli/read_options.hpp"
#include "cli/symbols_option.hpp"
#include "cli/terminal_text.hpp"
#include "cli/trace_replay.hpp"
#include "gate/fleet.hpp"
#include "gate/fleet_reader.hpp"
#include "json/json_text.hpp"
#include "model/machine.hpp"
#include "replay/engine.hpp"
#include "report/json_report.hpp"
#include "report/output_file.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::cli {
namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

constexpr const char* kIntro =
    "Usage: fragreplay batch TRACE... --out DIR [-j N] [options]\n"
    "\n"
    "Analyses every TRACE, N at a time, and writes one JSON report per trace into DIR\n"
    "(named after the trace: nic.csv -> DIR/nic.json, nic-2.json for a second nic.csv) and "
    "DIR/fleet.json, the fleet summary\n"
    "of them all (the document 'fragreplay merge' writes). Prints one line per trace. A trace\n"
    "that cannot be analysed is named with its error and left out of the summary; the exit\n"
    "status is then 2.\n";

constexpr const char* kOutro =
    "\n"
    "Examples:\n"
    "  fragreplay batch traces/*.csv --out reports -j 2\n"
    "  fragreplay batch host1/*.csv --out shard1 --profile win10-19h1-x64 --ram 16GiB\n";

struct Job {
  std::string trace;
  std::string report;  // DIR/<stem>.json
  std::optional<nlohmann::json> fleet;
  std::string error;
  std::string warning;  // the trace replayed nothing (nothing_replayed.hpp): reported, not failed
  std::uint64_t events = 0;
  std::uint64_t failures = 0;
  std::uint64_t waste = 0;
};

// DIR/<stem>.json, with -2, -3, ... when two traces share a stem (a/x.csv and b/x.csv).
std::vector<std::string> report_names(const std::vector<std::string>& traces, const fs::path& dir) {
  std::set<std::string> used{"fleet.json"};  // the summary's own name
  std::vector<std::string> names;
  for (const auto& t : traces) {
    const std::string stem = t == "-" ? "stdin" : fs::path(t).stem().string();
    std::string name = stem + ".json";
    for (int k = 2; used.count(name); ++k) name = stem + "-" + std::to_string(k) + ".json";
    used.insert(name);
    names.push_back((dir / name).string());
  }
  return names;
}

// What the command line asked for. Empty when it asked for --help (printed).
struct BatchPlan {
  std::vector<std::string> traces;
  ReplaySettings settings;
  unsigned jobs = 1;
  bool quiet = false;
  fs::path dir;
  // Side files read once and shared by the jobs (naming only reads them).
  std::shared_ptr<const CallSiteNamer> call_sites;
  std::shared_ptr<const TagOwnerNamer> tag_owners;
};

std::optional<BatchPlan> parse_batch(const Args& args, Io io) {
  po::options_description visible("Options");
  visible.add_options()("out", po::value<std::string>(),
                        "directory for the reports and fleet.json (created if missing)")(
      "jobs,j", po::value<unsigned>(), "traces analysed at once (default: the number of cores)")(
      "quiet,q", po::bool_switch(), "print only errors")("help,h", po::bool_switch(),
                                                         "show this help");
  // The replay options of analyze, with the same defaults and checks (one profile).
  add_model_options(visible, Profiles::kOne);
  add_sampling_option(visible);
  add_window_options(visible);
  add_symbols_option(visible);
  add_pooltag_option(visible);
  add_read_options(visible);
  po::options_description hidden;
  add_hidden_replay_options(hidden);
  const po::variables_map vm = parse_command_line_list(args, visible, hidden, "trace");
  if (vm["help"].as<bool>()) {
    io.out << kIntro << "\n" << visible << kOutro;
    return std::nullopt;
  }
  if (!vm.count("trace")) throw Error("batch: no TRACE given (see 'fragreplay batch --help')");
  if (!vm.count("out")) throw Error("batch: missing --out DIR");
  BatchPlan plan;
  plan.traces = vm["trace"].as<std::vector<std::string>>();
  plan.settings = replay_settings(vm);
  if (plan.settings.profiles.size() != 1) {
    throw Error("option '--profile': batch takes one profile");
  }
  plan.jobs = vm.count("jobs") ? vm["jobs"].as<unsigned>() : std::thread::hardware_concurrency();
  if (plan.jobs == 0) plan.jobs = 1;
  plan.quiet = vm["quiet"].as<bool>();
  plan.dir = vm["out"].as<std::string>();
  plan.call_sites = std::make_shared<const CallSiteNamer>(plan.settings.kernel_symbols);
  plan.tag_owners = std::make_shared<const TagOwnerNamer>(vm, io.err);
  return plan;
}

// One job per trace, each with its report's name; creates the output directory.
std::vector<Job> job_list(const BatchPlan& plan) {
  std::error_code ec;
  fs::create_directories(plan.dir, ec);
  if (ec || !fs::is_directory(plan.dir)) {
    throw Error("option '--out': cannot create directory " + plan.dir.string() + ": " +
                ec.message());
  }
  const std::vector<std::string> names = report_names(plan.traces, plan.dir);
  std::vector<Job> work(plan.traces.size());
  for (std::size_t i = 0; i < plan.traces.size(); ++i) {
    work[i].trace = plan.traces[i];
    work[i].report = names[i];
  }
  return work;
}

// Replays one trace and writes its report; an error is kept in the job, not thrown.
void run_job(Job& job, const BatchPlan& plan) {
  const ReplaySettings& settings = plan.settings;
  try {
    auto reader = trace::open_trace(job.trace, settings.read);
    // Each trace's own content chooses when no profile was named (profile_choice.hpp).
    const ProfileChoice choice =
        choose_profiles(settings.profiles, settings.profile_named, *reader);
    const model::Profile& profile = choice.profiles.front();
    model::Machine machine(profile, settings.machine_config(profile));
    replay::Results results = replay::replay_trace(*reader, machine, settings.replay);
    plan.call_sites->name(results);
    plan.tag_owners->name(results);
    const nlohmann::ordered_json report = report::to_json(results);
    const std::string text = fragreplay::json_text(report) + "\n";
    report::write_file_atomically(job.report, text);
    job.fleet = gate::read_fleet_text(text, job.report);  // as merge would read it
    job.events = results.events;
    job.failures = results.contiguous.failures;
    job.waste = results.totals.waste.total().value;
    if (const auto why = nothing_replayed(results, &reader->facts()))
      job.warning = "nothing to replay: " + *why;
  } catch (const std::exception& e) {
    job.error = e.what();
    // Every error names the trace it stopped, even one raised with no position in it.
    if (job.error.rfind(job.trace + ":", 0) != 0) job.error = job.trace + ": " + job.error;
  }
}

// The job's line: its error or warning on io.err, its figures on io.out.
void print_job(const Job& job, bool quiet, Io io) {
  if (!job.error.empty()) {
    io.err << "fragreplay: batch: " << terminal_text(job.error) << "\n";
  } else if (!job.warning.empty()) {
    io.err << "fragreplay: batch: warning: " << terminal_text(job.warning) << "\n";
  }
  if (job.error.empty() && !quiet) {
    io.out << terminal_text(job.report) << ": " << fragreplay::thousands(job.events) << " events, "
           << fragreplay::thousands(job.failures) << " contiguous failures, waste "
           << fragreplay::human_bytes(job.waste) << "\n";
  }
}

// Runs the jobs on `plan.jobs` threads (this one among them), each printed as it ends.
void run_jobs(std::vector<Job>& work, const BatchPlan& plan, Io io) {
  std::atomic<std::size_t> next{0};
  std::mutex print;
  auto worker = [&] {
    for (std::size_t i = next++; i < work.size(); i = next++) {
      run_job(work[i], plan);
      const std::lock_guard lock(print);
      print_job(work[i], plan.quiet, io);
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < std::min<std::size_t>(plan.jobs, work.size()); ++t)
    threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
}

// DIR/fleet.json, the merge of the reports that were written; the exit status.
int write_fleet(const std::vector<Job>& work, const BatchPlan& plan, Io io) {
  nlohmann::json fleet = gate::empty_fleet();
  std::size_t failed = 0;
  for (const Job& job : work) {
    if (job.fleet) {
      gate::merge_into(fleet, *job.fleet);
    } else {
      ++failed;
    }
  }
  const std::string fleet_path = (plan.dir / "fleet.json").string();
  report::write_file_atomically(fleet_path, gate::fleet_text(fleet));
  if (!plan.quiet) {
    io.out << fleet_path << ":\n" << gate::fleet_summary(fleet);
  }
  if (failed != 0) {
    io.err << "fragreplay: batch: " << failed << " of " << work.size()
           << " traces could not be analysed (left out of " << fleet_path << ")\n";
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

int batch_command(const Args& args, Io io) {
  const std::optional<BatchPlan> plan = parse_batch(args, io);
  if (!plan) return kExitOk;
  std::vector<Job> work = job_list(*plan);
  run_jobs(work, *plan, io);
  return write_fleet(work, *plan, io);
}

}  // namespace fragreplay::cli
