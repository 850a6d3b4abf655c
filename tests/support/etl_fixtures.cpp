// The pool-event ETL fixtures (see etl_fixtures.hpp). What each holds is spelt out in the tests
// that read them (tests/unit/trace/etl_reader_test.cpp).
#include "etl_fixtures.hpp"

#include <stdexcept>

#include "etl_writer.hpp"

namespace fragreplay::testing {
namespace {

constexpr std::uint8_t kPool = 0x0E;
constexpr std::uint8_t kThread = 0x05;

// 64-bit: CPU 1's buffers come first in the file though CPU 0 logged the first events; CPU 0's
// second buffer is compressed.
std::string pool_x64() {
  EtlFileOptions o;
  o.pointer_size = 8;
  o.cpus = 2;
  EtlFile f(o);
  const std::string guid("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10", 16);
  // CPU 1, first buffer: a big-pool rundown entry, an alloc with process and thread, a page.
  f.add_buffer(1,
               {perfinfo_record(true, kPool, 0x2a, 1020,
                                pool_payload(8, 0x10000200, "Nic ", 8192, 0xfffffa8000400000)),
                system_record(true, kPool, 0x20, 1150,
                              pool_payload(8, 0x1 | 0x8, "NicB", 4096, 0xfffff8a000600000), 68, 4),
                perfinfo_record(true, kPool, 0x24, 1200,
                                pool_payload(8, 0x0, "NicP", 4096, 0xfffffa8000500000))});
  // CPU 1, second buffer: a session alloc, a free, the end rundown, a manifest event.
  f.add_buffer(1, {perfinfo_record(true, kPool, 0x21, 1300,
                                   pool_payload(8, 0x1, "Gses", 64, 0xfffff90000700000, 1)),
                   perfinfo_record(true, kPool, 0x22, 1400,
                                   pool_payload(8, 0x200, "NicP", 100, 0xfffffa8000500000)),
                   perfinfo_record(true, kPool, 0x29, 1500,
                                   pool_payload(8, 0x1, "NicB", 4096, 0xfffff8a000600000)),
                   event_header_record(true, guid, 1510, "payload")});
  // CPU 0, first buffer: the rundown of two small allocations, a thread event, an alloc.
  f.add_buffer(
      0, {perfinfo_record(true, kPool, 0x28, 1010,
                          pool_payload(8, 0x0, "Irp ", 512, 0xfffffa8000100000) +
                              pool_payload(8, 0x1, "Ntfx", 100, 0xfffff8a000200000)),
          system_record(true, kThread, 0x01, 1050, std::string(48, '\0'), 68, 4),
          compact_record(true, kPool, 0x20, 1100,
                         pool_payload(8, 0x200 | 0x10, "NicP", 100, 0xfffffa8000500000), 72, 4)});
  // CPU 0, second buffer, compressed: frees (one of a rundown allocation), a failed alloc.
  f.add_buffer(0,
               {perfinfo_record(true, kPool, 0x22, 1250,
                                pool_payload(8, 0x0, "Irp ", 512, 0xfffffa8000100000)),
                perfinfo_record(true, kPool, 0x23, 1350,
                                pool_payload(8, 0x21, "Gses", 64, 0xfffff90000700000, 1)),
                perfinfo_record(true, kPool, 0x20, 1450,
                                pool_payload(8, 0x0, "Fail", std::uint64_t{1} << 30, 0))},
               /*compressed=*/true);
  return f.bytes();
}

// 32-bit: the same story with 4-byte pointers, on three CPUs, plain buffers.
std::string pool_x86() {
  EtlFileOptions o;
  o.pointer_size = 4;
  o.cpus = 3;
  o.os_build = 2600;
  o.os_major = 5;
  o.os_minor = 1;
  o.header_time = 5000;
  o.perf_freq = 3'579'545;  // the ACPI PM timer
  EtlFile f(o);
  f.add_buffer(
      2, {perfinfo_record(false, kPool, 0x20, 5300, pool_payload(4, 0x0, "Mdl ", 200, 0x89a01000)),
          perfinfo_record(false, kPool, 0x23, 5600,
                          pool_payload(4, 0x21, "Gses", 48, 0xbe801000, 2))});
  f.add_buffer(
      0,
      {perfinfo_record(false, kPool, 0x28, 5100, pool_payload(4, 0x1, "CM  ", 1000, 0xe1002000)),
       perfinfo_record(false, kPool, 0x21, 5200, pool_payload(4, 0x1, "Gses", 48, 0xbe801000, 2))});
  f.add_buffer(1, {compact_record(false, kPool, 0x22, 5400,
                                  pool_payload(4, 0x1, "CM  ", 1000, 0xe1002000), 8, 4),
                   perfinfo_record(false, kPool, 0x22, 5500,
                                   pool_payload(4, 0x0, "Mdl ", 200, 0x89a01000))});
  return f.bytes();
}

}  // namespace

std::vector<EtlFixture> etl_fixtures() {
  std::vector<EtlFixture> all;
  all.push_back({"pool-x64.etl", pool_x64()});
  all.push_back({"pool-x86.etl", pool_x86()});
  // The 64-bit trace cut in the middle of its last buffer.
  const std::string x64 = pool_x64();
  all.push_back({"pool-x64-truncated.etl", x64.substr(0, x64.size() - 40)});
  return all;
}

std::string etl_fixture(const std::string& name) {
  for (auto& f : etl_fixtures()) {
    if (f.name == name) return f.bytes;
  }
  throw std::invalid_argument("no ETL fixture " + name);
}

}  // namespace fragreplay::testing
