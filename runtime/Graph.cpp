//===- Graph.cpp - Building the destination-grouped CSR from edge files ---===//
//
// Edge endpoints are read straight from the memory-mapped .npy file (no
// widened copy of a possibly 100M-edge list), checked and counted in one
// pass, then placed by a stable counting sort on the destination.
//
//===----------------------------------------------------------------------===//

#include "ResourceFaults.h"
#include "RowGather.h"
#include "gnn/Graph.h"
#include "gnn/Npy.h"

#include "gnn/CsrFile.h"
#include "gnn/EdgeStream.h"

#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cstring>
#include <limits>
#include <vector>

using llvm::StringRef;

namespace gnn {
namespace {

/// Ids are stored in 32 bits.
constexpr int64_t kMaxVertices = int64_t(1) << 31;

llvm::Error fail(const std::string &where, const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 where + ": " + msg.str());
}

/// Reads element `k` of a little-endian array that may be unaligned in a
/// mapped file; compiles to a plain load.
template <typename Id> inline int64_t loadId(const char *base, int64_t k) {
  Id v;
  std::memcpy(&v, base + size_t(k) * sizeof(Id), sizeof(Id));
  return v;
}

/// The first edge with an endpoint outside [0, n), found by the counting
/// pass; `valid` is false if there is one.
struct BadEdge {
  bool valid = true;
  int64_t edge = 0, id = 0;
  bool isTarget = false;
};

std::string describeBadId(const BadEdge &bad, int64_t n,
                          const std::string &limitText) {
  std::string which = bad.isTarget ? "target" : "source";
  if (bad.id < 0)
    return which + " id " + std::to_string(bad.id) + " is negative";
  return which + " id " + std::to_string(bad.id) + " is not below " +
         limitText;
}

std::string vertexCountText(int64_t n) {
  return "the vertex count " + std::to_string(n);
}

} // namespace

/// Fills a Graph's arrays; a friend so the arrays stay private.
struct GraphBuilder {
  /// Builds the CSR of `numEdges` edges whose endpoints are the Id-typed
  /// arrays at `src` and `dst`. With Check, stops at the first id outside
  /// [0, n) and reports it in `bad`; without, ids are trusted.
  template <typename Id, bool Check>
  static Graph build(int64_t n, const char *src, const char *dst,
                     int64_t numEdges, BadEdge &bad) {
    Graph g;
    g.numVertices_ = n;
    g.numEdges_ = numEdges;
    g.offsets_ = AlignedArray<int64_t>(n + 1);
    int64_t *off = g.offsets_.data();
    std::memset(off, 0, sizeof(int64_t) * (n + 1));

    // Count in-degrees into off[d + 1], checking ids on the way.
    for (int64_t k = 0; k < numEdges; ++k) {
      int64_t s = loadId<Id>(src, k), d = loadId<Id>(dst, k);
      if (Check) {
        // One unsigned compare per endpoint also catches negative ids.
        if (uint64_t(s) >= uint64_t(n) || uint64_t(d) >= uint64_t(n)) {
          bad.valid = false;
          bad.edge = k;
          bad.isTarget = uint64_t(s) < uint64_t(n);
          bad.id = bad.isTarget ? d : s;
          return Graph();
        }
      } else {
        assert(s >= 0 && s < n && d >= 0 && d < n && "unchecked id");
        (void)s;
      }
      ++off[d + 1];
    }
    for (int64_t v = 0; v < n; ++v)
      off[v + 1] += off[v];

    // Stable scatter: edges are visited in input order, so each vertex's
    // in-edges keep that order and edgeIds ascend within it.
    g.sources_ = AlignedArray<int32_t>(numEdges);
    g.edgeIds_ = AlignedArray<int64_t>(numEdges);
    AlignedArray<int64_t> cursor(n);
    std::memcpy(cursor.data(), off, sizeof(int64_t) * n);
    int32_t *sources = g.sources_.data();
    int64_t *edgeIds = g.edgeIds_.data();
    int64_t *cur = cursor.data();
    int64_t largest = -1;
    for (int64_t k = 0; k < numEdges; ++k) {
      int64_t s = loadId<Id>(src, k), d = loadId<Id>(dst, k);
      int64_t pos = cur[d]++;
      sources[pos] = int32_t(s);
      edgeIds[pos] = k;
      largest = std::max(largest, s);
    }
    g.sourceEnd_ = largest + 1;
    return g;
  }
};

