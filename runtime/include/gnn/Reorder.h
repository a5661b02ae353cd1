//===- Reorder.h - Vertex orders for graph preparation ----------*- C++ -*-===//
//
// A graph may be stored with its vertices renumbered so that the rows a
// message-passing kernel gathers lie closer together in memory
// (`gnn-graph convert|partition --reorder=...`). The permutation is kept
// with the graph (gnn::Graph::originalIds(), the globalIds of a CSR or
// part file), so features and outputs stay in the user's order; each
// vertex keeps its in-edges in their order, so runs give the same bits.
//
// Every order is a deterministic function of the graph (no seeds, no
// threads), defined on the graph's own vertex ids:
//
//   degree     vertices by descending out-degree (how often a row is
//              gathered), ties by ascending id.
//   rcm        reverse Cuthill-McKee on the symmetrised graph (in- and
//              out-edges, duplicates counted): each component is a BFS from
//              its unvisited vertex of least degree (ties: smallest id),
//              each vertex's unvisited neighbours appended by ascending
//              degree (ties: id); the whole sequence reversed.
//   community  size-capped label propagation on the symmetrised graph:
//              labels start as the vertex ids; kCommunityRounds rounds
//              visit the vertices in ascending id, each taking the label
//              most frequent among its neighbours (ties: the smallest
//              label), unless that community already holds
//              kCommunitySize vertices; then vertices grouped by
//              community (communities by their smallest vertex id), by
//              descending degree inside one.
//
// Memory, beyond the graph's in-memory CSR (16 bytes per edge, 8 per
// vertex): degree 8 bytes per vertex; rcm and community the transposed
// CSR (4 bytes per edge, 8 per vertex) and about 20 bytes per vertex.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_REORDER_H
#define GNN_REORDER_H

#include "gnn/EdgeStream.h"
#include "gnn/Graph.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace gnn {

enum class VertexOrder { None, Degree, Rcm, Community };

/// Rounds of label propagation, and the most vertices a community may
/// grow to: 4096 rows of 64 floats are 1 MiB, an L2 cache's worth.
constexpr int kCommunityRounds = 5;
constexpr int64_t kCommunitySize = 4096;

/// "none", "degree", "rcm", "community"; anything else is an error naming
/// the choices.
llvm::Expected<VertexOrder> parseVertexOrder(llvm::StringRef name);
const char *vertexOrderName(VertexOrder order);

/// The order as a sequence: result[i] is the vertex of `graph` (its own
/// id) that goes to position i. None gives 0..N-1. Fails only when memory
/// runs out.
llvm::Expected<std::vector<int32_t>> computeVertexOrder(const Graph &graph,
                                                        VertexOrder order);

/// `graph` renumbered by `sequence` (a permutation of its vertices, as
/// computeVertexOrder gives): vertex i of the result is graph vertex
/// sequence[i], with the same in-edges in the same order (sources
/// renamed, edgeIds kept), and originalIds() composed with the graph's
/// own. A whole graph only (no ghosts).
llvm::Expected<Graph> permuteGraph(const Graph &graph,
                                   const std::vector<int32_t> &sequence);

/// `graph` with each vertex's in-edges sorted by source id (ties in their
/// order in `graph`; edgeIds move with their edges), ids unchanged. After a
/// renumbering, a vertex's sources then come in the order of their rows in
/// memory: its hot (low-numbered, in degree order) rows first and the rest
/// ascending, which the gathers fetch faster (docs/runtime.md). A vertex's
/// messages are summed in this order, so outputs match the unsorted
/// graph's within rounding, not bit for bit. A whole graph only.
llvm::Expected<Graph> sortInEdges(const Graph &graph);

namespace detail {
/// Sorts the in-edges of `count` consecutive destinations by source,
/// stably: destination t's in-edges are positions [off[t] - off[0],
/// off[t + 1] - off[0]) of `src`, and the same positions of `ids` (if not
/// null) and of `rows` (`d` floats an edge, if d > 0) move with them. What
/// sortInEdges and the streamed CSR writer's fill passes both run.
void sortInEdgeRuns(const int64_t *off, int64_t count, int32_t *src,
                    int64_t *ids, float *rows, int64_t d);
} // namespace detail

/// The degree order of the graph `edges` holds, from one pass over the
/// stream (8 bytes per vertex, the edges never held): the sequence
/// computeVertexOrder(graph, VertexOrder::Degree) gives. What lets
/// `gnn-graph convert --reorder=degree` stay within --memory.
llvm::Expected<std::vector<int32_t>> streamDegreeOrder(EdgeStream &edges,
                                                       int64_t numVertices);

/// `edges` with every id renamed to its position in `sequence` (a
/// permutation of [0, N), checked by the caller), in the same order:
/// written by the streamed writeCsrFile with CsrWriteOptions::originalIds
/// = sequence, the file permuteGraph's graph would make. `edges` and
/// `sequence` must outlive it.
std::unique_ptr<EdgeStream>
renumberEdgeStream(EdgeStream &edges, const std::vector<int32_t> &sequence);

} // namespace gnn

#endif // GNN_REORDER_H
