// Parse once, replay through several machines in parallel (see what_if.hpp).
#include "replay/what_if.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "trace/trace_reader.hpp"

namespace fragreplay::replay {
namespace {

// What an engine needs from the reader while the reader thread goes on reading: the DMA adapters
// declared so far, with their names under the same string ids. Taken after each batch that
// declared a new adapter (rare) and shared by the batches that follow, so workers never touch the
// reader's tables while it grows them.
class ContextSnapshot {
 public:
  explicit ContextSnapshot(const trace::TraceReader& reader) : adapters_(reader.adapters()) {
    trace::StringId last = 0;
    for (const auto& a : adapters_) last = std::max(last, a.name);
    // Strings are interned once each, in order, so interning 1..last again keeps their ids.
    for (trace::StringId id = 1; id <= last; ++id) strings_.intern(reader.strings().get(id));
  }

  TraceContext context() const { return TraceContext{strings_, adapters_}; }

 private:
  std::vector<trace::AdapterDecl> adapters_;
  trace::StringTable strings_;
};

struct Slot {
  std::vector<trace::Event> events;
  std::size_t count = 0;
  std::shared_ptr<const ContextSnapshot> snapshot;
};

}  // namespace

void replay_parallel(trace::TraceReader& reader, const std::vector<Engine*>& engines,
                     const WhatIfOptions& options) {
  const std::size_t workers = engines.size();
  const std::size_t k = std::max<std::size_t>(options.slots, 1);
  std::vector<Slot> slots(k);
  for (auto& s : slots) s.events.resize(std::max<std::size_t>(options.batch_events, 1));

  std::mutex mu;
  std::condition_variable cv;
  std::uint64_t produced = 0;  // batches published
  bool finished = false;       // the reader reached the end (or failed)
  bool abort = false;          // an error: everybody stops
  std::exception_ptr error;
  std::vector<std::uint64_t> consumed(workers, 0);  // batches each worker has replayed
  auto fail = [&](std::exception_ptr e) {
    const std::lock_guard<std::mutex> lock(mu);
    if (!error) error = std::move(e);
    abort = true;
  };

  auto work = [&](std::size_t w) {
    try {
      for (std::uint64_t seq = 0;; ++seq) {
        {
          std::unique_lock<std::mutex> lock(mu);
          cv.wait(lock, [&] { return abort || finished || produced > seq; });
          if (abort || produced <= seq) return;
        }
        const Slot& s = slots[seq % k];
        engines[w]->replay(std::span<const trace::Event>(s.events.data(), s.count),
                           s.snapshot->context());
        {
          const std::lock_guard<std::mutex> lock(mu);
          consumed[w] = seq + 1;
        }
        cv.notify_all();
      }
    } catch (...) {
      fail(std::current_exception());
      cv.notify_all();
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(workers);
  for (std::size_t w = 0; w < workers; ++w) threads.emplace_back(work, w);

  try {
    auto snapshot = std::make_shared<const ContextSnapshot>(reader);
    std::size_t known_adapters = reader.adapters().size();
    std::uint64_t events_read = 0;
    std::uint64_t latest = 0;  // the latest event time read
    for (std::uint64_t seq = 0;; ++seq) {
      {
        // The slot is free once every worker has replayed the batch it held (seq - k).
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] {
          return abort || seq < k || *std::min_element(consumed.begin(), consumed.end()) > seq - k;
        });
        if (abort) break;
      }
      Slot& s = slots[seq % k];
      s.count = reader.read(s.events);
      if (s.count == 0) break;
      if (reader.adapters().size() != known_adapters) {
        snapshot = std::make_shared<const ContextSnapshot>(reader);
        known_adapters = reader.adapters().size();
      }
      s.snapshot = snapshot;
      {
        const std::lock_guard<std::mutex> lock(mu);
        produced = seq + 1;
      }
      cv.notify_all();
      events_read += s.count;
      if (options.on_batch) options.on_batch(events_read);
      // Like replay_trace, stop reading with the batch that passes the time window's end (the
      // engines stop replaying at that event themselves).
      for (std::size_t i = 0; i < s.count; ++i) latest = std::max(latest, s.events[i].time_ns);
      if (latest > options.replay.window.to_ns) break;
    }
  } catch (...) {
    fail(std::current_exception());
  }
  {
    const std::lock_guard<std::mutex> lock(mu);
    finished = true;
  }
  cv.notify_all();
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);
}

std::vector<Results> replay_what_if(trace::TraceReader& reader,
                                    const std::vector<model::Machine*>& machines,
                                    const WhatIfOptions& options) {
  std::vector<std::unique_ptr<Engine>> engines;
  std::vector<Engine*> pointers;
  for (model::Machine* m : machines) {
    engines.push_back(std::make_unique<Engine>(*m, options.replay));
    pointers.push_back(engines.back().get());
  }
  replay_parallel(reader, pointers, options);
  std::vector<Results> results;
  results.reserve(engines.size());
  for (auto& e : engines) results.push_back(finish_replay(*e, reader));
  return results;
}

Results replay_trace_overlapped(trace::TraceReader& reader, model::Machine& machine,
                                const ReplayOptions& options, EventObserver* observer,
                                const std::function<void(std::uint64_t events)>& on_batch) {
  if (observer != nullptr) {
    // An observer is handed the reader's string table with every event, which only the reading
    // thread may touch: replay on this thread.
    return replay_trace(reader, machine, options, observer, [&](const Engine& engine) {
      if (on_batch) on_batch(engine.results().events);
    });
  }
  WhatIfOptions parallel;
  parallel.replay = options;
  parallel.on_batch = on_batch;
  return replay_with_engine(reader, machine, options, observer,
                            [&](Engine& engine) { replay_parallel(reader, {&engine}, parallel); });
}

}  // namespace fragreplay::replay
