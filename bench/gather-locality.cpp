// What locality buys a message-passing gather on this machine, measured
// apart from the compiler: the sum over in-edges of F-float source rows
// (F = 64, GCN's hidden width), in plain OpenMP loops over the graph's CSR,
// with the same 2 MiB-aligned, huge-page arrays and source-row prefetches
// as gnnc's kernels. Variants:
//   whole          one pass, every in-edge of a target in CSR order;
//   features/K     K passes, each over F/K of the columns (feature tiling:
//                  each pass gathers a narrower table);
//   blocks/B       B passes, each over the in-edges from one block of
//                  sources, the sums kept in the output between passes
//                  (gather blocking);
//   degree ...     the same on the graph relabelled by descending
//                  out-degree (gnn-graph convert --reorder=degree).
// Each variant runs RUNS times; the fastest is printed with the row-gather
// rate. The sums are compared with the whole pass's (within 1e-4: blocks
// and tiles regroup nothing within a column but blocks reorder the terms).
//
//   gather-locality GRAPH [NUM_NODES] [THREADS] [RUNS]
#include "gnn/Graph.h"
#include "gnn/Tensor.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <numeric>
#include <string>
#include <vector>

namespace {

constexpr int F = 64;
constexpr int64_t kPrefetchEdges = 16; // 4 lines a row: 64 lines ahead

struct Csr {
  int64_t n = 0;
  std::vector<int64_t> offsets;
  std::vector<int32_t> sources;
};

Csr fromGraph(const gnn::Graph &g) {
  Csr c;
  c.n = g.numVertices();
  c.offsets.assign(g.offsets(), g.offsets() + c.n + 1);
  c.sources.assign(g.sources(), g.sources() + g.numEdges());
  return c;
}

/// The graph with vertex v renamed rank[v], each target's in-edges kept in
/// their order.
Csr relabel(const Csr &c, const std::vector<int32_t> &rank) {
  std::vector<int32_t> order(c.n);
  for (int64_t v = 0; v < c.n; ++v)
    order[rank[v]] = int32_t(v);
  Csr r;
  r.n = c.n;
  r.offsets.assign(c.n + 1, 0);
  for (int64_t i = 0; i < c.n; ++i)
    r.offsets[i + 1] = r.offsets[i] + (c.offsets[order[i] + 1] - c.offsets[order[i]]);
  r.sources.resize(c.sources.size());
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < c.n; ++i) {
    int64_t at = r.offsets[i];
    for (int64_t k = c.offsets[order[i]]; k < c.offsets[order[i] + 1]; ++k)
      r.sources[at++] = rank[c.sources[k]];
  }
  return r;
}

/// out[v][c0, c0 + W) = (out's own values when accumulating, else 0) plus
/// the sum of x[u][c0, c0 + W) over v's in-edges in (off, src).
template <int W>
void gather(const int64_t *off, const int32_t *src, int64_t n, const float *x,
            float *out, int c0, bool accumulate) {
  int64_t last = off[n] - 1;
#pragma omp parallel for schedule(dynamic, 4096)
  for (int64_t v = 0; v < n; ++v) {
    float acc[W];
    for (int j = 0; j < W; ++j)
      acc[j] = accumulate ? out[v * F + c0 + j] : 0.0f;
    for (int64_t k = off[v]; k < off[v + 1]; ++k) {
      const char *ahead = reinterpret_cast<const char *>(
          x + int64_t(src[std::min(k + kPrefetchEdges, last)]) * F + c0);
      for (int line = 0; line < W * 4; line += 64)
        __builtin_prefetch(ahead + line, 0, 3);
      const float *row = x + int64_t(src[k]) * F + c0;
      for (int j = 0; j < W; ++j)
        acc[j] += row[j];
    }
    for (int j = 0; j < W; ++j)
      out[v * F + c0 + j] = acc[j];
  }
}

void gatherColumns(const Csr &c, const float *x, float *out, int c0, int width) {
  const int64_t *off = c.offsets.data();
  const int32_t *src = c.sources.data();
  if (width == 64)
    gather<64>(off, src, c.n, x, out, c0, false);
  else if (width == 32)
    gather<32>(off, src, c.n, x, out, c0, false);
  else
    gather<16>(off, src, c.n, x, out, c0, false);
}

