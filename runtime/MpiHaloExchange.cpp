//===- MpiHaloExchange.cpp - Ghost rows from their owners over MPI --------===//
//
// Setup is one MPI_Alltoall of counts and one MPI_Alltoallv of ids: each
// part tells every owner which of its rows it needs (the ghosts' remote
// ids, grouped by owner), so that each owner knows what to send. An
// exchange then packs the requested rows per destination and runs one
// MPI_Alltoallv whose receive side is the ghost rows themselves.
//
//===----------------------------------------------------------------------===//
#include "gnn/Distributed.h"

#include <chrono>
#include <cstring>
#include <limits>

using namespace gnn;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

MpiHaloExchange::~MpiHaloExchange() = default;

llvm::Expected<std::unique_ptr<MpiHaloExchange>>
MpiHaloExchange::create(const GraphPart &part, MPI_Comm comm) {
  int size = 0, rank = 0;
  MPI_Comm_size(comm, &size);
  MPI_Comm_rank(comm, &rank);
  if (size != part.numParts || rank != part.part)
    return makeError("part " + llvm::Twine(part.part) + " of " +
                     llvm::Twine(part.numParts) + " given to rank " +
                     llvm::Twine(rank) + " of " + llvm::Twine(size));
  if (part.ghosts > std::numeric_limits<int>::max())
    return makeError("part " + llvm::Twine(part.part) + " has " +
                     llvm::Twine(part.ghosts) +
                     " ghost rows, more than one MPI exchange can count");

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
    if (total > std::numeric_limits<int>::max())
      return makeError("part " + llvm::Twine(part.part) +
                       " would send more rows than one MPI exchange can count");
  }
  x->sendRows.resize(total);
  MPI_Alltoallv(part.ghostRemote.data(), x->recvCounts.data(),
                x->recvDispls.data(), MPI_INT32_T, x->sendRows.data(),
                x->sendCounts.data(), x->sendDispls.data(), MPI_INT32_T, comm);
  for (int32_t id : x->sendRows)
    if (id < 0 || id >= part.owned)
      return makeError("another part asks part " + llvm::Twine(part.part) +
                       " for row " + llvm::Twine(id) + ", which it does not own "
                       "(the parts come from different partitionings)");
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
  int rc = MPI_Alltoallv(sendBuffer.data(), sendCounts.data(), sendDispls.data(),
                         row, rows + owned * rowFloats, recvCounts.data(),
                         recvDispls.data(), row, comm);
  MPI_Type_free(&row);
  if (rc != MPI_SUCCESS)
    return makeError("MPI_Alltoallv failed in the halo exchange");

  timing.rowFloats = rowFloats;
  timing.rowsSent = count;
  timing.rowsReceived = ghosts;
  timing.bytesSent = count * int64_t(rowBytes);
  timing.bytesReceived = ghosts * int64_t(rowBytes);
  return llvm::Error::success();
}
