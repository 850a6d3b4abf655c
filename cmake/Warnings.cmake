# Warning and sanitizer settings live on INTERFACE targets, never on global flags, so every
# library and test opts in explicitly (fmtlib/cmake_template habit).
add_library(fragreplay_warnings INTERFACE)
target_compile_options(fragreplay_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wnon-virtual-dtor
  -Wold-style-cast -Woverloaded-virtual -Wimplicit-fallthrough
  $<$<BOOL:${FRAGREPLAY_WERROR}>:-Werror>
  # GCC 12 at -O3 reports std::string's own operator+ as an overlapping memcpy (GCC bug 105329);
  # the check stays on in every other build type, which catch a real overlap as well.
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<CONFIG:Release>>:-Wno-restrict>)

add_library(fragreplay_sanitizers INTERFACE)
if(FRAGREPLAY_SANITIZE)
  target_compile_options(fragreplay_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -O1)
  target_link_options(fragreplay_sanitizers INTERFACE -fsanitize=address,undefined)
endif()

add_library(fragreplay_options INTERFACE)
target_compile_features(fragreplay_options INTERFACE cxx_std_20)
target_link_libraries(fragreplay_options INTERFACE fragreplay_warnings fragreplay_sanitizers)

# Coverage instrumentation for libFuzzer (clang only; scripts/fuzz sets it): every library, so the
# fuzz targets in tests/fuzz learn from the readers' branches.
option(FRAGREPLAY_FUZZ "Instrument everything for the libFuzzer targets (clang)" OFF)
if(FRAGREPLAY_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "FRAGREPLAY_FUZZ needs clang (CXX=clang++)")
  endif()
  target_compile_options(fragreplay_sanitizers INTERFACE -fsanitize=fuzzer-no-link)
endif()
