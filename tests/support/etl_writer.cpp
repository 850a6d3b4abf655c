// ETL writing for tests (see etl_writer.hpp).
#include "etl_writer.hpp"

#include <algorithm>

#include "lzxpress_compress.hpp"

namespace fragreplay::testing {
namespace {

constexpr std::size_t kBufferHeader = 0x48;

void put(std::string& s, std::uint64_t v, unsigned bytes) {
  for (unsigned i = 0; i < bytes; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void pad8(std::string& s) {
  while (s.size() % 8 != 0) s.push_back('\0');
}

std::string record(std::uint8_t header_type, std::size_t header_size, std::uint8_t group,
                   std::uint8_t type, std::uint64_t time, std::string_view payload,
                   std::uint32_t tid, std::uint32_t pid) {
  std::string r;
  put(r, 2, 2);  // Version
  r.push_back(static_cast<char>(header_type));
  r.push_back(static_cast<char>(0xC0));
  put(r, header_size + payload.size(), 2);
  r.push_back(static_cast<char>(type));
  r.push_back(static_cast<char>(group));
  if (header_size == 16) {
    put(r, time, 8);
  } else {
    put(r, tid, 4);
    put(r, pid, 4);
    put(r, time, 8);
    if (header_size == 32) put(r, 0, 8);  // KernelTime, UserTime
  }
  r.append(payload);
  pad8(r);
  return r;
}

void put_utf16(std::string& s, std::string_view ascii) {
  for (const char c : ascii) put(s, static_cast<unsigned char>(c), 2);
  put(s, 0, 2);
}

std::string buffer(std::uint16_t cpu, std::uint16_t type, std::uint16_t flags,
                   std::uint32_t sequence, std::string_view events, bool compressed,
                   std::uint32_t size) {
  std::string body;
  std::uint32_t on_disk = 0;
  if (compressed) {
    body = lzxpress_plain_compress(events);
    on_disk = static_cast<std::uint32_t>(kBufferHeader + body.size());
    flags |= 0x40;
  } else {
    body = std::string(events);
    on_disk =
        std::max<std::uint32_t>(size, static_cast<std::uint32_t>(kBufferHeader + body.size()));
    body.append(on_disk - kBufferHeader - body.size(), '\xFF');
  }
  const auto filled = static_cast<std::uint32_t>(kBufferHeader + events.size());
  std::string b;
  put(b, on_disk, 4);   // BufferSize
  put(b, filled, 4);    // SavedOffset
  put(b, filled, 4);    // CurrentOffset
  put(b, 0, 4);         // ReferenceCount
  put(b, 0, 8);         // TimeStamp
  put(b, sequence, 8);  // SequenceNumber
  put(b, 0, 8);         // ClockType / Frequency
  put(b, cpu, 2);       // ProcessorIndex
  put(b, 0, 2);         // LoggerId
  put(b, 3, 4);         // State
  put(b, filled, 4);    // Offset
  put(b, flags, 2);     // BufferFlag
  put(b, type, 2);      // BufferType
  b.append(16, '\0');
  return b + body;
}

}  // namespace

std::string system_record(bool is64, std::uint8_t group, std::uint8_t type, std::uint64_t time,
                          std::string_view payload, std::uint32_t tid, std::uint32_t pid) {
  return record(is64 ? 0x02 : 0x01, 32, group, type, time, payload, tid, pid);
}
std::string compact_record(bool is64, std::uint8_t group, std::uint8_t type, std::uint64_t time,
                           std::string_view payload, std::uint32_t tid, std::uint32_t pid) {
  return record(is64 ? 0x04 : 0x03, 24, group, type, time, payload, tid, pid);
}
std::string perfinfo_record(bool is64, std::uint8_t group, std::uint8_t type, std::uint64_t time,
                            std::string_view payload) {
  return record(is64 ? 0x11 : 0x10, 16, group, type, time, payload, 0, 0);
}

std::string event_header_record(bool is64, std::string_view guid, std::uint64_t time,
                                std::string_view payload, std::uint8_t opcode) {
  std::string r;
  put(r, 80 + payload.size(), 2);
  r.push_back(static_cast<char>(is64 ? 0x13 : 0x12));
  r.push_back(static_cast<char>(0xC0));
  put(r, 0, 2);  // Flags
  put(r, 0, 2);  // EventProperty
  put(r, 7, 4);  // ThreadId
  put(r, 9, 4);  // ProcessId
  put(r, time, 8);
  r.append(guid.substr(0, 16));
  put(r, 0, 5);  // Id, Version, Channel, Level
  r.push_back(static_cast<char>(opcode));
  r.append(80 - r.size(), '\0');  // Task, Keyword, ProcessorTime, ActivityId
  r.append(payload);
  pad8(r);
  return r;
}

std::string full_header_record(bool is64, std::string_view guid, std::uint8_t type,
                               std::uint64_t time, std::string_view payload) {
  std::string r;
  put(r, 48 + payload.size(), 2);
  r.push_back(static_cast<char>(is64 ? 0x14 : 0x0A));
  r.push_back(static_cast<char>(0xC0));
  r.push_back(static_cast<char>(type));
  r.push_back(0);  // Level
  put(r, 2, 2);    // Version
  put(r, 7, 4);    // ThreadId
  put(r, 9, 4);    // ProcessId
  put(r, time, 8);
  r.append(guid.substr(0, 16));
  put(r, 0, 8);  // KernelTime, UserTime
  r.append(payload);
  pad8(r);
  return r;
}

std::string pool_payload(std::size_t pointer_size, std::uint32_t pool_type, std::string_view tag,
                         std::uint64_t bytes, std::uint64_t address,
                         std::optional<std::uint32_t> session_id) {
  std::string p;
  put(p, pool_type, 4);
  for (std::size_t i = 0; i < 4; ++i) p.push_back(i < tag.size() ? tag[i] : ' ');
  put(p, bytes, static_cast<unsigned>(pointer_size));
  put(p, address, static_cast<unsigned>(pointer_size));
  if (session_id) put(p, *session_id, 4);
  return p;
}

std::string stack_walk_payload(std::size_t pointer_size, std::uint64_t event_time,
                               std::uint32_t process_id, std::uint32_t thread_id,
                               const std::vector<std::uint64_t>& frames) {
  std::string p;
  put(p, event_time, 8);
  put(p, process_id, 4);
  put(p, thread_id, 4);
  for (const std::uint64_t f : frames) put(p, f, static_cast<unsigned>(pointer_size));
  return p;
}

std::string image_payload(std::size_t pointer_size, std::uint64_t base, std::uint64_t size,
                          std::uint32_t process_id, std::string_view file_name) {
  const auto ptr = static_cast<unsigned>(pointer_size);
  std::string p;
  put(p, base, ptr);
  put(p, size, ptr);
  put(p, process_id, 4);
  put(p, 0x1234, 4);                                                        // ImageCheckSum
  put(p, 0x5f000000, 4);                                                    // TimeDateStamp
  put(p, 0, 4);                                                             // Reserved0
  put(p, base, ptr);                                                        // DefaultBase
  for (int i = 0; i < 4; ++i) put(p, 0, 4);                                 // Reserved1-4
  for (const char c : file_name) put(p, static_cast<unsigned char>(c), 2);  // ASCII as UTF-16LE
  put(p, 0, 2);
  return p;
}

void EtlFile::add_buffer(std::uint16_t cpu, const std::vector<std::string>& records,
                         bool compressed, std::uint16_t flags) {
  std::string events;
  for (const std::string& r : records) events += r;
  buffers_.push_back(buffer(cpu, 0, flags, static_cast<std::uint32_t>(buffers_.size() + 1), events,
                            compressed, options_.buffer_size));
}

std::string EtlFile::bytes() const {
  const EtlFileOptions& o = options_;
  const std::size_t p = o.pointer_size;
  // TRACE_LOGFILE_HEADER (§4.3).
  std::string h;
  put(h, o.buffer_size, 4);
  h.push_back(static_cast<char>(o.os_major));
  h.push_back(static_cast<char>(o.os_minor));
  h.push_back(1);
  h.push_back(5);
  put(h, o.os_build, 4);
  put(h, o.cpus, 4);
  put(h, o.start_time + 10'000'000, 8);  // EndTime
  put(h, 156250, 4);                     // TimerResolution
  put(h, 0, 4);                          // MaximumFileSize
  put(h, 0x10001, 4);                    // LogFileMode
  put(h, buffers_.size() + 1, 4);        // BuffersWritten
  put(h, 1, 4);                          // StartBuffers
  put(h, p, 4);                          // PointerSize
  put(h, o.events_lost, 4);
  put(h, o.cpu_mhz, 4);
  put(h, 0, static_cast<unsigned>(p));       // LoggerName (pointer)
  put(h, 0, static_cast<unsigned>(p));       // LogFileName (pointer)
  h.append(0xB0, '\0');                      // TIME_ZONE_INFORMATION, padded
  put(h, o.start_time - 36'000'000'000, 8);  // BootTime: an hour before
  put(h, o.perf_freq, 8);
  put(h, o.start_time, 8);
  put(h, o.clock_type, 4);
  put(h, 0, 4);  // BuffersLost
  put_utf16(h, o.logger_name);
  put_utf16(h, o.log_file_name);
  const std::string header_event = system_record(p == 8, 0, 0, o.header_time, h);
  std::string out = buffer(0, 4, 0x1, 0, header_event, false, 0);
  for (const std::string& b : buffers_) out += b;
  return out;
}

std::vector<std::size_t> EtlFile::buffer_offsets() const {
  std::vector<std::size_t> offsets;
  std::size_t at = bytes().size();
  for (const std::string& b : buffers_) at -= b.size();
  for (const std::string& b : buffers_) {
    offsets.push_back(at);
    at += b.size();
  }
  return offsets;
}

}  // namespace fragreplay::testing