/// The in-edges split by source block, as gnnc's runtime splits them.
std::vector<Csr> splitBlocks(const Csr &c, int blocks) {
  int64_t rows = (c.n + blocks - 1) / blocks;
  std::vector<Csr> out(blocks);
  for (Csr &b : out) {
    b.n = c.n;
    b.offsets.assign(c.n + 1, 0);
  }
  for (int64_t v = 0; v < c.n; ++v)
    for (int64_t k = c.offsets[v]; k < c.offsets[v + 1]; ++k)
      ++out[c.sources[k] / rows].offsets[v + 1];
  for (Csr &b : out) {
    for (int64_t v = 0; v < c.n; ++v)
      b.offsets[v + 1] += b.offsets[v];
    b.sources.resize(b.offsets[c.n]);
  }
  std::vector<std::vector<int64_t>> cursor(blocks);
  for (int i = 0; i < blocks; ++i)
    cursor[i].assign(out[i].offsets.begin(), out[i].offsets.end() - 1);
  for (int64_t v = 0; v < c.n; ++v)
    for (int64_t k = c.offsets[v]; k < c.offsets[v + 1]; ++k) {
      int i = int(c.sources[k] / rows);
      out[i].sources[cursor[i][v]++] = c.sources[k];
    }
  return out;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: gather-locality GRAPH [NUM_NODES] [THREADS] [RUNS]\n");
    return 2;
  }
  int64_t n = argc > 2 ? std::atoll(argv[2]) : -1;
  int threads = argc > 3 ? std::atoi(argv[3]) : 2;
  int runs = argc > 4 ? std::atoi(argv[4]) : 3;
  omp_set_num_threads(threads);
  if (n < 0) {
    llvm::Expected<int64_t> counted = gnn::countVertices(argv[1]);
    if (!counted) {
      std::fprintf(stderr, "%s\n", llvm::toString(counted.takeError()).c_str());
      return 1;
    }
    n = *counted;
  }
  llvm::Expected<gnn::Graph> graph = gnn::loadGraph(argv[1], n);
  if (!graph) {
    std::fprintf(stderr, "%s\n", llvm::toString(graph.takeError()).c_str());
    return 1;
  }
  Csr whole = fromGraph(*graph);
  int64_t edges = int64_t(whole.sources.size());
  gnn::AlignedArray<float> x(size_t(n) * F), out(size_t(n) * F), expected(size_t(n) * F);
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n * F; ++i)
    x.data()[i] = float((i * 2654435761u) % 1000) * 1e-3f;

  auto measure = [&](const char *name, const std::function<void()> &run,
                     bool check) {
    double best = 1e30;
    for (int r = 0; r < runs; ++r) {
      auto t = std::chrono::steady_clock::now();
      run();
      best = std::min(best, std::chrono::duration<double>(
                                std::chrono::steady_clock::now() - t).count());
    }
    double worst = 0;
    if (check)
      for (int64_t i = 0; i < n * F; ++i)
        worst = std::max(worst, double(std::fabs(out.data()[i] - expected.data()[i])) /
                                    std::max(1.0, double(std::fabs(expected.data()[i]))));
    std::printf("%-22s %8.3f s  %7.1f M rows/s  %6.2f GB/s of rows%s\n", name, best,
                edges / best / 1e6, edges * F * 4.0 / best / 1e9,
                check && worst > 1e-4 ? "  WRONG SUMS" : "");
    std::fflush(stdout);
  };

  std::printf("graph %s: %lld vertices, %lld edges, %d threads, rows of %d floats "
              "(table %.0f MiB), best of %d\n",
              argv[1], (long long)n, (long long)edges, threads, F,
              n * F * 4.0 / (1 << 20), runs);
  for (const char *order : {"", "degree "}) {
    Csr c = whole;
    if (*order) {
      std::vector<int64_t> degree(n, 0);
      for (int32_t u : whole.sources)
        ++degree[u];
      std::vector<int32_t> byDegree(n);
      std::iota(byDegree.begin(), byDegree.end(), 0);
      std::stable_sort(byDegree.begin(), byDegree.end(),
                       [&](int32_t a, int32_t b) { return degree[a] > degree[b]; });
      std::vector<int32_t> rank(n);
      for (int64_t i = 0; i < n; ++i)
        rank[byDegree[i]] = int32_t(i);
      c = relabel(whole, rank);
    }
    gatherColumns(c, x.data(), expected.data(), 0, F);
    std::string name = std::string(order) + "whole";
    measure(name.c_str(), [&] { gatherColumns(c, x.data(), out.data(), 0, F); }, false);
    for (int tiles : {2, 4}) {
      name = std::string(order) + "features/" + std::to_string(tiles);
      measure(name.c_str(), [&] {
        for (int t = 0; t < tiles; ++t)
          gatherColumns(c, x.data(), out.data(), t * F / tiles, F / tiles);
      }, true);
    }
    for (int blocks : {2, 4, 8, 16}) {
      std::vector<Csr> split = splitBlocks(c, blocks);
      name = std::string(order) + "blocks/" + std::to_string(blocks);
      measure(name.c_str(), [&] {
        for (int b = 0; b < blocks; ++b)
          gather<F>(split[b].offsets.data(), split[b].sources.data(), n, x.data(),
                    out.data(), 0, b > 0);
      }, true);
    }
  }
  return 0;
}
