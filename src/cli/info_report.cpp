// What the text and JSON renderings of `fragreplay info` share (see info_report.hpp).
#include "cli/info_report.hpp"

#include <chrono>
#include <cstdio>

namespace fragreplay::cli {

std::uint64_t events_total(const InfoReport& d) {
  // Readers that count their records say how many; the others (native) have one per event.
  return d.facts->records != 0 ? d.facts->records : d.events.events + d.bad->count;
}

std::string filetime_utc(std::uint64_t ft) {
  using namespace std::chrono;
  constexpr std::int64_t kUnixEpoch = 11'644'473'600;  // seconds from 1601 to 1970
  const auto since_unix = static_cast<std::int64_t>(ft / 10'000'000) - kUnixEpoch;
  const sys_seconds t{seconds{since_unix}};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02lld:%02lld:%02lld.%03llu UTC",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long long>(hms.hours().count()),
                static_cast<long long>(hms.minutes().count()),
                static_cast<long long>(hms.seconds().count()),
                static_cast<unsigned long long>((ft / 10'000) % 1000));
  return buf;
}

}  // namespace fragreplay::cli
