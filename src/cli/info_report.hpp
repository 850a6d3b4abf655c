// What `fragreplay info` describes (the reader's InputFacts and bad records, and the summary of
// the events it handed out) and its two renderings: text (info_text.cpp) and JSON
// (info_json.cpp). The command (info_command.cpp) only parses, reads and picks one.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "cli/info_summary.hpp"
#include "trace/input_facts.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::cli {

struct InfoReport {
  std::string name;
  std::string format;
  const trace::InputFacts* facts = nullptr;
  const trace::BadLines* bad = nullptr;
  EventSummary events;
  std::optional<std::string> error;  // what stopped the reader, if anything did
};

// Every record the input held: as counted by the reader, or one per event and bad record.
std::uint64_t events_total(const InfoReport& d);

// FILETIME (100 ns since 1601-01-01 UTC) as "2020-07-28 10:07:00.623 UTC".
std::string filetime_utc(std::uint64_t ft);

// Rows of a label and a value, wrapped at 100 columns. Names from the trace are written as they
// are: the caller makes them safe for a terminal.
void info_text(const InfoReport& d, std::ostream& os);
// One JSON document (fields in docs/schema.md §7) and a newline.
void info_json(const InfoReport& d, std::ostream& os);

}  // namespace fragreplay::cli
