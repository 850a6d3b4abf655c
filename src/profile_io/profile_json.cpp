// Profile <-> JSON through one table of fields (see profile_json.hpp). Adding a Profile field:
// add one row to kFields() with its key (group.name), a one-line meaning and an accessor.
#include "profile_io/profile_json.hpp"

#include <bit>
#include <fstream>
#include <functional>
#include <limits>
#include <set>
#include <sstream>
#include <string_view>

#include "base/error.hpp"
#include "base/size_text.hpp"
#include "json/json_file.hpp"
#include "json/json_text.hpp"

namespace fragreplay::cli {

using model::Profile;
using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

namespace {

// A bad value; the caller adds the source and the key.
struct BadValue {
  std::string expected;
};

struct Field {
  std::string key;  // "name" or "group.name"
  std::string doc;
  std::function<OrderedJson(const Profile&)> get;
  std::function<void(Profile&, const Json&)> set;
};

std::uint64_t to_u64(const Json& v) {
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  if (v.is_string()) {
    if (const auto n = parse_size_value(v.get<std::string>())) return *n;
  }
  throw BadValue{"an unsigned integer (or a string such as \"0xFE0\" or \"4GiB\")"};
}

template <typename Access>
Field number(std::string key, std::string doc, Access access) {
  return Field{std::move(key), std::move(doc),
               [access](const Profile& p) { return OrderedJson(access(p)); },
               [access](Profile& p, const Json& v) {
                 auto& target = access(p);
                 const std::uint64_t n = to_u64(v);
                 using T = std::remove_reference_t<decltype(target)>;
                 if (n > std::numeric_limits<T>::max()) throw BadValue{"a smaller number"};
                 target = static_cast<T>(n);
               }};
}

template <typename Access>
Field boolean(std::string key, std::string doc, Access access) {
  return Field{std::move(key), std::move(doc),
               [access](const Profile& p) { return OrderedJson(access(p)); },
               [access](Profile& p, const Json& v) {
                 if (!v.is_boolean()) throw BadValue{"true or false"};
                 access(p) = v.get<bool>();
               }};
}

template <typename Access>
Field text(std::string key, std::string doc, Access access) {
  return Field{std::move(key), std::move(doc),
               [access](const Profile& p) { return OrderedJson(access(p)); },
               [access](Profile& p, const Json& v) {
                 if (!v.is_string()) throw BadValue{"a string"};
                 access(p) = v.get<std::string>();
               }};
}

template <typename E, std::size_t N, typename Access>
Field choice(std::string key, std::string doc, Access access, std::array<E, N> values,
             const char* (*name)(E)) {
  std::string names;
  for (const E e : values) names += std::string(names.empty() ? "" : ", ") + name(e);
  doc += " (" + names + ")";
  return Field{std::move(key), std::move(doc),
               [access, name](const Profile& p) { return OrderedJson(name(access(p))); },
               [access, values, name, names](Profile& p, const Json& v) {
                 if (v.is_string()) {
                   for (const E e : values) {
                     if (v.get<std::string>() == name(e)) {
                       access(p) = e;
                       return;
                     }
                   }
                 }
                 throw BadValue{"one of " + names};
               }};
}

// An array of objects whose members are all unsigned numbers, held as a vector of structs.
template <typename T, typename Access>
Field records(std::string key, std::string doc, Access access,
              std::vector<std::pair<std::string, std::function<std::uint64_t&(T&)>>> members) {
  return Field{
      std::move(key), std::move(doc),
      [access, members](const Profile& p) {
        OrderedJson out = OrderedJson::array();
        for (T item : access(p)) {
          OrderedJson o;
          for (const auto& [name, member] : members) o[name] = member(item);
          out.push_back(std::move(o));
        }
        return out;
      },
      [access, members](Profile& p, const Json& v) {
        std::string shape;
        for (const auto& m : members) shape += (shape.empty() ? "" : ", ") + m.first;
        const BadValue bad{"an array of objects with " + shape};
        if (!v.is_array()) throw bad;
        auto& target = access(p);
        if constexpr (requires { target.resize(0); }) {
          target.resize(v.size());
        } else if (v.size() != target.size()) {
          throw BadValue{"an array of " + std::to_string(target.size()) + " objects with " + shape};
        }
        for (std::size_t i = 0; i < v.size(); ++i) {
          if (!v[i].is_object() || v[i].size() != members.size()) throw bad;
          for (const auto& [name, member] : members) {
            if (!v[i].contains(name)) throw bad;
            member(target[i]) = to_u64(v[i][name]);
          }
        }
      }};
}

const std::vector<Field>& fields() {
  using model::BigTailPolicy;
  using model::CacheAlignRule;
  using model::ListSearchStart;
  using model::PoolBackend;
  using model::ScanDirection;
  static const std::vector<Field> table = [] {
    std::vector<Field> f;
    f.push_back(text(
        "name", "the profile's name, as --profile and reports show it",
        [](auto& p) -> auto& { return p.name; }));
    f.push_back(text(
        "description", "one line saying what machine it models",
        [](auto& p) -> auto& { return p.description; }));
    f.push_back(number(
        "windows_build",
        "the Windows build modelled (2600, 3790, 7601, 9200, 18362, 19041, ...; 0 = Linux): "
        "which routines exist",
        [](auto& p) -> auto& { return p.windows_build; }));
    f.push_back(choice(
        "backend", "the pool allocator", [](auto& p) -> auto& { return p.backend; },
        std::array{PoolBackend::kLegacy, PoolBackend::kSegmentHeap, PoolBackend::kSlub},
        model::backend_name));
    f.push_back(Field{"page_size", "bytes per page: 4096 to 65536, a power of two",
                      [](const Profile& p) { return OrderedJson(p.page_size.bytes()); },
                      [](Profile& p, const Json& v) {
                        const std::uint64_t n = to_u64(v);
                        if (!std::has_single_bit(n) || n < 4096 || n > 65536)
                          throw BadValue{"a power of two from 4096 to 65536"};
                        p.page_size = PageSize{static_cast<unsigned>(std::countr_zero(n))};
                      }});
    f.push_back(number(
        "pointer_size", "bytes per pointer: 4 or 8",
        [](auto& p) -> auto& { return p.pointer_size; }));
    // The pool (legacy and segment heap).
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
        std::array{CacheAlignRule::kNone, CacheAlignRule::kRoundUpPlusLine,
                   CacheAlignRule::kAddLine},
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
    // Legacy lookasides and delayed frees.
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
    // Segment heap (§1.3, §4).
    f.push_back(number(
        "segment_heap.lfh_max", "largest LFH chunk, POOL_HEADER included",
        [](auto& p) -> auto& { return p.segment_heap.lfh_max; }));
    f.push_back(number(
        "segment_heap.lfh_activation_outstanding",
        "a bucket activates above this many outstanding allocations; 0 = always on",
        [](auto& p) -> auto& { return p.segment_heap.lfh_activation_outstanding; }));
    f.push_back(number(
        "segment_heap.lfh_activation_counter_max",
        "... or when its usage counter (+33 per allocation) passes this",
        [](auto& p) -> auto& { return p.segment_heap.lfh_activation_counter_max; }));
    f.push_back(number(
        "segment_heap.bucket_round_min",
        "chunks from this size are rounded to their bucket's block size ...",
        [](auto& p) -> auto& { return p.segment_heap.bucket_round_min; }));
    f.push_back(number(
        "segment_heap.bucket_round_max", "... up to this size",
        [](auto& p) -> auto& { return p.segment_heap.bucket_round_max; }));
    f.push_back(number(
        "segment_heap.vs_max", "largest VS chunk",
        [](auto& p) -> auto& { return p.segment_heap.vs_max; }));
    f.push_back(number(
        "segment_heap.vs_chunk_header", "_HEAP_VS_CHUNK_HEADER bytes",
        [](auto& p) -> auto& { return p.segment_heap.vs_chunk_header; }));
    f.push_back(number(
        "segment_heap.vs_subsegment_header", "_HEAP_VS_SUBSEGMENT bytes",
        [](auto& p) -> auto& { return p.segment_heap.vs_subsegment_header; }));
    f.push_back(number(
        "segment_heap.vs_subsegment_min", "smallest VS subsegment",
        [](auto& p) -> auto& { return p.segment_heap.vs_subsegment_min; }));
    f.push_back(number(
        "segment_heap.vs_subsegment_max", "largest VS subsegment",
        [](auto& p) -> auto& { return p.segment_heap.vs_subsegment_max; }));
    f.push_back(boolean(
        "segment_heap.vs_page_align_large",
        "PageAlignLargeAllocs: one more unit per VS chunk, kept when it puts the "
        "data on a page boundary",
        [](auto& p) -> auto& { return p.segment_heap.vs_page_align_large; }));
    f.push_back(boolean(
        "segment_heap.vs_decommit_free_pages",
        "decommit the pages lying wholly inside a free VS chunk",
        [](auto& p) -> auto& { return p.segment_heap.vs_decommit_free_pages; }));
    f.push_back(number(
        "segment_heap.vs_delay_free_batch",
        "VS frees wait in batches of this (DelayFreeContext); 0 = off",
        [](auto& p) -> auto& { return p.segment_heap.vs_delay_free_batch; }));
    f.push_back(number(
        "segment_heap.vs_delay_free_max", "... only chunks below this size",
        [](auto& p) -> auto& { return p.segment_heap.vs_delay_free_max; }));
    f.push_back(number(
        "segment_heap.dynamic_lookaside_depth",
        "freed chunks parked per bucket by the dynamic lookaside; 0 = off",
        [](auto& p) -> auto& { return p.segment_heap.dynamic_lookaside_depth; }));
    f.push_back(number(
        "segment_heap.dynamic_lookaside_min", "smallest chunk it parks",
        [](auto& p) -> auto& { return p.segment_heap.dynamic_lookaside_min; }));
    f.push_back(number(
        "segment_heap.dynamic_lookaside_max", "largest chunk it parks",
        [](auto& p) -> auto& { return p.segment_heap.dynamic_lookaside_max; }));
    f.push_back(number(
        "segment_heap.lfh_min_blocks", "fewest blocks a new LFH subsegment is sized for",
        [](auto& p) -> auto& { return p.segment_heap.lfh_min_blocks; }));
    f.push_back(number(
        "segment_heap.lfh_max_blocks", "most blocks a new LFH subsegment is sized for",
        [](auto& p) -> auto& { return p.segment_heap.lfh_max_blocks; }));
    f.push_back(number(
        "segment_heap.lfh_subsegment_max", "largest LFH subsegment",
        [](auto& p) -> auto& { return p.segment_heap.lfh_subsegment_max; }));
    using Context = model::SegmentContextConfig;
    f.push_back(records<Context>(
        "segment_heap.segments",
        "the two segment contexts: largest allocation, segment size, unit and metadata bytes",
        [](auto& p) -> auto& { return p.segment_heap.segments; },
        {{"max_allocation", [](Context& c) -> std::uint64_t& { return c.max_allocation; }},
         {"segment_bytes", [](Context& c) -> std::uint64_t& { return c.segment_bytes; }},
         {"unit_bytes", [](Context& c) -> std::uint64_t& { return c.unit_bytes; }},
         {"metadata_bytes", [](Context& c) -> std::uint64_t& { return c.metadata_bytes; }}}));
    // Linux SLUB.
    using SlabClass = model::SlabClass;
    f.push_back(Field{"slub.classes", "kmalloc size classes: object size and slab order, ascending",
                      [](const Profile& p) {
                        OrderedJson out = OrderedJson::array();
                        for (const auto& c : p.slub.classes)
                          out.push_back({{"size", c.size}, {"order", c.order}});
                        return out;
                      },
                      [](Profile& p, const Json& v) {
                        const BadValue bad{"an array of objects with size, order"};
                        if (!v.is_array()) throw bad;
                        std::vector<SlabClass> classes;
                        for (const auto& c : v) {
                          if (!c.is_object() || c.size() != 2 || !c.contains("size") ||
                              !c.contains("order"))
                            throw bad;
                          const std::uint64_t order = to_u64(c["order"]);
                          if (order > 10) throw BadValue{"slab orders of at most 10"};
                          classes.push_back({to_u64(c["size"]), static_cast<unsigned>(order)});
                        }
                        p.slub.classes = std::move(classes);
                      }});
    f.push_back(number(
        "slub.min_partial_floor", "min_partial of a cache is at least this",
        [](auto& p) -> auto& { return p.slub.min_partial_floor; }));
    f.push_back(number(
        "slub.min_partial_ceiling", "... and at most this",
        [](auto& p) -> auto& { return p.slub.min_partial_ceiling; }));
    // Physical memory.
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
    // Where ordinary pages land (§5.2) and the NT 5.x initial nonpaged pool (§5.1, §3.8).
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
    // The DMA adapter AllocateCommonBuffer uses when a trace names none (§5.5).
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
    return f;
  }();
  return table;
}

std::pair<std::string, std::string> split_key(const std::string& key) {
  const std::size_t dot = key.find('.');
  if (dot == std::string::npos) return {"", key};
  return {key.substr(0, dot), key.substr(dot + 1)};
}

const Field* find_field(const std::string& key) {
  for (const Field& f : fields()) {
    if (f.key == key) return &f;
  }
  return nullptr;
}

bool is_group(const std::string& name) {
  for (const Field& f : fields()) {
    if (split_key(f.key).first == name) return true;
  }
  return false;
}

std::string known_keys(const std::string& group) {
  std::string out;
  for (const Field& f : fields()) {
    const auto [g, leaf] = split_key(f.key);
    if (g != group) continue;
    out += (out.empty() ? "" : ", ") + leaf;
  }
  if (group.empty()) {
    std::set<std::string> groups;
    for (const Field& f : fields()) {
      const std::string g = split_key(f.key).first;
      if (!g.empty() && groups.insert(g).second) out += ", " + g;
    }
    out += ", base";
  }
  return out;
}

}  // namespace

OrderedJson profile_to_json(const Profile& p) {
  OrderedJson doc;
  for (const Field& f : fields()) {
    const auto [group, leaf] = split_key(f.key);
    if (group.empty()) {
      doc[leaf] = f.get(p);
    } else {
      doc[group][leaf] = f.get(p);
    }
  }
  return doc;
}

std::vector<std::pair<std::string, std::string>> profile_keys() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Field& f : fields()) out.emplace_back(f.key, f.doc);
  return out;
}

