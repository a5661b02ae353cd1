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

#include <atomic>
#include <chrono>
#include <exception>
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
  if (reversed != MPI_COMM_NULL && !finalized)
    MPI_Comm_free(&reversed);
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

/// What is inconsistent in a part given to `size` ranks, if anything: the
/// exchange indexes its arrays by these counts and owners. (loadPart and
/// extractPart make consistent parts; a host may assemble its own.)
static std::optional<std::string> partFault(const GraphPart &part, int size) {
  auto text = [&](const llvm::Twine &what) {
    return ("part " + llvm::Twine(part.part) + " " + what).str();
  };
  if (part.owned < 0 || part.ghosts < 0 ||
      int64_t(part.globalIds.size()) != part.owned + part.ghosts)
    return text("has " + llvm::Twine(part.globalIds.size()) +
                " global ids for " + llvm::Twine(part.owned) + " owned and " +
                llvm::Twine(part.ghosts) + " ghost vertices");
  if (int64_t(part.ghostOwner.size()) != part.ghosts ||
      int64_t(part.ghostRemote.size()) != part.ghosts)
    return text("lists " + llvm::Twine(part.ghostOwner.size()) +
                " ghost owners and " + llvm::Twine(part.ghostRemote.size()) +
                " remote ids for " + llvm::Twine(part.ghosts) + " ghosts");
  if (part.graph.numVertices() != part.owned ||
      part.graph.numGhosts() != part.ghosts)
    return text("has a graph of " + llvm::Twine(part.graph.numVertices()) +
                " vertices and " + llvm::Twine(part.graph.numGhosts()) +
                " ghosts, not " + llvm::Twine(part.owned) + " and " +
                llvm::Twine(part.ghosts));
  for (int64_t g = 0; g < part.ghosts; ++g) {
    int32_t owner = part.ghostOwner[g];
    if (owner < 0 || owner >= size || owner == part.part)
      return text("says ghost " + llvm::Twine(g) + " is owned by part " +
                  llvm::Twine(owner) + ", not another of the " +
                  llvm::Twine(size) + " parts");
  }
  return std::nullopt;
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
  else
    fault = partFault(part, size);
  if (llvm::Error e = agree(fault, comm))
    return std::move(e);

  std::unique_ptr<MpiHaloExchange> x(new MpiHaloExchange());
  x->part = &part;
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
  x->sourceRanks = std::move(sources);
  x->destinationRanks = std::move(destinations);

  // What each form would move: the mirrors of this part's targets per
  // part owning their sources, which those parts learn too.
  x->mirrorsFrom.assign(size, 0);
  {
    const int64_t *off = part.graph.offsets();
    const int32_t *src = part.graph.sources();
    std::vector<int64_t> lastTarget(size, -1);
    for (int64_t t = 0; t < part.owned; ++t)
      for (int64_t e = off[t]; e < off[t + 1]; ++e)
        if (src[e] >= part.owned) {
          int q = part.ghostOwner[src[e] - part.owned];
          if (lastTarget[q] != t) {
            lastTarget[q] = t;
            ++x->mirrorsFrom[q];
          }
        }
  }
  x->mirrorsFor.assign(size, 0);
  MPI_Alltoall(x->mirrorsFrom.data(), 1, MPI_INT64_T, x->mirrorsFor.data(), 1,
               MPI_INT64_T, comm);
  for (int q = 0; q < size; ++q) {
    x->mirrors += x->mirrorsFor[q];
    x->mirrorsReceived += x->mirrorsFrom[q];
  }
  int64_t totals[3] = {x->ghosts, x->mirrorsReceived,
                       x->mirrors > x->ghosts ? 1 : 0};
  MPI_Allreduce(MPI_IN_PLACE, totals, 3, MPI_INT64_T, MPI_SUM, comm);
  x->allGhosts = totals[0];
  x->allMirrors = totals[1];
  x->mirrorsFit = totals[2] == 0;
  return std::move(x);
}

/// Prefix sums of `counts` (displacements), or nullopt past what one MPI
/// call can count.
static std::optional<std::vector<int>> displacements(const std::vector<int> &counts) {
  std::vector<int> displs(counts.size(), 0);
  int64_t total = 0;
  for (size_t k = 0; k < counts.size(); ++k) {
    if (counts[k] < 0)
      return std::nullopt;
    displs[k] = total;
    total += counts[k];
    if (total > std::numeric_limits<int>::max())
      return std::nullopt;
  }
  return displs;
}

