// The Workload (see workload.hpp).
#include "generate/workload.hpp"

namespace fragreplay::generate {

using trace::Event;
using trace::EventKind;
using trace::Routine;

Workload::Workload(std::FILE* out, std::uint64_t events, std::uint64_t seed,
                   const std::string& comment)
    : rng_(seed), limit_(events), writer_(out, comment) {
  process_ = strings_.intern("System");
  thread_ = strings_.intern("4");
}

void Workload::declare_adapter(std::string_view name, std::uint64_t highest,
                               std::uint64_t map_registers) {
  trace::AdapterDecl decl;
  decl.name = strings_.intern(name);
  decl.highest = highest;
  decl.map_registers = map_registers;
  writer_.declare(decl, strings_);
}

Event Workload::next(EventKind kind, Routine routine, Tag tag, std::uint64_t bytes) {
  Event e;
  time_ns_ += 1 + rng_.below(16);
  e.time_ns = time_ns_;
  e.kind = kind;
  e.routine = routine;
  e.tag = tag;
  e.bytes = bytes;
  e.process = process_;
  e.thread = thread_;
  return e;
}

Handle Workload::emit(Event& e) {
  if (done()) return {};
  if (e.kind == EventKind::kAlloc) {
    e.address = next_address_;
    // Addresses are never reused, so every free names exactly one allocation.
    next_address_ += 0x40;
  }
  writer_.write(e, strings_);
  ++written_;
  if (on_progress_ && written_ % kProgressEvery == 0) on_progress_(written_);
  return Handle{e.address, e.routine, e.tag};
}

void Workload::phase(Routine phase) {
  Event e = next(EventKind::kPhase, phase, Tag{}, 0);
  e.process = e.thread = 0;
  emit(e);
}

Handle Workload::pool(std::uint64_t pool_type, std::uint64_t bytes, Tag tag) {
  Event e = next(EventKind::kAlloc, Routine::kExAllocatePoolWithTag, tag, bytes);
  e.pool_arg = trace::PoolArg::kPoolType;
  e.pool = pool_type;
  return emit(e);
}

Handle Workload::pool2(std::uint64_t flags, std::uint64_t bytes, Tag tag) {
  Event e = next(EventKind::kAlloc, Routine::kExAllocatePool2, tag, bytes);
  e.pool_arg = trace::PoolArg::kPoolFlags;
  e.pool = flags;
  return emit(e);
}

Handle Workload::noncached(std::uint64_t bytes, Tag tag) {
  Event e = next(EventKind::kAlloc, Routine::kMmAllocateNonCachedMemory, tag, bytes);
  return emit(e);
}

Handle Workload::contiguous(std::uint64_t bytes, Tag tag, const Constraints& c, bool plain) {
  Event e = next(EventKind::kAlloc,
                 plain ? Routine::kMmAllocateContiguousMemory
                       : Routine::kMmAllocateContiguousMemorySpecifyCache,
                 tag, bytes);
  e.window.highest = c.window.highest;
  if (!plain) {
    e.window.lowest = c.window.lowest;
    e.window.boundary = c.window.boundary;
    e.cache = c.cache;
  }
  return emit(e);
}

Handle Workload::common_buffer(std::string_view adapter, std::uint64_t bytes, Tag tag) {
  Event e = next(EventKind::kAlloc, Routine::kAllocateCommonBuffer, tag, bytes);
  e.adapter = strings_.intern(adapter);
  e.cache = CachingType::kMmCached;  // CacheEnabled = TRUE
  return emit(e);
}

void Workload::free(const Handle& h) {
  if (h.address == 0) return;
  Routine r = Routine::kExFreePoolWithTag;
  switch (h.routine) {
    case Routine::kMmAllocateNonCachedMemory:
      r = Routine::kMmFreeNonCachedMemory;
      break;
    case Routine::kMmAllocateContiguousMemory:
      r = Routine::kMmFreeContiguousMemory;
      break;
    case Routine::kMmAllocateContiguousMemorySpecifyCache:
      r = Routine::kMmFreeContiguousMemorySpecifyCache;
      break;
    case Routine::kAllocateCommonBuffer:
      r = Routine::kFreeCommonBuffer;
      break;
    default:
      break;
  }
  Event e = next(EventKind::kFree, r, h.tag, 0);
  e.address = h.address;
  emit(e);
}

void Workload::finish() { writer_.flush(); }

}  // namespace fragreplay::generate