Profile profile_from_json(const Json& doc, const std::string& source) {
  auto fail = [&](const std::string& message) -> Error {
    return Error(Position{source, 0, 0, false}, message);
  };
  if (!doc.is_object()) throw fail("a profile is a JSON object");
  Profile p;
  if (const auto base = doc.find("base"); base != doc.end()) {
    if (!base->is_string()) throw fail("key 'base': expected the name of a built-in profile");
    p = model::builtin_profile(base->get<std::string>());
  }
  p.name.clear();
  auto apply = [&](const std::string& key, const Json& value) {
    const Field* f = find_field(key);
    if (f == nullptr) {
      const std::string group = split_key(key).first;
      throw fail("unknown key '" + key + "' (known" + (group.empty() ? "" : " in '" + group + "'") +
                 ": " + known_keys(group) + ")");
    }
    try {
      f->set(p, value);
    } catch (const BadValue& b) {
      throw fail("key '" + key + "': expected " + b.expected + ", got " +
                 fragreplay::printable(fragreplay::json_text(value, -1)));
    }
  };
  for (const auto& [key, value] : doc.items()) {
    if (key == "base") continue;
    if (is_group(key)) {
      if (!value.is_object()) throw fail("key '" + key + "': expected an object of settings");
      for (const auto& [leaf, v] : value.items()) apply(key + "." + leaf, v);
    } else {
      apply(key, value);
    }
  }
  if (p.name.empty()) throw fail("a profile needs a \"name\"");
  for (const Profile& b : model::builtin_profiles()) {
    if (b.name == p.name) {
      throw fail("'" + p.name +
                 "' is the name of a built-in profile; give yours its own (\"base\": \"" + p.name +
                 "\" starts from it)");
    }
  }
  try {
    p.validate();
  } catch (const Error& e) {
    throw fail(e.message());
  }
  return p;
}

