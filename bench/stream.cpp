// Memory-bandwidth limits of this machine for bench/: STREAM's triad,
// a read-only sum, and a random row gather (what message passing does).
//
//   stream [--mib M] [--reps R] [--ladder-max-mib L]   prints one JSON object
//
// Arrays are far larger than the last-level cache and first-touched by the
// threads that use them. Triad counts 24 bytes per element as STREAM does
// (write-allocate traffic not counted). Threads: OMP_NUM_THREADS.
//
// The cache ladder: the same prefetched random gather of 256-byte rows
// from tables of 2 MiB, 4 MiB, ... up to L MiB (default 1024; 0: none),
// each a 2 MiB-aligned allocation advised as huge pages
// (madvise(MADV_HUGEPAGE)), as the gnnc runtime's large arrays are. Rows
// per second at each size is what bounds a message-passing stage whose
// source rows are spread over a table of that size: one that gathers E
// rows at random from it cannot take less than E / rate.
#include <omp.h>
#include <sys/mman.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

namespace {

double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct Result {
  double best = 0, median = 0;  // GB/s
};

template <typename Fn>
Result measure(int reps, double bytes, Fn fn) {
  std::vector<double> rates;
  fn();  // warm-up
  for (int r = 0; r < reps; ++r) {
    double t = now();
    fn();
    rates.push_back(bytes / (now() - t) / 1e9);
  }
  std::sort(rates.begin(), rates.end());
  return {rates.back(), rates[rates.size() / 2]};
}

typedef float v16 __attribute__((vector_size(64)));

/// Random gathers of GATHERS 64-float rows (256 bytes) from a table of
/// ROWS rows, uniform row ids drawn up front, software prefetch 16 rows
/// ahead, every row summed into vector accumulators (so none is
/// optimised away). GB/s counts 256 bytes a row.
Result gatherRate(const float *table, size_t rows, size_t gathers, int reps, double &sink) {
  const size_t width = 64;
  std::vector<uint32_t> index(gathers);
  std::mt19937_64 rng(1);
  for (auto &v : index) v = uint32_t(rng() % rows);
  return measure(reps, double(gathers) * width * sizeof(float), [&] {
    double total = 0;
#pragma omp parallel reduction(+ : total)
    {
      v16 acc0 = {}, acc1 = {}, acc2 = {}, acc3 = {};
#pragma omp for schedule(static)
      for (size_t i = 0; i < gathers; ++i) {
        if (i + 16 < gathers) {
          const char *ahead = reinterpret_cast<const char *>(table + size_t(index[i + 16]) * width);
          for (int line = 0; line < 4; ++line) __builtin_prefetch(ahead + 64 * line);
        }
        const float *row = table + size_t(index[i]) * width;
        v16 r0, r1, r2, r3;
        std::memcpy(&r0, row, 64);
        std::memcpy(&r1, row + 16, 64);
        std::memcpy(&r2, row + 32, 64);
        std::memcpy(&r3, row + 48, 64);
        acc0 += r0;
        acc1 += r1;
        acc2 += r2;
        acc3 += r3;
      }
      for (int k = 0; k < 16; ++k) total += acc0[k] + acc1[k] + acc2[k] + acc3[k];
    }
    sink += total;
  });
}

}  // namespace

int main(int argc, char **argv) {
  size_t mib = 256;  // per array
  int reps = 10;
  size_t ladderMax = 1024;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--mib")) mib = std::strtoull(argv[i + 1], nullptr, 10);
    else if (!std::strcmp(argv[i], "--reps")) reps = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--ladder-max-mib")) ladderMax = std::strtoull(argv[i + 1], nullptr, 10);
  }
  const size_t n = mib * (size_t(1) << 20) / sizeof(double);  // mib: a multiple of 2
  // 2 MiB-aligned, so that the gather's table can be backed by huge pages.
  const size_t bytes = n * sizeof(double);
  double *a = static_cast<double *>(std::aligned_alloc(size_t(2) << 20, bytes));
  double *b = static_cast<double *>(std::aligned_alloc(size_t(2) << 20, bytes));
  double *c = static_cast<double *>(std::aligned_alloc(size_t(2) << 20, bytes));
  madvise(c, bytes, MADV_HUGEPAGE);
