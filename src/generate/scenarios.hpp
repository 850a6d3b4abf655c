// The built-in workloads of `fragreplay generate`: each a documented, seeded model of how one
// kind of driver or system allocates, written as a native trace (README.md, "Generating
// workloads", describes each one and what its report shows).
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <span>
#include <string_view>

namespace fragreplay::generate {

class Workload;

struct Scenario {
  std::string_view name;
  std::string_view summary;  // one line, for --help and the trace's comment block
  std::string_view hint;     // the analyze options that show the scenario best ("" = defaults)
  void (*run)(Workload& w);
};

// Every scenario, in the order --help lists them.
std::span<const Scenario> scenarios();
// The scenario called `name`, or nullptr.
const Scenario* find_scenario(std::string_view name);

// Writes `events` events of `scenario` generated from `seed` to `out`. The same arguments give
// byte-identical output. Throws Error if writing fails. `on_progress` (optional) is called with
// the events written so far, every Workload::kProgressEvery events.
void generate(const Scenario& scenario, std::uint64_t events, std::uint64_t seed, std::FILE* out,
              const std::function<void(std::uint64_t)>& on_progress = {});

}  // namespace fragreplay::generate
