//===- Graph.h - A graph stored as CSR grouped by destination ---*- C++ -*-===//
//
// Message passing gathers over in-edges, so the runtime keeps, for each
// destination vertex v, the sources of its in-edges in
// sources[offsets[v] .. offsets[v+1]), in the order the edges appear in the
// input file (stable), with edgeIds[k] the input position of CSR edge k
// (needed to read per-edge features). Ids are 32-bit; existing self loops
// and duplicate edges are kept as given: layers that replace self loops do
// it virtually in their kernels.
//
// Vertex order. A graph may be stored *reordered* (`gnn-graph convert
// --reorder=degree|rcm|community`, gnn/Reorder.h): its vertex i is the
// user's original vertex originalIds()[i]. Everything on a Graph -- and
// Model::run -- works in the graph's order: the feature rows a run reads
// and the output rows it writes are in graph order. Hosts that hold
// features in the original order put them into graph order with
// rowsToGraphOrder and the output back with rowsToOriginalOrder (gnn-run
// and the Python module do so); both are the identity, without a copy,
// on a graph in its original order (originalIds() null). Each vertex's
// in-edges keep their order under reordering (only the source ids are
// renamed), so a run on a reordered graph gives the same bits.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_GRAPH_H
#define GNN_GRAPH_H

#include "gnn/Tensor.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>

namespace gnn {

class Graph {
public:
  /// Destination vertices: the rows kernels compute.
  int64_t numVertices() const { return numVertices_; }
  int64_t numEdges() const { return numEdges_; }
  /// Sources owned by other parts (a part's graph, gnn/Partition.h): ids
  /// numVertices .. numVertices + numGhosts - 1. Zero for a whole graph.
  int64_t numGhosts() const { return numGhosts_; }
  const int64_t *offsets() const { return offsets_.data(); }
  const int32_t *sources() const { return sources_.data(); }
  const int64_t *edgeIds() const { return edgeIds_.data(); }
  int64_t inDegree(int64_t v) const { return offsets_[v + 1] - offsets_[v]; }
  /// One past the largest in-edge source id (0 without edges): no in-edge
  /// reads the rows of the vertices from here on. Found while the graph is
  /// built, which visits every source anyway.
  int64_t sourceEnd() const { return sourceEnd_; }
  /// Whether the arrays are views of a read-only file mapping (a binary
  /// CSR file): a run may drop their pages from memory once it has read
  /// them (RunOptions::releaseMemory); the next read maps them again from
  /// the file.
  bool isFileMapped() const { return fileMapped_; }
  /// The user's id of each vertex (numVertices entries, a permutation of
  /// 0..N-1) when the graph is stored reordered; null when vertex i is the
  /// user's vertex i.
  const int64_t *originalIds() const {
    return originalIds_.size() ? originalIds_.data() : nullptr;
  }
  bool isReordered() const { return originalIds_.size() != 0; }
  /// The inverse of originalIds(): original vertex j is row graphIds()[j]
  /// (null when originalIds() is). Built with the permutation, 8 bytes a
  /// vertex, in memory even when the graph is a mapped file.
  const int64_t *graphIds() const {
    return graphIds_.size() ? graphIds_.data() : nullptr;
  }
  /// A number no other Graph made in this process has (moves keep it):
  /// what caches of per-graph work key on, since a new graph may get the
  /// addresses of a freed one. Its arrays never change after it is made.
  uint64_t id() const { return id_; }

  /// Builds the CSR from parallel arrays of edge endpoints (edge k goes
  /// from src[k] to dst[k]). Fails, naming the first bad edge, on an id
  /// outside [0, n); also on n outside [0, 2^31) (ids are stored in 32
  /// bits), a negative edge count, or memory running out.
  static llvm::Expected<Graph> fromEdges(int64_t n, const int64_t *src,
                                         const int64_t *dst, int64_t numEdges);

  /// Builds the CSR of a PyG edge_index held in memory: `src` and `dst`
  /// each point at `numEdges` ids of `idBytes` bytes (8: int64, 4: int32),
  /// the two rows of a [2, E] array; read in place, unaligned allowed. Every
  /// id is checked against [0, n), n below 2^31; a fault names `source`,
  /// the edge and the id, as loadGraph does for a file.
  static llvm::Expected<Graph> fromEdgeIndex(int64_t n, const void *src,
                                             const void *dst, int idBytes,
                                             int64_t numEdges,
                                             const std::string &source);

