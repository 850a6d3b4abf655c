// The rows of the profile table for physical memory (see profile_fields.hpp): the contiguous
// search and the RAM map, where pages land and the pool's own pages, and the default DMA adapter.
#include "profile_io/profile_fields.hpp"

namespace fragreplay::cli::profile_fields {

// The contiguous search, and the RAM a replay runs with unless told.
void add_ram_fields(std::vector<Field>& f) {
  using model::ScanDirection;
  f.push_back(choice(
      "physical.contiguous_scan", "direction of the contiguous search (§5.3)",
      [](auto& p) -> auto& { return p.contiguous_scan; },
      std::array{ScanDirection::kAscending, ScanDirection::kDescending}, model::scan_name));
  f.push_back(number(
      "physical.contiguous_reserve_pages",
      "free frames contiguous requests never take (MM_HIGH_LIMIT, §5.2)",
      [](auto& p) -> auto& { return p.contiguous_reserve_pages; }));
  f.push_back(number(
      "physical.default_ram", "RAM when --ram is not given (bytes)",
      [](auto& p) -> auto& { return p.default_ram; }));
  f.push_back(
      Field{"physical.default_ram_map",
            "RAM ranges in frames ({first_frame, frames}); empty = a PC's map of "
            "default_ram",
            [](const Profile& p) {
              OrderedJson out = OrderedJson::array();
              for (const auto& r : p.default_ram_map)
                out.push_back({{"first_frame", r.first.value}, {"frames", r.count.value}});
              return out;
            },
            [](Profile& p, const Json& v) {
              const BadValue bad{"an array of objects with first_frame, frames"};
              if (!v.is_array()) throw bad;
              std::vector<model::RamRange> map;
              for (const auto& r : v) {
                if (!r.is_object() || r.size() != 2 || !r.contains("first_frame") ||
                    !r.contains("frames"))
                  throw bad;
                map.push_back({Pfn{to_u64(r["first_frame"])}, PageCount{to_u64(r["frames"])}});
              }
              p.default_ram_map = std::move(map);
            }});
}

// Where ordinary pages land (§5.2) and the NT 5.x initial nonpaged pool (§5.1, §3.8).
void add_page_list_fields(std::vector<Field>& f) {
  f.push_back(number(
      "physical.page_colors", "page colours (MmSecondaryColors): a power of two, 1 to 1024",
      [](auto& p) -> auto& { return p.page_colors; }));
  f.push_back(number(
      "physical.zero_page_threshold",
      "free pages that wake the zero-page thread (MmMinimumFreePagesToZero); 0 = none",
      [](auto& p) -> auto& { return p.zero_page_threshold; }));
  f.push_back(boolean(
      "physical.boot_pages_zeroed", "the replay starts with every free page already zeroed",
      [](auto& p) -> auto& { return p.boot_pages_zeroed; }));
  f.push_back(choice(
      "physical.initial_pool", "the initial nonpaged pool (§5.1)",
      [](auto& p) -> auto& { return p.initial_pool; },
      std::array{model::InitialPool::kNone, model::InitialPool::kNt5}, model::initial_pool_name));
  f.push_back(number(
      "physical.initial_pool_minimum", "its base size (MmMinimumNonPagedPoolSize)",
      [](auto& p) -> auto& { return p.initial_pool_minimum; }));
  f.push_back(number(
      "physical.initial_pool_per_mb", "added per MiB of RAM (MmMinAdditionNonPagedPoolPerMb)",
      [](auto& p) -> auto& { return p.initial_pool_per_mb; }));
  f.push_back(number(
      "physical.initial_pool_free_above", "the per-MiB share counts RAM above this",
      [](auto& p) -> auto& { return p.initial_pool_free_above; }));
  f.push_back(number(
      "physical.initial_pool_maximum", "its largest size (MM_MAX_INITIAL_NONPAGED_POOL)",
      [](auto& p) -> auto& { return p.initial_pool_maximum; }));
  f.push_back(number(
      "physical.initial_pool_small_machine",
      "its size at or below large_page_min_ram (0 = the formula)",
      [](auto& p) -> auto& { return p.initial_pool_small_machine; }));
  f.push_back(number(
      "physical.large_page_bytes", "a large page (the span of a page-directory entry)",
      [](auto& p) -> auto& { return p.large_page_bytes; }));
  f.push_back(number(
      "physical.large_page_min_ram", "RAM below which the initial pool is not large-page mapped",
      [](auto& p) -> auto& { return p.large_page_min_ram; }));
  f.push_back(number(
      "physical.pool_slist_depth", "single free pool pages cached (MiNonPagedPoolSListMaximum)",
      [](auto& p) -> auto& { return p.pool_slist_depth; }));
  f.push_back(number(
      "physical.pool_free_lists", "lists of free pool page runs (MI_MAX_FREE_LIST_HEADS)",
      [](auto& p) -> auto& { return p.pool_free_lists; }));
  f.push_back(number(
      "physical.pool_expansion_keep",
      "freed expansion runs longer than this go back to the page lists",
      [](auto& p) -> auto& { return p.pool_expansion_keep; }));
  f.push_back(boolean(
      "physical.contiguous_pool_first",
      "MmCached contiguous requests try nonpaged pool first (NT 5.x, §5.3)",
      [](auto& p) -> auto& { return p.contiguous_pool_first; }));
}

// The DMA adapter AllocateCommonBuffer uses when a trace names none (§5.5).
void add_default_adapter_fields(std::vector<Field>& f) {
  f.push_back(text(
      "default_adapter.name", "its name in reports",
      [](auto& p) -> auto& { return p.default_adapter.name; }));
  f.push_back(number(
      "default_adapter.highest", "highest physical address it reaches",
      [](auto& p) -> auto& { return p.default_adapter.highest; }));
  f.push_back(number(
      "default_adapter.boundary", "buffers never cross a multiple of this",
      [](auto& p) -> auto& { return p.default_adapter.boundary; }));
  f.push_back(number(
      "default_adapter.map_registers", "its map-register budget",
      [](auto& p) -> auto& { return p.default_adapter.map_registers; }));
}

}  // namespace fragreplay::cli::profile_fields
