// tracerpt CSV reader (see tracerpt_csv_reader.hpp).
#include "trace/text/tracerpt_csv_reader.hpp"

#include <charconv>
#include <vector>

#include "trace/text/text_fields.hpp"
#include "trace/text/text_reader_base.hpp"

namespace fragreplay::trace {
namespace {

using namespace text;

constexpr std::uint64_t kDefaultUnitNs = 100;  // FILETIME
constexpr std::string_view kPoolGuid = "0268a8b6";

// Positions of the payload fields of the EventTrace Header row (TRACE_LOGFILE_HEADER order).
constexpr std::size_t kHeaderPointerSize = 10;

class TracerptCsvReader final : public TextReaderBase {
 public:
  TracerptCsvReader(std::unique_ptr<ByteSource> source, const ReadOptions& options)
      : TextReaderBase(std::move(source), options),
        unit_ns_(options.time_unit_ns != 0 ? options.time_unit_ns : kDefaultUnitNs) {
    if (options.time_unit_ns == 0) {
      facts_.notes.push_back(
          "tracerpt Clock-Time read in 100 ns units (FILETIME), counted from the first row "
          "(--time-unit to change)");
    }
    read_header();
  }

  std::string_view format() const override { return "tracerpt-csv"; }
  std::size_t read(std::span<Event> out) override {
    return read_rows(out, [this](std::string_view line, Event& e) { return parse_row(line, e); });
  }

 private:
  void read_header() {
    std::string_view line;
    while (lines_.next(line)) {
      if (lines_.line_number() == 1) line = skip_bom(line);
      if (trim(line).empty()) continue;
      if (!split_fields(line, fields_, quoted_)) fail_here("unreadable header line");
      std::vector<std::string> cols;
      for (const std::string_view f : fields_) cols.push_back(normalize_name(f));
      name_col_ = find_column(cols, {"eventname"});
      type_col_ = find_column(cols, {"type"});
      opcode_col_ = find_column(cols, {"opcode"});
      pid_col_ = find_column(cols, {"pid"});
      tid_col_ = find_column(cols, {"tid"});
      clock_col_ = find_column(cols, {"clocktime"});
      data_col_ = find_column(cols, {"userdata"});
      if (name_col_ < 0 || clock_col_ < 0 || data_col_ < 0 || (type_col_ < 0 && opcode_col_ < 0)) {
        fail_here(
            "a tracerpt CSV header needs the columns Event Name, Type or Opcode, "
            "Clock-Time and User Data");
      }
      return;
    }
    fail_here("empty file, expected a tracerpt CSV header");
  }

  // Returns true if the row became an event.
  bool parse_row(std::string_view line, Event& e) {
    split(line);
    ++facts_.records;
    const std::string_view name = field(name_col_);
    const std::string_view type = field(type_col_);
    key_.assign(name);
    if (!type.empty()) key_.append("/").append(type);
    count_name(key_);

    const auto clock = parse_number(field(clock_col_));
    if (!clock) bad_value("Clock-Time", "an unsigned integer", field(clock_col_));
    if (!have_origin_) {
      have_origin_ = true;
      origin_ = *clock;
    }
    const std::size_t data = static_cast<std::size_t>(data_col_);
    if (name == "EventTrace" && type == "Header") {
      if (fields_.size() > data + kHeaderPointerSize) {
        const auto p = parse_number(fields_[data + kHeaderPointerSize]);
        if (p && (*p == 4 || *p == 8)) facts_.pointer_size = static_cast<std::uint32_t>(*p);
      }
      return false;
    }
    norm_.clear();
    if (name.find(kPoolGuid) != std::string_view::npos) {
      norm_ = "pool";
    } else {
      append_normalized(name, norm_);
    }
    if (norm_.find("pool") == std::string::npos) return false;

    std::optional<PoolRowClass> c;
    if (const auto op = parse_number(field(opcode_col_)); op && *op >= 32 && *op <= 47) {
      c = classify_pool_opcode(*op);
    } else {
      append_normalized(type, norm_);
      c = classify_pool_name(norm_);
    }
    if (!c) return false;
    count_pool_row(facts_, *c);
    if (c->kind != PoolRowKind::kAlloc && c->kind != PoolRowKind::kFree &&
        c->kind != PoolRowKind::kRundown) {
      return false;
    }
    // User Data: Type, Tag, NumberOfBytes, Entry[, SessionId].
    if (fields_.size() < data + 4) {
      ++facts_.pool_rows_without_fields;
      line_problem(
          "pool event without its four payload fields (Type, Tag, NumberOfBytes, "
          "Entry) after the User Data column");
    }
    PoolFields f;
    f.time_ns = *clock >= origin_ ? (*clock - origin_) * unit_ns_ : 0;
    if (*clock < origin_) ++facts_.out_of_order;
    f.pool_type = parse_pool_kind(fields_[data]);
    if (!f.pool_type) bad_value("Type", "a pool type (number or name)", fields_[data]);
    const auto tag = parse_tag(fields_[data + 1]);
    if (!tag) bad_value("Tag", "four characters or a number", fields_[data + 1]);
    f.tag = *tag;
    f.bytes = number(data + 2, "NumberOfBytes");
    f.address = number(data + 3, "Entry");
    f.process = id_text(pid_col_, pid_text_);
    f.thread = id_text(tid_col_, tid_text_);
    return pool_event(e, *c, f);
  }

  // A hexadecimal PID or TID column as decimal text, like the ETL reader gives.
  std::string_view id_text(int col, std::string& out) {
    out.clear();
    const auto v = parse_number(field(col));
    if (!v) return out;
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, *v);
    out.assign(buf, r.ptr);
    return out;
  }
  std::uint64_t number(std::size_t col, std::string_view what) {
    const auto v = parse_number(fields_[col]);
    if (!v) bad_value(what, "a number (decimal or 0x hexadecimal)", fields_[col]);
    return *v;
  }

  std::uint64_t unit_ns_;
  int name_col_ = -1;
  int type_col_ = -1;
  int opcode_col_ = -1;
  int pid_col_ = -1;
  int tid_col_ = -1;
  int clock_col_ = -1;
  int data_col_ = -1;
  bool have_origin_ = false;
  std::uint64_t origin_ = 0;
  std::string key_;
  std::string norm_;
  std::string pid_text_;
  std::string tid_text_;
};

}  // namespace

bool looks_tracerpt_csv(std::string_view head) {
  const std::string_view line = first_line(head);
  if (!trim(line).starts_with("Event Name")) return false;
  std::vector<std::string_view> fields;
  std::string scratch;
  if (!split_fields(line, fields, scratch)) return false;
  for (const std::string_view f : fields) {
    if (normalize_name(f) == "userdata") return true;
  }
  return false;
}

std::unique_ptr<TraceReader> make_tracerpt_csv_reader(std::unique_ptr<ByteSource> source,
                                                      const ReadOptions& options) {
  return std::make_unique<TracerptCsvReader>(std::move(source), options);
}

}  // namespace fragreplay::trace
