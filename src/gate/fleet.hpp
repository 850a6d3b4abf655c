// Fleet summaries: many reports folded into one document, so a fleet of machines can shard its
// traces over any job runner and combine the results afterwards. A fleet summary keeps what adds
// up across traces (event and allocation counts, bytes, waste by part, contiguous failures by
// cause, data-quality counts, totals per tag, routine, driver module, call site and pool kind) and
// one row per source report; it drops what does not (timelines, failure logs, ratios). Merging is
// associative and commutative: counts add, rows are kept sorted, so merge(merge(a, b), c), merge(a,
// merge(b, c)) and merge(a, b, c) print the same bytes.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace fragreplay::gate {

inline constexpr std::string_view kFleetKind = "fleet";
inline constexpr int kFleetSchemaVersion = 1;

// The fleet summary of one document read from `source` (a file name, for messages): an `analyze
// --json` report (one source), a what-if report (one source per profile) or a fleet summary
// (returned as it is, after checking its shape). Throws Error naming `source` and what was
// expected when `doc` is none of these, or a field that should be a count (a whole number from 0
// to 2^64 - 1) is not one. `digest` (of the document's bytes, fleet_reader.hpp) is kept in each
// source row so that a report merged twice can be recognised.
nlohmann::json fleet_of(const nlohmann::json& doc, const std::string& source,
                        const std::string& digest = {});

// An empty fleet: the identity of merge.
nlohmann::json empty_fleet();

// Folds `b` (read from `source`, for messages) into `a`. Throws Error naming the field when a sum
// would pass 2^64 - 1. REQUIRES: both came from fleet_of() or merge().
void merge_into(nlohmann::json& a, const nlohmann::json& b, const std::string& source = {});

// Pretty-printed, keys sorted, with a trailing newline.
std::string fleet_text(const nlohmann::json& fleet);

// Three lines for a terminal: traces, events, allocations and waste, contiguous failures.
std::string fleet_summary(const nlohmann::json& fleet);

}  // namespace fragreplay::gate
