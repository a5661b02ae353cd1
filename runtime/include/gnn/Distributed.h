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

/// The exchange over MPI neighbourhood collectives among the parts that
/// trade rows, in both forms. Send and receive lists are computed once per
/// part: at create for the pull form, on the first pushGraph() for the
/// push form.
///
/// Pull: part p receives its ghosts grouped by owner, straight into the
/// ghost rows (they are sorted by owner, so each owner's rows land
/// contiguously, with no unpacking); owners pack the rows they send.
///
/// Push: a mirror is a pair (target t of part p, part q owning sources of
/// some of t's in-edges); q holds one state row per mirror, grouped by p
/// and by t within, so that its rows for each p are one contiguous block
/// it sends as it is; p merges the blocks in the order of q. The parts
/// that trade are the pull form's, in the same directions (target rows
/// for the mirrors go the other way).
class MpiHaloExchange : public HaloExchange {
public:
  /// Collective over `comm`, whose size must be the part count and whose
  /// rank the part's. Fails if a part's counts, ghost lists and graph
  /// disagree, a ghost's owner is not another rank, or another rank asks
  /// for rows its part does not own; every rank fails together, none is
  /// left waiting. `part` must outlive the exchange (the push form's lists
  /// are made from it).
  static llvm::Expected<std::unique_ptr<MpiHaloExchange>>
  create(const GraphPart &part, MPI_Comm comm);
  ~MpiHaloExchange() override;

  llvm::Error exchange(float *rows, int64_t rowFloats,
                       ExchangeTiming &timing) override;

  bool hasPushForm() const override { return true; }
  int64_t totalGhostRows() const override { return allGhosts; }
  int64_t totalMirrorRows() const override { return allMirrors; }
  int64_t mirrorRows() const override { return mirrors; }
  bool mirrorsFitGhostRows() const override { return mirrorsFit; }
  llvm::Expected<const Graph *> pushGraph() override;
  llvm::Error exchangeToMirrors(float *rows, int64_t rowFloats,
                                ExchangeTiming &timing) override;
  llvm::Error
  exchangePartials(float *states, int64_t rowFloats,
                   llvm::function_ref<void(float *into, const float *from)> merge,
                   ExchangeTiming &timing) override;

  /// Rows this part sends and receives per pull exchange.
  int64_t rowsSent() const { return sendRows.size(); }
  int64_t rowsReceived() const { return ghosts; }

private:
  MpiHaloExchange() = default;
  llvm::Error setUpPush();

  const GraphPart *part = nullptr;
  MPI_Comm comm = MPI_COMM_NULL;
  MPI_Comm neighbours = MPI_COMM_NULL; // the parts this one trades rows with
  MPI_Comm reversed = MPI_COMM_NULL;   // the same, directions swapped
  int64_t owned = 0, ghosts = 0;
  // Per neighbour, in rows: what this part sends (sendRows[sendDispls[k]
  // ..] are local ids of owned rows) and receives (into ghost rows).
  std::vector<int> sendCounts, sendDispls, recvCounts, recvDispls;
  std::vector<int32_t> sendRows;
  std::vector<float> sendBuffer;
  std::vector<int> sourceRanks, destinationRanks; // the neighbours, in order

  // The push form. Per rank of comm: the mirrors this part holds for its
  // targets (sends) and the mirrors of its own targets it receives.
  std::vector<int64_t> mirrorsFor, mirrorsFrom;
  int64_t mirrors = 0, mirrorsReceived = 0; // their sums
  int64_t allGhosts = 0, allMirrors = 0;    // over all parts
  bool mirrorsFit = false;                  // mirrors <= ghosts on all parts
  bool pushReady = false;
  Graph localEdges; // pushGraph()
  // Per neighbour (as in sendCounts / recvCounts), in rows.
  std::vector<int> pushSendCounts, pushSendDispls, pushRecvCounts,
      pushRecvDispls;
  // The owned target of each received state row (grouped by sender), and
  // the received rows of each owned target: mergeRows[mergeOffsets[t] ..
  // mergeOffsets[t + 1]), in the order of the senders.
  std::vector<int32_t> receivedTargets, mergeRows;
  std::vector<int64_t> mergeOffsets;
  std::vector<float> receiveBuffer;
};

/// Rank `root` receives every rank's rows (`rows` is [owned, C...], in the
/// part's local order) and returns them as [N, C...] in the graph's
/// original vertex order; other ranks return an empty tensor. Fails on
/// `root` unless the parts' vertices cover 0 .. N-1 exactly once, and on
/// every rank if any rank's rows are not one per owned vertex or rows
/// differ in width between ranks.
llvm::Expected<Tensor> gatherRows(const GraphPart &part, const Tensor &rows,
                                  MPI_Comm comm, int root);

/// `bytes` on `root` becomes `bytes` on every rank of `comm`.
void broadcastBytes(std::string &bytes, MPI_Comm comm, int root);

} // namespace gnn

#endif // GNN_DISTRIBUTED_H
