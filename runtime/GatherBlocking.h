//===- GatherBlocking.h - Message stages over blocks of sources -*- C++ -*-===//
//
// A message stage gathers one row per in-edge from its source. When those
// rows far exceed the last-level cache, most gathers go to memory at the
// random-row rate, a fraction of the stream rate. Gather blocking splits
// the sources into B ranges and runs the stage once per range, over the
// in-edges from that range only, folding into per-target state rows in
// between (gnn.launch's blocked form): each pass gathers from a table 1/B
// the size, which the cache can hold, at the price of reading and writing
// the state rows B - 1 more times.
//
// Whether that pays depends on how much the cache already catches without
// blocks, which depends on the graph: on a skewed graph the most gathered
// rows take most gathers and stay cached. The cost model here estimates
// that share from the sources' out-degrees (the rows a cache of the
// budget's size holds are taken to be the most gathered ones) and weighs
// the gathers it leaves against the state traffic blocks add, with rates
// measured on the development machine (bench/stream's cache ladder).
//
//===----------------------------------------------------------------------===//
#ifndef GNN_RUNTIME_GATHERBLOCKING_H
#define GNN_RUNTIME_GATHERBLOCKING_H

#include "gnn/Graph.h"
#include "gnn/Model.h"

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace gnn::detail {

/// The last-level cache of CPU 0 in bytes, from sysfs; 32 MiB where the
/// system does not say.
int64_t lastLevelCacheBytes();

/// The machine's physical memory in bytes.
int64_t physicalMemoryBytes();

/// How often each source row is gathered: the out-degrees, as (degree,
/// number of sources with it) from the highest degree down; and how far
/// in-edges reach: the in-edges by the distance between their source's
/// and their target's rows, in powers of two.
struct SourceProfile {
  std::vector<std::pair<int64_t, int64_t>> degrees;
  int64_t edges = 0;
  /// reach[k]: the in-edges counted with floor(log2(|source - target| +
  /// 1)) = k.
  std::vector<int64_t> reach;
  /// The share of in-edges whose source is among the `rows` sources with
  /// the most out-edges (1 for rows >= the source count).
  double hotShare(int64_t rows) const;
  /// The share of in-edges whose source row lies fewer than `rows` rows
  /// from its target's (counted by whole powers of two: at most the true
  /// share). Targets run in order, so such rows were just gathered for
  /// the targets before: in a locality order (docs/runtime.md,
  /// "Reordering vertices") the cache holds them whatever their degree.
  double nearShare(int64_t rows) const;
  /// The largest distance nearShare(rows) counts: 2^m - 2 for the largest
  /// m with 2^m - 1 <= rows (-1 for rows < 1, when it counts none).
  static int64_t nearRadius(int64_t rows);
};

/// Counts out-degrees and reach over the graph's in-edges, or over every
/// k-th in-edge on graphs of more than 2^23 edges: the shares come out the
/// same, the degrees and edge count divided by about k.
SourceProfile profileSources(const Graph &graph, int threads);

/// The cost model's inputs for one message stage.
struct GatherStage {
  int64_t vertices = 0, edges = 0;
  int64_t gatheredRowBytes = 0; // bytes gathered per in-edge
  int64_t stateRowBytes = 0;    // bytes of a state row (written, reread)
  /// What one block's rows may take; for planGatherBlocks 0 means a
  /// quarter of the last-level cache.
  int64_t budgetBytes = 0;
  /// The stage is a softmax: some 50 instructions per edge (logits, an
  /// exp per head, the running maxima, the weighted row) against 15 for a
  /// sum, so its gathers wait less and blocks mostly add passes (GAT's
  /// first stage on sbm-22: 4.1 s in 4 blocks against 3.0 s whole). The
  /// exp alone is 9% of that stage's time on rmat-22.
  bool computeBound = false;
};

/// The block count for a stage: `forced` if >= 1, 1 if the gathered rows
/// fit the budget or the stage is compute-bound (for these, nothing
/// predicted and `profile` unread), else
/// the count among 1, 2, 4, ... up to the first whose rows fit the budget
/// with the lowest predicted time, unless it saves less than a tenth of
/// the unblocked time. Fills every field of the choice but its label.
GatherBlockChoice chooseGatherBlocks(const GatherStage &stage,
                                     const SourceProfile &profile, int forced);

/// Whether chooseGatherBlocks reads the profile for `stage`: not when a
/// count is forced, the rows fit the budget or the stage is compute-bound.
bool gatherNeedsProfile(const GatherStage &stage, int forced);

/// chooseGatherBlocks for a stage on `graph`, with the default budget
/// where the stage has none, profiling the graph's sources into `profile`
/// (on `threads` threads) the first time a stage needs it.
GatherBlockChoice planGatherBlocks(GatherStage stage, const Graph &graph,
                                   std::optional<SourceProfile> &profile,
                                   int forced, int threads);

/// The in-edges of a graph split by source block: block b holds, for each
/// target, its in-edges whose source lies in [b * blockRows, (b + 1) *
/// blockRows), in CSR order.
struct SourceBlocks {
  int64_t blockRows = 0;
  std::vector<AlignedArray<int64_t>> offsets; // per block, vertices + 1
  std::vector<AlignedArray<int32_t>> sources; // per block, its in-edges
  int count() const { return int(offsets.size()); }
};

/// Splits a whole graph's in-edges (no ghosts) into `blocks` source blocks.
SourceBlocks splitSources(const Graph &graph, int blocks, int threads);

} // namespace gnn::detail

#endif // GNN_RUNTIME_GATHERBLOCKING_H
