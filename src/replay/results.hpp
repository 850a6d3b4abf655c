// Results: everything a replay measured, as plain aggregates the report stage renders. Filled by
// the engine; nothing here refers to the model's internals or to the trace reader.
//
// Invariants (checked by tests): totals.footprint = totals.requested + totals.waste.total();
// Σ by_tag = Σ by_routine = Σ by_process = Σ by_call_site = Σ by_pool_kind = totals (without a
// time window);
// Σ by_module = Σ by_tag when there are module rows (stacks or a pool-tag list);
// each row's KindParts add up to the row, and each group's parts of kind k to by_pool_kind[k];
// end.live_footprint = Σ
// footprint of live allocations.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/flat_map.hpp"
#include "base/tag.hpp"
#include "base/units.hpp"
#include "model/outcome.hpp"
#include "model/owner.hpp"
#include "replay/pitfalls.hpp"
#include "trace/event.hpp"

namespace fragreplay::replay {

// What a group had live at one moment: allocations, their requested bytes and footprint, and the
// waste resident in them, by part.
struct LiveState {
  std::uint64_t allocations = 0;
  Bytes requested;
  Bytes footprint;
  model::Waste waste;
  LiveState& operator+=(const LiveState& o) {
    allocations += o.allocations;
    requested += o.requested;
    footprint += o.footprint;
    waste += o.waste;
    return *this;
  }
  friend bool operator==(const LiveState&, const LiveState&) = default;
};

// Allocation statistics of one group (a tag, a routine, or everything).
struct GroupStats {
  std::uint64_t allocations = 0;  // successful
  std::uint64_t failures = 0;
  std::uint64_t frees = 0;
  std::uint64_t init_allocations = 0;  // inside a DriverEntry phase
  Bytes requested;                     // of the successful allocations
  Bytes refused;  // asked by the refused ones: kept apart, so requested is what was granted
  Bytes footprint;
  model::Waste waste;
  std::uint64_t live_allocations = 0;  // at the end of the trace
  Bytes live_requested;
  Bytes live_footprint;
  model::Waste live_waste;  // of the allocations live at the end, by part
  // What the group had live at the moment of the live peak of the whole replay (Results::peak;
  // replay/peak_rows.hpp): the rows of a group add up to the totals' at_peak.
  LiveState at_peak;

  // Nothing happened in it and nothing of it is live: no allocation, failure or free.
  bool idle() const {
    return allocations == 0 && failures == 0 && frees == 0 && live_allocations == 0;
  }
  // Its live state now (at the end, once the replay is over).
  LiveState live() const { return {live_allocations, live_requested, live_footprint, live_waste}; }
  GroupStats& operator+=(const GroupStats& o);
  // REQUIRES: `o` is a part of this group (each of its counts at most this one's).
  GroupStats& operator-=(const GroupStats& o);
  friend bool operator==(const GroupStats&, const GroupStats&) = default;
};

// The rows of Results::by_pool_kind, in replay::PoolKindRow order: their JSON and CSV keys and
// the labels the other reports show.
inline constexpr std::size_t kPoolKindCount = 6;
inline constexpr std::array<const char*, kPoolKindCount> kPoolKindKeys{
    "none", "nonpaged", "nonpaged_nx", "paged", "session_nonpaged", "session_paged"};
inline constexpr std::array<const char*, kPoolKindCount> kPoolKindLabels{
    "(no pool)", "NonPaged", "NonPagedNx", "Paged", "Session NonPaged", "Session Paged"};

// One row's split by pool kind (docs/attribution.md §4). A row whose events were all of one kind
// is that kind's alone: `kind` says which, and nothing more is kept. A row of several kinds
// (kMixed) keeps one part per kind, indexed by PoolKindRow, and its parts add up to the row.
// Invariant (tested): Σ over a group's rows of part(row, k) = by_pool_kind[k].
struct KindParts {
  static constexpr std::uint8_t kUnseen = 0xFE;  // no event yet (a row with nothing in it)
  static constexpr std::uint8_t kMixed = 0xFF;
  std::uint8_t kind = kUnseen;
  std::vector<GroupStats> parts;  // kPoolKindCount entries when mixed, none otherwise

