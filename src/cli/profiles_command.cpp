// `fragreplay profiles`: the built-in platform profiles, one line each; `--show NAME|FILE` prints
// one as the JSON document --profile-file reads; `--keys` lists every key with its meaning.
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>

#include "base/error.hpp"
#include "cli/command.hpp"
#include "json/json_text.hpp"
#include "model/profile.hpp"
#include "profile_io/profile_json.hpp"

namespace fragreplay::cli {
namespace po = boost::program_options;

namespace {

constexpr const char* kIntro =
    "Usage: fragreplay profiles [--show NAME|FILE] [--keys]\n"
    "\n"
    "Lists the built-in platform profiles: the pool allocator and physical-memory rules of\n"
    "one Windows era (or Linux SLUB). A profile is a JSON document; start your own from a\n"
    "built-in with --show, change what differs, and pass it to 'analyze --profile-file'.\n";

constexpr const char* kOutro =
    "\n"
    "Examples:\n"
    "  fragreplay profiles\n"
    "  fragreplay profiles --show win8-x64 > my-profile.json\n"
    "  fragreplay profiles --show my-profile.json     # check a file, print it in full\n"
    "\n"
    "A profile file may hold only what differs from a built-in:\n"
    "  {\"base\": \"win10-19h1-x64\", \"name\": \"win11-lab\",\n"
    "   \"segment_heap\": {\"vs_delay_free_batch\": 32}}\n";

bool is_builtin(const std::string& name) {
  for (const auto& p : model::builtin_profiles()) {
    if (p.name == name) return true;
  }
  return false;
}

}  // namespace

int profiles_command(const Args& args, Io io) {
  po::options_description visible("Options");
  visible.add_options()("show", po::value<std::string>(),
                        "print the built-in profile NAME, or the profile file FILE, as JSON")(
      "keys", po::bool_switch(), "list every key a profile file may hold, with its meaning")(
      "help,h", po::bool_switch(), "show this help");
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(visible).run(), vm);
  po::notify(vm);
  if (vm["help"].as<bool>()) {
    io.out << kIntro << "\n" << visible << kOutro;
    return kExitOk;
  }
  if (vm.count("show")) {
    const std::string what = vm["show"].as<std::string>();
    // Neither a built-in nor a file: the built-in's error, which lists the names.
    std::error_code ec;
    const bool file = std::filesystem::exists(what, ec);
    const model::Profile p =
        is_builtin(what) || !file ? model::builtin_profile(what) : load_profile_file(what);
    io.out << fragreplay::json_text(profile_to_json(p)) << "\n";
    return kExitOk;
  }
  if (vm["keys"].as<bool>()) {
    for (const auto& [key, doc] : profile_keys()) {
      io.out << "  " << key << std::string(key.size() < 42 ? 42 - key.size() : 1, ' ') << doc
             << "\n";
    }
    return kExitOk;
  }
  std::size_t width = 0;
  for (const auto& p : model::builtin_profiles()) width = std::max(width, p.name.size());
  for (const auto& p : model::builtin_profiles()) {
    io.out << "  " << p.name << std::string(width + 2 - p.name.size(), ' ') << p.description
           << (p.name == model::kDefaultProfile ? " [default]" : "") << "\n";
  }
  io.out << "\n'fragreplay profiles --show NAME' prints one as JSON.\n";
  return kExitOk;
}

}  // namespace fragreplay::cli