#pragma omp parallel for schedule(static)
  for (size_t i = 0; i < n; ++i) {
    a[i] = 1.0;
    b[i] = 2.0;
    c[i] = 0.5;
  }
  const double s = 3.0;

  Result triad = measure(reps, 3.0 * sizeof(double) * n, [&] {
#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < n; ++i) a[i] = b[i] + s * c[i];
  });

  // Four independent vector sums: a plain `sum += b[i]` is bound by the
  // latency of one add chain, not by memory.
  typedef double v8 __attribute__((vector_size(64)));
  double sink = 0;
  Result read = measure(reps, 1.0 * sizeof(double) * n, [&] {
    double sum = 0;
#pragma omp parallel reduction(+ : sum)
    {
      v8 s0 = {}, s1 = {}, s2 = {}, s3 = {};
#pragma omp for schedule(static)
      for (size_t i = 0; i < n / 32; ++i) {
        v8 r[4];
        std::memcpy(r, b + 32 * i, sizeof(r));
        s0 += r[0];
        s1 += r[1];
        s2 += r[2];
        s3 += r[3];
      }
      for (int k = 0; k < 8; ++k) sum += s0[k] + s1[k] + s2[k] + s3[k];
    }
    sink += sum;
  });

  // Random gathers of 64-float rows (256 bytes, a GCN hidden layer's row)
  // from a table as large as one array, with software prefetch a few rows
  // ahead, as a well-written message-passing loop would: bytes = rows * 256.
  // The table is advised as huge pages, as the gnnc runtime does.
  const size_t width = 64;
  const size_t rows = n * sizeof(double) / (width * sizeof(float));
  Result gather = gatherRate(reinterpret_cast<float *>(c), rows, rows, reps, sink);

  // The cache ladder: a fresh huge-page table per size, first-touched by
  // the threads; as many gathers at every size (8M rows, 2 GiB), so each
  // timing is long enough to read.
  std::vector<std::pair<size_t, Result>> ladder;
  for (size_t tmib = 2; ladderMax && tmib <= ladderMax; tmib *= 2) {
    const size_t tbytes = tmib << 20;
    float *t = static_cast<float *>(std::aligned_alloc(size_t(2) << 20, tbytes));
    madvise(t, tbytes, MADV_HUGEPAGE);
    const size_t trows = tbytes / (width * sizeof(float));
#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < tbytes / sizeof(float); ++i) t[i] = 1.0f;
    ladder.push_back({tmib, gatherRate(t, trows, size_t(1) << 23, std::max(3, reps / 2), sink)});
    std::free(t);
  }

  std::printf(
      "{\"threads\": %d, \"array_mib\": %zu, \"reps\": %d,\n"
      " \"triad_gbs\": %.2f, \"triad_median_gbs\": %.2f,\n"
      " \"read_gbs\": %.2f, \"read_median_gbs\": %.2f,\n"
      " \"gather256_gbs\": %.2f, \"gather256_median_gbs\": %.2f,\n"
      " \"ladder\": [",
      omp_get_max_threads(), mib, reps, triad.best, triad.median, read.best,
      read.median, gather.best, gather.median);
  for (size_t i = 0; i < ladder.size(); ++i) {
    const Result &r = ladder[i].second;
    std::printf("%s{\"table_mib\": %zu, \"row_bytes\": 256, \"gbs\": %.2f, \"median_gbs\": %.2f, "
                "\"mrows_s\": %.1f, \"median_mrows_s\": %.1f}",
                i ? ",\n   " : "", ladder[i].first, r.best, r.median, r.best * 1e3 / 256,
                r.median * 1e3 / 256);
  }
  std::printf("],\n \"checksum\": %.6g}\n", sink);
  std::free(a);
  std::free(b);
  std::free(c);
  return 0;
}