  bool mixed() const { return kind == kMixed; }
  // What of `row`, the row these are the parts of, is of kind `k`.
  GroupStats part(const GroupStats& row, std::size_t k) const;
  // Turns a row of one kind into one of parts (the row's state `row` all in its kind).
  void split(const GroupStats& row);
  // Adds `o` (the parts of row `o_row`) to these parts of `row` (as it was before adding o_row).
  void add(const GroupStats& row, const KindParts& o, const GroupStats& o_row);
  // Takes `o` (the parts of `o_row`, a part of this row) away. A row left with one part that is
  // not empty becomes that kind's.
  void subtract(const KindParts& o, const GroupStats& o_row);
  friend bool operator==(const KindParts&, const KindParts&) = default;
};

// The moment of the largest live footprint, and what was live then: the waste resident at the
// peak, by part (not the turnover of totals.waste).
struct Peak {
  std::uint64_t time_ns = 0;
  std::uint64_t line = 0;
  Bytes live_requested;
  Bytes live_footprint;
  model::Waste live_waste;
  std::uint64_t live_allocations = 0;
};

struct EndState {
  std::uint64_t live_allocations = 0;
  Bytes live_requested;
  Bytes live_footprint;
  model::Waste live_waste;  // resident at the end, by part
  Bytes pool_page_bytes;    // pages the pool holds * page size
  Bytes pool_page_slack;    // pool page bytes not in a live allocation (free, cached, stubs)
  Bytes page_granular;      // live noncached + contiguous + common buffers
  PageCount free_frames;
  PageCount total_frames;
};

struct ContiguousFailureRecord {
  std::uint64_t time_ns = 0;
  std::uint64_t line = 0;
  trace::Routine routine = trace::Routine::kMmAllocateContiguousMemory;
  Tag tag;
  std::uint64_t bytes = 0;
  std::uint64_t lowest = 0;
  std::uint64_t highest = 0;
  std::uint64_t boundary = 0;
  model::FailCause cause = model::FailCause::kNone;
  // Its device window in Results::device_windows (kNoWindow: all of RAM, or not followed).
  static constexpr std::uint32_t kNoWindow = ~std::uint32_t{0};
  std::uint32_t device_window = kNoWindow;
  Bytes free_in_window;
  Bytes largest_free_run_in_window;
  // Why (model::ContiguousDiagnosis): the request's order, mm/vmstat.c's fragmentation index over
  // the window in thousandths (-1000: a run of 2^order frames exists), the placement that came
  // closest (physical address and free bytes) and who holds the rest of it, most frames first.
  unsigned order = 0;
  std::int32_t fragmentation_index = 0;
  bool has_candidate = false;
  std::uint64_t candidate_phys = 0;
  Bytes candidate_free;
  struct Blocker {
    model::OwnerClass cls = model::OwnerClass::kPool;
    Tag tag;
    std::uint64_t frames = 0;
  };
  static constexpr std::size_t kBlockersKept = 4;
  // The first kBlockersKept owners, in place (a failure allocates nothing).
  struct Blockers {
    std::array<Blocker, kBlockersKept> items{};
    std::size_t count = 0;
    std::size_t size() const { return count; }
    const Blocker& operator[](std::size_t i) const { return items[i]; }
    const Blocker* begin() const { return items.data(); }
    const Blocker* end() const { return items.data() + count; }
    void push_back(const Blocker& b) { items[count++] = b; }
  };
  Blockers blockers;
  std::uint64_t pinned_frames = 0;  // frames splitting free runs that together would fit
  bool pinned_truncated = false;
};

// Frames an owner without a by_tag row held splitting free runs at the worst failure:
// --background, free nonpaged pool pages, or pool pages of a tag the trace never used.
struct PinnedOther {
  model::OwnerClass cls = model::OwnerClass::kPool;
  Tag tag;
  std::uint64_t frames = 0;
};

// Johnstone & Wilson's four fragmentation measures over the whole trace (docs/measures.md
// §6.2), with "memory used by the allocator" U = pool pages x page size + page-granular bytes and
// "memory requested" L = live requested bytes, after every event. Ratios U/L; 0 when undefined.
struct FragmentationMeasures {
  double mean_over_time = 0;  // 1: the mean of U/L over the events where L > 0
  double at_peak_live = 0;    // 2: U / L at the moment L is largest
  double at_peak_used = 0;    // 3: U / L at the moment U is largest
  double peak_over_peak = 0;  // 4: max U / max L
  Bytes peak_live;
  Bytes peak_used;
};

struct ContiguousStats {
  static constexpr std::size_t kLogLimit = 10000;
  std::uint64_t requests = 0;
  std::uint64_t failures = 0;
  std::array<std::uint64_t, model::kFailCauseCount> failures_by_cause{};
  std::vector<ContiguousFailureRecord> failure_log;  // the first kLogLimit failures
};

// Events that made no sense, by kind: how many, and the first few lines.
enum class Anomaly : std::uint8_t {
  kUnknownFree,            // free of an address never allocated (in the trace window)
  kDoubleFree,             // free of an address already freed
  kLiveAddressReused,      // alloc at an address still live: the old allocation is freed first
  kTimeWentBackwards,      // time below the previous event's: the previous time is used
  kMismatchedFree,         // freed with a routine of another family: freed as allocated
  kUnsupportedRoutine,     // a routine the profile's machine does not have: not replayed
  kUnknownPoolFlags,       // ExAllocatePool2/3 with a required flag the kernel does not know
  kRoutineNotInVersion,    // a routine the profile's Windows build does not have: replayed anyway
  kPool2NoPoolFlag,        // ExAllocatePool2/3 naming none of NON_PAGED, NON_PAGED_EXECUTE, PAGED
  kPool2SeveralPoolFlags,  // ExAllocatePool2/3 naming more than one of them
  kPool2TagZero,           // ExAllocatePool2/3 with tag 0
  kMismatchedPoolType,     // a free recorded a pool type other than its allocation's: freed as
                           // allocated
  kCount
};
inline constexpr unsigned kAnomalyCount = static_cast<unsigned>(Anomaly::kCount);
const char* anomaly_name(Anomaly a);
const char* anomaly_repair(Anomaly a);

struct AnomalyStats {
  static constexpr std::size_t kKeepLines = 10;
  std::uint64_t count = 0;
  std::vector<std::uint64_t> first_lines;
  void add(std::uint64_t line) {
    ++count;
    if (first_lines.size() < kKeepLines) first_lines.push_back(line);
  }
};

struct BadLineRecord {
  std::uint64_t line = 0;
  std::string message;
};

// Records of the input that carry no event to replay (other tracepoints, summaries), by kind.
struct IgnoredRecordCount {
  std::string kind;
  std::uint64_t count = 0;
};

// A column of the input set aside on the rows of one routine (trace/ignored_fields.hpp).
struct IgnoredFieldCount {
  std::string column;
  std::string routine;
  std::uint64_t count = 0;
  std::uint64_t first_line = 0;
};

struct DataQuality {
  std::uint64_t bad_lines = 0;
  std::uint64_t ignored_records = 0;
  std::vector<IgnoredRecordCount> ignored_by_kind;
  // Fields of the input that their rows' routines do not take (trace/ignored_fields.hpp): the
  // number of fields, and each column and routine with its count and first line.
  std::uint64_t ignored_fields = 0;
  std::vector<IgnoredFieldCount> ignored_fields_by_column;
  // Frees of allocations the model refused (the traced machine granted them): expected when the
  // model is more constrained than the machine the trace came from, so not an anomaly.
  std::uint64_t frees_of_refused = 0;
  // kfree / kmem_cache_free of NULL or ZERO_SIZE_PTR: legal no-ops, counted, not replayed.
  std::uint64_t null_frees = 0;
  std::vector<BadLineRecord> first_bad_lines;
  std::array<AnomalyStats, kAnomalyCount> anomalies{};
  // kRoutineNotInVersion by routine: which routines the profile's build does not have.
  std::array<std::uint64_t, trace::kRoutineCount> not_in_version{};
  AnomalyStats& operator[](Anomaly a) { return anomalies[static_cast<unsigned>(a)]; }
  const AnomalyStats& operator[](Anomaly a) const { return anomalies[static_cast<unsigned>(a)]; }
};
// The routines of not_in_version with their counts, in enum order: "ExAllocatePool2 (3), ...".
std::string routines_not_in_version(const DataQuality& q);

// Allocations that existed before the trace started, reported by rundown snapshots (ETW PoolSnap
// DCStart; trace::Event::rundown). They are placed in the model and the live table, so their
// frees are not unknown, but are kept out of totals, by_tag, by_routine and the peak.
struct RundownStats {
  std::uint64_t allocations = 0;  // placed in the model
  std::uint64_t refused = 0;      // the model could not place them
  std::uint64_t duplicates = 0;   // their address was already live (the snapshot raced an alloc)
  std::uint64_t freed = 0;        // freed during the trace
  Bytes requested;
  Bytes footprint;
};

struct AdapterResult {
  std::string name;
  std::uint64_t map_registers = 0;  // budget
  std::uint64_t peak = 0;
  std::uint64_t in_use_end = 0;
  std::uint64_t failures = 0;
};

struct ProfileInfo {
  std::string name;
  std::string description;
  std::string backend;  // legacy, segment_heap or slub
  std::uint64_t page_size = 0;
  std::uint64_t pool_header = 0;
  std::uint64_t granularity = 0;
  std::uint64_t small_max = 0;
  std::string big_tail;
  std::string list_search;
  std::string contiguous_scan;
  // No profile was named and the trace's content chose this one (a Linux capture: linux-slub).
  bool chosen_by_content = false;
};

// One point of the fragmentation timeline (filled by the sampler; a bounded number per replay,
// downsampled keeping extremes). Physical figures are over all RAM unless named otherwise.
// A device window's figures in one timeline sample (Sampler): the same measures as the all-RAM
// ones, over the window's frames only (docs/measures.md §3.3).
struct WindowSample {
  PageCount free_frames;
  PageCount largest_free_run;
  std::vector<std::uint64_t> free_runs_by_order;  // pieces of the window's free runs, per order
  std::vector<double> unusable_index;
  std::vector<double> fragmentation_index;
  std::vector<std::uint8_t> frame_shares;  // as TimelineSample::frame_shares, buckets of the window
};

struct TimelineSample {
  std::uint64_t time_ns = 0;
  std::uint64_t events = 0;  // events replayed up to this sample
  Bytes live_requested;
  Bytes live_footprint;
  model::Waste live_waste;  // waste of the allocations live at this moment, by part
  Bytes pool_page_bytes;
  PageCount free_frames;
  PageCount largest_free_run;
  PageCount largest_free_run_below_16m;
  PageCount largest_free_run_below_4g;
  std::vector<std::uint64_t> free_runs_by_order;  // like /proc/buddyinfo: count per order k
  std::vector<double> unusable_index;             // per order, mm/vmstat.c unusable_free_index
  std::vector<double> fragmentation_index;        // per order, mm/vmstat.c __fragmentation_index
  std::uint64_t contiguous_requests = 0;          // so far
  std::uint64_t contiguous_failures = 0;          // so far
  std::array<std::uint64_t, model::kFailCauseCount> contiguous_failures_by_cause{};  // so far
  // The physical memory map at this moment: RAM split into equal buckets of frames, each holding
  // the model::OwnerClass that holds most of its frames, or kFreeBucket.
  static constexpr std::uint8_t kFreeBucket = 0xFF;
  std::vector<std::uint8_t> frame_map;
  // The same buckets by share: model::kOwnerClassCount bytes per bucket, the share of its frames
  // each owner class holds in 255ths, rounded up (model::OccupancyMap::shares); free is the rest.
  std::vector<std::uint8_t> frame_shares;
  // By Results::device_windows: a window watched after this sample was taken has no entry.
  std::vector<WindowSample> windows;
};

// A device window of physical memory that the timeline follows (replay/device_windows.hpp): a
// window contiguous requests named that is not all of RAM, as its first request gave it, with the
// RAM frames it covers.
struct DeviceWindow {
  std::uint64_t lowest = 0;  // physical addresses, inclusive, of the first request naming it
  std::uint64_t highest = 0;
  std::uint64_t first_frame = 0;  // RAM frames [first_frame, end_frame) inside it
  std::uint64_t end_frame = 0;
  std::uint64_t watched_from_ns = 0;  // its first request: the samples before have no figures
  std::uint64_t requests = 0;         // contiguous requests inside it, counted (--from/--to)
  std::uint64_t failures = 0;         // and those that failed
};

// The time window the report counts (--from / --to; replay/window.hpp says what it counts).
struct WindowInfo {
  static constexpr std::uint64_t kOpenEnd = ~std::uint64_t{0};  // no --to
  bool active = false;
  std::uint64_t from_ns = 0;
  std::uint64_t to_ns = kOpenEnd;
  std::uint64_t events_before = 0;  // replayed before the window opened, not counted
  std::uint64_t first_time_ns = 0;  // first and last event counted
  std::uint64_t last_time_ns = 0;
};

// When the trace records what the real allocator charged (Linux bytes_alloc), how often the
// model's footprint is the same.
struct Disagreement {
  std::uint64_t line = 0;
  trace::Routine routine = trace::Routine::kKmalloc;
  std::uint64_t requested = 0;
  std::uint64_t charged = 0;  // what the trace says the allocator charged
  std::uint64_t model = 0;    // the model's footprint (0 if the model refused the allocation)
};

struct ModelAgreement {
  static constexpr std::size_t kKeep = 20;
  std::uint64_t compared = 0;
  std::uint64_t matching = 0;
  std::vector<Disagreement> first_disagreements;  // the first kKeep
};

// Where a Linux record was allocated from (trace::Event::call_site): the kernel address, or the
// symbol ("function+0xoff") the trace printed or a symbol file resolved. Address 0 and no name:
// the records without a call site.
//
// An ETW capture's call sites are its stacks' callers (replay/stack_rows.hpp): the first frame
// outside the kernel's own images, with the module holding it ("" when no image holds it) and
// whether the stack had no frame outside them (kernel_only: the caller is its deepest kernel
// frame). While the replay runs, a row stands for one (stack, tag row) pair: `stack` and `tag_row`
// say which, and stack_rows.hpp folds those rows into callers at the end.
struct CallSite {
  std::uint64_t address = 0;
  std::string name;
  std::string module;
  bool kernel_only = false;
  std::uint32_t stack = 0;  // during the replay only
  std::uint32_t tag_row = 0;
};

// One distinct stack of the allocations of one by_tag row, as the replay folded it: its frames
// (innermost first), the caller (a row of by_call_site) and what its allocations did.
struct StackRow {
  std::vector<std::uint64_t> frames;
  std::vector<std::string> frame_labels;  // "tcpip.sys+0x1a2b", per frame
  std::uint32_t tag_row = 0;
  std::uint32_t caller = 0;
  std::size_t caller_frame = 0;  // which frame is the caller
  GroupStats stats;
  KindParts kinds;  // stats by pool kind
};

// The owner a pool-tag list (--pooltag) names for one by_tag row: its binary as the list writes it
// ("afd.sys", "nt!ps"), the description, and the driver module it stands for ("nt" for "nt!ps";
// "" when the list names none, or names "<unknown>").
struct TagOwnerInfo {
  std::string binary;
  std::string description;
  std::string module;
  friend bool operator==(const TagOwnerInfo&, const TagOwnerInfo&) = default;
};

struct Results {
  // What was replayed.
  std::string trace_name;
  std::string trace_format;
  ProfileInfo profile;
  Bytes ram;  // modelled RAM (frames * page size)
  std::uint64_t events = 0;
  std::uint64_t alloc_events = 0;
  std::uint64_t free_events = 0;
  std::uint64_t phase_events = 0;
  std::uint64_t first_time_ns = 0;
  std::uint64_t last_time_ns = 0;

