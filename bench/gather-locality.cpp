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
//                  (gather blocking); for B = 2 also each pass alone,
//                  with its share of the in-edges and its time an edge;
//   degree ...     the same on the graph renumbered by descending
//                  out-degree (gnn/Reorder.h, as gnn-graph convert
//                  --reorder=degree does it);
//   degree+sorted  whole, on that graph with each vertex's in-edges
//                  sorted by source (gnn::sortInEdges, as convert
//                  --sort-in-edges does it).
// Each variant runs RUNS times; the fastest is printed with the row-gather
// rate. The sums are compared with the whole pass's (within 1e-4: blocks
// and tiles regroup nothing within a column but blocks and sorting
// reorder the terms).
//
//   gather-locality GRAPH [NUM_NODES] [THREADS] [RUNS]
#include "gnn/Graph.h"
#include "gnn/Reorder.h"
#include "gnn/Tensor.h"
#include "runtime/GatherBlocking.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace {

constexpr int F = 64;
constexpr int64_t kPrefetchEdges = 16; // 4 lines a row: 64 lines ahead

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

void gatherColumns(const gnn::Graph &g, const float *x, float *out, int c0,
                   int width) {
  const int64_t *off = g.offsets();
  const int32_t *src = g.sources();
  if (width == 64)
    gather<64>(off, src, g.numVertices(), x, out, c0, false);
  else if (width == 32)
    gather<32>(off, src, g.numVertices(), x, out, c0, false);
  else
    gather<16>(off, src, g.numVertices(), x, out, c0, false);
}

template <typename T> T exitOnError(llvm::Expected<T> value) {
  if (!value) {
    std::fprintf(stderr, "%s\n", llvm::toString(value.takeError()).c_str());
    std::exit(1);
  }
  return std::move(*value);
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
  if (n < 0)
    n = exitOnError(gnn::countVertices(argv[1]));
  auto graph = std::make_unique<gnn::Graph>(exitOnError(gnn::loadGraph(argv[1], n)));
  int64_t edges = graph->numEdges();
  gnn::AlignedArray<float> x(size_t(n) * F), out(size_t(n) * F), expected(size_t(n) * F);
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n * F; ++i) { // every page mapped before timing
    x.data()[i] = float((i * 2654435761u) % 1000) * 1e-3f;
    out.data()[i] = expected.data()[i] = 0;
  }

  // The fastest of `runs` calls of `run`, in seconds.
  auto bestOf = [&](const std::function<void()> &run) {
    double best = 1e30;
    for (int r = 0; r < runs; ++r) {
      auto t = std::chrono::steady_clock::now();
      run();
      best = std::min(best, std::chrono::duration<double>(
                                std::chrono::steady_clock::now() - t).count());
    }
    return best;
  };
  auto measure = [&](const std::string &name, const std::function<void()> &run,
                     bool check) {
    double best = bestOf(run);
    double worst = 0;
    if (check)
      for (int64_t i = 0; i < n * F; ++i)
        worst = std::max(worst, double(std::fabs(out.data()[i] - expected.data()[i])) /
                                    std::max(1.0, double(std::fabs(expected.data()[i]))));
    std::printf("%-22s %8.3f s  %7.1f M rows/s  %6.2f GB/s of rows%s\n", name.c_str(),
                best, edges / best / 1e6, edges * F * 4.0 / best / 1e9,
                check && worst > 1e-4 ? "  WRONG SUMS" : "");
    std::fflush(stdout);
  };

  std::printf("graph %s: %lld vertices, %lld edges, %d threads, rows of %d floats "
              "(table %.0f MiB), best of %d\n",
              argv[1], (long long)n, (long long)edges, threads, F,
              n * F * 4.0 / (1 << 20), runs);
  for (gnn::VertexOrder order : {gnn::VertexOrder::None, gnn::VertexOrder::Degree}) {
    // The graph renumbered as gnn-graph convert --reorder does it.
    gnn::Graph g = exitOnError(gnn::permuteGraph(
        *graph, exitOnError(gnn::computeVertexOrder(*graph, order))));
    std::string prefix = order == gnn::VertexOrder::None
                             ? ""
                             : std::string(gnn::vertexOrderName(order)) + " ";
    gatherColumns(g, x.data(), expected.data(), 0, F);
    measure(prefix + "whole", [&] { gatherColumns(g, x.data(), out.data(), 0, F); },
            false);
    for (int tiles : {2, 4})
      measure(prefix + "features/" + std::to_string(tiles), [&] {
        for (int t = 0; t < tiles; ++t)
          gatherColumns(g, x.data(), out.data(), t * F / tiles, F / tiles);
      }, true);
    if (order == gnn::VertexOrder::Degree) {
      gnn::Graph sorted = exitOnError(gnn::sortInEdges(g));
      measure("degree+sorted whole",
              [&] { gatherColumns(sorted, x.data(), out.data(), 0, F); }, true);
    }
    for (int blocks : {2, 4, 8, 16}) {
      // As gnnc's runtime splits them (runtime/GatherBlocking.h).
      gnn::detail::SourceBlocks split = gnn::detail::splitSources(g, blocks, threads);
      measure(prefix + "blocks/" + std::to_string(blocks), [&] {
        for (int b = 0; b < blocks; ++b)
          gather<F>(split.offsets[b].data(), split.sources[b].data(), n, x.data(),
                    out.data(), 0, b > 0);
      }, true);
      if (blocks != 2)
        continue;
      // Each pass of the 2 blocks alone: the share of the in-edges each
      // block's sources have, and what an edge costs in it (in rcm order
      // the lower half's sources have few out-edges, and their rows,
      // gathered apart, no longer evict the upper half's).
      for (int b = 0; b < 2; ++b) {
        int64_t blockEdges = split.offsets[b].data()[n];
        double best = bestOf([&] {
          gather<F>(split.offsets[b].data(), split.sources[b].data(), n, x.data(),
                    out.data(), 0, b > 0);
        });
        std::printf("  block %d of 2 alone      %8.3f s  %5.1f%% of the in-edges, "
                    "%5.1f ns an edge\n",
                    b, best, 100.0 * double(blockEdges) / double(std::max<int64_t>(edges, 1)),
                    blockEdges ? best * 1e9 / double(blockEdges) : 0.0);
      }
    }
  }
  return 0;
}