Profile parse_profile_text(std::string_view text, const std::string& source) {
  fragreplay::check_json_depth(text, source);
  Json doc;
  try {
    doc = Json::parse(text);
  } catch (const Json::parse_error& e) {
    throw Error(Position::at_offset(source, e.byte), std::string("not valid JSON: ") + e.what());
  } catch (const Json::out_of_range& e) {
    // A number too large for a double ("1e999").
    throw Error(Position{source, 0, 0, false}, std::string("not valid JSON: ") + e.what());
  }
  return profile_from_json(doc, source);
}

Profile load_profile_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(Position{path, 0, 0, false}, "cannot open the profile file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_profile_text(text.str(), path);
}

std::vector<Profile> resolve_profiles(const std::string& names,
                                      const std::vector<std::string>& files) {
  std::vector<Profile> out;
  std::string_view rest = names;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    std::string_view name = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name.empty()) throw Error("option '--profile': an empty profile name in \"" + names + "\"");
    out.push_back(model::builtin_profile(std::string(name)));
  }
  for (const std::string& f : files) out.push_back(load_profile_file(f));
  if (out.empty()) out.push_back(model::builtin_profile(model::kDefaultProfile));
  for (std::size_t i = 0; i < out.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (out[i].name == out[j].name) throw Error("profile '" + out[i].name + "' is given twice");
    }
  }
  return out;
}

}  // namespace fragreplay::cli
