// The names data-quality sections print for each anomaly, and what the replay did about it
// (results.hpp). Every output spells them the same way.
#include "replay/results.hpp"

namespace fragreplay::replay {

const char* anomaly_name(Anomaly a) {
  switch (a) {
    case Anomaly::kUnknownFree:
      return "unknown_frees";
    case Anomaly::kDoubleFree:
      return "double_frees";
    case Anomaly::kLiveAddressReused:
      return "live_address_reused";
    case Anomaly::kTimeWentBackwards:
      return "time_went_backwards";
    case Anomaly::kMismatchedFree:
      return "mismatched_frees";
    case Anomaly::kUnsupportedRoutine:
      return "unsupported_routines";
    case Anomaly::kUnknownPoolFlags:
      return "unknown_pool_flags";
    case Anomaly::kRoutineNotInVersion:
      return "routine_not_in_version";
    case Anomaly::kPool2NoPoolFlag:
      return "pool2_no_pool_flag";
    case Anomaly::kPool2SeveralPoolFlags:
      return "pool2_several_pool_flags";
    case Anomaly::kPool2TagZero:
      return "pool2_tag_zero";
    case Anomaly::kMismatchedPoolType:
      return "mismatched_pool_type";
    case Anomaly::kCount:
      break;
  }
  return "?";
}

const char* anomaly_repair(Anomaly a) {
  switch (a) {
    case Anomaly::kUnknownFree:
      return "ignored (its allocation predates the trace or was lost)";
    case Anomaly::kDoubleFree:
      return "ignored (the address was already freed)";
    case Anomaly::kLiveAddressReused:
      return "the live allocation at that address is freed first";
    case Anomaly::kTimeWentBackwards:
      return "replayed at the previous event's time";
    case Anomaly::kMismatchedFree:
      return "freed by the routine family that allocated it";
    case Anomaly::kUnsupportedRoutine:
      return "not replayed (the profile has no such routine)";
    case Anomaly::kUnknownPoolFlags:
      return "the allocation fails, as ExAllocatePool2/3 fail on unknown required flags";
    case Anomaly::kRoutineNotInVersion:
      return "replayed as asked, though the profile's Windows build has no such routine";
    case Anomaly::kPool2NoPoolFlag:
      return "the allocation fails: ExAllocatePool2/3 need one of POOL_FLAG_NON_PAGED, "
             "_NON_PAGED_EXECUTE or _PAGED";
    case Anomaly::kPool2SeveralPoolFlags:
      return "the allocation fails: ExAllocatePool2/3 take only one of POOL_FLAG_NON_PAGED, "
             "_NON_PAGED_EXECUTE and _PAGED";
    case Anomaly::kPool2TagZero:
      return "the allocation fails: tag 0 is not valid for ExAllocatePool2/3";
    case Anomaly::kMismatchedPoolType:
      return "freed from the pool it was allocated in";
    case Anomaly::kCount:
      break;
  }
  return "?";
}

std::string routines_not_in_version(const DataQuality& q) {
  std::string out;
  for (unsigned r = 0; r < trace::kRoutineCount; ++r) {
    if (q.not_in_version[r] == 0) continue;
    out += (out.empty() ? "" : ", ") +
           std::string(trace::routine_name(static_cast<trace::Routine>(r))) + " (" +
           std::to_string(q.not_in_version[r]) + ")";
  }
  return out;
}

}  // namespace fragreplay::replay