llvm::Expected<Graph> Graph::fromEdges(int64_t n, const int64_t *src,
                                       const int64_t *dst, int64_t numEdges) {
  const std::string where = "Graph::fromEdges";
  if (n < 0 || n >= kMaxVertices)
    return fail(where, "vertex count " + llvm::Twine(n) +
                           " is out of range (0 to 2^31 - 1)");
  if (numEdges < 0)
    return fail(where, "edge count " + llvm::Twine(numEdges) + " is negative");
  if (numEdges > 0 && (!src || !dst))
    return fail(where, llvm::Twine(numEdges) +
                           " edges but no endpoint arrays");
  BadEdge bad;
  Graph g;
  try {
    g = GraphBuilder::build<int64_t, true>(
        n, reinterpret_cast<const char *>(src),
        reinterpret_cast<const char *>(dst), numEdges, bad);
  } catch (const std::bad_alloc &) {
    return fail(where, "not enough memory for a graph of " + llvm::Twine(n) +
                           " vertices and " + llvm::Twine(numEdges) + " edges");
  }
  if (!bad.valid)
    return fail(where, "edge " + std::to_string(bad.edge) + ": " +
                           describeBadId(bad, n, vertexCountText(n)));
  return std::move(g);
}

namespace {

/// An opened edge_index .npy: endpoint rows, int32 or int64.
struct NpyEdges {
  NpyFile file;
  bool is64 = true;
  int64_t numEdges = 0;
  const char *src() const { return file.data; }
  const char *dst() const {
    return file.data + size_t(numEdges) * file.itemSize;
  }
};

llvm::Expected<NpyEdges> openEdgeIndex(const std::string &path) {
  auto f = openNpy(path);
  if (!f)
    return f.takeError();
  NpyEdges e;
  if (f->descr == "<i4")
    e.is64 = false;
  else if (f->descr != "<i8")
    return fail(path, "edge_index dtype is '" + f->descr +
                          "', expected int64 ('<i8') or int32 ('<i4')");
  if (f->shape.size() != 2 || f->shape[0] != 2)
    return fail(path, "edge_index must have shape [2, E], found " +
                          formatShape(f->shape));
  e.numEdges = f->shape[1];
  e.file = std::move(*f);
  return std::move(e);
}

/// Reads the "src dst" pairs of a text edge list into `src` and `dst`. `limit` bounds the ids
/// (exclusive) and `limitText` says what the bound is, for messages.
/// Errors read "PATH:LINE: fault".
llvm::Error parseEdgeList(const std::string &path, int64_t limit,
                          const std::string &limitText,
                          std::vector<int64_t> &src,
                          std::vector<int64_t> &dst) {
  auto bufOr = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                           /*RequiresNullTerminator=*/false);
  if (!bufOr)
    return fail(path, "cannot read file: " + bufOr.getError().message());
  return scanEdgeList(path, (*bufOr)->getBuffer(), limit, limitText,
                      [&](int64_t s, int64_t d) {
                        src.push_back(s);
                        dst.push_back(d);
                      });
}

bool looksLikeNpy(const std::string &path) {
  if (StringRef(path).ends_with(".npy"))
    return true;
  // Also sniff the content so a PyG edge_index saved without the
  // extension is not parsed as text.
  auto bufOr = llvm::MemoryBuffer::getFileSlice(path, 6, 0,
                                                /*IsVolatile=*/false);
  return bufOr && hasNpyMagic((*bufOr)->getBuffer());
}

} // namespace

llvm::Expected<Graph> loadGraph(const std::string &path,
                                int64_t numVertices) {
  return gnn::detail::catchOutOfMemory(path, "building the graph of " + llvm::Twine(numVertices) + " vertices",
                                      [&]() -> llvm::Expected<Graph> {
    if (numVertices < 0 || numVertices >= kMaxVertices)
      return fail(path, "vertex count " + llvm::Twine(numVertices) +
                            " is outside [0, 2^31)");
    std::string limitText = vertexCountText(numVertices);
    if (isCsrFile(path))
      return loadCsrFile(path, numVertices);
    if (looksLikeNpy(path)) {
      auto e = openEdgeIndex(path);
      if (!e)
        return e.takeError();
      BadEdge bad;
      Graph g = e->is64 ? GraphBuilder::build<int64_t, true>(
                              numVertices, e->src(), e->dst(), e->numEdges, bad)
                        : GraphBuilder::build<int32_t, true>(
                              numVertices, e->src(), e->dst(), e->numEdges, bad);
      if (!bad.valid)
        return fail(path, "edge " + llvm::Twine(bad.edge) + ": " +
                              describeBadId(bad, numVertices, limitText));
      return std::move(g);
    }
    std::vector<int64_t> src, dst;
    if (auto err = parseEdgeList(path, numVertices, limitText, src, dst))
      return std::move(err);
    return Graph::fromEdges(numVertices, src.data(), dst.data(),
                            int64_t(src.size()));
  });
}

