// Helpers shared by the unit tests: native traces written inline, replayed in-process.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "model/machine.hpp"
#include "replay/engine.hpp"
#include "trace/native_format.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::testing {

// A native trace: the magic and header lines, then `body`.
inline std::string native_trace(const std::string& body) {
  return std::string(trace::native::kMagic) + "\n" + std::string(trace::native::kHeader) + "\n" +
         body;
}

// Every event of `reader`, read in batches of `batch` (small batches exercise the readers'
// refills and resumption between calls).
inline std::vector<trace::Event> read_all(trace::TraceReader& reader, std::size_t batch = 3) {
  std::vector<trace::Event> all;
  std::vector<trace::Event> buf(batch);
  while (const std::size_t n = reader.read(buf))
    all.insert(all.end(), buf.begin(), buf.begin() + static_cast<long>(n));
  return all;
}

// Replays a native trace body under a built-in profile (default RAM unless `config` says),
// checking every invariant after every event.
inline replay::Results replay_text(const std::string& body, const std::string& profile = "win7-x64",
                                   model::MachineConfig config = {},
                                   replay::EventObserver* observer = nullptr) {
  auto reader = trace::open_trace(trace::memory_source(native_trace(body), "t.csv"),
                                  trace::ReadOptions{trace::BadLinePolicy::kSkip});
  model::Machine machine(model::builtin_profile(profile), std::move(config));
  replay::ReplayOptions options;
  options.check_invariants = true;
  return replay::replay_trace(*reader, machine, options, observer);
}

// Frame numbers from plain numbers, for expected page lists.
inline std::vector<Pfn> pfns(std::initializer_list<std::uint64_t> v) {
  std::vector<Pfn> out;
  for (auto f : v) out.push_back(Pfn{f});
  return out;
}

}  // namespace fragreplay::testing
