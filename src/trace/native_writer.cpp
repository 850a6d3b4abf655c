// Native trace format v1 writer (see native_writer.hpp).
#include "trace/native_writer.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/error.hpp"
#include "trace/csv_fields.hpp"
#include "trace/kernel_names.hpp"
#include "trace/native_format.hpp"
#include "trace/routine_columns.hpp"

namespace fragreplay::trace {
void format_native_line(const Event& e, const StringTable& strings, std::string& out) {
  const bool alloc = e.kind == EventKind::kAlloc;
  append_dec(out, e.time_ns);
  out += ',';
  out += e.rundown && alloc ? native::kRundownEvent : event_kind_name(e.kind);
  out += ',';
  out += routine_name(e.routine);
  out += ',';
  if (e.kind == EventKind::kPhase) {
    out += ",,,,,,,,,,,";  // the 11 separators of the 12 empty columns
    return;
  }
  // A free's pool type (ETW PoolFree records it) is written too: the reader checks it.
  if (e.pool_arg == PoolArg::kPoolType) out += pool_type_name(e.pool);
  if (e.pool_arg == PoolArg::kPoolFlags) out += pool_flags_name(e.pool);
  out += ',';
  const std::string tag = e.tag.to_string();
  append_csv_field(out, tag);
  out += ',';
  if (alloc || e.bytes != 0) append_dec(out, e.bytes);
  out += ',';
  if (e.address != 0 || e.kind == EventKind::kFree) append_hex(out, e.address);
  out += ',';
  // The constraint columns the routine takes (routine_columns.hpp), so the line reads back.
  const RoutineColumns takes = alloc ? allocation_columns(e.routine) : RoutineColumns{};
  if (takes.lowest != Takes::kNo) append_hex(out, e.window.lowest.value);
  out += ',';
  if (takes.highest != Takes::kNo) append_hex(out, e.window.highest.value);
  out += ',';
  if (takes.boundary != Takes::kNo) append_hex(out, e.window.boundary.value);
  out += ',';
  if (e.cache != kCacheNotGiven) out += cache_type_name(e.cache);
  out += ',';
  if (e.node >= 0) append_dec(out, static_cast<std::uint64_t>(e.node));
  out += ',';
  append_csv_field(out, strings.get(e.adapter));
  out += ',';
  append_csv_field(out, strings.get(e.process));
  out += ',';
  append_csv_field(out, strings.get(e.thread));
}

NativeWriter::NativeWriter(std::FILE* out, const std::string& comment, std::string name)
    : out_(out), name_(std::move(name)) {
  buf_ += native::kMagic;
  buf_ += '\n';
  std::size_t pos = 0;
  while (pos < comment.size()) {
    const auto nl = comment.find('\n', pos);
    buf_ += "# ";
    buf_.append(comment, pos, nl == std::string::npos ? std::string::npos : nl - pos);
    buf_ += '\n';
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  buf_ += native::kHeader;
  buf_ += '\n';
}

NativeWriter::~NativeWriter() {
  if (!buf_.empty()) std::fwrite(buf_.data(), 1, buf_.size(), out_);
}

void NativeWriter::declare(const AdapterDecl& a, const StringTable& strings) {
  const std::string& name = strings.get(a.name);
  if (std::find(declared_.begin(), declared_.end(), name) != declared_.end()) return;
  declared_.push_back(name);
  buf_ += native::kAdapterDirective;
  buf_ += " name=" + name + " highest=";
  append_hex(buf_, a.highest);
  buf_ += " boundary=";
  append_hex(buf_, a.boundary);
  buf_ += " map_registers=";
  append_dec(buf_, a.map_registers);
  buf_ += '\n';
}

void NativeWriter::write(const Event& e, const StringTable& strings) {
  format_native_line(e, strings, buf_);
  buf_ += '\n';
  if (buf_.size() >= (1 << 20)) flush();
}

void NativeWriter::flush() {
  const bool ok = (buf_.empty() || std::fwrite(buf_.data(), 1, buf_.size(), out_) == buf_.size()) &&
                  std::fflush(out_) == 0;
  buf_.clear();
  if (!ok)
    throw Error(Position{name_, 0, 0, false}, std::string("write failed: ") + std::strerror(errno));
}

}  // namespace fragreplay::trace