llvm::Error MpiHaloExchange::setUpPush() {
  int size = 0;
  MPI_Comm_size(comm, &size);
  const GraphPart &p = *part;
  const int64_t *off = p.graph.offsets();
  const int32_t *src = p.graph.sources();

  // The mirrors of this part's targets, per part owning sources: for each
  // mirror its target and in-edge count, and the sources' ids there, in
  // the order of the in-edges.
  std::vector<std::vector<int32_t>> edgeCounts(size), sourceIds(size),
      targets(size);
  for (int64_t t = 0; t < owned; ++t)
    for (int64_t e = off[t]; e < off[t + 1]; ++e) {
      if (src[e] < owned)
        continue;
      int q = p.ghostOwner[src[e] - owned];
      if (targets[q].empty() || targets[q].back() != t) {
        targets[q].push_back(t);
        edgeCounts[q].push_back(0);
      }
      ++edgeCounts[q].back();
      sourceIds[q].push_back(p.ghostRemote[src[e] - owned]);
    }
  std::vector<int> mirrorCounts(size), edgesTo(size), edgesFor(size),
      mirrorsHeld(size);
  std::optional<std::string> fault;
  bool tooMany = false;
  for (int q = 0; q < size; ++q) {
    // Counts past an int cannot be sent; the agree below says so.
    tooMany |= sourceIds[q].size() > size_t(std::numeric_limits<int>::max()) ||
               mirrorsFor[q] > std::numeric_limits<int>::max();
    mirrorCounts[q] = int(std::min<size_t>(targets[q].size(), 0x7fffffff));
    edgesTo[q] = int(std::min<size_t>(sourceIds[q].size(), 0x7fffffff));
    mirrorsHeld[q] = int(std::min<int64_t>(mirrorsFor[q], 0x7fffffff));
  }
  MPI_Alltoall(edgesTo.data(), 1, MPI_INT, edgesFor.data(), 1, MPI_INT, comm);
  // (Members are set only once setup succeeds: a failed setup may be
  // retried.)
  std::vector<int32_t> flatCounts, flatSources, flatTargets;
  for (int q = 0; q < size; ++q) {
    flatCounts.insert(flatCounts.end(), edgeCounts[q].begin(), edgeCounts[q].end());
    flatSources.insert(flatSources.end(), sourceIds[q].begin(), sourceIds[q].end());
    flatTargets.insert(flatTargets.end(), targets[q].begin(), targets[q].end());
  }
  std::optional<std::vector<int>> countDispls = displacements(mirrorCounts),
                                  sourceDispls = displacements(edgesTo),
                                  heldDispls = displacements(mirrorsHeld),
                                  forDispls = displacements(edgesFor);
  if (tooMany || !countDispls || !sourceDispls || !heldDispls || !forDispls ||
      mirrors + owned > std::numeric_limits<int32_t>::max())
    fault = ("part " + llvm::Twine(p.part) +
             " has more mirrors or cut in-edges than one MPI exchange can "
             "count").str();
  if (llvm::Error e = agree(fault, comm))
    return e;

  std::vector<int32_t> heldCounts(mirrors), heldSources;
  int64_t heldEdges = 0;
  for (int q = 0; q < size; ++q)
    heldEdges += edgesFor[q];
  heldSources.resize(heldEdges);
  MPI_Alltoallv(flatCounts.data(), mirrorCounts.data(), countDispls->data(),
                MPI_INT32_T, heldCounts.data(), mirrorsHeld.data(),
                heldDispls->data(), MPI_INT32_T, comm);
  MPI_Alltoallv(flatSources.data(), edgesTo.data(), sourceDispls->data(),
                MPI_INT32_T, heldSources.data(), edgesFor.data(),
                forDispls->data(), MPI_INT32_T, comm);

  // The CSR over the owned targets (their in-edges from owned sources, in
  // the part's order) and the mirrors (their edges as the owner sent them).
  int64_t localCount = 0;
  for (int64_t e = 0; e < off[owned]; ++e)
    localCount += src[e] < owned;
  AlignedArray<int64_t> offsets(owned + mirrors + 1), edgeIds(localCount + heldEdges);
  AlignedArray<int32_t> sources(localCount + heldEdges);
  int64_t k = 0;
  offsets[0] = 0;
  for (int64_t t = 0; t < owned; ++t) {
    for (int64_t e = off[t]; e < off[t + 1]; ++e)
      if (src[e] < owned) {
        sources[k] = src[e];
        edgeIds[k++] = p.graph.edgeIds()[e];
      }
    offsets[t + 1] = k;
  }
  int64_t at = 0;
  for (int64_t m = 0; m < mirrors && !fault; ++m) {
    if (heldCounts[m] <= 0 || heldCounts[m] > heldEdges - at) {
      fault = "the mirror lists of the parts disagree (parts of different "
              "partitionings?)";
      break;
    }
    for (int32_t c = 0; c < heldCounts[m]; ++c, ++at) {
      int32_t u = heldSources[at];
      if (u < 0 || u >= owned) {
        fault = ("another part names row " + llvm::Twine(u) + " of part " +
                 llvm::Twine(p.part) + ", which it does not own (the parts "
                 "come from different partitionings)").str();
        break;
      }
      sources[k] = u;
      edgeIds[k++] = -1; // (the edge's position is its owner's business)
    }
    offsets[owned + m + 1] = k;
  }
  if (!fault && at != heldEdges)
    fault = "the mirror lists of the parts disagree (parts of different "
            "partitionings?)";
  if (llvm::Error e = agree(fault, comm))
    return e;
  llvm::Expected<Graph> g =
      Graph::fromCsr(owned + mirrors, 0, std::move(offsets), std::move(sources),
                     std::move(edgeIds), "the push form's edges");
  if (!g)
    fault = llvm::toString(g.takeError());
  if (llvm::Error e = agree(fault, comm))
    return e;
  localEdges = std::move(*g);
  receivedTargets = std::move(flatTargets);

  // Each owned target's received rows, in the order of the senders.
  mergeOffsets.assign(owned + 1, 0);
  for (int32_t t : receivedTargets)
    ++mergeOffsets[t + 1];
  for (int64_t t = 0; t < owned; ++t)
    mergeOffsets[t + 1] += mergeOffsets[t];
  mergeRows.resize(receivedTargets.size());
  std::vector<int64_t> next(mergeOffsets.begin(), mergeOffsets.end() - 1);
  for (size_t r = 0; r < receivedTargets.size(); ++r)
    mergeRows[next[receivedTargets[r]]++] = r;

  // Per neighbour: states go where pulled rows come from, and back.
  pushSendCounts.clear();
  pushRecvCounts.clear();
  for (int q : destinationRanks)
    pushSendCounts.push_back(mirrorsHeld[q]);
  for (int q : sourceRanks)
    pushRecvCounts.push_back(mirrorCounts[q]);
  pushSendDispls = *displacements(pushSendCounts);
  pushRecvDispls = *displacements(pushRecvCounts);
  MPI_Dist_graph_create_adjacent(
      comm, int(destinationRanks.size()), destinationRanks.data(),
      MPI_UNWEIGHTED, int(sourceRanks.size()), sourceRanks.data(),
      MPI_UNWEIGHTED, MPI_INFO_NULL, /*reorder=*/0, &reversed);
  pushReady = true;
  return llvm::Error::success();
}