llvm::Expected<Graph> Graph::fromEdgeIndex(int64_t n, const void *src,
                                           const void *dst, int idBytes,
                                           int64_t numEdges,
                                           const std::string &source) {
  return gnn::detail::catchOutOfMemory(source, "building the graph of " + llvm::Twine(n) + " vertices",
                                      [&]() -> llvm::Expected<Graph> {
    if (n < 0 || n >= kMaxVertices)
      return fail(source, "vertex count " + llvm::Twine(n) +
                              " is outside [0, 2^31)");
    if (idBytes != 4 && idBytes != 8)
      return fail(source, "ids must be int64 or int32, not " +
                              llvm::Twine(idBytes) + "-byte integers");
    if (numEdges < 0)
      return fail(source, "edge count " + llvm::Twine(numEdges) +
                              " is negative");
    if (numEdges > 0 && (!src || !dst))
      return fail(source, llvm::Twine(numEdges) +
                              " edges but no endpoint arrays");
    auto *s = static_cast<const char *>(src), *d = static_cast<const char *>(dst);
    BadEdge bad;
    Graph g = idBytes == 8
                  ? GraphBuilder::build<int64_t, true>(n, s, d, numEdges, bad)
                  : GraphBuilder::build<int32_t, true>(n, s, d, numEdges, bad);
    if (!bad.valid)
      return fail(source, "edge " + llvm::Twine(bad.edge) + ": " +
                              describeBadId(bad, n, vertexCountText(n)));
    return std::move(g);
  });
}

llvm::Expected<int64_t> countVertices(const std::string &path) {
  // The largest id must leave room for "+ 1" below 2^31.
  std::string limitText = "2147483647 (ids must fit in 31 bits)";
  int64_t limit = kMaxVertices - 1;
  if (isCsrFile(path))
    return csrFileVertices(path);
  if (looksLikeNpy(path)) {
    auto e = openEdgeIndex(path);
    if (!e)
      return e.takeError();
    int64_t maxId = -1;
    for (int64_t k = 0; k < e->numEdges; ++k) {
      for (int r = 0; r < 2; ++r) {
        const char *row = r == 0 ? e->src() : e->dst();
        int64_t id = e->is64 ? loadId<int64_t>(row, k)
                             : loadId<int32_t>(row, k);
        if (uint64_t(id) >= uint64_t(limit)) {
          BadEdge bad;
          bad.edge = k;
          bad.id = id;
          bad.isTarget = r == 1;
          return fail(path, "edge " + llvm::Twine(k) + ": " +
                                describeBadId(bad, limit, limitText));
        }
        maxId = std::max(maxId, id);
      }
    }
    return maxId + 1;
  }
  // Streamed: a large text list is not held as vectors just to count.
  auto bufOr = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                           /*RequiresNullTerminator=*/false);
  if (!bufOr)
    return fail(path, "cannot read file: " + bufOr.getError().message());
  int64_t maxId = -1;
  if (auto err = scanEdgeList(path, (*bufOr)->getBuffer(), limit, limitText,
                              [&](int64_t s, int64_t d) {
                                maxId = std::max({maxId, s, d});
                              }))
    return std::move(err);
  return maxId + 1;
}

