// The replay engine (see engine.hpp).
#include "replay/engine.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "base/error.hpp"
#include "base/prefetch.hpp"
#include "model/pool/pool_flags.hpp"
#include "replay/pool_kind.hpp"
#include "replay/routine_semantics.hpp"
#include "replay/stack_rows.hpp"
#include "trace/kernel_names.hpp"

namespace fragreplay::replay {

using trace::Event;
using trace::EventKind;
using trace::Routine;
using trace::RoutineFamily;

static_assert(kPoolKindRows == kPoolKindCount, "one row of by_pool_kind per PoolKindRow");

Engine::Engine(model::Machine& machine, const ReplayOptions& options)
    : machine_(machine), options_(options) {
  const model::Profile& p = machine.profile();
  results_.profile = ProfileInfo{p.name,
                                 p.description,
                                 model::backend_name(p.backend),
                                 p.page_size.bytes(),
                                 p.pool_header,
                                 p.granularity,
                                 p.small_max,
                                 model::big_tail_name(p.big_tail),
                                 model::list_search_name(p.search_start),
                                 model::scan_name(p.contiguous_scan)};
  results_.ram = p.page_size.bytes_of(machine.memory().total_frames());
  facts_ = FindingFacts(p);
}

std::uint32_t Engine::tag_index(Tag tag) {
  // Traces use few tags, often in runs: a small direct-mapped cache answers most lookups with
  // one compare; tag_rows_ stays the whole index.
  TagSlot& slot = recent_tags_[(tag.value * 0x9E3779B1u) >> (32 - kRecentTagBits)];
  if (slot.row != kNoRow && slot.tag == tag.value) return slot.row;
  std::uint32_t row = 0;
  if (const std::uint32_t* found = tag_rows_.find(tag.value)) {
    row = *found;
  } else {
    row = static_cast<std::uint32_t>(results_.tags.size());
    results_.tags.push_back(tag);
    results_.by_tag.emplace_back();
    results_.pinned_frames.push_back(0);
    tag_rows_.insert(tag.value, row);
  }
  slot = TagSlot{tag.value, row};
  return row;
}

std::uint32_t Engine::process_index(trace::StringId process) {
  // String ids are small and dense (interned in order): a row per id, kNoRow until seen.
  if (process < process_rows_.size() && process_rows_[process] != kNoRow) {
    return process_rows_[process];
  }
  const auto row = static_cast<std::uint32_t>(process_ids_.size());
  process_ids_.push_back(process);
  results_.by_process.emplace_back();
  if (process >= process_rows_.size()) process_rows_.resize(std::size_t{process} + 1, kNoRow);
  process_rows_[process] = row;
  return row;
}

// The window opens before the first event at or after its start: what was counted so far is
// remembered (and subtracted by keep_window() at the end), and the peaks restart from now.
void Engine::begin_window() {
  window_started_ = true;
  cells_.fold(results_);  // the rows as they stand: keep_window subtracts them
  before_window_ = results_;
  results_.contiguous.failure_log.clear();
  for (DeviceWindow& w : results_.device_windows) w.requests = w.failures = 0;
  const GroupStats& t = results_.totals;
  results_.peak = Peak{options_.window.from_ns, last_line_,   t.live_requested,
                       t.live_footprint,        t.live_waste, t.live_allocations};
  results_.map_registers_peak = machine_.usage().map_registers;
  peak_rows_.new_peak();
  facts_.begin_window(machine_.adapters());
}

model::AdapterId Engine::adapter_for(trace::StringId name, const TraceContext& context) {
  if (name == 0) return model::Machine::kDefaultAdapter;
  if (const model::AdapterId* id = adapters_.find(name)) return *id;
  for (const auto& decl : context.adapters) {
    if (decl.name != name) continue;
    model::AdapterConfig config;
    config.name = context.strings.get(name);
    config.highest = decl.highest;
    config.boundary = decl.boundary;
    config.map_registers = decl.map_registers;
    const model::AdapterId id = machine_.add_adapter(config);
    adapters_.insert(name, id);
    return id;
  }
  // Readers check declarations before use, so this is a reader bug.
  throw Error("adapter '" + context.strings.get(name) + "' used but not declared");
}

// The live slot of events[live] and, for a pool free, the pool block of events[pool] (each only
// when inside the batch): the prefetch hints of replay().
void Engine::prefetch_ahead(std::span<const Event> events, std::size_t live, std::size_t pool) {
  if (live < events.size()) live_.prefetch(events[live].address);
  if (pool < events.size() && events[pool].kind == EventKind::kFree) {
    if (const auto h = live_.pool_handle(events[pool].address)) machine_.prefetch_pool_free(*h);
  }
}

void Engine::replay(std::span<const Event> events, const TraceContext& context) {
  // Once the live table outgrows the core's cache, its slot for the event kPrefetch ahead is
  // loaded while this one is replayed, and a pool free's own block kPoolPrefetch ahead (once the
  // live slot has arrived, its handle tells the pool model what to load). While the table fits,
  // the hints only cost their hashing: decided once per batch (docs/performance.md §3).
  constexpr std::size_t kPrefetch = 8;
  constexpr std::size_t kPoolPrefetch = 4;
  constexpr std::size_t kEventPrefetch = 16;
  const bool far = live_.outgrows_cache();
  if (far) {
    for (std::size_t i = 0; i < std::min(kPrefetch, events.size()); ++i) {
      live_.prefetch(events[i].address);
    }
  }
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (stopped_) return;
    // The batch was written by the reader's thread and has left this core's cache: bring the
    // event kEventPrefetch ahead in before its address is read.
    if (i + kEventPrefetch < events.size()) {
      prefetch_object(&events[i + kEventPrefetch], sizeof(Event));
    }
    if (far) prefetch_ahead(events, i + kPrefetch, i + kPoolPrefetch);
    // The event as read; a copy (repaired_) only when its time must be repaired (rare).
    const Event* ep = &events[i];
    const std::uint64_t at = seen_event_ ? std::max(ep->time_ns, last_time_) : ep->time_ns;
    if (at > options_.window.to_ns) {
      stopped_ = true;
      return;
    }
    if (!window_started_ && at >= options_.window.from_ns) {
      begin_window();
      results_.window.first_time_ns = at;
    }
    results_.window.last_time_ns = at;
    ++results_.events;
    if (!seen_event_) {
      seen_event_ = true;
      results_.first_time_ns = ep->time_ns;
    } else if (ep->time_ns < last_time_) {
      results_.data_quality[Anomaly::kTimeWentBackwards].add(ep->source_pos);
      repaired_ = *ep;
      repaired_.time_ns = last_time_;
      ep = &repaired_;
    }
    const Event& e = *ep;
    last_time_ = e.time_ns;
    results_.last_time_ns = e.time_ns;
    machine_.advance_time(e.time_ns);

    EventOutcome out;
    switch (e.kind) {
      case EventKind::kPhase:
        ++results_.phase_events;
        in_driver_entry_ = e.routine == Routine::kDriverEntry;
        facts_.on_phase(e.routine);
        out.ok = true;
        break;
      case EventKind::kAlloc:
        if (e.rundown) {
          on_rundown(e, context, out);
          break;
        }
        ++results_.alloc_events;
        on_alloc(e, context, out);
        break;
      case EventKind::kFree:
        ++results_.free_events;
        on_free(e, out);
        break;
    }
    if (observer_ != nullptr && window_started_) observer_->on_event(e, context.strings, out);
    last_line_ = e.source_pos;
    fragmentation_.observe(machine_.used_bytes(), results_.totals.live_requested);
    if (sampler_ != nullptr) sampler_->after_event(e.time_ns, results_);
    if (options_.check_invariants) {
      machine_.check_invariants();
      live_.check_invariants();
      facts_.check_invariants();
    }
  }
}