llvm::Expected<const Graph *> MpiHaloExchange::pushGraph() {
  if (!pushReady)
    if (llvm::Error e = setUpPush())
      return std::move(e);
  return &localEdges;
}

/// One row of `rowFloats` floats as an MPI datatype, freed with the scope.
namespace {
struct RowType {
  explicit RowType(int64_t rowFloats) {
    MPI_Type_contiguous(int(rowFloats), MPI_FLOAT, &type);
    MPI_Type_commit(&type);
  }
  ~RowType() { MPI_Type_free(&type); }
  MPI_Datatype type;
};
} // namespace

/// Copies rows `ids` of `rows` (rowFloats floats each) into `buffer`, in
/// that order: what an exchange sends when the rows do not lie together.
static void packRows(const float *rows, int64_t rowFloats,
                     const std::vector<int32_t> &ids,
                     std::vector<float> &buffer) {
  buffer.resize(ids.size() * rowFloats);
  size_t rowBytes = rowFloats * sizeof(float);
  int64_t count = ids.size();
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < count; ++i)
    std::memcpy(buffer.data() + i * rowFloats, rows + int64_t(ids[i]) * rowFloats,
                rowBytes);
}

/// The counts of an exchange of `sent` and `received` rows.
static void recordTraffic(ExchangeTiming &timing, const char *form,
                          int64_t rowFloats, int64_t sent, int64_t received) {
  int64_t rowBytes = rowFloats * int64_t(sizeof(float));
  timing.form = form;
  timing.rowFloats = rowFloats;
  timing.rowsSent = sent;
  timing.rowsReceived = received;
  timing.bytesSent = sent * rowBytes;
  timing.bytesReceived = received * rowBytes;
}

