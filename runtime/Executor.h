//===- Executor.h - Runs a schedule over a graph ----------------*- C++ -*-===//
#ifndef GNN_RUNTIME_EXECUTOR_H
#define GNN_RUNTIME_EXECUTOR_H

#include "DenseKernels.h"
#include "GatherBlocking.h"
#include "GraphOnlySteps.h"
#include "MemoryPlan.h"
#include "Schedule.h"

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace gnn::detail {

/// Runs one model's schedule, run after run. Keeps what runs share: the
/// memory plan of the last graph size with its arena, and the oneDNN
/// primitives. Not thread-safe: the Model takes turns.
class Executor {
public:
  /// Full-graph inference with `weights` bound by parameter index (see
  /// Model::run for the graph, features and exchange). Checks the inputs'
  /// shapes against the schedule.
  llvm::Expected<Tensor> run(const Schedule &s,
                             const std::vector<Tensor> &weights,
                             const Graph &graph, const Tensor &features,
                             const Tensor *edgeFeatures,
                             const RunOptions &options, RunStats *stats);

private:
  DenseLinear dense;
  /// The memory plan of the last run's graph size and its arena, reused
  /// while the size stays the same.
  MemoryPlan plan;
  AlignedArray<float> arena;
  /// A push form's state rows (the largest one so far).
  AlignedArray<float> states;
  /// The buffers outputs were returned in, of the last output size: a run
  /// writes into one the caller no longer holds, whose pages are mapped
  /// already. Two, so that a caller who keeps each output until the next
  /// run returns still finds one free.
  static constexpr size_t kKeptOutputs = 2;
  std::vector<std::shared_ptr<AlignedArray<float>>> outputs;
  /// With RunOptions::originalOrder on a reordered graph: the output's
  /// rows in the graph's order, which the last step writes and the run
  /// then gathers into the returned buffer.
  AlignedArray<float> graphOrderOutput;
  /// The results of the steps of the graph alone (GraphOnlySteps.h) that
  /// other steps read, kept from the last complete run on that graph.
  /// Which steps depend on the graph alone, found with the plan.
  std::vector<GraphOnly> graphOnlySteps;
  struct GraphOnlyCache {
    uint64_t graph = 0; // Graph::id; 0: nothing kept
    bool complete = false;
    std::map<size_t, AlignedArray<float>> results; // by step
  } graphOnlyCache;
  /// Gather blocking's work on the last graph it ran on: the sources' profile and the blocks by count, made
  /// on the first run that needs them and kept while the graph is the same.
  struct GatherCache {
    uint64_t graph = 0; // Graph::id
    std::optional<SourceProfile> profile;
    std::map<int, SourceBlocks> blocks;
  } gatherCache;
};

} // namespace gnn::detail

#endif // GNN_RUNTIME_EXECUTOR_H