  /// A CSR given whole (a graph part): `offsets` has numVertices + 1
  /// entries from 0 to sources.size(), non-decreasing; every source is
  /// below numVertices + numGhosts; `edgeIds` (one per edge) names each
  /// edge's position in the input file. Fails, naming `source`, otherwise.
  static llvm::Expected<Graph> fromCsr(int64_t numVertices, int64_t numGhosts,
                                       AlignedArray<int64_t> offsets,
                                       AlignedArray<int32_t> sources,
                                       AlignedArray<int64_t> edgeIds,
                                       const std::string &source);

  /// This graph with `originalIds` (numVertices entries) as its
  /// permutation; fails, naming `source`, unless they are a permutation of
  /// 0..N-1 (every id in range, none twice). An identity permutation is
  /// dropped (originalIds() stays null).
  llvm::Error setOriginalIds(AlignedArray<int64_t> originalIds,
                             const std::string &source);

private:
  friend struct GraphBuilder; // Fills the arrays (Graph.cpp).
  // Maps a binary CSR file (gnn/CsrFile.h).
  friend llvm::Expected<Graph> loadCsrFile(const std::string &path,
                                           int64_t numVertices);

  static uint64_t newId();
  uint64_t id_ = newId();
  int64_t numVertices_ = 0, numEdges_ = 0, numGhosts_ = 0, sourceEnd_ = 0;
  bool fileMapped_ = false;
  AlignedArray<int64_t> offsets_; // numVertices + 1
  AlignedArray<int32_t> sources_; // numEdges
  AlignedArray<int64_t> edgeIds_; // numEdges
  AlignedArray<int64_t> originalIds_; // numVertices, or empty: identity
  AlignedArray<int64_t> graphIds_;    // its inverse, or empty
};

/// Checks that ids[0..n) is a permutation of 0..n-1; the fault (an id out
/// of range, or one given twice) as "WHAT i is ID, ..." text, or "".
std::string describeBadPermutation(const int64_t *ids, int64_t n,
                                   const std::string &what);

/// Vertex rows [N, ...] in the user's original order put into `graph`'s
/// order (row i of the result is original row originalIds()[i]). On a
/// graph in its original order, `rows` itself is returned (moved, no
/// copy). Fails, naming `source`, unless rows has N rows.
llvm::Expected<Tensor> rowsToGraphOrder(const Graph &graph, Tensor rows,
                                        const std::string &source);

/// The inverse: rows [N, ...] in `graph`'s order (a run's output) put back
/// into the user's original order; `rows` itself on a graph in its
/// original order.
llvm::Expected<Tensor> rowsToOriginalOrder(const Graph &graph, Tensor rows,
                                           const std::string &source);

/// Edge features [E, D] given in the edge order of the graph file,
/// reordered into the graph's CSR order (row k is input row edgeIds[k]):
/// what kernels read at in-edge position k. Fails, naming `source`, unless
/// `rows` is [numEdges, D].
llvm::Expected<Tensor> edgeFeaturesToCsr(const Graph &graph, const Tensor &rows,
                                         const std::string &source);

/// Loads a graph file: a PyG edge_index .npy (int64 or int32, shape [2, E],
/// row 0 sources, row 1 targets), a text edge list ("src dst" per line,
/// '#' comments, blank lines allowed), or a binary CSR file (gnn/CsrFile.h,
/// memory-mapped, whose vertex count must be `numVertices`), told apart by
/// their first bytes. `numVertices` is the vertex count
/// (from --num-nodes or the feature rows); an id outside [0, numVertices)
/// is an error naming the file, the edge and the id. numVertices must be
/// below 2^31.
llvm::Expected<Graph> loadGraph(const std::string &path, int64_t numVertices);

/// The largest vertex id in a graph file plus one (for --num-nodes
/// defaults when no features fix the count).
llvm::Expected<int64_t> countVertices(const std::string &path);

} // namespace gnn

#endif // GNN_GRAPH_H
