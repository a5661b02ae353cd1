// prefault (runtime/Pages.h) against the kernel's own account of which
// pages are mapped (mincore), for an array small enough for one call and
// one large enough to be split between threads.
#include "runtime/Pages.h"

#include "gnn/Tensor.h"

#include "gtest/gtest.h"

#include <omp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <vector>

using namespace gnn;

namespace {

/// How many of the pages of [p, p + bytes) are resident.
size_t residentPages(const void *p, size_t bytes) {
  size_t page = size_t(sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> resident((bytes + page - 1) / page);
  EXPECT_EQ(mincore(const_cast<void *>(p), bytes, resident.data()), 0);
  size_t count = 0;
  for (unsigned char r : resident)
    count += r & 1;
  return count;
}

TEST(Pages, PrefaultMapsEveryPageOnOneThreadOrSeveral) {
  size_t page = size_t(sysconf(_SC_PAGESIZE));
  for (int threads : {1, 2, 3})
    for (size_t mib : {1, 70}) {
      SCOPED_TRACE(std::to_string(threads) + " threads, " +
                   std::to_string(mib) + " MiB");
      omp_set_num_threads(threads);
      size_t bytes = mib << 20;
      AlignedArray<float> array(bytes / sizeof(float));
      detail::prefault(array.data(), bytes);
      // The whole pages inside the array (a small one is only 64-byte
      // aligned: prefault then writes a byte per page).
      uintptr_t begin = (reinterpret_cast<uintptr_t>(array.data()) + page - 1) /
                        page * page;
      uintptr_t end =
          (reinterpret_cast<uintptr_t>(array.data()) + bytes) / page * page;
      EXPECT_EQ(residentPages(reinterpret_cast<void *>(begin), end - begin),
                (end - begin) / page);
    }
  omp_set_num_threads(omp_get_num_procs());
}

} // namespace
