// One CSV row under construction, shared by the CSV tables (csv_reports.cpp) and the timeline
// (timeline_csv.cpp): fields joined by commas, text quoted as RFC 4180 asks (base/text_append.hpp),
// the row ended by its destructor.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "base/text_append.hpp"

namespace fragreplay::report {

class Row {
 public:
  explicit Row(std::string& out) : out_(out) {}
  ~Row() { out_ += '\n'; }
  Row(const Row&) = delete;
  Row& operator=(const Row&) = delete;

  Row& num(std::uint64_t v) {
    sep();
    append_dec(out_, v);
    return *this;
  }
  Row& text(std::string_view s) {
    sep();
    append_csv_field(out_, s);
    return *this;
  }
  // An index of mm/vmstat.c (a fraction, or -1) in thousandths like the kernel prints it.
  Row& index(double v) {
    sep();
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    out_ += buf;
    return *this;
  }
  Row& empty() {
    sep();
    return *this;
  }

 private:
  void sep() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  std::string& out_;
  bool first_ = true;
};

}  // namespace fragreplay::report
