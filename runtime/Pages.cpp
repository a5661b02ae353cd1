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
/// A large array is mapped in chunks of 2 MiB multiples, one call each,
/// spread over the threads: zeroing the pages is most of the cost, and it
/// splits. Measured on this project's 2-core machine, 2 GiB of huge pages:
/// 230 ms on one thread, 120 ms on two; 256 MiB (rmat-22's output): 28 ms,
/// 15 ms.
static void touchPages(char *p, size_t bytes) {
  // Kernels before Linux 5.14, or a range madvise refuses: one write per
  // page.
  auto *bytesOf = static_cast<volatile char *>(p);
  for (size_t at = 0; at < bytes; at += 4096)
    bytesOf[at] = 0;
}

static void populate(char *p, size_t bytes) {
#ifdef MADV_POPULATE_WRITE
  if (madvise(p, bytes, MADV_POPULATE_WRITE) == 0)
    return;
#endif
  touchPages(p, bytes);
}

void gnn::detail::prefault(void *pointer, size_t bytes) {
  constexpr size_t hugePage = size_t(2) << 20;
  char *p = static_cast<char *>(pointer);
  int threads = omp_get_max_threads();
  // madvise takes page-aligned ranges: the head before the first page
  // boundary (an arena slot is only 64-byte aligned) is written by hand.
  static const uintptr_t page = uintptr_t(sysconf(_SC_PAGESIZE));
  char *aligned = reinterpret_cast<char *>(
      (reinterpret_cast<uintptr_t>(p) + page - 1) / page * page);
  size_t head = std::min(bytes, size_t(aligned - p));
  if (head)
    touchPages(p, head);
  bytes -= head;
  if (threads <= 1 || bytes < 16 * hugePage || omp_in_parallel()) {
    if (bytes)
      populate(aligned, bytes);
    return;
  }
  size_t chunk = (bytes / size_t(threads) + hugePage - 1) / hugePage * hugePage;
  int64_t chunks = int64_t((bytes + chunk - 1) / chunk);
  // A loop over the chunks, not one per thread: a team granted fewer
  // threads than asked still maps them all.
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t c = 0; c < chunks; ++c) {
    size_t at = size_t(c) * chunk;
    populate(aligned + at, std::min(chunk, bytes - at));
  }
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
