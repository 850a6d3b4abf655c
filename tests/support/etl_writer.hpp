// Writes ETL files from the documented layouts (docs/formats.md §1.3 and §4): a header
// buffer with TRACE_LOGFILE_HEADER, then buffers of event records per CPU, plain or LZXPRESS
// compressed. No public capture holds pool events, so the tests make their own with this; the
// reader is then checked to give back exactly the events written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fragreplay::testing {

struct EtlFileOptions {
  std::size_t pointer_size = 8;  // of the header event and TRACE_LOGFILE_HEADER.PointerSize
  std::uint32_t cpus = 2;        // NumberOfProcessors
  std::uint64_t perf_freq = 10'000'000;
  std::uint32_t clock_type = 1;  // ReservedFlags: 1 QPC, 2 system time, 3 CPU cycles
  std::uint32_t cpu_mhz = 3000;
  std::uint32_t os_build = 7601;
  std::uint8_t os_major = 6;
  std::uint8_t os_minor = 1;
  std::uint64_t header_time = 1000;               // raw timestamp of the header event
  std::uint64_t start_time = 130000000000000000;  // FILETIME (2012-12-13 UTC)
  std::uint32_t buffer_size = 4096;               // on-disk size of plain buffers
  std::uint32_t events_lost = 0;
  std::string logger_name = "NT Kernel Logger";
  std::string log_file_name = "C:\\pool.etl";
};

class EtlFile {
 public:
  explicit EtlFile(EtlFileOptions options = {}) : options_(std::move(options)) {}

  // Appends a buffer filled by `cpu` holding `records` (made by the *_record functions), written
  // plain (padded with 0xFF to the buffer size) or LZXPRESS-compressed; `flags` are OR'ed into
  // BufferFlag.
  void add_buffer(std::uint16_t cpu, const std::vector<std::string>& records,
                  bool compressed = false, std::uint16_t flags = 0);

  // The file: the header buffer (CPU 0), then the buffers in the order added.
  std::string bytes() const;
  // Where the buffers added start in bytes() (the header buffer comes first).
  std::vector<std::size_t> buffer_offsets() const;

 private:
  EtlFileOptions options_;
  std::vector<std::string> buffers_;  // complete, header included
};

// Event records (§4.2); `is64` picks the 64-bit header type. Each is padded to 8 bytes.
std::string system_record(bool is64, std::uint8_t group, std::uint8_t type, std::uint64_t time,
                          std::string_view payload, std::uint32_t thread_id = 0,
                          std::uint32_t process_id = 0);
std::string compact_record(bool is64, std::uint8_t group, std::uint8_t type, std::uint64_t time,
                           std::string_view payload, std::uint32_t thread_id = 0,
                           std::uint32_t process_id = 0);
std::string perfinfo_record(bool is64, std::uint8_t group, std::uint8_t type, std::uint64_t time,
                            std::string_view payload);
// `guid` is 16 bytes as stored.
std::string event_header_record(bool is64, std::string_view guid, std::uint64_t time,
                                std::string_view payload, std::uint8_t opcode = 0);
// A classic event with a GUID (EVENT_TRACE_HEADER, FULL_HEADER layout): Type = `type`.
std::string full_header_record(bool is64, std::string_view guid, std::uint8_t type,
                               std::uint64_t time, std::string_view payload);

// ETW_POOL_EVENT (§1.3): Type, Tag, NumberOfBytes, Entry, pointer-sized as given; with a session
// id appended when given.
std::string pool_payload(std::size_t pointer_size, std::uint32_t pool_type, std::string_view tag,
                         std::uint64_t bytes, std::uint64_t address,
                         std::optional<std::uint32_t> session_id = std::nullopt);

// STACK_WALK_EVENT_DATA (docs/formats.md §10.1): EventTimeStamp, StackProcess, StackThread, then
// the frames, pointer-sized.
std::string stack_walk_payload(std::size_t pointer_size, std::uint64_t event_time,
                               std::uint32_t process_id, std::uint32_t thread_id,
                               const std::vector<std::uint64_t>& frames);
// Image_Load version 2 (§10.2); `file_name` is ASCII, written as UTF-16LE with its NUL.
std::string image_payload(std::size_t pointer_size, std::uint64_t base, std::uint64_t size,
                          std::uint32_t process_id, std::string_view file_name);

}  // namespace fragreplay::testing
