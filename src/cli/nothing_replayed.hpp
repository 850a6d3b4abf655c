// Nothing replayed is never a pass. A trace that holds no allocation the profile replays (an ETL
// capture without pool events, a Linux capture under a Windows profile, a time window that holds
// no event) gives a report of zeros in which every limit holds; `check` on it would pass without
// having checked anything. `analyze` warns and goes on (exit 0); `check` refuses it (exit 2)
// unless --allow-empty.
#pragma once

#include <optional>
#include <string>

#include "gate/report_metrics.hpp"
#include "replay/results.hpp"
#include "trace/input_facts.hpp"

namespace fragreplay::cli {

// Why `r` replayed nothing, as one line ("<file> holds no pool events (...)"), or nullopt when
// it replayed at least one allocation (its own or a rundown snapshot's, granted or refused).
// `facts`, the reader's, name the records the input held instead, as `info` counts them.
std::optional<std::string> nothing_replayed(const replay::Results& r,
                                            const trace::InputFacts* facts = nullptr);

// The same for a report read back (check REPORT.json): nullopt unless its totals count no
// allocation, granted or failed.
std::optional<std::string> nothing_replayed(const gate::ReportMetrics& m);

}  // namespace fragreplay::cli