model::AllocOutcome Engine::dispatch_alloc(const Event& e, const TraceContext& context) {
  const bool common = trace::routine_family(e.routine) == RoutineFamily::kCommonBuffer;
  return replay_allocation(machine_, e, common ? adapter_for(e.adapter, context) : 0);
}

bool Engine::dispatch_free(RoutineFamily family, std::uint64_t handle) {
  switch (family) {
    case RoutineFamily::kPool:
      return machine_.free_pool(handle);
    case RoutineFamily::kNonCached:
      return machine_.free_noncached(handle);
    case RoutineFamily::kContiguous:
      return machine_.free_contiguous(handle);
    case RoutineFamily::kCommonBuffer:
      return machine_.free_common_buffer(handle);
    case RoutineFamily::kMdlPages:
      return machine_.free_pages_from_mdl(handle);
    case RoutineFamily::kSlab:
      return machine_.kfree(handle);
    case RoutineFamily::kPages:
      return machine_.free_page_block(handle);
    case RoutineFamily::kPhase:
      break;
  }
  return false;
}

void Engine::release(std::uint64_t address, const LiveRecord& rec, std::uint64_t line) {
  if (!dispatch_free(trace::routine_family(rec.routine), rec.handle)) {
    throw Error("internal error: the model does not know a live allocation (freed at line " +
                std::to_string(line) + ")");
  }
  if (rec.rundown) {
    ++results_.rundown.freed;
  } else {
    const Rows rows{rec.tag_index, rec.process_index, rec.call_site_index};
    for (GroupStats* g : touched(rows, rec.routine, rec.kind_row, true)) {
      ++g->frees;
      --g->live_allocations;
      g->live_requested -= Bytes{rec.requested};
      g->live_footprint -= Bytes{rec.footprint};
      g->live_waste -= rec.waste;
    }
    facts_.on_free(line, results_.tags[rec.tag_index], rec.routine, rec.requested,
                   Bytes{rec.footprint}, rec.waste, window_started_);
  }
  recent_.add(address, RecentAddresses::Last::kFreed);
}