llvm::Expected<Tensor> edgeFeaturesToCsr(const Graph &graph, const Tensor &rows,
                                         const std::string &source) {
  return gnn::detail::catchOutOfMemory(source, "reordering the edge features",
                                      [&]() -> llvm::Expected<Tensor> {
    if (std::string bad = describeBadStorage(rows); !bad.empty())
      return fail(source, "edge features " + bad);
    if (rows.shape.size() != 2)
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          source + ": edge features must be [E, D], got shape " +
              formatShape(rows.shape));
    if (rows.shape[0] != graph.numEdges())
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          source + ": has " + std::to_string(rows.shape[0]) +
              " rows of edge features but the graph has " +
              std::to_string(graph.numEdges()) + " edges");
    int64_t d = rows.shape[1];
    Tensor out(rows.shape);
    const int64_t *ids = graph.edgeIds();
    const float *in = rows.data();
    float *o = out.data();
    // The ids may come from a mapped file (gnn/CsrFile.h) that nothing
    // has checked yet: each is checked here, where it is first used.
    for (int64_t k = 0; k < graph.numEdges(); ++k) {
      if (uint64_t(ids[k]) >= uint64_t(graph.numEdges()))
        return llvm::createStringError(
            llvm::inconvertibleErrorCode(),
            source + ": the graph's edge " + std::to_string(k) +
                " names input edge " + std::to_string(ids[k]) +
                ", not below its " + std::to_string(graph.numEdges()) +
                " edges");
      std::copy(in + ids[k] * d, in + (ids[k] + 1) * d, o + k * d);
    }
    return out;
  });
}

llvm::Expected<Graph> Graph::fromCsr(int64_t numVertices, int64_t numGhosts,
                                     AlignedArray<int64_t> offsets,
                                     AlignedArray<int32_t> sources,
                                     AlignedArray<int64_t> edgeIds,
                                     const std::string &source) {
  return gnn::detail::catchOutOfMemory(source, "building the graph of " + llvm::Twine(numVertices) + " vertices",
                                      [&]() -> llvm::Expected<Graph> {
    if (numVertices < 0 || numGhosts < 0 || numVertices + numGhosts > kMaxVertices)
      return fail(source, "vertex counts " + llvm::Twine(numVertices) + " + " +
                              llvm::Twine(numGhosts) + " ghosts are out of range");
    int64_t numEdges = sources.size();
    if (offsets.size() != size_t(numVertices + 1) || edgeIds.size() != size_t(numEdges))
      return fail(source, "CSR arrays have inconsistent sizes");
    const int64_t *off = offsets.data();
    if (off[0] != 0 || off[numVertices] != numEdges)
      return fail(source, "CSR offsets do not span the edges");
    for (int64_t v = 0; v < numVertices; ++v)
      if (off[v] > off[v + 1])
        return fail(source, "CSR offsets decrease at vertex " + llvm::Twine(v));
    uint64_t limit = numVertices + numGhosts;
    int64_t largest = -1;
    for (int64_t k = 0; k < numEdges; ++k) {
      if (uint64_t(int64_t(sources[k])) >= limit)
        return fail(source, "edge " + llvm::Twine(k) + " has source id " +
                                llvm::Twine(sources[k]) + ", not below " +
                                llvm::Twine(limit));
      largest = std::max<int64_t>(largest, sources[k]);
    }
    Graph g;
    g.sourceEnd_ = largest + 1;
    g.numVertices_ = numVertices;
    g.numGhosts_ = numGhosts;
    g.numEdges_ = numEdges;
    g.offsets_ = std::move(offsets);
    g.sources_ = std::move(sources);
    g.edgeIds_ = std::move(edgeIds);
    return std::move(g);
  });
}

std::string describeBadPermutation(const int64_t *ids, int64_t n,
                                   const std::string &what) {
  std::vector<bool> seen(size_t(std::max<int64_t>(n, 0)), false);
  for (int64_t i = 0; i < n; ++i) {
    int64_t id = ids[i];
    if (uint64_t(id) >= uint64_t(n))
      return what + " " + std::to_string(i) + " is " + std::to_string(id) +
             ", not in [0, " + std::to_string(n) + ")";
    if (seen[size_t(id)])
      return what + " " + std::to_string(i) + " is " + std::to_string(id) +
             ", given twice (the ids must be a permutation of 0.." +
             std::to_string(n - 1) + ")";
    seen[size_t(id)] = true;
  }
  return "";
}

