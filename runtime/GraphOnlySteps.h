//===- GraphOnlySteps.h - Steps that depend on the graph alone --*- C++ -*-===//
//
// Some steps read nothing but the graph: GCN's degrees and their inverse
// square roots (PyG's gcn_norm, which GCNConv(cached=True) keeps). Their
// results are the same on every run over one graph, so the executor keeps
// them from the first run and copies them into place afterwards.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_RUNTIME_GRAPHONLYSTEPS_H
#define GNN_RUNTIME_GRAPHONLYSTEPS_H

#include "Schedule.h"

#include <cstdint>
#include <vector>

namespace gnn::detail {

enum class GraphOnly : uint8_t {
  No,   // reads features, weights or what they made
  Skip, // of the graph alone, and read only by such steps
  Keep, // of the graph alone, and read by another step or the output
};

/// For each step of `s` (`storage`: each slot's storage slot, as the
/// memory plan resolves views): whether it depends on the graph alone. Only
/// kernels over vertex rows without gathers count: a gather's blocks may
/// change its bits from one setting to another, and an edge tensor is
/// large to keep.
std::vector<GraphOnly> findGraphOnlySteps(const Schedule &s,
                                          const std::vector<int> &storage);

} // namespace gnn::detail

#endif // GNN_RUNTIME_GRAPHONLYSTEPS_H
