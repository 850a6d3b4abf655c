// The per-event outcome CSV (see events_csv.hpp).
#include "report/events_csv.hpp"

#include <cerrno>
#include <cstring>

#include "base/error.hpp"
#include "base/text_append.hpp"

namespace fragreplay::report {
EventsCsvWriter::EventsCsvWriter(std::FILE* out) : out_(out) {
  buf_ = kEventsCsvHeader;
  buf_ += '\n';
}

EventsCsvWriter::~EventsCsvWriter() {
  if (!buf_.empty()) std::fwrite(buf_.data(), 1, buf_.size(), out_);
}

void EventsCsvWriter::on_event(const trace::Event& e, const trace::StringTable&,
                               const replay::EventOutcome& o) {
  append_dec(buf_, e.source_pos);
  buf_ += ',';
  append_dec(buf_, e.time_ns);
  buf_ += ',';
  buf_ += trace::event_kind_name(e.kind);
  buf_ += ',';
  buf_ += trace::routine_name(e.routine);
  buf_ += ',';
  append_csv_field(buf_, e.kind == trace::EventKind::kPhase ? std::string() : e.tag.to_string());
  buf_ += ',';
  if (e.kind != trace::EventKind::kPhase) {
    append_dec(buf_, o.requested);
    buf_ += ',';
    append_dec(buf_, o.footprint);
    buf_ += ',';
    append_dec(buf_, o.waste.pool_header.value);
    buf_ += ',';
    append_dec(buf_, o.waste.granularity.value);
    buf_ += ',';
    append_dec(buf_, o.waste.sub_page.value);
  } else {
    buf_ += ",,,,";
  }
  buf_ += ',';
  buf_ += o.ok ? '1' : '0';
  buf_ += ',';
  buf_ += o.cause;
  buf_ += ',';
  if (o.has_phys) append_hex(buf_, o.phys_first.value);
  buf_ += ',';
  if (o.has_phys) append_hex(buf_, o.phys_last.value);
  buf_ += ',';
  if (e.address != 0) append_hex(buf_, e.address);
  buf_ += ',';
  if (o.map_registers != 0) append_dec(buf_, o.map_registers);
  buf_ += '\n';
  if (buf_.size() >= (1 << 20)) flush();
}

void EventsCsvWriter::flush() {
  if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), out_) != buf_.size()) {
    throw Error(std::string("writing the events file failed: ") + std::strerror(errno));
  }
  buf_.clear();
}

}  // namespace fragreplay::report
