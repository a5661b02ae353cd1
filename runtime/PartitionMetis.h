//===- PartitionMetis.h - METIS k-way assignment, for Partition.cpp -----===//
//
// Kept apart so that only one file includes metis.h (whose idx_t width is
// a build-time choice of the installed library).
//
//===----------------------------------------------------------------------===//
#ifndef GNN_RUNTIME_PARTITIONMETIS_H
#define GNN_RUNTIME_PARTITIONMETIS_H

#include "gnn/Graph.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace gnn::detail {

/// The owner of every vertex under METIS_PartGraphKway (parts >= 2) on the
/// symmetrised simple graph, vertices weighted by in-degree +
/// vertexWeight, with a fixed seed so the same graph always gets the same
/// parts.
llvm::Expected<std::vector<int32_t>> metisParts(const Graph &graph, int parts,
                                                int64_t vertexWeight);

} // namespace gnn::detail

#endif // GNN_RUNTIME_PARTITIONMETIS_H
