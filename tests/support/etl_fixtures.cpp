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

// Stacks and images (docs/formats.md §10, docs/attribution.md §2), on 64 or 32 bits. The images:
// the kernel, tcpip.sys and nicdrv.sys in kernel space, one user-space image. Allocations (thread
// 68, process 4), each followed by its StackWalk:
//   t+100 NicB 1000 B  nt, nt, nicdrv+0x1234, tcpip+0x5000   caller nicdrv.sys+0x1234
//   t+200 NicB 2000 B  the same stack                         (same row)
//   t+300 TcpE  300 B  nt, tcpip+0x5000, nt, a user frame     caller tcpip.sys+0x5000
//   t+400 ObjT  200 B  nt, nt+0x4000, nt+0x5000               kernel only: nt+0x5000
//   t+500 Unkn  100 B  nt, a frame in no image, tcpip         caller the bare address
//   t+600 NicB  500 B  no stack                               module from the tag's owner
// then a free of the second allocation with its stack, a stack whose pool event was lost
// (t+650), and the end rundown naming the kernel again. CPU 1's buffer is compressed.
std::string pool_stacks(bool is64) {
  const std::size_t ptr = is64 ? 8 : 4;
  EtlFileOptions o;
  o.pointer_size = ptr;
  o.cpus = 2;
  EtlFile f(o);
  const std::uint64_t nt = is64 ? 0xfffff80000000000 : 0x80400000;
  const std::uint64_t tcpip = is64 ? 0xfffff88001000000 : 0x8a000000;
  const std::uint64_t nic = is64 ? 0xfffff88002000000 : 0x8b000000;
  const std::uint64_t nowhere = is64 ? 0xfffff88009999990 : 0x8f999990;
  const std::uint64_t user = is64 ? 0x7ff600001000 : 0x00401000;
  const std::uint64_t pool = is64 ? 0xfffffa8000100000 : 0x89100000;
  constexpr std::uint8_t kImage = 0x14, kStackWalk = 0x18;
  auto image = [&](std::uint8_t type, std::uint64_t t, std::uint64_t base, std::uint64_t size,
                   std::uint32_t pid, const char* path) {
    return system_record(is64, kImage, type, t, image_payload(ptr, base, size, pid, path), 0, pid);
  };
  auto alloc = [&](std::uint64_t t, const char* tag, std::uint64_t bytes, std::uint64_t at) {
    return system_record(is64, kPool, 0x20, t, pool_payload(ptr, 0x0, tag, bytes, at), 68, 4);
  };
  auto stack = [&](std::uint64_t t, const std::vector<std::uint64_t>& frames) {
    return perfinfo_record(is64, kStackWalk, 0x20, t, stack_walk_payload(ptr, t, 4, 68, frames));
  };
  const std::vector<std::uint64_t> nic_stack{nt + 0x1000, nt + 0x2000, nic + 0x1234,
                                             tcpip + 0x5000};
  f.add_buffer(0,
               {image(3, 1010, nt, 0x800000, 0, "\\SystemRoot\\system32\\ntoskrnl.exe"),
                image(3, 1011, tcpip, 0x200000, 0, "\\SystemRoot\\System32\\drivers\\tcpip.sys"),
                image(3, 1012, nic, 0x100000, 0, "\\SystemRoot\\System32\\drivers\\nicdrv.sys"),
                image(10, 1013, is64 ? 0x7ff600000000 : 0x00400000, 0x10000, 1234, "C:\\app.exe"),
                alloc(1100, "NicB", 1000, pool), stack(1100, nic_stack),
                alloc(1200, "NicB", 2000, pool + 0x1000), stack(1200, nic_stack),
                alloc(1300, "TcpE", 300, pool + 0x2000),
                stack(1300, {nt + 0x1000, tcpip + 0x5000, nt + 0x3000, user})});
  f.add_buffer(
      1,
      {alloc(1400, "ObjT", 200, pool + 0x3000),
       stack(1400, {nt + 0x1000, nt + 0x4000, nt + 0x5000}),
       alloc(1500, "Unkn", 100, pool + 0x4000), stack(1500, {nt + 0x1000, nowhere, tcpip + 0x6000}),
       alloc(1600, "NicB", 500, pool + 0x5000),
       system_record(is64, kPool, 0x22, 1620, pool_payload(ptr, 0x0, "NicB", 2000, pool + 0x1000),
                     68, 4),
       stack(1620, {nt + 0x7000, nic + 0x2000}), stack(1650, {nt + 0x1000, nic + 0x3000}),
       image(4, 1700, nt, 0x800000, 0, "\\SystemRoot\\system32\\ntoskrnl.exe")},
      /*compressed=*/true);
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
  all.push_back({"pool-stacks-x64.etl", pool_stacks(true)});
  all.push_back({"pool-stacks-x86.etl", pool_stacks(false)});
  return all;
}

std::string etl_fixture(const std::string& name) {
  for (auto& f : etl_fixtures()) {
    if (f.name == name) return f.bytes;
  }
  throw std::invalid_argument("no ETL fixture " + name);
}

}  // namespace fragreplay::testing