llvm::Error MpiHaloExchange::exchangePartials(
    float *states, int64_t rowFloats,
    llvm::function_ref<void(float *into, const float *from)> merge,
    ExchangeTiming &timing) {
  if (llvm::Expected<const Graph *> g = pushGraph(); !g)
    return g.takeError();
  // The mirrors' rows follow the owned ones, grouped by the targets'
  // owners in rank order: each block goes out as it lies.
  receiveBuffer.resize(receivedTargets.size() * rowFloats);
  RowType row(rowFloats);
  int rc = MPI_Neighbor_alltoallv(
      states + owned * rowFloats, pushSendCounts.data(), pushSendDispls.data(),
      row.type, receiveBuffer.data(), pushRecvCounts.data(),
      pushRecvDispls.data(), row.type, neighbours);
  if (rc != MPI_SUCCESS)
    return makeError("MPI_Neighbor_alltoallv failed in the push exchange");
  const float *received = receiveBuffer.data();
  // `merge` may allocate (a softmax state over more than 64 logits), and no
  // exception may leave a parallel region (that terminates): the first is
  // kept, the other threads skip the rest, and it is rethrown after.
  std::exception_ptr failure;
  std::atomic<bool> failed{false};
#pragma omp parallel for schedule(dynamic, 256)
  for (int64_t t = 0; t < owned; ++t) {
    if (failed.load(std::memory_order_relaxed))
      continue;
    try {
      for (int64_t k = mergeOffsets[t]; k < mergeOffsets[t + 1]; ++k)
        merge(states + t * rowFloats,
              received + int64_t(mergeRows[k]) * rowFloats);
    } catch (...) {
#pragma omp critical(gnn_merge_fault)
      if (!failed.exchange(true))
        failure = std::current_exception();
    }
  }
  if (failure)
    std::rethrow_exception(failure);

  recordTraffic(timing, "push", rowFloats, mirrors, receivedTargets.size());
  return llvm::Error::success();
}

llvm::Error MpiHaloExchange::exchangeToMirrors(float *rows, int64_t rowFloats,
                                               ExchangeTiming &timing) {
  if (llvm::Expected<const Graph *> g = pushGraph(); !g)
    return g.takeError();
  // The rows of the targets each part aggregates for, in the order it
  // holds its mirrors: straight into its rows after the owned ones.
  packRows(rows, rowFloats, receivedTargets, sendBuffer);
  RowType row(rowFloats);
  int rc = MPI_Neighbor_alltoallv(
      sendBuffer.data(), pushRecvCounts.data(), pushRecvDispls.data(), row.type,
      rows + owned * rowFloats, pushSendCounts.data(), pushSendDispls.data(),
      row.type, reversed);
  if (rc != MPI_SUCCESS)
    return makeError("MPI_Neighbor_alltoallv failed sending rows to mirrors");
  recordTraffic(timing, "to mirrors", rowFloats, receivedTargets.size(),
                mirrors);
  return llvm::Error::success();
}

llvm::Error MpiHaloExchange::exchange(float *rows, int64_t rowFloats,
                                      ExchangeTiming &timing) {
  packRows(rows, rowFloats, sendRows, sendBuffer);
  RowType row(rowFloats);
  int rc = MPI_Neighbor_alltoallv(sendBuffer.data(), sendCounts.data(),
                                  sendDispls.data(), row.type,
                                  rows + owned * rowFloats, recvCounts.data(),
                                  recvDispls.data(), row.type, neighbours);
  if (rc != MPI_SUCCESS)
    return makeError("MPI_Neighbor_alltoallv failed in the halo exchange");
  recordTraffic(timing, "pull", rowFloats, sendRows.size(), ghosts);
  return llvm::Error::success();
}
