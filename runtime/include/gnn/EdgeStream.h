//===- EdgeStream.h - Edges read in order, batch by batch, replayable -*- C++ -*-===//
//
// What builds a CSR in bounded memory: a graph's edges in their file order,
// delivered in batches of at most kEdgeBatch, from the start again on every
// pass, so a writer can count in one pass and fill in others without the
// whole edge list in memory. A file's stream reads the memory-mapped
// edge_index .npy or the text edge list again each pass; `gnn-graph
// generate --format=csr` regenerates its seeded edges instead.
//
// Usage:
//   auto edges = gnn::openEdgeStream("g.edges.npy", numVertices);
//   if (!edges) ...;
//   llvm::Error err = (*edges)->forEach(
//       [&](int64_t first, const int64_t *src, const int64_t *dst,
//           int64_t count) { ... edge first + i goes src[i] -> dst[i] ... });
//
//===----------------------------------------------------------------------===//
#ifndef GNN_EDGESTREAM_H
#define GNN_EDGESTREAM_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <string>

namespace gnn {

/// Edges per batch (sized to stay in cache with their ids).
constexpr int64_t kEdgeBatch = int64_t(1) << 16;

class EdgeStream {
public:
  using Batch = llvm::function_ref<void(int64_t first, const int64_t *src,
                                        const int64_t *dst, int64_t count)>;
  virtual ~EdgeStream() = default;
  /// The edge count, or -1 while unknown (a text file before its first
  /// pass).
  virtual int64_t size() const = 0;
  /// Delivers every edge, in order, in batches; each id is in [0, N) for
  /// the vertex count the stream was opened with. A fault (a bad id, a
  /// malformed line) stops the pass with an error naming the file.
  virtual llvm::Error forEach(Batch batch) = 0;
};

/// Opens a graph file (PyG edge_index .npy, int64 or int32 [2, E], or a
/// text edge list) as a stream whose ids are checked against
/// [0, numVertices). Errors name the file, as gnn::loadGraph's do.
llvm::Expected<std::unique_ptr<EdgeStream>>
openEdgeStream(const std::string &path, int64_t numVertices);

/// Parses a text edge list ("src dst" per line, '#' comments, blank lines)
/// from `text`, calling edge(src, dst) for each; ids must be below `limit`
/// (described by `limitText` in messages). Errors read "PATH:LINE: fault".
llvm::Error scanEdgeList(const std::string &path, llvm::StringRef text,
                         int64_t limit, const std::string &limitText,
                         llvm::function_ref<void(int64_t, int64_t)> edge);

} // namespace gnn

#endif // GNN_EDGESTREAM_H
