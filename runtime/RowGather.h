//===- RowGather.h - Rows moved into another vertex order -------*- C++ -*-===//
//
// Putting rows into a graph's vertex order or back is one gather: written
// in order, read at random. Shared by rowsToGraphOrder/rowsToOriginalOrder
// (fresh tensors) and the executor, which writes a run's output back into
// the original order in a buffer whose pages an earlier run mapped.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_RUNTIME_ROWGATHER_H
#define GNN_RUNTIME_ROWGATHER_H

#include <cstdint>

namespace gnn::detail {

/// out row i = in row from[i] for i in [0, rows), rows of `width` floats;
/// on all of OpenMP's threads. `in` and `out` must not overlap.
void gatherRows(const float *in, const int64_t *from, int64_t rows,
                int64_t width, float *out);

} // namespace gnn::detail

#endif // GNN_RUNTIME_ROWGATHER_H
