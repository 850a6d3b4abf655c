// TRACE_LOGFILE_HEADER decoding (see logfile_header.hpp).
#include "trace/etl/logfile_header.hpp"

#include <string>

namespace fragreplay::trace::etl {
namespace {

// Offsets in the payload (§4.3). The two name pointers make the rest depend on the pointer size.
constexpr std::size_t kLhBufferSize = 0x00;
constexpr std::size_t kLhVersion = 0x04;
constexpr std::size_t kLhProviderVersion = 0x08;
constexpr std::size_t kLhProcessors = 0x0C;
constexpr std::size_t kLhEndTime = 0x10;
constexpr std::size_t kLhTimerResolution = 0x18;
constexpr std::size_t kLhLogFileMode = 0x20;
constexpr std::size_t kLhBuffersWritten = 0x24;
constexpr std::size_t kLhPointerSize = 0x2C;
constexpr std::size_t kLhEventsLost = 0x30;
constexpr std::size_t kLhCpuMhz = 0x34;
constexpr std::size_t kLhNames = 0x38;         // LoggerName, LogFileName pointers
constexpr std::size_t kLhTimeZoneSize = 0xB0;  // TIME_ZONE_INFORMATION, padded to 8
constexpr std::uint64_t kMaxFrequency = std::uint64_t{1} << 34;  // TraceClock's exact range

// Appends the UTF-16LE string at data[pos] (up to a NUL or `end`) as UTF-8; returns the position
// after its NUL.
std::size_t utf16_string(ByteSpan data, std::size_t pos, std::string& out) {
  constexpr std::size_t kMaxChars = 1024;
  for (std::size_t n = 0; pos + 1 < data.size() && n < kMaxChars; ++n) {
    std::uint32_t c = le16(data.data() + pos);
    pos += 2;
    if (c == 0) break;
    if (c >= 0xD800 && c < 0xDC00 && pos + 1 < data.size()) {
      const std::uint32_t low = le16(data.data() + pos);
      if (low >= 0xDC00 && low < 0xE000) {
        c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
        pos += 2;
      }
    }
    if (c >= 0xD800 && c < 0xE000) c = 0xFFFD;  // a lone surrogate
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return pos;
}

}  // namespace

const char* decode_logfile_header(ByteSpan payload, std::size_t pointer_size, LogfileHeader& out) {
  const std::size_t times = kLhNames + 2 * pointer_size + kLhTimeZoneSize;
  // BootTime, PerfFreq, StartTime (u64 each), ReservedFlags, BuffersLost (u32 each).
  if (payload.size() < times + 32) return "trace header event too short";
  const std::uint8_t* p = payload.data();
  EtlHeaderFacts& f = out.facts;
  f.buffer_size = le32(p + kLhBufferSize);
  f.os_major = p[kLhVersion];
  f.os_minor = p[kLhVersion + 1];
  f.os_build = le32(p + kLhProviderVersion);
  f.cpus = le32(p + kLhProcessors);
  f.end_time = le64(p + kLhEndTime);
  f.timer_resolution = le32(p + kLhTimerResolution);
  f.log_file_mode = le32(p + kLhLogFileMode);
  f.buffers_written = le32(p + kLhBuffersWritten);
  f.pointer_size = le32(p + kLhPointerSize);
  f.events_lost = le32(p + kLhEventsLost);
  f.cpu_mhz = le32(p + kLhCpuMhz);
  f.boot_time = le64(p + times);
  const std::uint64_t perf_freq = le64(p + times + 8);
  f.start_time = le64(p + times + 16);
  const std::uint32_t clock_type = le32(p + times + 24);
  f.buffers_lost = le32(p + times + 28);
  switch (clock_type) {
    case 0:  // not set: the default clock, QueryPerformanceCounter
    case 1:
      f.clock = "qpc";
      out.clock.ticks_per_second = perf_freq;
      break;
    case 2:
      f.clock = "system-time";
      out.clock.ticks_per_second = 10'000'000;  // FILETIME units
      break;
    case 3:
      f.clock = "cpu-cycles";
      out.clock.ticks_per_second = std::uint64_t{f.cpu_mhz} * 1'000'000u;
      break;
    default:
      return "unknown clock type in the trace header (ReservedFlags not 1, 2 or 3)";
  }
  if (out.clock.ticks_per_second == 0) return "the trace header gives a timer frequency of 0";
  if (out.clock.ticks_per_second > kMaxFrequency) {
    return "the trace header gives a timer frequency above 17 GHz";
  }
  f.timer_frequency = out.clock.ticks_per_second;
  std::size_t pos = utf16_string(payload, times + 32, f.logger_name);
  utf16_string(payload, pos, f.log_file_name);
  return nullptr;
}

}  // namespace fragreplay::trace::etl
