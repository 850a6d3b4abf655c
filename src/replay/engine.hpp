// The replay engine: turns trace events into calls on the model, keeps the live-allocation table,
// repairs events that make no sense (counting each kind), and accumulates Results. Per event it
// does a constant amount of work and allocates nothing once its tables have grown.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "model/machine.hpp"
#include "replay/call_site_rows.hpp"
#include "replay/device_windows.hpp"
#include "replay/event_observer.hpp"
#include "replay/finding_facts.hpp"
#include "replay/johnstone_wilson.hpp"
#include "replay/live_table.hpp"
#include "replay/peak_rows.hpp"
#include "replay/recent_addresses.hpp"
#include "replay/results.hpp"
#include "replay/row_cells.hpp"
#include "replay/sampler.hpp"
#include "replay/stack_caller.hpp"
#include "replay/trace_context.hpp"
#include "replay/window.hpp"
#include "trace/event.hpp"

namespace fragreplay::replay {

struct ReplayOptions {
  // Run every model invariant check after every event (tests; O(frames) per event).
  bool check_invariants = false;
  // What the report counts; everything before it is replayed too, nothing after it.
  TimeWindow window;
  // The fragmentation timeline (sampler.hpp); none when empty.
  std::optional<SamplerOptions> sampling = SamplerOptions{};
  // Which frame of a stack is its caller (stack_caller.hpp): --pool-wrapper.
  CallerRules callers;
};

class Engine {
 public:
  Engine(model::Machine& machine, const ReplayOptions& options);

  // Replays `events`, whose string ids and adapter names `context` resolves.
  void replay(std::span<const trace::Event> events, const TraceContext& context);
  // Fills the end state, adapters, processes and call sites (named from `context`, complete once
  // the trace was read to its end) and returns the results. What the reader learnt about its
  // input (name, format, bad lines, ignored records and fields) is not the engine's: see
  // finish_replay().
  Results finish(const TraceContext& context);

  void set_observer(EventObserver* observer) { observer_ = observer; }
  // Sampled after every event; finish() hands it the end state and takes its timeline.
  void set_sampler(Sampler* sampler) { sampler_ = sampler; }
  const Results& results() const { return results_; }
  // True once an event after the window's end was met: replay() then ignores further events.
  bool stopped() const { return stopped_; }

 private:
  // The rows of Results an allocation counts in, besides its routine's and the totals.
  struct Rows {
    std::uint32_t tag = 0;
    std::uint32_t process = 0;
    std::uint32_t call_site = 0;
  };

  // The GroupStats an event of pool kind `kind` in `rows` changes: its cell of each row group
  // (row_cells.hpp) and the totals. With `live_change` (an allocation or a free, not a refused
  // request) the cells keep their state at the live peak first (peak_rows.hpp).
  using Touched = std::array<GroupStats*, 5>;
  Touched touched(Rows rows, trace::Routine routine, unsigned kind, bool live_change);
  void prefetch_ahead(std::span<const trace::Event> events, std::size_t live, std::size_t pool);
  void on_alloc(const trace::Event& e, const TraceContext& context, EventOutcome& out);
  // The successful allocation `o` of `e`: counted in its rows, made live, peaks raised.
  void on_allocated(const trace::Event& e, const model::AllocOutcome& o, Rows rows,
                    EventOutcome& out);
  void on_free(const trace::Event& e, EventOutcome& out);
  void on_rundown(const trace::Event& e, const TraceContext& context, EventOutcome& out);
  // The live-table record of a successful allocation (its rows left to the caller).
  static LiveRecord live_record(const trace::Event& e, const model::AllocOutcome& o);
  model::AllocOutcome dispatch_alloc(const trace::Event& e, const TraceContext& context);
  bool dispatch_free(trace::RoutineFamily family, std::uint64_t handle);
  bool supported(trace::RoutineFamily family) const;
  void count_agreement(const trace::Event& e, const model::AllocOutcome& o);
  // Frees `rec`, already taken off the live table, in the model and in its rows.
  void release(std::uint64_t address, const LiveRecord& rec, std::uint64_t line);
  std::uint32_t tag_index(Tag tag);
  std::uint32_t process_index(trace::StringId process);
  void begin_window();
  // Fills the explanation of a failed contiguous request and raises the pinned-frame maxima.
  void explain_failure(ContiguousFailureRecord* record);
  model::AdapterId adapter_for(trace::StringId name, const TraceContext& context);

  model::Machine& machine_;
  ReplayOptions options_;
  EventObserver* observer_ = nullptr;
  Sampler* sampler_ = nullptr;
  DeviceWindows device_windows_;  // followed only with a sampler
  JohnstoneWilson fragmentation_;
  FindingFacts facts_;
  std::vector<std::pair<std::uint32_t, std::uint64_t>> pinned_scratch_;  // tag row -> frames
  Results results_;
  LiveTable live_;
  RowCells cells_;
  PeakRows peak_rows_;
  RecentAddresses recent_;
  trace::Event repaired_;  // the current event with its time repaired (see replay())
  FlatMap<std::uint32_t> tag_rows_;
  // tag_index()'s cache in front of tag_rows_.
  static constexpr std::uint32_t kNoRow = ~std::uint32_t{0};
  static constexpr unsigned kRecentTagBits = 4;
  struct TagSlot {
    std::uint32_t tag = 0;
    std::uint32_t row = kNoRow;
  };
  std::array<TagSlot, 1u << kRecentTagBits> recent_tags_{};
  FlatMap<model::AdapterId> adapters_;
  bool in_driver_entry_ = false;
  bool seen_event_ = false;
  std::uint64_t last_time_ = 0;
  // By-process rows and the time window (see window.hpp).
  std::vector<std::uint32_t> process_rows_;  // by process string id; kNoRow = no row yet
  std::vector<trace::StringId> process_ids_;
  CallSiteRows call_site_rows_;
  Results before_window_;
  bool window_started_ = false;
  bool stopped_ = false;
  std::uint64_t last_line_ = 0;
};

// The functions below drive an Engine from a reader (replay_trace.cpp); a forward declaration
// is enough here, the engine itself sees only a TraceContext.

// engine.finish() with `reader`'s context, and what the reader learnt about its input besides
// the events (its name and format, bad lines, ignored records and fields): the Results of a
// replay of `reader`, once it was read to its end.
Results finish_replay(Engine& engine, const trace::TraceReader& reader);

// Sets up an Engine as every replay does (the observer, and the sampler the options ask for),
// lets `replay` feed it the events of `reader`, and returns its results (finish_replay).
Results replay_with_engine(trace::TraceReader& reader, model::Machine& machine,
                           const ReplayOptions& options, EventObserver* observer,
                           const std::function<void(Engine&)>& replay);

// Reads `reader` to the end in batches and replays every event. `on_batch` (optional) is called
// after each batch, for progress display.
Results replay_trace(trace::TraceReader& reader, model::Machine& machine,
                     const ReplayOptions& options, EventObserver* observer = nullptr,
                     const std::function<void(const Engine&)>& on_batch = {});

}  // namespace fragreplay::replay
