// The table of profile keys that profile files, `fragreplay profiles --show` and `profiles --keys`
// share, in the order they list them. It is built once from one function per concern, each
// appending its rows in order: the top-level keys (profile_fields.cpp), the pool, lookasides and
// delayed frees (profile_fields_pool.cpp), the segment heap and SLUB (profile_fields_heap.cpp),
// physical memory and the default DMA adapter (profile_fields_physical.cpp). Adding a Profile
// field: one row in the function of its concern, with its key (group.name), a one-line meaning and
// an accessor.
#pragma once

#include <vector>

#include "profile_io/profile_field.hpp"

namespace fragreplay::cli::profile_fields {

// Every field, in table order.
const std::vector<Field>& fields();

// The rows of each concern, in the order fields() appends them.
void add_platform_fields(std::vector<Field>& f);         // name ... pointer_size
void add_pool_fields(std::vector<Field>& f);             // pool.*
void add_lookaside_fields(std::vector<Field>& f);        // lookaside.*, delayed_frees.*
void add_segment_heap_fields(std::vector<Field>& f);     // segment_heap.*
void add_slub_fields(std::vector<Field>& f);             // slub.*
void add_ram_fields(std::vector<Field>& f);              // physical.*: the search, RAM, its map
void add_page_list_fields(std::vector<Field>& f);        // physical.*: page lists, pool pages
void add_default_adapter_fields(std::vector<Field>& f);  // default_adapter.*

}  // namespace fragreplay::cli::profile_fields
