// Shared input options (see read_options.hpp).
#include "cli/read_options.hpp"

#include "base/error.hpp"
#include "trace/text/text_fields.hpp"

namespace fragreplay::cli {
namespace po = boost::program_options;

void add_read_options(po::options_description& options) {
  options.add_options()("on-bad-line", po::value<std::string>()->default_value("fail"),
                        "fail: stop at the first malformed line or record (exit 2); skip: count "
                        "it and go on")(
      "time-unit", po::value<std::string>(),
      "unit of the timestamps of text exports that do not say: ns, 100ns, us, ms or s "
      "(defaults: xperf text us, tracerpt CSV 100ns, WPA CSV s)");
}

trace::ReadOptions read_options_from(const po::variables_map& vm) {
  trace::ReadOptions options;
  const std::string policy = vm["on-bad-line"].as<std::string>();
  if (policy == "skip") {
    options.on_bad_line = trace::BadLinePolicy::kSkip;
  } else if (policy != "fail") {
    throw Error("option '--on-bad-line': expected fail or skip, got \"" + policy + "\"");
  }
  if (vm.count("time-unit")) {
    const std::string unit = vm["time-unit"].as<std::string>();
    options.time_unit_ns = trace::text::time_unit_ns(unit);
    if (options.time_unit_ns == 0) {
      throw Error("option '--time-unit': expected ns, 100ns, us, ms or s, got \"" + unit + "\"");
    }
  }
  return options;
}

}  // namespace fragreplay::cli
