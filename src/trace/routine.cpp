// Names and families of the routines an Event can carry (see event.hpp).
#include <array>

#include "trace/event.hpp"

namespace fragreplay::trace {
namespace {}  // namespace

std::string_view routine_name(Routine r) { return detail::routine_info(r).name; }

bool parse_routine(std::string_view name, Routine& out) {
  for (unsigned i = 0; i < kRoutineCount; ++i) {
    if (detail::kRoutines[i].name == name) {
      out = static_cast<Routine>(i);
      return true;
    }
  }
  return false;
}

std::string_view event_kind_name(EventKind k) {
  switch (k) {
    case EventKind::kAlloc:
      return "alloc";
    case EventKind::kFree:
      return "free";
    case EventKind::kPhase:
      return "phase";
  }
  return "?";
}

}  // namespace fragreplay::trace
