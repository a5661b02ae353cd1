//===- Partition.h - A graph split into parts, one per MPI rank --*- C++ -*-===//
//
// A part owns a set of destination vertices: it holds their in-edges as a
// CSR, their feature rows, and the rows of their in-edges' features. Local
// ids: the owned vertices are 0 .. owned-1 (in ascending global id, or in
// the order of `gnn-graph partition --reorder`, gnn/Reorder.h), the
// ghosts (sources owned by other parts) owned .. owned+ghosts-1, sorted by
// (owner part, the id the owner knows them by). A vertex tensor on a rank
// has owned + ghosts rows; kernels write the owned rows, and the exchange
// fills the ghost rows from their owners, each owner's block contiguous.
//
// Each in-edge list keeps the order the edges have in the input file, as
// the single-process CSR does (gnn/Graph.h), so sums run in the same order
// whatever the partitioning.
//
// On disk, a partition directory (`gnn-graph partition`, docs/distributed.md):
//   DIR/manifest        text: format version, N, E, parts, widths, per part
//                       its counts and the checksum of its file
//   DIR/part-K.bin      one part: a header, then 64-byte aligned arrays,
//                       memory-mapped on load
//
//===----------------------------------------------------------------------===//
#ifndef GNN_PARTITION_H
#define GNN_PARTITION_H

#include "gnn/Graph.h"
#include "gnn/Tensor.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace gnn {

/// One part, in memory: what a rank runs on.
struct GraphPart {
  int part = 0, numParts = 1;
  int64_t globalVertices = 0, globalEdges = 0;
  /// Global id (the user's vertex id) of each owned vertex (ascending,
  /// unless the part is reordered inside), then of each ghost.
  std::vector<int64_t> globalIds;
  int64_t owned = 0, ghosts = 0;
  /// Per ghost: the part that owns it and its local id there; sorted by
  /// (owner, remote id).
  std::vector<int32_t> ghostOwner, ghostRemote;
  /// The owned vertices' in-edges (sources are local ids), with
  /// numVertices() == owned and numGhosts() == ghosts.
  Graph graph;
  /// Features [owned + ghosts, F]; the ghost rows are filled by the
  /// exchange before a stage gathers them (zero until then). Empty shape
  /// when not loaded or stored with width 0.
  Tensor features;
  /// Edge features [edges, D] in the part's CSR order; empty shape if none.
  Tensor edgeFeatures;
};

/// How vertices are assigned to parts.
enum class PartitionMethod { Range, Metis };

/// The work of a vertex's row, in units of one in-edge, when parts are
/// balanced: a part's work is its in-edges + vertexWeight x its vertices.
/// Measured on rmat-17/18 with GCN (F=128, hidden 64): the dense steps
/// cost about 10 in-edges' gathers per vertex, so balancing in-edges +
/// vertices left one rank of two with 1.4x the other's compute.
constexpr int64_t kDefaultVertexWeight = 8;

/// The owner part of every vertex of `graph` (CSR by destination).
/// Range: contiguous id ranges with equal work (in-edges + vertexWeight x
/// vertices). Metis: METIS 5's k-way partitioning of the undirected graph,
/// vertices weighted by in-degree + vertexWeight, with a fixed seed (the same graph gives the same
/// parts). Fails on a METIS error, or unless 1 <= parts <= max(1, N).
/// A part may still come out empty (METIS, or a range next to a hub):
/// everything below handles parts that own nothing.
llvm::Expected<std::vector<int32_t>>
assignParts(const Graph &graph, int parts, PartitionMethod method,
            int64_t vertexWeight = kDefaultVertexWeight);

/// Part `part` of `graph` under `owner` (assignParts), with the feature
/// rows of its owned vertices (ghost rows left for the exchange) and its
/// edge features in CSR order; `features` ([N, F], in the graph's vertex
/// order) and `edgeFeaturesCsr` ([E, D], gnn::edgeFeaturesToCsr) may be
/// null. Owned vertices get their local ids in ascending graph id, or in
/// the sequence `order` (gnn::computeVertexOrder: a part reordered
/// inside) when given. globalIds are the user's ids: through
/// graph.originalIds() on a reordered graph. Fails unless `owner` has an
/// entry in [0, numParts) per vertex, `part` is one of the parts, `order`
/// is a permutation of the vertices and the features have those shapes.
llvm::Expected<GraphPart> extractPart(const Graph &graph,
                                      const std::vector<int32_t> &owner,
                                      int numParts, int part,
                                      const Tensor *features,
                                      const Tensor *edgeFeaturesCsr,
                                      const std::vector<int32_t> *order =
                                          nullptr);

/// What a partitioning costs: cut edges (source and target in different
/// parts) and ghost rows per part (each ghost row is received once per
/// exchanged tensor, 4 bytes per feature).
/// Mirrors are what a push exchange would move instead: per part, the
/// distinct remote targets its vertices have out-edges to (one partial
/// aggregate row each).
struct PartitionSummary {
  int64_t cutEdges = 0;
  std::vector<int64_t> owned, ghosts, edges, mirrors;
};
/// Fails unless `owner` is an assignment to `numParts` parts, as above.
llvm::Expected<PartitionSummary>
summarizePartition(const Graph &graph, const std::vector<int32_t> &owner,
                   int numParts);

/// The manifest of a partition directory.
struct PartitionManifest {
  static constexpr int kVersion = 1;
  int version = kVersion;
  int64_t vertices = 0, edges = 0;
  int parts = 0;
  int64_t featureWidth = 0, edgeFeatureWidth = 0; // 0: none stored
  std::string method;
  struct Part {
    int64_t owned = 0, ghosts = 0, edges = 0;
    uint64_t checksum = 0; // xxh3-64 of the part file
  };
  std::vector<Part> partInfo;
};

/// Writes DIR (created, or emptied of an older partition) with every part
/// of `graph` under `owner`, each as extractPart makes it (with `order`:
/// reordered inside). Files appear atomically, the manifest last.
llvm::Error writePartitionDirectory(const std::string &dir, const Graph &graph,
                                    const std::vector<int32_t> &owner,
                                    int numParts, const std::string &method,
                                    const Tensor *features,
                                    const Tensor *edgeFeaturesCsr,
                                    const std::vector<int32_t> *order =
                                        nullptr);

/// Reads and checks DIR/manifest.
llvm::Expected<PartitionManifest> readManifest(const std::string &dir);

/// Loads part `part` of DIR: checks the file against the manifest (size,
/// checksum) and every count, offset and id in it before use; the result
/// has its feature rows (plus room for the ghosts) and edge features if
/// the directory stores them. Errors name the file and the fault. (The
/// arrays are copied out of the mapping for now.)
llvm::Expected<GraphPart> loadPart(const std::string &dir,
                                   const PartitionManifest &manifest, int part);

/// Whether `path` is a partition directory (holds a manifest).
bool isPartitionDirectory(const std::string &path);

} // namespace gnn

#endif // GNN_PARTITION_H
