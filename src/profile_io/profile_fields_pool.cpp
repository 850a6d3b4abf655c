// The rows of the profile table for the pool (see profile_fields.hpp): the keys of the legacy and
// segment-heap pools' common constants and policies, then the legacy lookasides and delayed frees.
#include "profile_io/profile_fields.hpp"

namespace fragreplay::cli::profile_fields {

// The pool (legacy and segment heap).
void add_pool_fields(std::vector<Field>& f) {
  using model::BigTailPolicy;
  using model::CacheAlignRule;
  using model::ListSearchStart;
  f.push_back(number(
      "pool.header", "POOL_HEADER bytes (§1.2)", [](auto& p) -> auto& { return p.pool_header; }));
  f.push_back(number(
      "pool.granularity", "block unit in bytes (§1.2)",
      [](auto& p) -> auto& { return p.granularity; }));
  f.push_back(number(
      "pool.small_max", "largest small request, POOL_BUDDY_MAX (§1.2)",
      [](auto& p) -> auto& { return p.small_max; }));
  f.push_back(choice(
      "pool.list_search", "where the free-list search starts (§3.2)",
      [](auto& p) -> auto& { return p.search_start; },
      std::array{ListSearchStart::kNextLarger, ListSearchStart::kExactFit},
      model::list_search_name));
  f.push_back(boolean(
      "pool.separate_nx_descriptor", "NonPagedPoolNx in descriptors of its own (Windows 8+, §6)",
      [](auto& p) -> auto& { return p.separate_nx_descriptor; }));
  f.push_back(choice(
      "pool.cache_align", "CacheAligned pool types (§3.5, §4.1)",
      [](auto& p) -> auto& { return p.cache_align; },
      std::array{CacheAlignRule::kNone, CacheAlignRule::kRoundUpPlusLine, CacheAlignRule::kAddLine},
      model::cache_align_name));
  f.push_back(number(
      "pool.cache_line_bytes", "ExpCacheLineSize",
      [](auto& p) -> auto& { return p.cache_line_bytes; }));
  f.push_back(choice(
      "pool.big_tail", "the last page of a big allocation (§3.7)",
      [](auto& p) -> auto& { return p.big_tail; },
      std::array{BigTailPolicy::kWasted, BigTailPolicy::kReuse}, model::big_tail_name));
  f.push_back(number(
      "pool.tail_max_remainder",
      "tail kept (or, segment heap, 16-byte granularity) only when the size mod "
      "page is at most this (§3.7, §4.1)",
      [](auto& p) -> auto& { return p.tail_max_remainder; }));
  f.push_back(number(
      "pool.tail_max_size", "... and the rounded size is below this",
      [](auto& p) -> auto& { return p.tail_max_size; }));
  f.push_back(number(
      "pool.frag_block_bytes", "the 'Frag' block after a big allocation",
      [](auto& p) -> auto& { return p.frag_block_bytes; }));
  f.push_back(number(
      "pool.quota_extra_bytes", "x86 quota pointer added to a request (§3.6)",
      [](auto& p) -> auto& { return p.quota_extra_bytes; }));
  f.push_back(number(
      "pool.quota_extra_max_request", "... for requests up to this",
      [](auto& p) -> auto& { return p.quota_extra_max_request; }));
}

// Legacy lookasides and delayed frees.
void add_lookaside_fields(std::vector<Field>& f) {
  f.push_back(number(
      "lookaside.max_units", "lookaside lists for blocks up to this many units; 0 = none",
      [](auto& p) -> auto& { return p.lookaside_max_units; }));
  f.push_back(number(
      "lookaside.initial_depth", "depth at start (§1.2)",
      [](auto& p) -> auto& { return p.lookaside_initial_depth; }));
  f.push_back(number(
      "lookaside.min_depth", "depth floor when tuning (§3.4)",
      [](auto& p) -> auto& { return p.lookaside_min_depth; }));
  f.push_back(number(
      "lookaside.max_depth", "depth ceiling (§3.4)",
      [](auto& p) -> auto& { return p.lookaside_max_depth; }));
  f.push_back(boolean(
      "lookaside.tuning", "retune depths every second of trace time (§3.4)",
      [](auto& p) -> auto& { return p.lookaside_tuning; }));
  f.push_back(number(
      "delayed_frees.batch", "delayed frees processed in batches of this; 0 = off",
      [](auto& p) -> auto& { return p.pending_frees; }));
  f.push_back(number(
      "delayed_frees.min_ram", "RAM from which delayed frees are on (bytes)",
      [](auto& p) -> auto& { return p.pending_frees_min_ram; }));
}

}  // namespace fragreplay::cli::profile_fields
