//===- CsrFile.h - The binary CSR graph file: mapped on load, written in bounded memory -*- C++ -*-===//
//
// A binary CSR file (`gnn-graph convert`, `gnn-graph generate
// --format=csr`) is one part of a partition directory stored alone: the
// part file format (runtime/PartFile.h) with part 0 of 1, no ghosts, no
// features, globalIds 0..N-1 -- or, in a reordered file (`gnn-graph
// convert --reorder`), any permutation of 0..N-1: vertex i of the file is
// the user's vertex globalIds[i] (gnn::Graph::originalIds()). Its edge order is its CSR order: edgeIds
// are 0..E-1, and edge features given with it (`--edge-attr`) are in that
// order (convert writes them so, next to the graph).
//
// Loading maps the file (no copy; pages come in as they are read) and
// checks the header, that globalIds is a permutation (every id in range,
// none twice), every offset and every source id before the graph is used; edgeIds are checked where they are used (gnn::edgeFeaturesToCsr).
// A short, damaged or foreign file is a one-line error naming it.
//
// Writing takes a replayable edge stream (gnn/EdgeStream.h): one pass
// counts in-degrees, then each fill pass places the in-edges of a range of
// destinations that fits the memory budget, in stream order (the same
// stable order as gnn::loadGraph), and writes them to the file. Memory:
// 16 bytes per vertex (offsets and cursors) plus the budget; the output is
// identical for any budget.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_CSRFILE_H
#define GNN_CSRFILE_H

#include "gnn/EdgeStream.h"
#include "gnn/Graph.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>

namespace gnn {

/// Whether `path` is a regular file that starts like a binary CSR file.
bool isCsrFile(const std::string &path);

/// Maps and checks a binary CSR file. `numVertices` is the vertex count
/// the caller expects (features' rows, --num-nodes), or -1 for the file's.
llvm::Expected<Graph> loadCsrFile(const std::string &path,
                                  int64_t numVertices = -1);

/// The vertex count in a binary CSR file's header (checked like loading).
llvm::Expected<int64_t> csrFileVertices(const std::string &path);

struct CsrWriteOptions {
  /// The bytes a fill pass may hold: 4 per edge (its source), plus
  /// 4 x D per edge with edge features. Smaller budgets mean more passes
  /// over the stream, never different bytes. At least one destination's
  /// in-edges go in each pass, even beyond the budget.
  uint64_t memoryBytes = uint64_t(1) << 30;
  /// Edge features [E, D] float32 .npy in the stream's order (empty:
  /// none), written to `edgeFeaturesOut` in the CSR's order.
  std::string edgeFeaturesIn, edgeFeaturesOut;
  /// Shown in progress lines ("count pass", "fill pass 1/3").
  bool progress = true;
  /// The streamed writer: the user's id of each vertex of the stream
  /// (numVertices entries, a permutation, as renumberEdgeStream's
  /// sequence), written as the file's globalIds; null: 0..N-1. The stream
  /// is then the renumbered one.
  const int64_t *originalIds = nullptr;
  /// Each vertex's in-edges sorted by source id (ties in stream or graph
  /// order, edge features moved with their edges): both writers write the
  /// file of gnn::sortInEdges (gnn/Reorder.h) of the unsorted graph. The
  /// streamed one sorts each fill pass in place, with a scratch of 12
  /// bytes (+ 4 x D) per in-edge of the largest in-edge list beyond the
  /// budget.
  bool sortInEdges = false;
};

/// Writes the binary CSR of `numVertices` vertices and the stream's edges
/// to `path` atomically (a temporary file renamed at the end; nothing is
/// left on failure), with the edge features when asked.
llvm::Error writeCsrFile(const std::string &path, int64_t numVertices,
                         EdgeStream &edges, const CsrWriteOptions &options);

/// Writes a whole graph held in memory (no ghosts) as a binary CSR file,
/// atomically: its vertex order (globalIds: graph.originalIds(), or
/// 0..N-1), its CSR order as the file's edge order (edgeIds 0..E-1). Edge
/// features (options.edgeFeaturesIn, in the order of the file the graph
/// was read from) go to options.edgeFeaturesOut in the CSR's order: row
/// k is input row graph.edgeIds()[k]. What `gnn-graph convert --reorder`
/// writes (after gnn::permuteGraph); memoryBytes is not used.
llvm::Error writeCsrFile(const std::string &path, const Graph &graph,
                         const CsrWriteOptions &options);

} // namespace gnn

#endif // GNN_CSRFILE_H