LiveRecord Engine::live_record(const Event& e, const model::AllocOutcome& o) {
  LiveRecord rec;
  rec.handle = o.handle;
  rec.requested = e.bytes;
  rec.footprint = o.footprint.value;
  rec.waste = o.waste;
  rec.routine = e.routine;
  rec.kind_row = static_cast<std::uint8_t>(pool_kind_row(e.pool_arg, e.pool));
  return rec;
}

bool Engine::supported(RoutineFamily family) const {
  // Linux routines exist only on a Linux profile, Windows routines only on a Windows one.
  const bool linux_routine = family == RoutineFamily::kSlab || family == RoutineFamily::kPages;
  return linux_routine == machine_.is_linux();
}

void Engine::count_agreement(const Event& e, const model::AllocOutcome& o) {
  // A slab-cache object is charged what the trace recorded by construction: not a comparison.
  if (e.charged_bytes == 0 || e.routine == Routine::kKmemCacheAlloc ||
      e.routine == Routine::kKmemCacheAllocNode)
    return;
  ModelAgreement& a = results_.model_agreement;
  ++a.compared;
  const std::uint64_t model = o.ok ? o.footprint.value : 0;
  if (o.ok && model == e.charged_bytes) {
    ++a.matching;
  } else if (a.first_disagreements.size() < ModelAgreement::kKeep) {
    a.first_disagreements.push_back({e.source_pos, e.routine, e.bytes, e.charged_bytes, model});
  }
}

