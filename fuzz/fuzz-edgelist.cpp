//===- fuzz-edgelist.cpp - Fuzzing the graph file readers -----------------===//
//
// The input is a graph file: a text edge list ("src dst" lines, '#'
// comments) or, when it starts with the .npy magic, a PyG edge_index.
// countVertices and loadGraph read it, the latter with the counted vertex
// count and with one taken from the input's last byte (so that ids out of
// range are reached too); a graph that loads must be a valid CSR.
//
//===----------------------------------------------------------------------===//
#include "CheckGraph.h"

using namespace gnn;

static void load(const std::string &path, int64_t n) {
  auto g = loadGraph(path, n);
  if (!g) {
    llvm::consumeError(g.takeError());
    return;
  }
  GNN_FUZZ_CHECK(g->numVertices() == n && g->numGhosts() == 0);
  fuzz::checkGraph(*g, g->numEdges());
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string path = fuzz::writeInput(data, size, "input.edges");
  auto count = countVertices(path);
  if (count) {
    GNN_FUZZ_CHECK(*count >= 0 && *count < (int64_t(1) << 31));
    // Big counts are valid but only cost memory here.
    if (*count <= (1 << 12))
      load(path, *count);
  } else {
    llvm::consumeError(count.takeError());
  }
  load(path, size ? data[size - 1] % 64 : 0);
  return 0;
}
