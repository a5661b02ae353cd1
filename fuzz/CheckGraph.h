//===- CheckGraph.h - The CSR invariants a loaded graph must keep ---------===//
#ifndef GNN_FUZZ_CHECKGRAPH_H
#define GNN_FUZZ_CHECKGRAPH_H

#include "FuzzInput.h"

#include "gnn/Graph.h"

namespace gnn::fuzz {

/// Aborts unless `g`'s CSR is what Graph.h promises the kernels: offsets
/// from 0 to numEdges, non-decreasing, every source below numVertices +
/// numGhosts.
inline void checkCsr(const Graph &g) {
  int64_t n = g.numVertices(), e = g.numEdges();
  GNN_FUZZ_CHECK(n >= 0 && e >= 0 && g.numGhosts() >= 0);
  GNN_FUZZ_CHECK(g.offsets()[0] == 0 && g.offsets()[n] == e);
  for (int64_t v = 0; v < n; ++v)
    GNN_FUZZ_CHECK(g.offsets()[v] <= g.offsets()[v + 1]);
  for (int64_t k = 0; k < e; ++k)
    GNN_FUZZ_CHECK(g.sources()[k] >= 0 &&
                   g.sources()[k] < n + g.numGhosts());
}

/// checkCsr, and every edge id below `inputEdges`.
inline void checkGraph(const Graph &g, int64_t inputEdges) {
  checkCsr(g);
  for (int64_t k = 0; k < g.numEdges(); ++k)
    GNN_FUZZ_CHECK(g.edgeIds()[k] >= 0 && g.edgeIds()[k] < inputEdges);
}

} // namespace gnn::fuzz

#endif // GNN_FUZZ_CHECKGRAPH_H