llvm::Error Graph::setOriginalIds(AlignedArray<int64_t> ids,
                                  const std::string &source) {
  if (int64_t(ids.size()) != numVertices_)
    return fail(source, "the vertex permutation has " +
                            llvm::Twine(ids.size()) + " ids for " +
                            llvm::Twine(numVertices_) + " vertices");
  // The identity first: one sequential pass that a file in its original
  // order (a CSR file's globalIds 0..N-1) passes without the
  // permutation check's bitmap.
  int64_t i = 0;
  while (i < numVertices_ && ids[i] == i)
    ++i;
  if (i == numVertices_) {
    originalIds_ = AlignedArray<int64_t>();
    graphIds_ = AlignedArray<int64_t>();
    return llvm::Error::success();
  }
  if (std::string bad = describeBadPermutation(ids.data(), numVertices_,
                                               "global id of vertex");
      !bad.empty())
    return fail(source, bad);
  originalIds_ = std::move(ids);
  // The inverse, so that outputs go back to the original order as a gather:
  // written in order, read at random (a scatter was 80-90 ms for rmat-22's
  // [4M, 16] output, its random writes each reading the line first).
  graphIds_ = AlignedArray<int64_t>(size_t(numVertices_));
  int64_t *graphIds = graphIds_.data();
  const int64_t *originalIds = originalIds_.data();
#pragma omp parallel for schedule(static)
  for (int64_t v = 0; v < numVertices_; ++v)
    graphIds[originalIds[v]] = v;
  return llvm::Error::success();
}

namespace {

/// Row checks shared by the two directions; the row width in floats.
llvm::Expected<int64_t> permutableRows(const Graph &graph, const Tensor &rows,
                                       const std::string &source) {
  if (std::string bad = describeBadStorage(rows); !bad.empty())
    return fail(source, "rows " + bad);
  if (rows.shape.empty() || rows.shape[0] != graph.numVertices())
    return fail(source, "has shape " + formatShape(rows.shape) +
                            ", not one row per vertex of the graph's " +
                            llvm::Twine(graph.numVertices()));
  int64_t width = 1;
  for (size_t d = 1; d < rows.shape.size(); ++d)
    width *= rows.shape[d];
  return width;
}

/// A fresh tensor: out row i = in row from[i].
Tensor gatherRows(const Tensor &in, const int64_t *from, int64_t width) {
  Tensor out(in.shape);
  detail::gatherRows(in.data(), from, in.shape[0], width, out.data());
  return out;
}

} // namespace

/// `rows` into the graph's vertex order (`toGraph`) or back.
static llvm::Expected<Tensor> reorderRows(const Graph &graph, Tensor rows,
                                          const std::string &source,
                                          bool toGraph) {
  auto width = permutableRows(graph, rows, source);
  if (!width)
    return width.takeError();
  if (!graph.isReordered())
    return std::move(rows);
  return gnn::detail::catchOutOfMemory(
      source,
      toGraph ? "putting the rows into the graph's vertex order"
              : "putting the rows back into the original vertex order",
      [&]() -> llvm::Expected<Tensor> {
        return gatherRows(rows,
                          toGraph ? graph.originalIds() : graph.graphIds(),
                          *width);
      });
}

llvm::Expected<Tensor> rowsToGraphOrder(const Graph &graph, Tensor rows,
                                        const std::string &source) {
  return reorderRows(graph, std::move(rows), source, true);
}

llvm::Expected<Tensor> rowsToOriginalOrder(const Graph &graph, Tensor rows,
                                           const std::string &source) {
  return reorderRows(graph, std::move(rows), source, false);
}

} // namespace gnn

uint64_t gnn::Graph::newId() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

void gnn::detail::gatherRows(const float *in, const int64_t *from,
                             int64_t rows, int64_t width, float *out) {
  size_t bytes = sizeof(float) * size_t(width);
  // On all threads: the copy, and the first touch of fresh pages of `out`,
  // were 110-140 ms on one for rmat-22's [4M, 16] output. A row of one
  // line (16 floats, a common class count) is a fixed-size copy, not a
  // call. Rows are read at random, so each is prefetched 16 rows ahead,
  // every line of it, as the cache ladder's gather does (bench/stream.cpp).
  constexpr int64_t kAhead = 16;
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < rows; ++i) {
    if (i + kAhead < rows) {
      const char *next =
          reinterpret_cast<const char *>(in + from[i + kAhead] * width);
      for (size_t line = 0; line < bytes; line += 64)
        __builtin_prefetch(next + line);
    }
    if (bytes == 64)
      std::memcpy(out + i * width, in + from[i] * width, 64);
    else
      std::memcpy(out + i * width, in + from[i] * width, bytes);
  }
}
