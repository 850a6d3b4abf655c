// --csv DIR: the report as CSV files for spreadsheets and scripts, one table per file with a
// header row: timeline.csv (one row per timeline sample), by_tag.csv, by_routine.csv,
// by_process.csv, failures.csv (contiguous failures) and findings.csv, and by_call_site.csv after
// by_tag.csv when the trace records call sites (Linux kmem captures). Sizes are bytes; columns
// are documented in docs/schema.md §4 and never reordered, only appended to.
#pragma once

#include <string>
#include <vector>

#include "replay/results.hpp"

namespace fragreplay::report {

struct CsvFile {
  std::string name;  // file name inside the directory
  std::string content;
};

// The files, in the order above. Deterministic.
std::vector<CsvFile> csv_reports(const replay::Results& results);

// Writes every file into `dir` (created if missing), each atomically. Throws Error on failure.
void write_csv_reports(const std::string& dir, const replay::Results& results);

}  // namespace fragreplay::report
