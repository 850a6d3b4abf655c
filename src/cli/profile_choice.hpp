// The profile a trace is replayed under follows its content: with no --profile (or
// --profile-file), a Linux kmem capture is replayed under linux-slub and any other trace under the
// default profile; a profile named for a trace of the other kernel (a Windows profile for a Linux
// capture, a Linux profile for an ETW trace) is refused with a one-line reason, since its machine
// has none of the trace's routines. The native format may hold either kernel's routines and is
// replayed under whatever is named. analyze, what-if, check and batch all choose here.
#pragma once

#include <vector>

#include "model/profile.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::cli {

struct ProfileChoice {
  std::vector<model::Profile> profiles;
  bool by_content = false;  // none was named: the trace's content chose
};

// `named` are the profiles the options gave (the default profile alone when `any_named` is false).
// Throws Error when a named profile does not fit the trace.
ProfileChoice choose_profiles(const std::vector<model::Profile>& named, bool any_named,
                              const trace::TraceReader& reader);

}  // namespace fragreplay::cli
