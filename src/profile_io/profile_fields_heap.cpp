// The rows of the profile table for the other pool allocators (see profile_fields.hpp): the
// segment heap of Windows 10 19H1 and later, and Linux SLUB.
#include "profile_io/profile_fields.hpp"

namespace fragreplay::cli::profile_fields {

// Segment heap (§1.3, §4).
void add_segment_heap_fields(std::vector<Field>& f) {
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
}

// Linux SLUB.
void add_slub_fields(std::vector<Field>& f) {
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
}

}  // namespace fragreplay::cli::profile_fields
