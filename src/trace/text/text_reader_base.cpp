// Shared parts of the text-export readers (see text_reader_base.hpp).
#include "trace/text/text_reader_base.hpp"

#include "trace/etl/etl_layout.hpp"
#include "trace/etl/pool_payload.hpp"
#include "trace/text/text_fields.hpp"

namespace fragreplay::trace::text {

std::optional<PoolRowClass> classify_pool_name(std::string_view n) {
  auto has = [&](std::string_view part) { return n.find(part) != std::string_view::npos; };
  if (!has("pool")) return std::nullopt;
  PoolRowClass c;
  c.session = has("session");
  if (has("snap") || has("rundown")) {
    c.kind = has("end") ? PoolRowKind::kSnapshotEnd : PoolRowKind::kRundown;
  } else if (has("page")) {
    c.kind = has("big") ? PoolRowKind::kBigPoolPage : PoolRowKind::kAddPoolPage;
  } else if (has("free")) {
    c.kind = PoolRowKind::kFree;
  } else if (has("alloc")) {
    c.kind = PoolRowKind::kAlloc;
  }
  return c;
}

PoolRowClass classify_pool_opcode(std::uint64_t opcode) {
  PoolRowClass c;
  if (opcode > 0xFF) return c;
  const auto type = static_cast<std::uint8_t>(opcode);
  c.session = etl::is_session_pool_record(type);
  switch (etl::classify_pool_record(type)) {
    case etl::PoolRecordClass::kAlloc:
      c.kind = PoolRowKind::kAlloc;
      break;
    case etl::PoolRecordClass::kFree:
      c.kind = PoolRowKind::kFree;
      break;
    case etl::PoolRecordClass::kAddPoolPage:
      c.kind = PoolRowKind::kAddPoolPage;
      break;
    case etl::PoolRecordClass::kBigPoolPage:
      c.kind = PoolRowKind::kBigPoolPage;
      break;
    case etl::PoolRecordClass::kSnapshotStart:
      c.kind = PoolRowKind::kRundown;
      break;
    case etl::PoolRecordClass::kSnapshotEnd:
      c.kind = PoolRowKind::kSnapshotEnd;
      break;
    case etl::PoolRecordClass::kOther:
      break;
  }
  return c;
}

void count_pool_row(InputFacts& facts, const PoolRowClass& c) {
  PoolRecordCounts& p = facts.pool;
  switch (c.kind) {
    case PoolRowKind::kAlloc:
      ++(c.session ? p.session_allocs : p.allocs);
      break;
    case PoolRowKind::kFree:
      ++(c.session ? p.session_frees : p.frees);
      break;
    case PoolRowKind::kRundown:
      ++p.snapshot_start_records;
      ++p.snapshot_start_entries;
      break;
    case PoolRowKind::kSnapshotEnd:
      ++p.snapshot_end_records;
      ++p.snapshot_end_entries;
      break;
    case PoolRowKind::kAddPoolPage:
      ++p.add_pool_pages;
      break;
    case PoolRowKind::kBigPoolPage:
      ++p.big_pool_pages;
      break;
    case PoolRowKind::kOther:
      ++p.other;
      break;
  }
}

void bad_value(std::string_view column, std::string_view expected, std::string_view got) {
  line_problem("column '" + std::string(column) + "': expected " + std::string(expected) +
               ", got \"" + std::string(got.substr(0, 80)) + "\"");
}

void TextReaderBase::split(std::string_view line) {
  if (!split_fields(line, fields_, quoted_)) line_problem("unterminated double quote");
}

const InputFacts& TextReaderBase::facts() const {
  facts_.by_event_name.clear();
  for (const auto& [n, count] : names_) facts_.by_event_name[n] = count;
  return facts_;
}

void TextReaderBase::count_name(std::string_view event_name) {
  const auto it = names_.find(event_name);
  if (it != names_.end()) {
    ++it->second;
  } else {
    names_.emplace(std::string(event_name), 1);
  }
}

bool TextReaderBase::pool_event(Event& e, const PoolRowClass& c, const PoolFields& f) {
  if (f.bytes > etl::kMaxAllocationBytes) {
    line_problem("pool event claims an allocation of " + std::to_string(f.bytes) +
                 " bytes, more than any address space holds (2^48)");
  }
  const bool free = c.kind == PoolRowKind::kFree;
  if (f.address == 0) {
    if (free) line_problem("pool free of address 0");
    ++facts_.pool.null_allocs;
    return false;
  }
  e = Event{};
  e.source_pos = lines_.line_number();
  e.time_ns = f.time_ns;
  e.kind = free ? EventKind::kFree : EventKind::kAlloc;
  e.routine = free ? Routine::kExFreePoolWithTag : Routine::kExAllocatePoolWithTag;
  if (!free) {
    e.pool_arg = PoolArg::kPoolType;
    e.pool = etl::pool_type_value(static_cast<std::uint32_t>(f.pool_type.value_or(0)), c.session);
    e.rundown = c.kind == PoolRowKind::kRundown;
  } else if (f.pool_type) {
    // PoolFree carries the freed block's type: kept for the engine's pool-type check.
    e.pool_arg = PoolArg::kPoolType;
    e.pool = etl::pool_type_value(static_cast<std::uint32_t>(*f.pool_type), c.session);
  }
  e.routine_inferred = true;
  e.tag = Tag{f.tag};
  e.bytes = f.bytes;
  e.address = f.address;
  if (!f.process.empty()) {
    scratch_.clear();
    normalize_process(f.process, scratch_);
    e.process = strings_.intern(scratch_);
  }
  e.thread = strings_.intern(trim(f.thread));
  return true;
}

}  // namespace fragreplay::trace::text
