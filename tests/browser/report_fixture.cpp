// Writes the HTML report of a trace with a timeline, for the browser test and for looking at the
// charts. The timeline comes from a deliberately simple sampler written here (every few events it
// scans every frame of the model), so the test does not depend on the real sampler; it is test
// code, O(frames) per sample, and its RAM is kept small for that reason. The frame map is the
// model's occupancy map, read as the sampler reads it. The trace has no stacks,
// so the fixture gives each tag's allocations a made-up one (add_stacks), for the bottom-up table
// and the flame graph.
//
// Usage: report_fixture TRACE OUT.html [EVENTS_PER_SAMPLE]
#include <algorithm>
#include <array>
#include <bit>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "model/machine.hpp"
#include "model/profile.hpp"
#include "replay/engine.hpp"
#include "report/html/html_report.hpp"
#include "report/output_file.hpp"
#include "trace/trace_reader.hpp"

namespace {

using namespace fragreplay;

// Live waste by part: added on allocation, removed on free (a free's outcome is what it released).
class LiveWaste final : public replay::EventObserver {
 public:
  void on_event(const trace::Event& e, const trace::StringTable&,
                const replay::EventOutcome& o) override {
    if (!o.ok) return;
    if (e.kind == trace::EventKind::kAlloc) waste += o.waste;
    if (e.kind == trace::EventKind::kFree) waste -= o.waste;
  }
  model::Waste waste;
};

constexpr std::size_t kOrders = 12;

replay::TimelineSample sample(const model::Machine& m, const replay::Engine& engine,
                              const LiveWaste& live) {
  const replay::Results& r = engine.results();
  const model::PhysicalMemory& mem = m.memory();
  const PageSize ps = mem.page_size();
  replay::TimelineSample s;
  s.time_ns = r.last_time_ns;
  s.events = r.events;
  s.live_requested = r.totals.live_requested;
  s.live_footprint = r.totals.live_footprint;
  s.live_waste = live.waste;
  s.pool_page_bytes = ps.bytes_of(m.usage().pool.pages);
  s.free_frames = mem.free_frames();
  const Pfn last = mem.end_frame() - PageCount{1};
  s.largest_free_run = mem.largest_free_run_in(Pfn{0}, last);
  s.largest_free_run_below_16m =
      mem.largest_free_run_in(Pfn{0}, std::min(last, ps.frame_of(PhysAddr{(16u << 20) - 1})));
  s.largest_free_run_below_4g =
      mem.largest_free_run_in(Pfn{0}, std::min(last, ps.frame_of(PhysAddr{(4ull << 30) - 1})));
  s.contiguous_requests = r.contiguous.requests;
  s.contiguous_failures = r.contiguous.failures;

  // Maximal free runs (cut at holes) by order, and the frame map over RAM frames.
  s.free_runs_by_order.assign(kOrders, 0);
  std::vector<std::uint64_t> suitable(kOrders, 0);
  for (const model::RamRange& range : mem.ram()) {
    std::uint64_t run = 0;
    auto close_run = [&] {
      if (run == 0) return;
      const auto order = std::min<std::size_t>(kOrders - 1, std::bit_width(run) - 1);
      ++s.free_runs_by_order[order];
      for (std::size_t k = 0; k < kOrders; ++k) suitable[k] += run >> k;
      run = 0;
    };
    for (std::uint64_t f = range.first.value; f < range.first.value + range.count.value; ++f) {
      if (mem.is_free(Pfn{f})) {
        ++run;
      } else {
        close_run();
      }
    }
    close_run();
  }
  const double free = static_cast<double>(s.free_frames.value);
  std::uint64_t blocks = 0;
  for (const std::uint64_t n : s.free_runs_by_order) blocks += n;
  for (std::size_t k = 0; k < kOrders; ++k) {
    const double usable = static_cast<double>(suitable[k] << k);
    s.unusable_index.push_back(free == 0 ? 1.0 : (free - usable) / free);
    s.fragmentation_index.push_back(suitable[k] != 0 ? -1.0
                                    : blocks == 0
                                        ? 0.0
                                        : 1.0 - (1.0 + free / static_cast<double>(1u << k)) /
                                                    static_cast<double>(blocks));
  }
  // The frame map as the sampler draws it.
  mem.occupancy().draw(s.frame_map);
  mem.occupancy().shares(s.frame_shares);
  return s;
}

// One stack per by_tag row, made up but shaped like an ETW capture's (innermost frame first): the
// pool allocator, one of three driver functions as the caller, and the driver code, the NDIS or
// TCP/IP frame and the thread start above it. The call-site rows become those three callers, so
// they add up to the totals as the replay's own would.
void add_stacks(replay::Results& r) {
  static constexpr std::array<std::uint64_t, 3> kCallers{0x1a2b, 0x2c40, 0x3e00};
  constexpr std::uint64_t kNt = 0xfffff80000000000, kDriver = 0xfffff80100000000;
  constexpr std::uint64_t kNdis = 0xfffff80200000000, kTcpip = 0xfffff80300000000;
  auto frame = [](std::uint64_t base, const char* image, std::uint64_t offset) {
    char label[64];
    std::snprintf(label, sizeof label, "%s+0x%llx", image, static_cast<unsigned long long>(offset));
    return std::pair<std::uint64_t, std::string>{base + offset, label};
  };
  r.call_sites.clear();
  r.call_site_kinds.clear();  // made-up rows: no split by pool kind
  r.by_call_site.assign(kCallers.size(), replay::GroupStats{});
  for (const std::uint64_t offset : kCallers) {
    const auto [address, label] = frame(kDriver, "nicdrv.sys", offset);
    r.call_sites.push_back(replay::CallSite{address, label, "nicdrv.sys", false, 0, 0});
  }
  for (std::size_t i = 0; i < r.by_tag.size(); ++i) {
    const std::array<std::pair<std::uint64_t, std::string>, 5> frames{
        frame(kNt, "nt", 0x3f1a20), frame(kDriver, "nicdrv.sys", kCallers[i % 3]),
        frame(kDriver, "nicdrv.sys", 0x4100 + 0x20 * (i % 4)),
        i % 2 == 0 ? frame(kNdis, "ndis.sys", 0x12c0) : frame(kTcpip, "tcpip.sys", 0x8800),
        frame(kNt, "nt", 0x5a0f00)};
    replay::StackRow s;
    for (const auto& [address, label] : frames) {
      s.frames.push_back(address);
      s.frame_labels.push_back(label);
    }
    s.tag_row = static_cast<std::uint32_t>(i);
    s.caller = static_cast<std::uint32_t>(i % 3);
    s.caller_frame = 1;
    s.stats = r.by_tag[i];
    r.by_call_site[s.caller] += s.stats;
    r.stacks.push_back(std::move(s));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: report_fixture TRACE OUT.html [EVENTS_PER_SAMPLE]\n");
    return 2;
  }
  try {
    const std::size_t every = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 16;
    auto reader = trace::open_trace(argv[1], trace::ReadOptions{});
    const model::Profile& profile = model::builtin_profile(model::kDefaultProfile);
    model::MachineConfig config;
    config.ram = model::pc_ram_map(Bytes{512u << 20}, profile.page_size);
    model::Machine machine(profile, config);
    replay::Engine engine(machine, replay::ReplayOptions{});
    LiveWaste live;
    engine.set_observer(&live);
    std::vector<replay::TimelineSample> timeline;
    std::vector<trace::Event> batch(4096);
    const replay::TraceContext context = replay::trace_context(*reader);
    while (const std::size_t n = reader->read(batch)) {
      for (std::size_t i = 0; i < n; i += every) {
        const std::size_t k = std::min(every, n - i);
        engine.replay(std::span<const trace::Event>(batch.data() + i, k), context);
        timeline.push_back(sample(machine, engine, live));
      }
    }
    replay::Results results = replay::finish_replay(engine, *reader);
    results.timeline = std::move(timeline);
    add_stacks(results);
    report::write_file_atomically(argv[2], report::html_report(results));
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "report_fixture: %s\n", e.what());
    return 1;
  }
}
