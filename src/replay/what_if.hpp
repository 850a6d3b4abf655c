// What-if replay: one trace, parsed once, replayed through several machines (one per profile)
// at the same time. The calling thread reads batches of events into a ring of kSlots buffers;
// one worker thread per machine replays every batch in order with its own Engine. A buffer is
// refilled only when every worker is done with it, so memory stays at kSlots batches whatever the
// trace's length, and the reader never runs more than kSlots batches ahead of the slowest
// replay. Each engine sees exactly the events a single replay would, in the same order, and
// reading stops with the batch that passes a time window's end as replay_trace's does, so with
// the same batch size each Results equals the one replay_trace gives for that machine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "model/machine.hpp"
#include "replay/engine.hpp"

namespace fragreplay::replay {

struct WhatIfOptions {
  ReplayOptions replay;
  std::size_t batch_events = 4096;  // events per buffer
  std::size_t slots = 8;            // buffers in the ring
  // Called on the reading thread after each batch read, with the events read so far (progress).
  std::function<void(std::uint64_t events)> on_batch;
};

// Reads `reader` to the end and replays it through every machine in parallel; returns one
// Results per machine, in order. The first error (a malformed line, a broken invariant) stops
// every thread and is rethrown here. REQUIRES: machines are distinct and not empty.
std::vector<Results> replay_what_if(trace::TraceReader& reader,
                                    const std::vector<model::Machine*>& machines,
                                    const WhatIfOptions& options = {});

// The machinery of both: reads `reader` to the end on the calling thread while each engine
// replays every batch, in order, on a thread of its own. The caller finishes the engines.
// REQUIRES: engines are distinct and not empty.
void replay_parallel(trace::TraceReader& reader, const std::vector<Engine*>& engines,
                     const WhatIfOptions& options);

// replay_trace with parsing overlapped with replay: the calling thread reads while one worker
// replays (with the sampler). Same Results as replay_trace. With an observer (which is given the
// reader's strings) it is replay_trace, on the calling thread. `on_batch` (optional) runs on the
// calling thread after each batch read, with the events read so far (progress).
Results replay_trace_overlapped(trace::TraceReader& reader, model::Machine& machine,
                                const ReplayOptions& options, EventObserver* observer = nullptr,
                                const std::function<void(std::uint64_t events)>& on_batch = {});

}  // namespace fragreplay::replay
