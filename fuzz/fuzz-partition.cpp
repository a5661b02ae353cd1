//===- fuzz-partition.cpp - Fuzzing the partition directory readers -------===//
//
// The input is a manifest, then a NUL byte, then the file of part 0 (the
// binary CSR of a one-part directory, or one rank's part). The manifest
// is read with readManifest; if it holds, part 0 is loaded with the
// manifest's checksum for it replaced by the part file's own, so that the
// structural checks behind the checksum are what the fuzzer reaches. A
// part that loads must be a valid graph part: its owned global ids in any
// order (gnn-graph partition --reorder) but distinct, no ghost owned.
//
//===----------------------------------------------------------------------===//
#include "CheckGraph.h"

#include "gnn/Partition.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <cstring>
#include <vector>

using namespace gnn;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const uint8_t *nul =
      static_cast<const uint8_t *>(size ? memchr(data, 0, size) : nullptr);
  size_t manifestSize = nul ? size_t(nul - data) : size;
  const uint8_t *part = nul ? nul + 1 : data + size;
  size_t partSize = size_t(data + size - part);

  fuzz::writeInput(data, manifestSize, "manifest");
  const std::string &dir = fuzz::scratchDirectory();
  auto manifest = readManifest(dir);
  if (!manifest) {
    llvm::consumeError(manifest.takeError());
    return 0;
  }
  GNN_FUZZ_CHECK(manifest->parts >= 1 &&
                 manifest->partInfo.size() == size_t(manifest->parts));

  fuzz::writeInput(part, partSize, "part-0.bin");
  manifest->partInfo[0].checksum = llvm::xxh3_64bits(
      llvm::ArrayRef<uint8_t>(part, partSize));
  auto loaded = loadPart(dir, *manifest, 0);
  if (!loaded) {
    llvm::consumeError(loaded.takeError());
    return 0;
  }
  const PartitionManifest::Part &info = manifest->partInfo[0];
  GNN_FUZZ_CHECK(loaded->owned == info.owned && loaded->ghosts == info.ghosts);
  GNN_FUZZ_CHECK(loaded->graph.numVertices() == info.owned &&
                 loaded->graph.numGhosts() == info.ghosts &&
                 loaded->graph.numEdges() == info.edges);
  fuzz::checkGraph(loaded->graph, manifest->edges);
  GNN_FUZZ_CHECK(loaded->globalIds.size() == size_t(info.owned + info.ghosts));
  for (int64_t id : loaded->globalIds)
    GNN_FUZZ_CHECK(id >= 0 && id < manifest->vertices);
  // Owned ids in any order (a part reordered inside), none twice; no ghost
  // is an owned vertex.
  std::vector<int64_t> owned(loaded->globalIds.begin(),
                             loaded->globalIds.begin() + info.owned);
  std::sort(owned.begin(), owned.end());
  GNN_FUZZ_CHECK(std::adjacent_find(owned.begin(), owned.end()) == owned.end());
  for (int64_t g = info.owned; g < info.owned + info.ghosts; ++g)
    GNN_FUZZ_CHECK(!std::binary_search(owned.begin(), owned.end(),
                                       loaded->globalIds[g]));
  GNN_FUZZ_CHECK(loaded->ghostOwner.size() == size_t(info.ghosts) &&
                 loaded->ghostRemote.size() == size_t(info.ghosts));
  for (int64_t g = 0; g < info.ghosts; ++g) {
    int32_t owner = loaded->ghostOwner[g];
    GNN_FUZZ_CHECK(owner >= 0 && owner < manifest->parts && owner != 0);
    GNN_FUZZ_CHECK(loaded->ghostRemote[g] >= 0 &&
                   loaded->ghostRemote[g] < manifest->partInfo[owner].owned);
  }
  if (manifest->featureWidth)
    GNN_FUZZ_CHECK(loaded->features.numElements() ==
                   size_t((info.owned + info.ghosts) * manifest->featureWidth));
  if (manifest->edgeFeatureWidth)
    GNN_FUZZ_CHECK(loaded->edgeFeatures.numElements() ==
                   size_t(info.edges * manifest->edgeFeatureWidth));
  return 0;
}
