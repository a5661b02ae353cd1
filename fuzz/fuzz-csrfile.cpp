//===- fuzz-csrfile.cpp - Fuzzing the binary CSR file reader --------------===//
//
// The input is a binary CSR file (gnn-graph convert's and generate
// --format=csr's output), memory-mapped by loadCsrFile. A file that loads
// must hold a valid CSR whose vertex count csrFileVertices agrees with,
// and a vertex count other than the file's must be refused. Its globalIds
// may be any permutation of 0..N-1 (convert --reorder): a graph that loads
// has none (the identity) or a permutation, and rows put into its order
// and back come out unchanged. Its edge ids
// are not read at load (8 bytes an edge nothing needs without edge
// features) but where they are first used: reordering edge features must
// refuse an id out of range, or give each edge its input edge's row.
//
//===----------------------------------------------------------------------===//
#include "CheckGraph.h"

#include "gnn/CsrFile.h"
#include "gnn/Graph.h"

#include <vector>

using namespace gnn;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string path = fuzz::writeInput(data, size, "graph.csr");

  auto vertices = csrFileVertices(path);
  auto graph = loadCsrFile(path);
  if (!graph) {
    llvm::consumeError(graph.takeError());
    if (!vertices)
      llvm::consumeError(vertices.takeError());
    return 0;
  }
  GNN_FUZZ_CHECK(bool(vertices) && *vertices == graph->numVertices());
  GNN_FUZZ_CHECK(graph->numGhosts() == 0);
  fuzz::checkCsr(*graph);
  int64_t n = graph->numVertices();
  if (const int64_t *ids = graph->originalIds()) {
    std::vector<bool> seen(size_t(n), false);
    for (int64_t v = 0; v < n; ++v) {
      GNN_FUZZ_CHECK(ids[v] >= 0 && ids[v] < n && !seen[size_t(ids[v])]);
      seen[size_t(ids[v])] = true;
    }
  }
  if (n <= (1 << 20)) {
    Tensor x({n, 1});
    for (int64_t v = 0; v < n; ++v)
      x.data()[v] = float(v);
    auto in = rowsToGraphOrder(*graph, std::move(x), path);
    GNN_FUZZ_CHECK(bool(in));
    for (int64_t v = 0; v < n; ++v)
      GNN_FUZZ_CHECK(in->data()[v] ==
                     float(graph->originalIds() ? graph->originalIds()[v] : v));
    auto back = rowsToOriginalOrder(*graph, std::move(*in), path);
    GNN_FUZZ_CHECK(bool(back));
    for (int64_t v = 0; v < n; ++v)
      GNN_FUZZ_CHECK(back->data()[v] == float(v));
  }

  // Edge features whose row k is k: reordered, row k must be edge k's id.
  int64_t e = graph->numEdges();
  if (e <= (1 << 20)) {
    Tensor rows({e, 1});
    for (int64_t k = 0; k < e; ++k)
      rows.data()[k] = float(k);
    auto reordered = edgeFeaturesToCsr(*graph, rows, path);
    bool inRange = true;
    for (int64_t k = 0; k < e; ++k)
      inRange &= uint64_t(graph->edgeIds()[k]) < uint64_t(e);
    GNN_FUZZ_CHECK(bool(reordered) == inRange);
    if (reordered) {
      for (int64_t k = 0; k < e; ++k)
        GNN_FUZZ_CHECK(reordered->data()[k] == float(graph->edgeIds()[k]));
    } else {
      llvm::consumeError(reordered.takeError());
    }
  }

  auto other = loadCsrFile(path, graph->numVertices() + 1);
  GNN_FUZZ_CHECK(!other);
  llvm::consumeError(other.takeError());
  return 0;
}
