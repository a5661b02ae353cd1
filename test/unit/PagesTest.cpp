// prefault (runtime/Pages.h) against the kernel's own account of which
// pages are mapped (mincore), on fresh anonymous memory: ranges small
// enough for one call and large enough to be split between threads, from
// a page boundary and from 64 bytes past one (an arena slot's alignment).
#include "runtime/Pages.h"

#include "gtest/gtest.h"

#include <omp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace {

/// How many of the pages of [p, p + bytes) (p page-aligned) are resident.
size_t residentPages(const char *p, size_t bytes) {
  size_t page = size_t(sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> resident((bytes + page - 1) / page);
  EXPECT_EQ(mincore(const_cast<char *>(p), bytes, resident.data()), 0);
  size_t count = 0;
  for (unsigned char r : resident)
    count += r & 1;
  return count;
}

TEST(Pages, PrefaultMapsEveryPageOnOneThreadOrSeveral) {
  size_t page = size_t(sysconf(_SC_PAGESIZE));
  int saved = omp_get_max_threads();
  for (int threads : {1, 2, 3})
    for (size_t mib : {1, 70})
      for (size_t offset : {size_t(0), size_t(64)}) {
        SCOPED_TRACE(std::to_string(threads) + " threads, " +
                     std::to_string(mib) + " MiB from +" +
                     std::to_string(offset));
        omp_set_num_threads(threads);
        size_t bytes = mib << 20;
        void *map = mmap(nullptr, bytes + page, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        ASSERT_NE(map, MAP_FAILED);
        char *base = static_cast<char *>(map);
        ASSERT_EQ(residentPages(base, bytes + page), 0u); // fresh
        gnn::detail::prefault(base + offset, bytes - offset);
        // Every page the range touches, the first partial one included.
        size_t touched = (offset + (bytes - offset) + page - 1) / page;
        EXPECT_EQ(residentPages(base, touched * page), touched);
        munmap(map, bytes + page);
      }
  omp_set_num_threads(saved);
}

} // namespace
