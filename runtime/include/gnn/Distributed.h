//===- Distributed.h - Running one graph part per MPI rank ------*- C++ -*-===//
//
// The pieces a distributed run adds to the single-process one
// (docs/distributed.md): the halo exchange that fills a part's ghost rows
// from their owners before a message stage gathers them (pull: owners
// send the rows other parts read, so every in-edge list is summed in the
// same order as on one process), and the collectives around a run. Each
// rank runs the same schedule on its part; the exchange is the only
// communication during a run.
//
// Link the CMake target GNNDistributed (MPICH).
//
//===----------------------------------------------------------------------===//
#ifndef GNN_DISTRIBUTED_H
#define GNN_DISTRIBUTED_H

#include "gnn/Model.h"
#include "gnn/Partition.h"

#include <mpi.h>

#include <memory>
#include <string>
#include <vector>

namespace gnn {

/// Pull-form exchange over MPI_Neighbor_alltoallv among the parts that
/// trade rows. Send and receive lists are computed once per part
/// (create): part p receives its ghosts grouped by owner, straight into
/// the ghost rows (they are sorted by owner, so each owner's rows land
/// contiguously, with no unpacking); owners pack the rows they send.
class MpiHaloExchange : public HaloExchange {
public:
  /// Collective over `comm`, whose size must be the part count and whose
  /// rank the part's. Fails if another rank asks for rows its part does
  /// not own; every rank fails together, none is left waiting.
  static llvm::Expected<std::unique_ptr<MpiHaloExchange>>
  create(const GraphPart &part, MPI_Comm comm);
  ~MpiHaloExchange() override;

  llvm::Error exchange(float *rows, int64_t rowFloats,
                       ExchangeTiming &timing) override;

  /// Rows this part sends and receives per exchange.
  int64_t rowsSent() const { return sendRows.size(); }
  int64_t rowsReceived() const { return ghosts; }

private:
  MpiHaloExchange() = default;

  MPI_Comm comm = MPI_COMM_NULL;
  MPI_Comm neighbours = MPI_COMM_NULL; // the parts this one trades rows with
  int64_t owned = 0, ghosts = 0;
  // Per neighbour, in rows: what this part sends (sendRows[sendDispls[k]
  // ..] are local ids of owned rows) and receives (into ghost rows).
  std::vector<int> sendCounts, sendDispls, recvCounts, recvDispls;
  std::vector<int32_t> sendRows;
  std::vector<float> sendBuffer;
};

/// Rank `root` receives every rank's rows (`rows` is [owned, C...], in the
/// part's local order) and returns them as [N, C...] in the graph's
/// original vertex order; other ranks return an empty tensor. Fails on
/// `root` unless the parts' vertices cover 0 .. N-1 exactly once.
llvm::Expected<Tensor> gatherRows(const GraphPart &part, const Tensor &rows,
                                  MPI_Comm comm, int root);

/// `bytes` on `root` becomes `bytes` on every rank of `comm`.
void broadcastBytes(std::string &bytes, MPI_Comm comm, int root);

} // namespace gnn

#endif // GNN_DISTRIBUTED_H
