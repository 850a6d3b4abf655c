// What a reader learnt about its input besides the events, for `fragreplay info`: the header of an
// ETL file, how many records of each kind the input held (every record is counted, whether it
// became an event or not), what the pool records were, and what was skipped or lost. A plain
// aggregate filled by the readers and rendered by the command line; by_kernel_group() names the
// groups of its ETL keys, so no renderer needs the ETL reader's tables.
//
// Identity (ETL): records = Σ by_group_type + Σ by_provider + Σ by_classic_provider
//                           + other_records.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fragreplay::trace {

// TRACE_LOGFILE_HEADER, the payload of an ETL file's first event (docs/formats.md §4.3).
struct EtlHeaderFacts {
  std::uint32_t os_major = 0;  // Version, first byte
  std::uint32_t os_minor = 0;  // Version, second byte
  std::uint32_t os_build = 0;  // ProviderVersion
  std::uint32_t pointer_size = 0;
  std::uint32_t cpus = 0;  // NumberOfProcessors
  std::uint32_t cpu_mhz = 0;
  std::uint32_t buffer_size = 0;
  std::uint32_t buffers_written = 0;
  std::uint32_t log_file_mode = 0;
  std::uint32_t events_lost = 0;
  std::uint32_t buffers_lost = 0;
  std::uint32_t timer_resolution = 0;  // 100 ns units
  std::uint64_t timer_frequency = 0;   // ticks per second of the event timestamps
  std::string clock;                   // "qpc", "system-time" or "cpu-cycles"
  std::uint64_t start_time = 0;        // FILETIME (100 ns since 1601, UTC)
  std::uint64_t end_time = 0;          // FILETIME
  std::uint64_t boot_time = 0;         // FILETIME
  std::string logger_name;
  std::string log_file_name;
};

// Records of the PoolTrace group (0x0E) by what they are (docs/formats.md §1.2).
struct PoolRecordCounts {
  std::uint64_t allocs = 0;                  // 0x20 PoolAlloc
  std::uint64_t session_allocs = 0;          // 0x21 PoolAllocSession
  std::uint64_t frees = 0;                   // 0x22 PoolFree
  std::uint64_t session_frees = 0;           // 0x23 PoolFreeSession
  std::uint64_t add_pool_pages = 0;          // 0x24, 0x25 AddPoolPage (decoded, not replayed)
  std::uint64_t big_pool_pages = 0;          // 0x26, 0x27 BigPoolPage (decoded, not replayed)
  std::uint64_t snapshot_start_records = 0;  // 0x28, 0x2a, 0x2c, 0x2e PoolSnap DCStart
  std::uint64_t snapshot_start_entries = 0;  //   allocations they list (replayed as rundown)
  std::uint64_t snapshot_end_records = 0;    // 0x29, 0x2b, 0x2d, 0x2f PoolSnap DCEnd
  std::uint64_t snapshot_end_entries = 0;    //   allocations they list (not replayed)
  std::uint64_t other = 0;                   // other types of the group
  std::uint64_t null_allocs = 0;  // allocs that returned NULL on the traced machine: not replayed
  std::uint64_t malformed = 0;    // payload too short, or sizes no machine has

  std::uint64_t total() const {
    return allocs + session_allocs + frees + session_frees + add_pool_pages + big_pool_pages +
           snapshot_start_records + snapshot_end_records + other;
  }
};

struct StackFacts {
  std::uint64_t records = 0;         // StackWalk events (ETL) or stacks of Stack rows (text)
  std::uint64_t on_allocations = 0;  // attached to a pool allocation: its stack
  std::uint64_t on_frees = 0;        // attached to a pool free (not kept: a free counts where
                                     // its allocation does)
  std::uint64_t unmatched = 0;       // no pool event at their time on their thread: another
                                     // event's stack, or their pool event was lost
  std::uint64_t key_references = 0;  // stacks named by a cache key (stack caching): not resolved
  std::uint64_t malformed = 0;       // payload not a whole number of frames, or too short
  std::uint64_t frames = 0;          // of the stacks attached to allocations
  std::uint64_t distinct = 0;        // distinct stacks kept
  std::uint64_t image_records = 0;   // Image Load, Unload, DCStart, DCEnd events
  std::uint64_t images = 0;          // distinct images mapped
  std::uint64_t images_overlapping = 0;  // images overlapping one already mapped: not added
  std::uint64_t image_records_old = 0;   // Image events of a layout before version 2: not read
  std::uint64_t user_images = 0;         // Image events of user-space images: not mapped
};

struct InputFacts {
  std::optional<EtlHeaderFacts> etl;
  std::uint32_t pointer_size = 0;  // 4 or 8 when the input says; 0 = unknown
  std::uint64_t records = 0;       // every record: ETL events, rows of a text export

  std::map<std::string, std::uint64_t> by_header_type;       // ETL: "system64", "perfinfo64", ...
  std::map<std::string, std::uint64_t> by_group_type;        // ETL classic kernel events "<g>:<t>"
  std::map<std::string, std::uint64_t> by_provider;          // ETL EVENT_HEADER events, by GUID
  std::map<std::string, std::uint64_t> by_classic_provider;  // ETL FULL/INSTANCE headers, by GUID
  std::map<std::string, std::uint64_t> by_event_name;        // text exports: by event name
  std::uint64_t other_records = 0;  // ETL records in none of the maps (WPP messages, ...)

  // Time span of the records that carry a time, in ns since the trace's origin.
  bool has_time_span = false;
  std::uint64_t first_ns = 0;
  std::uint64_t last_ns = 0;

  PoolRecordCounts pool;
  std::uint64_t pool_rows_without_fields = 0;  // text exports: pool events nobody decoded

  // ETL container.
  std::uint64_t buffers = 0;
  std::uint64_t compressed_buffers = 0;
  std::uint64_t buffers_events_lost = 0;  // flagged ETW_BUFFER_FLAG_EVENTS_LOST
  std::uint64_t buffers_buffer_lost = 0;  // flagged ETW_BUFFER_FLAG_BUFFER_LOST
  std::uint64_t out_of_order = 0;         // pool events earlier than their predecessor on a CPU

  // Text exports.
  std::uint64_t stack_rows = 0;         // xperf Stack rows attached to the event before them
  std::uint64_t orphan_stack_rows = 0;  // Stack rows that match no event before them

  // Call stacks and images (ETL StackWalk and Image events, xperf Stack rows; docs/formats.md
  // §10): how many stacks came, which event each went with, and what they point into.
  StackFacts stacks;

  // Remarks worth a line each (assumptions taken, things skipped).
  std::vector<std::string> notes;
};

// The classic kernel events of `facts.by_group_type` ("<g>:<t>") summed by the name of their
// group ("PerfInfo", "Pool", ...; "group <g>" for a group without a name).
std::map<std::string, std::uint64_t> by_kernel_group(const InputFacts& facts);

}  // namespace fragreplay::trace