  GroupStats totals;
  Peak peak;
  EndState end;
  // by_tag rows in order of first appearance; by_routine indexed by trace::Routine.
  std::vector<Tag> tags;
  std::vector<GroupStats> by_tag;
  std::array<GroupStats, trace::kRoutineCount> by_routine{};
  // By the pool an allocation lives in, indexed by PoolKindRow (replay/pool_kind.hpp): row 0 holds
  // what no pool holds (page-granular routines, Linux).
  std::array<GroupStats, kPoolKindCount> by_pool_kind{};
  std::uint64_t map_registers_peak = 0;  // all adapters together
  std::vector<AdapterResult> adapters;
  ContiguousStats contiguous;
  DataQuality data_quality;
  RundownStats rundown;
  ModelAgreement model_agreement;
  std::vector<TimelineSample> timeline;      // empty until a sampler is attached
  std::vector<DeviceWindow> device_windows;  // followed by the timeline (empty without one)

  // By the process the trace names (empty name: not recorded), in order of first appearance.
  std::vector<std::string> processes;
  std::vector<GroupStats> by_process;
  // By call site (replay/call_site_rows.hpp), in order of first appearance.
  std::vector<CallSite> call_sites;
  std::vector<GroupStats> by_call_site;
  // The stacks of an ETW capture with stack walks (replay/stack_rows.hpp); empty without.
  std::vector<StackRow> stacks;
  // With a pool-tag list (--pooltag): one owner per by_tag row. The rows by driver module
  // (replay/module_rows.hpp): from the stacks' callers and, for allocations without a stack, the
  // owners of their tags; "" for what no module holds. Empty with neither stacks nor a list.
  std::vector<TagOwnerInfo> tag_owners;
  std::vector<std::string> modules;
  std::vector<GroupStats> by_module;
  // Each row's split by pool kind (KindParts), one entry per row of by_tag, by_routine,
  // by_process, by_call_site and by_module. A Results merged from several reports has none: the
  // reports then show no split (kinds_of() below is null).
  std::vector<KindParts> tag_kinds;
  std::array<KindParts, trace::kRoutineCount> routine_kinds{};
  std::vector<KindParts> process_kinds;
  std::vector<KindParts> call_site_kinds;
  std::vector<KindParts> module_kinds;
  // What the report's findings are drawn from (report/findings.hpp).
  PitfallFacts facts;
  WindowInfo window;
  // The timeline's final interval between samples (it doubles each time the samples are thinned):
  // events, or nanoseconds of trace time when timeline_by_time.
  std::uint64_t timeline_every = 0;
  bool timeline_by_time = false;

  // Per by_tag row: the most frames of that tag splitting free runs at any failed contiguous
  // request (ContiguousFailureRecord::pinned_frames). Other owners in pinned_other.
  std::vector<std::uint64_t> pinned_frames;
  std::vector<PinnedOther> pinned_other;
  FragmentationMeasures fragmentation;
};

// True when a pool-tag list named the tags' owners (the reports then show them and by_module).
inline bool has_tag_owners(const Results& r) { return !r.tag_owners.empty(); }

// True when the replay has rows by driver module (stacks, or a pool-tag list).
inline bool has_modules(const Results& r) { return !r.by_module.empty(); }

// The split of row `row` of a group whose splits are `kinds`, or null when the results keep none
// for it (merged results).
inline const KindParts* kinds_of(std::span<const KindParts> kinds, std::size_t row) {
  return row < kinds.size() ? &kinds[row] : nullptr;
}

// True when some event of the replay had a call site (the reports then show by_call_site).
inline bool has_call_sites(const Results& r) {
  return std::any_of(r.call_sites.begin(), r.call_sites.end(),
                     [](const CallSite& c) { return c.address != 0 || !c.name.empty(); });
}

}  // namespace fragreplay::replay
