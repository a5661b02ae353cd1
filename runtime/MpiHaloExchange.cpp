//===- MpiHaloExchange.cpp - Ghost rows from their owners over MPI --------===//
//
// Setup is one MPI_Alltoall of counts and one MPI_Alltoallv of ids: each
// part tells every owner which of its rows it needs (the ghosts' remote
// ids, grouped by owner), so that each owner knows what to send. The
// parts that trade rows then form a neighbourhood (a distributed graph
// communicator), so that an exchange costs each rank per neighbour, not
// per rank of the job: it packs the requested rows per destination and
// runs one MPI_Neighbor_alltoallv whose receive side is the ghost rows
// themselves.
//
//===----------------------------------------------------------------------===//
#include "gnn/Distributed.h"

#include <chrono>
#include <cstring>
#include <limits>
#include <optional>

using namespace gnn;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

MpiHaloExchange::~MpiHaloExchange() {
  // Nothing may be freed once MPI is finalized (an exchange outliving the
  // job's MPI_Finalize is a caller's slip, not worth a report).
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (neighbours != MPI_COMM_NULL && !finalized)
    MPI_Comm_free(&neighbours);
}

/// Whether every rank of `comm` is fine so far: a rank that meets a fault
/// must not leave the others waiting in the next collective, so each check
/// is agreed on before one follows. On failure, this rank's own fault, or
/// a note that another rank failed.
static llvm::Error agree(std::optional<std::string> fault, MPI_Comm comm) {
  int ok = fault ? 0 : 1;
  MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPI_INT, MPI_LAND, comm);
  if (ok)
    return llvm::Error::success();
  return makeError(fault ? *fault
                         : std::string("another rank could not set up its exchange"));
}

llvm::Expected<std::unique_ptr<MpiHaloExchange>>
MpiHaloExchange::create(const GraphPart &part, MPI_Comm comm) {
  int size = 0, rank = 0;
  MPI_Comm_size(comm, &size);
  MPI_Comm_rank(comm, &rank);
  std::optional<std::string> fault;
  if (size != part.numParts || rank != part.part)
    fault = ("part " + llvm::Twine(part.part) + " of " +
                     llvm::Twine(part.numParts) + " given to rank " +
                     llvm::Twine(rank) + " of " + llvm::Twine(size)).str();
  else if (part.ghosts > std::numeric_limits<int>::max())
    fault = ("part " + llvm::Twine(part.part) + " has " +
             llvm::Twine(part.ghosts) +
             " ghost rows, more than one MPI exchange can count").str();
  if (llvm::Error e = agree(fault, comm))
    return std::move(e);

  std::unique_ptr<MpiHaloExchange> x(new MpiHaloExchange());
  x->comm = comm;
  x->owned = part.owned;
  x->ghosts = part.ghosts;
  x->recvCounts.assign(size, 0);
  for (int32_t owner : part.ghostOwner)
    ++x->recvCounts[owner];
  x->recvDispls.assign(size, 0);
  for (int q = 1; q < size; ++q)
    x->recvDispls[q] = x->recvDispls[q - 1] + x->recvCounts[q - 1];

  // Every owner learns which of its rows each part reads.
  x->sendCounts.assign(size, 0);
  MPI_Alltoall(x->recvCounts.data(), 1, MPI_INT, x->sendCounts.data(), 1,
               MPI_INT, comm);
  x->sendDispls.assign(size, 0);
  int64_t total = 0;
  for (int q = 0; q < size; ++q) {
    x->sendDispls[q] = total;
    total += x->sendCounts[q];
    if (total > std::numeric_limits<int>::max() && !fault)
      fault = ("part " + llvm::Twine(part.part) +
               " would send more rows than one MPI exchange can count").str();
  }
  if (llvm::Error e = agree(fault, comm))
    return std::move(e);
  x->sendRows.resize(total);
  MPI_Alltoallv(part.ghostRemote.data(), x->recvCounts.data(),
                x->recvDispls.data(), MPI_INT32_T, x->sendRows.data(),
                x->sendCounts.data(), x->sendDispls.data(), MPI_INT32_T, comm);
  for (int32_t id : x->sendRows)
    if ((id < 0 || id >= part.owned) && !fault)
      fault = ("another part asks part " + llvm::Twine(part.part) +
               " for row " + llvm::Twine(id) + ", which it does not own "
               "(the parts come from different partitionings)").str();
  if (llvm::Error e = agree(fault, comm))
    return std::move(e);

  // The neighbourhood: the parts this one receives from and sends to, with
  // the counts and displacements compacted to them.
  std::vector<int> sources, destinations, recvCounts, recvDispls, sendCounts,
      sendDispls;
  for (int q = 0; q < size; ++q) {
    if (x->recvCounts[q] > 0) {
      sources.push_back(q);
      recvCounts.push_back(x->recvCounts[q]);
      recvDispls.push_back(x->recvDispls[q]);
    }
    if (x->sendCounts[q] > 0) {
      destinations.push_back(q);
      sendCounts.push_back(x->sendCounts[q]);
      sendDispls.push_back(x->sendDispls[q]);
    }
  }
  MPI_Dist_graph_create_adjacent(
      comm, int(sources.size()), sources.data(), MPI_UNWEIGHTED,
      int(destinations.size()), destinations.data(), MPI_UNWEIGHTED,
      MPI_INFO_NULL, /*reorder=*/0, &x->neighbours);
  x->recvCounts = std::move(recvCounts);
  x->recvDispls = std::move(recvDispls);
  x->sendCounts = std::move(sendCounts);
  x->sendDispls = std::move(sendDispls);
  return std::move(x);
}

llvm::Error MpiHaloExchange::exchange(float *rows, int64_t rowFloats,
                                      ExchangeTiming &timing) {
  size_t rowBytes = rowFloats * sizeof(float);
  sendBuffer.resize(sendRows.size() * rowFloats);
  int64_t count = sendRows.size();
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < count; ++i)
    std::memcpy(sendBuffer.data() + i * rowFloats,
                rows + int64_t(sendRows[i]) * rowFloats, rowBytes);

  MPI_Datatype row;
  MPI_Type_contiguous(int(rowFloats), MPI_FLOAT, &row);
  MPI_Type_commit(&row);
  int rc = MPI_Neighbor_alltoallv(sendBuffer.data(), sendCounts.data(),
                                  sendDispls.data(), row,
                                  rows + owned * rowFloats, recvCounts.data(),
                                  recvDispls.data(), row, neighbours);
  MPI_Type_free(&row);
  if (rc != MPI_SUCCESS)
    return makeError("MPI_Neighbor_alltoallv failed in the halo exchange");

  timing.rowFloats = rowFloats;
  timing.rowsSent = count;
  timing.rowsReceived = ghosts;
  timing.bytesSent = count * int64_t(rowBytes);
  timing.bytesReceived = ghosts * int64_t(rowBytes);
  return llvm::Error::success();
}