void Engine::on_alloc(const Event& e, const TraceContext& context, EventOutcome& out) {
  const RoutineFamily family = trace::routine_family(e.routine);
  if (!supported(family)) {
    results_.data_quality[Anomaly::kUnsupportedRoutine].add(e.source_pos);
    out.cause = anomaly_name(Anomaly::kUnsupportedRoutine);
    return;
  }
  note_call(e, machine_.profile().windows_build, results_.data_quality);
  if (e.address != 0) {
    if (const std::optional<LiveRecord> old = live_.take(e.address)) {
      results_.data_quality[Anomaly::kLiveAddressReused].add(e.source_pos);
      release(e.address, *old, e.source_pos);
    }
  }
  const model::AllocOutcome o = dispatch_alloc(e, context);
  count_agreement(e, o);
  const bool contiguous =
      family == RoutineFamily::kContiguous || family == RoutineFamily::kCommonBuffer;
  if (contiguous) ++results_.contiguous.requests;
  std::uint64_t lowest = e.window.lowest.value;  // the window the machine searched
  std::uint64_t highest = e.window.highest.value;
  if (family == RoutineFamily::kCommonBuffer) {
    lowest = 0;
    const auto& adapter = machine_.adapters().at(adapter_for(e.adapter, context)).config;
    highest = std::min<std::uint64_t>(adapter.highest, highest == 0 ? ~0ull : highest);
  }
  std::size_t window_index = DeviceWindows::kNone;
  if (contiguous && sampler_ != nullptr) {
    window_index = device_windows_.on_request(machine_.memory(), lowest, highest, e.time_ns, !o.ok,
                                              window_started_, results_.device_windows);
  }

  const std::uint32_t tag_row = tag_index(e.tag);
  const std::uint32_t process_row = process_index(e.process);
  const std::uint32_t site_row = call_site_rows_.row(e, tag_row, results_);
  out.ok = o.ok;
  out.cause = model::fail_cause_name(o.cause);
  if (family == RoutineFamily::kCommonBuffer) {
    const model::AdapterId id = adapter_for(e.adapter, context);
    facts_.on_alloc(e, o, &machine_.adapters().at(id), id, window_started_);
  } else {
    facts_.on_alloc(e, o, nullptr, 0, window_started_);
  }
  if (!o.ok) {
    if (e.address != 0) recent_.add(e.address, RecentAddresses::Last::kRefused);
    out.requested = e.bytes;  // per-event rows show what a refused request asked for
    const auto kind = static_cast<unsigned>(pool_kind_row(e.pool_arg, e.pool));
    for (GroupStats* g : touched({tag_row, process_row, site_row}, e.routine, kind, false)) {
      ++g->failures;
      g->refused += Bytes{e.bytes};
    }
    if (contiguous) {
      ContiguousStats& c = results_.contiguous;
      ++c.failures;
      ++c.failures_by_cause[static_cast<unsigned>(o.cause)];
      ContiguousFailureRecord* logged = nullptr;
      if (c.failure_log.size() < ContiguousStats::kLogLimit) {
        ContiguousFailureRecord r;
        r.time_ns = e.time_ns;
        r.line = e.source_pos;
        r.routine = e.routine;
        r.tag = e.tag;
        r.bytes = e.bytes;
        r.lowest = e.window.lowest.value;
        r.highest = highest;
        r.boundary = e.window.boundary.value;
        if (family == RoutineFamily::kCommonBuffer) {
          r.boundary = machine_.adapters().at(adapter_for(e.adapter, context)).config.boundary;
        }
        r.device_window = window_index == DeviceWindows::kNone
                              ? ContiguousFailureRecord::kNoWindow
                              : static_cast<std::uint32_t>(window_index);
        r.cause = o.cause;
        r.free_in_window = o.free_in_window;
        r.largest_free_run_in_window = o.largest_free_run_in_window;
        c.failure_log.push_back(r);
        logged = &c.failure_log.back();
      }
      explain_failure(logged);
    }
    return;
  }
  on_allocated(e, o, {tag_row, process_row, site_row}, out);
}

void Engine::on_allocated(const Event& e, const model::AllocOutcome& o, Rows rows,
                          EventOutcome& out) {
  LiveRecord rec = live_record(e, o);
  out.requested = e.bytes;
  out.footprint = o.footprint.value;
  out.waste = o.waste;
  out.has_phys = o.has_phys;
  out.phys_first = o.phys_first;
  out.phys_last = o.phys_last;
  out.map_registers = o.map_registers;
  for (GroupStats* g : touched(rows, e.routine, rec.kind_row, true)) {
    ++g->allocations;
    g->init_allocations += in_driver_entry_ ? 1 : 0;
    g->requested += Bytes{e.bytes};
    g->footprint += o.footprint;
    g->waste += o.waste;
    ++g->live_allocations;
    g->live_requested += Bytes{e.bytes};
    g->live_footprint += o.footprint;
    g->live_waste += o.waste;
  }
  rec.tag_index = rows.tag;
  rec.process_index = rows.process;
  rec.call_site_index = rows.call_site;
  if (e.address != 0) live_.insert(e.address, rec);

  const GroupStats& t = results_.totals;
  if (t.live_footprint > results_.peak.live_footprint) {
    results_.peak = Peak{e.time_ns,        e.source_pos, t.live_requested,
                         t.live_footprint, t.live_waste, t.live_allocations};
    peak_rows_.new_peak();
  }
  if (trace::routine_family(e.routine) == RoutineFamily::kCommonBuffer) {
    results_.map_registers_peak =
        std::max(results_.map_registers_peak, machine_.usage().map_registers);
  }
}

