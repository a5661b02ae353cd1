//===- Pages.cpp - Mapping and giving back the pages of large arrays ------===//
#include "Pages.h"

#include <sys/mman.h>
#include <unistd.h>

#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <utility>

using namespace gnn::detail;

/// Faulting fresh pages in from inside the kernels, on several threads at
/// once, measured several times slower than this one call (GCN on
/// rmat-18: its last kernel, which writes the 16 MiB output, took 7 ms
/// instead of 3.5; its first run, which also faults in the arena, 190 ms
/// instead of 42).
///
/// A large array is mapped in a chunk per thread, each a whole number of
/// 2 MiB pages: zeroing the pages is most of the cost, and it splits.
/// Measured on this project's 2-core machine, 2 GiB of huge pages: 230 ms
/// on one thread, 120 ms on two; 256 MiB (rmat-22's output): 28 ms, 15 ms.
void gnn::detail::prefault(void *p, size_t bytes) {
#ifdef MADV_POPULATE_WRITE
  constexpr size_t hugePage = size_t(2) << 20;
  int threads = omp_get_max_threads();
  if (threads > 1 && bytes >= 16 * hugePage && !omp_in_parallel()) {
    size_t chunk = (bytes / size_t(threads) + hugePage - 1) / hugePage * hugePage;
    bool failed = false;
#pragma omp parallel num_threads(threads) reduction(|| : failed)
    {
      size_t at = size_t(omp_get_thread_num()) * chunk;
      if (at < bytes && madvise(static_cast<char *>(p) + at,
                                std::min(chunk, bytes - at),
                                MADV_POPULATE_WRITE) != 0)
        failed = true;
    }
    if (!failed)
      return;
  } else if (madvise(p, bytes, MADV_POPULATE_WRITE) == 0) {
    return;
  }
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
