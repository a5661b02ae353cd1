//===- Pages.cpp - Mapping and giving back the pages of large arrays ------===//
#include "Pages.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <utility>

using namespace gnn::detail;

/// Faulting fresh pages in from inside the kernels, on several threads at
/// once, measured several times slower than this one call (GCN on
/// rmat-18: its last kernel, which writes the 16 MiB output, took 7 ms
/// instead of 3.5; its first run, which also faults in the arena, 190 ms
/// instead of 42).
void gnn::detail::prefault(void *p, size_t bytes) {
#ifdef MADV_POPULATE_WRITE
  if (madvise(p, bytes, MADV_POPULATE_WRITE) == 0)
    return;
#endif
  // Kernels before Linux 5.14: one write per page.
  auto *bytesOf = static_cast<volatile char *>(p);
  for (size_t at = 0; at < bytes; at += 4096)
    bytesOf[at] = 0;
}

/// The whole pages inside [p, p + bytes), or {nullptr, 0} if none.
static std::pair<void *, size_t> wholePages(const void *p, size_t bytes) {
  static const uintptr_t page = uintptr_t(sysconf(_SC_PAGESIZE));
  uintptr_t begin = (uintptr_t(p) + page - 1) / page * page;
  uintptr_t end = (uintptr_t(p) + bytes) / page * page;
  if (end <= begin)
    return {nullptr, 0};
  return {reinterpret_cast<void *>(begin), end - begin};
}

void gnn::detail::dropPages(const void *p, size_t bytes) {
  auto [at, size] = wholePages(p, bytes);
  if (size)
    madvise(at, size, MADV_DONTNEED);
}

void gnn::detail::pageOut(const void *p, size_t bytes) {
#ifdef MADV_PAGEOUT
  auto [at, size] = wholePages(p, bytes);
  if (size)
    madvise(at, size, MADV_PAGEOUT);
#else
  (void)p, (void)bytes;
#endif
}