// An allocation a rundown snapshot reported: it predates the trace. It goes into the model and the
// live table (its free is then known) but into no GroupStats. A snapshot entry whose address is
// already live raced the trace's own alloc of it and is skipped.
void Engine::on_rundown(const Event& e, const TraceContext& context, EventOutcome& out) {
  RundownStats& r = results_.rundown;
  if (e.address != 0 && live_.contains(e.address)) {
    ++r.duplicates;
    out.cause = "rundown_duplicate";
    return;
  }
  const model::AllocOutcome o = dispatch_alloc(e, context);
  out.ok = o.ok;
  out.cause = model::fail_cause_name(o.cause);
  if (!o.ok) {
    out.requested = e.bytes;
    ++r.refused;
    if (e.address != 0) recent_.add(e.address, RecentAddresses::Last::kRefused);
    return;
  }
  ++r.allocations;
  r.requested += Bytes{e.bytes};
  r.footprint += o.footprint;
  out.requested = e.bytes;
  out.footprint = o.footprint.value;
  out.waste = o.waste;
  LiveRecord rec = live_record(e, o);
  rec.rundown = true;
  if (e.address != 0) live_.insert(e.address, rec);
}

void Engine::explain_failure(ContiguousFailureRecord* record) {
  const model::ContiguousDiagnosis* d = machine_.last_contiguous_diagnosis();
  if (d == nullptr) return;
  const model::PhysicalMemory& memory = machine_.memory();
  if (record != nullptr) {
    record->order = d->order;
    record->fragmentation_index = d->fragmentation_index;
    record->has_candidate = d->candidate.has_value();
    if (d->candidate) {
      record->candidate_phys = memory.page_size().address_of(*d->candidate).value;
      record->candidate_free = memory.page_size().bytes_of(d->candidate_free);
    }
    for (const auto& [id, frames] : d->blockers) {
      if (record->blockers.size() == ContiguousFailureRecord::kBlockersKept) break;
      const model::Owner& owner = memory.owner(id);
      record->blockers.push_back({owner.cls, owner.tag, frames});
    }
    record->pinned_truncated = d->pinned_truncated;
  }
  // Pinned frames by tag row for this failure (a tag's owners of several classes add up), then
  // the maxima over failures. Background and free pool pages are nobody's tag.
  pinned_scratch_.clear();
  std::uint64_t total = 0;
  for (const auto& [id, frames] : d->pinned) {
    total += frames;
    const model::Owner& owner = memory.owner(id);
    const std::uint32_t* row = tag_rows_.find(owner.tag.value);
    if (row == nullptr || owner.cls == model::OwnerClass::kBackground ||
        owner.cls == model::OwnerClass::kPoolFree) {
      auto it = std::find_if(
          results_.pinned_other.begin(), results_.pinned_other.end(),
          [&](const PinnedOther& p) { return p.cls == owner.cls && p.tag == owner.tag; });
      if (it == results_.pinned_other.end()) {
        results_.pinned_other.push_back({owner.cls, owner.tag, frames});
      } else {
        it->frames = std::max(it->frames, frames);
      }
      continue;
    }
    auto it = std::find_if(pinned_scratch_.begin(), pinned_scratch_.end(),
                           [&](const auto& p) { return p.first == *row; });
    if (it == pinned_scratch_.end()) {
      pinned_scratch_.emplace_back(*row, frames);
    } else {
      it->second += frames;
    }
  }
  for (const auto& [row, frames] : pinned_scratch_) {
    results_.pinned_frames[row] = std::max(results_.pinned_frames[row], frames);
  }
  if (record != nullptr) record->pinned_frames = total;
}

