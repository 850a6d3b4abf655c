// What each WDK allocation routine does on the profile's Windows version: whether that version
// has it at all, and the model call it becomes. The rules and their sources are in the .cpp; the
// docs/routines.md §1 says the same per routine.
#pragma once

#include "model/machine.hpp"
#include "replay/results.hpp"
#include "trace/event.hpp"

namespace fragreplay::replay {

// The first Windows build that has `r` (0 = every build the profiles model, and the Linux
// routines). A build below it does not export the routine, or (the wdm.h wrappers) the WDK does
// not target it.
unsigned first_windows_build(trace::Routine r);

// The ExAllocatePool2/3 rule an invalid call broke, checked in the order the docs list them; the
// call fails without allocating. kCount = none (a valid call, or not an ExAllocatePool2/3 call).
Anomaly invalid_pool2_call(const trace::Event& e);

// Data-quality notes about the call itself, before it is replayed: a routine the profile's
// Windows build does not have (replayed as asked all the same), and an ExAllocatePool2/3 call the
// kernel rejects. `windows_build` 0 (Linux) notes nothing.
void note_call(const trace::Event& e, unsigned windows_build, DataQuality& q);

// The allocation as the profile's kernel runs it. `adapter` is the common buffer's adapter.
model::AllocOutcome replay_allocation(model::Machine& machine, const trace::Event& e,
                                      model::AdapterId adapter);

}  // namespace fragreplay::replay
