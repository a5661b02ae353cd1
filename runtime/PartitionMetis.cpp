//===- PartitionMetis.cpp - Vertex owners from METIS 5's k-way partitioner ===//
//
// METIS wants an undirected simple graph in its own CSR (xadj, adjncy):
// every edge is entered both ways, self loops dropped and parallel edges
// merged. The cut METIS minimises is then the number of vertex pairs
// connected across parts, which is what ghost rows cost. Vertices are
// weighted by in-degree + vertexWeight (the work of computing their row:
// gnn/Partition.h), so parts balance the executor's time rather than
// their vertex counts.
//
//===----------------------------------------------------------------------===//

#include "PartitionMetis.h"

#include <metis.h>

#include <algorithm>
#include <limits>

namespace gnn::detail {
namespace {

llvm::Error metisError(int parts, const llvm::Twine &fault) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "METIS k-way partitioning into " +
                                     llvm::Twine(parts) + " parts: " + fault);
}

} // namespace

llvm::Expected<std::vector<int32_t>> metisParts(const Graph &graph,
                                                int parts,
                                                int64_t vertexWeight) {
  const int64_t idxMax = std::numeric_limits<idx_t>::max();
  int64_t n = graph.numVertices();
  if (n > idxMax)
    return metisError(parts, "too many vertices for METIS's idx_t");
  if (n == 0)
    return std::vector<int32_t>();
  const int64_t *off = graph.offsets();
  const int32_t *src = graph.sources();

  // Both directions of every edge but loops, bucketed by endpoint.
  std::vector<int64_t> start(size_t(n) + 1, 0);
  for (int64_t v = 0; v < n; ++v)
    for (int64_t k = off[v]; k < off[v + 1]; ++k)
      if (src[k] != v) {
        ++start[v + 1];
        ++start[size_t(src[k]) + 1];
      }
  for (int64_t v = 0; v < n; ++v)
    start[v + 1] += start[v];
  // One spare element: METIS must never see a null adjncy.
  std::vector<idx_t> adjncy(size_t(start[n]) + 1);
  {
    std::vector<int64_t> cursor(start.begin(), start.end() - 1);
    for (int64_t v = 0; v < n; ++v)
      for (int64_t k = off[v]; k < off[v + 1]; ++k)
        if (src[k] != v) {
          adjncy[cursor[v]++] = idx_t(src[k]);
          adjncy[cursor[src[k]]++] = idx_t(v);
        }
  }
  // Sorted and deduplicated per vertex, compacted in place: lists only
  // shrink, so the write position never passes the read position.
  std::vector<idx_t> xadj(size_t(n) + 1);
  int64_t kept = 0;
  for (int64_t v = 0; v < n; ++v) {
    idx_t *begin = adjncy.data() + start[v], *end = adjncy.data() + start[v + 1];
    std::sort(begin, end);
    xadj[v] = idx_t(std::min(kept, idxMax));
    for (idx_t *p = begin; p != end; ++p)
      if (p == begin || *p != adjncy[kept - 1])
        adjncy[kept++] = *p;
    if (kept > idxMax)
      return metisError(parts, "too many edges for METIS's idx_t");
  }
  xadj[n] = idx_t(kept);

  // Weights in-degree + vertexWeight; scaled down when their sum would not
  // fit idx_t (they then count in units of `scale` edges, at least 1).
  int64_t total = graph.numEdges() + vertexWeight * n;
  int64_t scale = std::max<int64_t>(1, (total + idxMax - n - 1) / (idxMax - n));
  std::vector<idx_t> vwgt(static_cast<size_t>(n));
  for (int64_t v = 0; v < n; ++v)
    vwgt[v] = idx_t(std::max<int64_t>(1, (graph.inDegree(v) + vertexWeight) / scale));

  idx_t options[METIS_NOPTIONS];
  METIS_SetDefaultOptions(options);
  // Fixed, so that a graph always gets the same partition.
  options[METIS_OPTION_SEED] = 1;
  options[METIS_OPTION_NUMBERING] = 0;
  idx_t nvtxs = idx_t(n), ncon = 1, nparts = idx_t(parts), objval = 0;
  std::vector<idx_t> part(static_cast<size_t>(n));
  int rc = METIS_PartGraphKway(&nvtxs, &ncon, xadj.data(), adjncy.data(),
                               vwgt.data(), /*vsize=*/nullptr,
                               /*adjwgt=*/nullptr, &nparts, /*tpwgts=*/nullptr,
                               /*ubvec=*/nullptr, options, &objval,
                               part.data());
  switch (rc) {
  case METIS_OK:
    break;
  case METIS_ERROR_INPUT:
    return metisError(parts, "METIS rejected the input");
  case METIS_ERROR_MEMORY:
    return metisError(parts, "METIS ran out of memory");
  default:
    return metisError(parts, "METIS failed (status " + llvm::Twine(rc) + ")");
  }
  std::vector<int32_t> owner(static_cast<size_t>(n));
  for (int64_t v = 0; v < n; ++v) {
    if (part[v] < 0 || part[v] >= parts)
      return metisError(parts, "METIS returned part " + llvm::Twine(part[v]) +
                                   " for vertex " + llvm::Twine(v));
    owner[v] = int32_t(part[v]);
  }
  return owner;
}

} // namespace gnn::detail