void Engine::on_free(const Event& e, EventOutcome& out) {
  if (!supported(trace::routine_family(e.routine))) {
    results_.data_quality[Anomaly::kUnsupportedRoutine].add(e.source_pos);
    out.cause = anomaly_name(Anomaly::kUnsupportedRoutine);
    return;
  }
  // kfree(NULL), kmem_cache_free(NULL) and frees of ZERO_SIZE_PTR (16) do nothing (Linux
  // include/linux/slab.h, ZERO_OR_NULL_PTR: an address of at most 16).
  if (trace::routine_family(e.routine) == RoutineFamily::kSlab && e.address <= 16) {
    ++results_.data_quality.null_frees;
    out.ok = true;
    out.cause = "null_free";
    return;
  }
  note_call(e, machine_.profile().windows_build, results_.data_quality);
  // Found and taken off the table in one probe: every path below either frees it or throws.
  const std::optional<LiveRecord> rec = live_.take(e.address);
  if (!rec) {
    const auto last = recent_.last(e.address);
    if (last == RecentAddresses::Last::kRefused) {
      ++results_.data_quality.frees_of_refused;
      out.cause = "allocation_refused";
      return;
    }
    const Anomaly a =
        last == RecentAddresses::Last::kFreed ? Anomaly::kDoubleFree : Anomaly::kUnknownFree;
    results_.data_quality[a].add(e.source_pos);
    out.cause = anomaly_name(a);
    return;
  }
  if (trace::routine_family(rec->routine) != trace::routine_family(e.routine)) {
    results_.data_quality[Anomaly::kMismatchedFree].add(e.source_pos);
  }
  if (e.pool_arg != trace::PoolArg::kNone) [[unlikely]] {
    const PoolKind allocated = pool_kind(static_cast<PoolKindRow>(rec->kind_row));
    const PoolKind freed = pool_kind(e.pool_arg, e.pool);
    if (allocated != 0 && freed != 0 && freed != allocated)
      results_.data_quality[Anomaly::kMismatchedPoolType].add(e.source_pos);
  }
  out.ok = true;
  out.requested = rec->requested;
  out.footprint = rec->footprint;
  out.waste = rec->waste;
  release(e.address, *rec, e.source_pos);
}

Results Engine::finish(const TraceContext& context) {
  if (!window_started_) {  // nothing fell inside the window
    begin_window();
    results_.window.first_time_ns = results_.window.last_time_ns = 0;
  }
  const model::MachineUsage u = machine_.usage();
  EndState& end = results_.end;
  end.live_allocations = results_.totals.live_allocations;
  end.live_requested = results_.totals.live_requested;
  end.live_footprint = results_.totals.live_footprint;
  end.live_waste = results_.totals.live_waste;
  end.pool_page_bytes = machine_.profile().page_size.bytes_of(u.pool.pages);
  end.pool_page_slack = u.pool.free + u.pool.cached;
  end.page_granular = u.page_granular;
  end.free_frames = machine_.memory().free_frames();
  end.total_frames = machine_.memory().total_frames();

  results_.adapters.clear();
  results_.facts = facts_.facts();
  const auto& facts = facts_.adapters();
  for (std::size_t i = 0; i < machine_.adapters().size(); ++i) {
    const auto& a = machine_.adapters()[i];
    // Peaks and failures inside the window (the whole replay when there is none).
    const std::uint64_t peak = i < facts.size() ? facts[i].peak : 0;
    const std::uint64_t before = i < facts.size() ? facts[i].failures_before : 0;
    results_.adapters.push_back(
        {a.config.name, a.config.map_registers, peak, a.in_use, a.failures - before});
  }
  results_.processes.clear();
  for (const trace::StringId id : process_ids_)
    results_.processes.push_back(context.strings.get(id));
  call_site_rows_.finish(results_, context.strings);
  for (const auto g : {PeakRows::Group::kTag, PeakRows::Group::kRoutine, PeakRows::Group::kProcess,
                       PeakRows::Group::kCallSite})
    peak_rows_.finish(g, cells_.cells(g));
  cells_.fold(results_);
  const Peak& p = results_.peak;  // the totals' state at the peak is the peak
  results_.totals.at_peak =
      LiveState{p.live_allocations, p.live_requested, p.live_footprint, p.live_waste};
  results_.fragmentation = fragmentation_.result();
  // The sampler's timeline must be complete before keep_window drops samples before --from.
  if (sampler_ != nullptr) sampler_->finish(results_);
  keep_window(results_, before_window_, options_.window);
  fold_stacks(results_, context.code, options_.callers);
  return results_;
}

}  // namespace fragreplay::replay
