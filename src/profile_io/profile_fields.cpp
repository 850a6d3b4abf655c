// The table of profile keys (see profile_fields.hpp): its assembly, and the top-level keys that
// name the profile and its platform.
#include <bit>

#include "profile_io/profile_fields.hpp"

namespace fragreplay::cli::profile_fields {

const std::vector<Field>& fields() {
  static const std::vector<Field> table = [] {
    std::vector<Field> f;
    add_platform_fields(f);
    add_pool_fields(f);
    add_lookaside_fields(f);
    add_segment_heap_fields(f);
    add_slub_fields(f);
    add_ram_fields(f);
    add_page_list_fields(f);
    add_default_adapter_fields(f);
    return f;
  }();
  return table;
}

// The profile's name and description, the Windows build, the backend, page and pointer sizes.
void add_platform_fields(std::vector<Field>& f) {
  using model::PoolBackend;
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
}

}  // namespace fragreplay::cli::profile_fields
