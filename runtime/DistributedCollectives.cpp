//===- DistributedCollectives.cpp - Collectives around a distributed run --===//
//
// What happens once per run rather than per stage: the compiled model
// broadcast from the rank that compiled it, and the output rows gathered
// back into the user's vertex order.
//
//===----------------------------------------------------------------------===//
#include "gnn/Distributed.h"

#include <algorithm>
#include <cstring>
#include <limits>

using namespace gnn;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

void gnn::broadcastBytes(std::string &bytes, MPI_Comm comm, int root) {
  uint64_t size = bytes.size();
  MPI_Bcast(&size, 1, MPI_UINT64_T, root, comm);
  bytes.resize(size);
  // In pieces below MPI's int count limit.
  constexpr uint64_t kPiece = uint64_t(1) << 30;
  for (uint64_t at = 0; at < size; at += kPiece)
    MPI_Bcast(bytes.data() + at, int(std::min(kPiece, size - at)), MPI_BYTE,
              root, comm);
}

llvm::Expected<Tensor> gnn::gatherRows(const GraphPart &part, const Tensor &rows,
                                       MPI_Comm comm, int root) {
  int size = 0, rank = 0;
  MPI_Comm_size(comm, &size);
  MPI_Comm_rank(comm, &rank);
  // Every rank checks its arguments and all agree before the collectives
  // below, which would read past a short array or wait for a rank that
  // left.
  std::string fault;
  if (rows.shape.empty() || rows.shape[0] != part.owned)
    fault = "part " + std::to_string(part.part) + ": rows of shape " +
            formatShape(rows.shape) + " are not [" +
            std::to_string(part.owned) + ", ...], one per owned vertex";
  else if (std::string bad = describeBadStorage(rows); !bad.empty())
    fault = "part " + std::to_string(part.part) + ": rows " + bad;
  else if (int64_t(part.globalIds.size()) < part.owned)
    fault = "part " + std::to_string(part.part) + " has " +
            std::to_string(part.globalIds.size()) + " global ids for " +
            std::to_string(part.owned) + " owned vertices";
  int64_t rowFloats = 1;
  for (size_t d = 1; d < rows.shape.size(); ++d)
    rowFloats *= rows.shape[d];
  // Whether every rank's arguments hold, and the widest and narrowest row.
  int64_t agreed[3] = {fault.empty() ? 0 : 1, rowFloats, -rowFloats};
  MPI_Allreduce(MPI_IN_PLACE, agreed, 3, MPI_INT64_T, MPI_MAX, comm);
  if (agreed[0])
    return makeError(!fault.empty() ? fault
                                    : "another rank's rows do not fit its part");
  if (agreed[1] != -agreed[2])
    return makeError("the ranks' rows have different widths (" +
                     llvm::Twine(-agreed[2]) + " to " + llvm::Twine(agreed[1]) +
                     " floats)");

  // Row counts, then global ids, then the rows, each into rank order.
  int64_t owned = part.owned;
  std::vector<int64_t> counts(rank == root ? size : 0);
  MPI_Gather(&owned, 1, MPI_INT64_T, counts.data(), 1, MPI_INT64_T, root, comm);
  std::vector<int> intCounts, displs;
  int64_t total = 0;
  bool fits = true;
  if (rank == root) {
    intCounts.resize(size);
    displs.resize(size);
    for (int q = 0; q < size; ++q) {
      if (counts[q] > std::numeric_limits<int>::max() ||
          total > std::numeric_limits<int>::max())
        fits = false;
      intCounts[q] = int(counts[q]);
      displs[q] = int(total);
      total += counts[q];
    }
  }
  MPI_Bcast(&fits, 1, MPI_CXX_BOOL, root, comm);
  if (!fits)
    return makeError("the output has more rows than one MPI gather can "
                     "count; write one shard per rank (--output-dir)");

  std::vector<int64_t> ids(rank == root ? total : 0);
  MPI_Gatherv(part.globalIds.data(), int(owned), MPI_INT64_T, ids.data(),
              intCounts.data(), displs.data(), MPI_INT64_T, root, comm);
  MPI_Datatype row;
  MPI_Type_contiguous(int(rowFloats), MPI_FLOAT, &row);
  MPI_Type_commit(&row);
  AlignedArray<float> gathered(rank == root ? total * rowFloats : 0);
  MPI_Gatherv(rows.data(), int(owned), row, gathered.data(), intCounts.data(),
              displs.data(), row, root, comm);
  MPI_Type_free(&row);
  if (rank != root)
    return Tensor();

  int64_t n = part.globalVertices;
  if (total != n)
    return makeError("the parts own " + llvm::Twine(total) +
                     " vertices in all, but the graph has " + llvm::Twine(n));
  std::vector<int64_t> shape = rows.shape;
  shape[0] = n;
  Tensor out(shape);
  std::vector<bool> seen(n, false);
  for (int64_t k = 0; k < total; ++k) {
    int64_t v = ids[k];
    if (v < 0 || v >= n || seen[v])
      return makeError("the parts do not own each vertex exactly once "
                       "(vertex " + llvm::Twine(v) + ")");
    seen[v] = true;
    std::memcpy(out.data() + v * rowFloats, gathered.data() + k * rowFloats,
                rowFloats * sizeof(float));
  }
  return std::move(out);
}
