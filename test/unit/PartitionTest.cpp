//===- PartitionTest.cpp - Part assignment, extraction and part files -----===//
//
// Expected parts come from a plain reference that works on the edge list
// itself (a vertex's in-edges are the edges with that target, in input
// order), not on the CSR extractPart reads. Damaged files are made by
// editing a written directory byte by byte, with the manifest's checksum
// recomputed where the test is about a check behind it.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include "gnn/Partition.h"
#include "gnn/Reorder.h"

#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <map>
#include <random>
#include <sstream>

using namespace gnn;
using namespace gnn::test;

namespace {

// Eight vertices: loops 0->0, 3->3, 5->5; duplicates 2->0 (twice), 1->0
// (twice); vertex 4 has no edge at all; 7 has one in-edge and one out.
// Edge k:                      0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
const std::vector<int64_t> kSrc = {1, 2, 0, 2, 3, 5, 1, 3, 6, 5, 1, 5, 1, 6, 0, 7};
const std::vector<int64_t> kDst = {0, 0, 0, 0, 1, 1, 3, 3, 3, 2, 2, 5, 0, 7, 5, 1};
// Part 0 owns {0, 2, 7}, part 1 {1, 3, 5}, part 2 {4, 6}.
const std::vector<int32_t> kOwner = {0, 1, 0, 1, 2, 1, 2, 0};

Graph handGraph() {
  return llvm::cantFail(Graph::fromEdges(8, kSrc.data(), kDst.data(), int64_t(kSrc.size())));
}

/// What a part must hold, computed from the edge list.
struct ExpectedPart {
  std::vector<int64_t> globalIds, offsets, edgeIds;
  std::vector<int32_t> sources, ghostOwner, ghostRemote;
  int64_t owned = 0;
};

ExpectedPart referencePart(int64_t n, const std::vector<int64_t> &src,
                           const std::vector<int64_t> &dst,
                           const std::vector<int32_t> &owner, int part) {
  ExpectedPart r;
  // The id a vertex has in its owner: how many of that owner's vertices
  // have a smaller global id.
  auto remoteId = [&](int64_t v) {
    return int32_t(std::count(owner.begin(), owner.begin() + v, owner[v]));
  };
  for (int64_t v = 0; v < n; ++v)
    if (owner[v] == part)
      r.globalIds.push_back(v);
  r.owned = int64_t(r.globalIds.size());
  std::map<std::pair<int32_t, int32_t>, int64_t> ghosts; // -> global id
  for (int64_t v : r.globalIds)
    for (size_t k = 0; k < src.size(); ++k)
      if (dst[k] == v && owner[src[k]] != part)
        ghosts[{owner[src[k]], remoteId(src[k])}] = src[k];
  std::map<int64_t, int32_t> localOf;
  for (int64_t i = 0; i < r.owned; ++i)
    localOf[r.globalIds[i]] = int32_t(i);
  for (auto &[key, global] : ghosts) {
    localOf[global] = int32_t(r.globalIds.size());
    r.globalIds.push_back(global);
    r.ghostOwner.push_back(key.first);
    r.ghostRemote.push_back(key.second);
  }
  r.offsets.push_back(0);
  for (int64_t i = 0; i < r.owned; ++i) {
    for (size_t k = 0; k < src.size(); ++k)
      if (dst[k] == r.globalIds[i]) {
        r.sources.push_back(localOf.at(src[k]));
        r.edgeIds.push_back(int64_t(k));
      }
    r.offsets.push_back(int64_t(r.sources.size()));
  }
  return r;
}

void expectPartEquals(const GraphPart &p, const ExpectedPart &r) {
  EXPECT_EQ(p.owned, r.owned);
  EXPECT_EQ(p.ghosts, int64_t(r.ghostOwner.size()));
  EXPECT_EQ(p.globalIds, r.globalIds);
  EXPECT_EQ(p.ghostOwner, r.ghostOwner);
  EXPECT_EQ(p.ghostRemote, r.ghostRemote);
  const Graph &g = p.graph;
  EXPECT_EQ(g.numVertices(), r.owned);
  EXPECT_EQ(g.numGhosts(), p.ghosts);
  ASSERT_EQ(g.numEdges(), int64_t(r.sources.size()));
  EXPECT_EQ(std::vector<int64_t>(g.offsets(), g.offsets() + r.owned + 1),
            r.offsets);
  EXPECT_EQ(std::vector<int32_t>(g.sources(), g.sources() + g.numEdges()),
            r.sources);
  EXPECT_EQ(std::vector<int64_t>(g.edgeIds(), g.edgeIds() + g.numEdges()),
            r.edgeIds);
}

/// The tensor's values as a vector, for exact comparisons.
std::vector<float> valuesOf(const Tensor &t) {
  if (t.shape.empty())
    return {};
  return std::vector<float>(t.data(), t.data() + t.numElements());
}

void expectSameParts(const GraphPart &a, const GraphPart &b) {
  EXPECT_EQ(a.part, b.part);
  EXPECT_EQ(a.numParts, b.numParts);
  EXPECT_EQ(a.globalVertices, b.globalVertices);
  EXPECT_EQ(a.globalEdges, b.globalEdges);
  ExpectedPart r;
  r.globalIds = b.globalIds;
  r.owned = b.owned;
  r.ghostOwner = b.ghostOwner;
  r.ghostRemote = b.ghostRemote;
  const Graph &g = b.graph;
  r.offsets.assign(g.offsets(), g.offsets() + g.numVertices() + 1);
  r.sources.assign(g.sources(), g.sources() + g.numEdges());
  r.edgeIds.assign(g.edgeIds(), g.edgeIds() + g.numEdges());
  expectPartEquals(a, r);
  EXPECT_EQ(a.features.shape, b.features.shape);
  EXPECT_EQ(valuesOf(a.features), valuesOf(b.features));
  EXPECT_EQ(a.edgeFeatures.shape, b.edgeFeatures.shape);
  EXPECT_EQ(valuesOf(a.edgeFeatures), valuesOf(b.edgeFeatures));
}

/// A skewed random graph: sources uniform, targets drawn towards low ids
/// (hubs), as RMAT graphs are.
struct RandomGraph {
  std::vector<int64_t> src, dst;
  Graph graph;
};
RandomGraph randomGraph(int64_t n, int64_t e, unsigned seed) {
  RandomGraph r;
  std::mt19937_64 rng(seed);
  for (int64_t k = 0; k < e; ++k) {
    double u = double(rng() >> 11) / double(uint64_t(1) << 53);
    r.src.push_back(int64_t(rng() % n));
    r.dst.push_back(std::min<int64_t>(n - 1, int64_t(u * u * u * n)));
  }
  r.graph = llvm::cantFail(Graph::fromEdges(n, r.src.data(), r.dst.data(), e));
  return r;
}

int64_t cutOf(const RandomGraph &r, const std::vector<int32_t> &owner) {
  int64_t cut = 0;
  for (size_t k = 0; k < r.src.size(); ++k)
    cut += owner[r.src[k]] != owner[r.dst[k]];
  return cut;
}

//===----------------------------------------------------------------------===//
// Assignment
//===----------------------------------------------------------------------===//

TEST(PartitionAssign, CoversEveryVertexAndBalancesWork) {
  RandomGraph r = randomGraph(3000, 30000, 7);
  const Graph &g = r.graph;
  for (int64_t vertexWeight : {int64_t(1), kDefaultVertexWeight})
  for (PartitionMethod method : {PartitionMethod::Range, PartitionMethod::Metis})
    for (int parts : {1, 2, 3, 4, 7}) {
      SCOPED_TRACE("method " + std::to_string(int(method)) + ", parts " +
                   std::to_string(parts) + ", vertex weight " +
                   std::to_string(vertexWeight));
      int64_t total = g.numEdges() + vertexWeight * g.numVertices(), heaviest = 0;
      for (int64_t v = 0; v < g.numVertices(); ++v)
        heaviest = std::max(heaviest, g.inDegree(v) + vertexWeight);
      auto owner = assignParts(g, parts, method, vertexWeight);
      ASSERT_TRUE(bool(owner)) << llvm::toString(owner.takeError());
      ASSERT_EQ(owner->size(), size_t(g.numVertices()));
      std::vector<int64_t> weight(parts, 0);
      for (int64_t v = 0; v < g.numVertices(); ++v) {
        int32_t p = (*owner)[v];
        ASSERT_TRUE(p >= 0 && p < parts) << "vertex " << v << " part " << p;
        weight[p] += g.inDegree(v) + vertexWeight;
      }
      for (int p = 0; p < parts; ++p) {
        // Range: within one vertex of the ideal split; METIS: its default
        // 3% imbalance, with slack.
        int64_t limit = method == PartitionMethod::Range
                            ? total / parts + heaviest
                            : total / parts * 11 / 10 + heaviest;
        EXPECT_LE(weight[p], limit) << "part " << p;
        EXPECT_GT(weight[p], 0) << "part " << p;
      }
      if (method == PartitionMethod::Range)
        EXPECT_TRUE(std::is_sorted(owner->begin(), owner->end()));
      // Deterministic: the same graph gives the same parts.
      auto again = assignParts(g, parts, method, vertexWeight);
      ASSERT_TRUE(bool(again));
      EXPECT_EQ(*owner, *again);
    }
}

TEST(PartitionAssign, MetisFindsPlantedClusters) {
  // Four dense clusters, interleaved by id (cluster = v % 4) so that id
  // ranges cut almost every edge, plus a few edges between clusters.
  const int64_t n = 400;
  RandomGraph r;
  std::mt19937_64 rng(3);
  for (int64_t v = 0; v < n; ++v)
    for (int i = 0; i < 8; ++i) {
      r.src.push_back(int64_t(rng() % (n / 4)) * 4 + v % 4);
      r.dst.push_back(v);
    }
  for (int i = 0; i < 20; ++i) {
    r.src.push_back(int64_t(rng() % n));
    r.dst.push_back(int64_t(rng() % n));
  }
  r.graph = llvm::cantFail(Graph::fromEdges(n, r.src.data(), r.dst.data(),
                             int64_t(r.src.size())));
  auto metis = assignParts(r.graph, 4, PartitionMethod::Metis);
  auto range = assignParts(r.graph, 4, PartitionMethod::Range);
  ASSERT_TRUE(metis && range);
  EXPECT_LE(cutOf(r, *metis), 40);
  EXPECT_GT(cutOf(r, *range), int64_t(r.src.size()) / 2);
}

TEST(PartitionAssign, EdgelessAndSmallGraphs) {
  Graph none = llvm::cantFail(Graph::fromEdges(5, nullptr, nullptr, 0));
  for (PartitionMethod method : {PartitionMethod::Range, PartitionMethod::Metis}) {
    auto owner = assignParts(none, 5, method);
    ASSERT_TRUE(bool(owner)) << llvm::toString(owner.takeError());
    EXPECT_EQ(owner->size(), 5u);
    for (int32_t p : *owner)
      EXPECT_TRUE(p >= 0 && p < 5);
    // Equal work per vertex: a range gives each part one vertex.
    if (method == PartitionMethod::Range)
      EXPECT_EQ(*owner, (std::vector<int32_t>{0, 1, 2, 3, 4}));
  }
  Graph empty = llvm::cantFail(Graph::fromEdges(0, nullptr, nullptr, 0));
  auto owner = assignParts(empty, 1, PartitionMethod::Metis);
  ASSERT_TRUE(bool(owner));
  EXPECT_TRUE(owner->empty());
  // One part: everything in part 0 (METIS is not asked).
  owner = assignParts(handGraph(), 1, PartitionMethod::Metis);
  ASSERT_TRUE(bool(owner));
  EXPECT_EQ(*owner, std::vector<int32_t>(8, 0));
}

TEST(PartitionAssign, RejectsBadPartCounts) {
  Graph g = handGraph();
  for (PartitionMethod method : {PartitionMethod::Range, PartitionMethod::Metis}) {
    auto zero = assignParts(g, 0, method);
    ASSERT_FALSE(bool(zero));
    EXPECT_EQ(llvm::toString(zero.takeError()),
              "the part count 0 is not in [1, 65536]");
    auto tooMany = assignParts(g, 9, method);
    ASSERT_FALSE(bool(tooMany));
    EXPECT_EQ(llvm::toString(tooMany.takeError()),
              "cannot split 8 vertices into 9 parts: a part would own no "
              "vertex");
    EXPECT_TRUE(bool(assignParts(g, 8, method)));
  }
}

//===----------------------------------------------------------------------===//
// Extraction
//===----------------------------------------------------------------------===//

TEST(PartitionExtract, HandGraphPartZero) {
  // Worked by hand: owned 0, 2, 7 -> 0, 1, 2; ghosts 1 (part 1, id 0),
  // 5 (part 1, id 2), 6 (part 2, id 1) -> 3, 4, 5.
  Graph g = handGraph();
  GraphPart p = llvm::cantFail(extractPart(g, kOwner, 3, 0, nullptr, nullptr));
  ExpectedPart r;
  r.owned = 3;
  r.globalIds = {0, 2, 7, 1, 5, 6};
  r.ghostOwner = {1, 1, 2};
  r.ghostRemote = {0, 2, 1};
  r.offsets = {0, 5, 7, 8};
  r.sources = {3, 1, 0, 1, 3, 4, 3, 5};
  r.edgeIds = {0, 1, 2, 3, 12, 9, 10, 13};
  expectPartEquals(p, r);
  EXPECT_EQ(p.part, 0);
  EXPECT_EQ(p.numParts, 3);
  EXPECT_EQ(p.globalVertices, 8);
  EXPECT_EQ(p.globalEdges, 16);
  EXPECT_TRUE(p.features.shape.empty());
  EXPECT_TRUE(p.edgeFeatures.shape.empty());
}

TEST(PartitionExtract, EveryPartMatchesTheReference) {
  Graph g = handGraph();
  for (int part = 0; part < 3; ++part) {
    SCOPED_TRACE("part " + std::to_string(part));
    expectPartEquals(llvm::cantFail(extractPart(g, kOwner, 3, part, nullptr, nullptr)),
                     referencePart(8, kSrc, kDst, kOwner, part));
  }
  // A part that owns nothing (part 3 of 4).
  GraphPart empty = llvm::cantFail(extractPart(g, kOwner, 4, 3, nullptr, nullptr));
  EXPECT_EQ(empty.owned, 0);
  EXPECT_EQ(empty.ghosts, 0);
  EXPECT_EQ(empty.graph.numEdges(), 0);
  EXPECT_EQ(empty.graph.offsets()[0], 0);

  RandomGraph rg = randomGraph(300, 2000, 11);
  for (PartitionMethod method : {PartitionMethod::Range, PartitionMethod::Metis}) {
    auto owner = assignParts(rg.graph, 3, method);
    ASSERT_TRUE(bool(owner));
    for (int part = 0; part < 3; ++part)
      expectPartEquals(llvm::cantFail(extractPart(rg.graph, *owner, 3, part, nullptr, nullptr)),
                       referencePart(300, rg.src, rg.dst, *owner, part));
  }
}

TEST(PartitionExtract, CopiesFeatureRowsInPartOrder) {
  Graph g = handGraph();
  Tensor x({8, 3});
  for (int64_t v = 0; v < 8; ++v)
    for (int64_t c = 0; c < 3; ++c)
      x.data()[v * 3 + c] = float(v * 10 + c);
  Tensor rows({16, 2}); // In the edge list's order.
  for (int64_t k = 0; k < 16; ++k)
    for (int64_t c = 0; c < 2; ++c)
      rows.data()[k * 2 + c] = float(k * 100 + c);
  auto csr = edgeFeaturesToCsr(g, rows, "e.npy");
  ASSERT_TRUE(bool(csr));
  for (int part = 0; part < 3; ++part) {
    GraphPart p = llvm::cantFail(extractPart(g, kOwner, 3, part, &x, &*csr));
    ASSERT_EQ(p.features.shape, (std::vector<int64_t>{p.owned + p.ghosts, 3}));
    for (int64_t i = 0; i < p.owned + p.ghosts; ++i)
      for (int64_t c = 0; c < 3; ++c)
        EXPECT_EQ(p.features.data()[i * 3 + c],
                  i < p.owned ? float(p.globalIds[i] * 10 + c) : 0.0f)
            << "part " << part << " row " << i;
    int64_t e = p.graph.numEdges();
    ASSERT_EQ(p.edgeFeatures.shape, (std::vector<int64_t>{e, 2}));
    for (int64_t k = 0; k < e; ++k)
      for (int64_t c = 0; c < 2; ++c)
        EXPECT_EQ(p.edgeFeatures.data()[k * 2 + c],
                  float(p.graph.edgeIds()[k] * 100 + c));
  }
}

TEST(PartitionExtract, RefusesArgumentsItCannotUse) {
  Graph g = handGraph();
  auto error = [](auto result) {
    return result ? std::string("no error") : llvm::toString(result.takeError());
  };
  EXPECT_EQ(error(extractPart(g, kOwner, 3, 3, nullptr, nullptr)),
            "extractPart: part 3 is not in [0, 3)");
  EXPECT_EQ(error(extractPart(g, kOwner, 3, -1, nullptr, nullptr)),
            "extractPart: part -1 is not in [0, 3)");
  EXPECT_EQ(error(extractPart(g, kOwner, 0, 0, nullptr, nullptr)),
            "extractPart: the part count 0 is not in [1, 65536]");
  std::vector<int32_t> shortOwner(kOwner.begin(), kOwner.end() - 1);
  EXPECT_EQ(error(extractPart(g, shortOwner, 3, 0, nullptr, nullptr)),
            "extractPart: the part assignment has 7 entries for 8 vertices");
  std::vector<int32_t> badOwner = kOwner;
  badOwner[5] = 3;
  EXPECT_EQ(error(extractPart(g, badOwner, 3, 0, nullptr, nullptr)),
            "extractPart: vertex 5 is assigned to part 3, not in [0, 3)");
  EXPECT_EQ(error(summarizePartition(g, badOwner, 3)),
            "summarizePartition: vertex 5 is assigned to part 3, not in [0, 3)");
  Tensor wrongRows({7, 2});
  EXPECT_EQ(error(extractPart(g, kOwner, 3, 0, &wrongRows, nullptr)),
            "extractPart: features of shape [7, 2] are not [8, F]");
  Tensor unallocated;
  unallocated.shape = {8, 2};
  EXPECT_EQ(error(extractPart(g, kOwner, 3, 0, &unallocated, nullptr)),
            "extractPart: features holds 0 values, but its shape [8, 2] needs "
            "16");
  Tensor wrongEdges({15, 1});
  EXPECT_EQ(error(extractPart(g, kOwner, 3, 0, nullptr, &wrongEdges)),
            "extractPart: edge features of shape [15, 1] are not [16, D]");
}

TEST(PartitionExtract, SummaryCountsCutsAndGhosts) {
  Graph g = handGraph();
  PartitionSummary s = llvm::cantFail(summarizePartition(g, kOwner, 3));
  int64_t cut = 0;
  for (size_t k = 0; k < kSrc.size(); ++k)
    cut += kOwner[kSrc[k]] != kOwner[kDst[k]];
  EXPECT_EQ(s.cutEdges, cut);
  for (int part = 0; part < 3; ++part) {
    ExpectedPart r = referencePart(8, kSrc, kDst, kOwner, part);
    EXPECT_EQ(s.owned[part], r.owned);
    EXPECT_EQ(s.ghosts[part], int64_t(r.ghostOwner.size()));
    EXPECT_EQ(s.edges[part], int64_t(r.sources.size()));
  }
  // Hand values: 1->0 (twice), 5->2, 1->2, 6->7, 0->5, 7->1, 6->3 cross.
  EXPECT_EQ(s.cutEdges, 8);
  EXPECT_EQ(s.ghosts, (std::vector<int64_t>{3, 3, 0}));
}

//===----------------------------------------------------------------------===//
// The directory
//===----------------------------------------------------------------------===//

class PartitionDirTest : public TempDirTest {
protected:
  void SetUp() override {
    TempDirTest::SetUp();
    graph = handGraph();
    x = Tensor({8, 3});
    for (size_t i = 0; i < x.numElements(); ++i)
      x.data()[i] = float(i) * 0.5f - 3.0f;
    Tensor rows({16, 2});
    for (size_t i = 0; i < rows.numElements(); ++i)
      rows.data()[i] = float(i) * 0.25f + 1.0f;
    edgeAttr = llvm::cantFail(edgeFeaturesToCsr(graph, rows, "e.npy"));
    out = path("parts");
  }

  /// Writes `out` with the hand graph in three parts.
  void writeHand(const Tensor *features = nullptr,
                 const Tensor *edges = nullptr) {
    llvm::Error err = writePartitionDirectory(out, graph, kOwner, 3, "hand",
                                              features, edges);
    ASSERT_FALSE(bool(err)) << llvm::toString(std::move(err));
  }

  std::string partFile(int k) const {
    return out + "/part-" + std::to_string(k) + ".bin";
  }
  std::string manifestFile() const { return out + "/manifest"; }

  static std::string readBytes(const std::string &p) {
    std::ifstream is(p, std::ios::binary);
    std::stringstream ss;
    ss << is.rdbuf();
    return ss.str();
  }
  static void writeBytes(const std::string &p, const std::string &bytes) {
    std::ofstream os(p, std::ios::binary | std::ios::trunc);
    os.write(bytes.data(), bytes.size());
  }

  /// Replaces part `k`'s checksum in the manifest by its file's real one,
  /// so that a test reaches the checks behind the checksum.
  void fixChecksum(int k) {
    std::string text = readBytes(manifestFile());
    std::string key = "part " + std::to_string(k) + " ";
    size_t line = text.find(key);
    ASSERT_NE(line, std::string::npos);
    size_t at = text.find("checksum ", line) + 9;
    char hex[17];
    std::snprintf(hex, sizeof(hex), "%016llx",
                  (unsigned long long)llvm::xxh3_64bits(readBytes(partFile(k))));
    text.replace(at, 16, hex);
    writeBytes(manifestFile(), text);
  }

  /// Overwrites bytes of part `k` at `offset` and fixes its checksum.
  template <typename T> void patchPart(int k, uint64_t offset, T value) {
    std::string bytes = readBytes(partFile(k));
    ASSERT_LE(offset + sizeof(T), bytes.size());
    std::memcpy(&bytes[offset], &value, sizeof(T));
    writeBytes(partFile(k), bytes);
    fixChecksum(k);
  }

  /// Where array `i` of part `k` starts (its entry in the header's table:
  /// globalIds, offsets, sources, edgeIds, ghostOwner, ghostRemote, ...).
  uint64_t arrayOffset(int k, int i) {
    std::string bytes = readBytes(partFile(k));
    uint64_t offset;
    std::memcpy(&offset, &bytes[80 + 16 * i], 8);
    return offset;
  }

  /// Loads part `k` with a fresh read of the manifest.
  llvm::Expected<GraphPart> load(int k) {
    auto m = readManifest(out);
    if (!m)
      return m.takeError();
    return loadPart(out, *m, k);
  }

  Graph graph;
  Tensor x, edgeAttr;
  std::string out;
};

TEST_F(PartitionDirTest, RoundTripEqualsExtractPart) {
  writeHand(&x, &edgeAttr);
  EXPECT_TRUE(isPartitionDirectory(out));
  auto m = readManifest(out);
  ASSERT_TRUE(bool(m)) << llvm::toString(m.takeError());
  EXPECT_EQ(m->version, 1);
  EXPECT_EQ(m->vertices, 8);
  EXPECT_EQ(m->edges, 16);
  EXPECT_EQ(m->parts, 3);
  EXPECT_EQ(m->featureWidth, 3);
  EXPECT_EQ(m->edgeFeatureWidth, 2);
  EXPECT_EQ(m->method, "hand");
  ASSERT_EQ(m->partInfo.size(), 3u);
  for (int k = 0; k < 3; ++k) {
    SCOPED_TRACE("part " + std::to_string(k));
    GraphPart want = llvm::cantFail(extractPart(graph, kOwner, 3, k, &x, &edgeAttr));
    EXPECT_EQ(m->partInfo[k].owned, want.owned);
    EXPECT_EQ(m->partInfo[k].ghosts, want.ghosts);
    EXPECT_EQ(m->partInfo[k].edges, want.graph.numEdges());
    EXPECT_EQ(m->partInfo[k].checksum,
              llvm::xxh3_64bits(readBytes(partFile(k))));
    auto got = loadPart(out, *m, k);
    ASSERT_TRUE(bool(got)) << llvm::toString(got.takeError());
    expectSameParts(*got, want);
  }
  // Nothing but the manifest and the parts: no temporary file is left.
  std::vector<std::string> names;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(out, ec), end; it != end && !ec;
       it.increment(ec))
    names.push_back(std::string(llvm::sys::path::filename(it->path())));
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"manifest", "part-0.bin",
                                             "part-1.bin", "part-2.bin"}));
}

TEST_F(PartitionDirTest, PartsReorderedInside) {
  // The same parts, each numbering its owned vertices in `order`: global
  // ids in that order, ghosts named by their owner's new local ids, every
  // in-edge list as before; the files load back to the same parts.
  const std::vector<int32_t> order = {5, 3, 7, 0, 6, 1, 2, 4};
  llvm::Error err = writePartitionDirectory(out, graph, kOwner, 3, "hand", &x,
                                            &edgeAttr, &order);
  ASSERT_FALSE(bool(err)) << llvm::toString(std::move(err));
  std::vector<int32_t> localOf(8);
  std::vector<int> count(3, 0);
  for (int32_t v : order)
    localOf[v] = count[kOwner[v]]++;
  for (int k = 0; k < 3; ++k) {
    SCOPED_TRACE("part " + std::to_string(k));
    GraphPart want =
        llvm::cantFail(extractPart(graph, kOwner, 3, k, &x, &edgeAttr, &order));
    GraphPart plain =
        llvm::cantFail(extractPart(graph, kOwner, 3, k, &x, &edgeAttr));
    auto got = load(k);
    ASSERT_TRUE(bool(got)) << llvm::toString(got.takeError());
    expectSameParts(*got, want);
    std::vector<int64_t> owned;
    for (int32_t v : order)
      if (kOwner[v] == k)
        owned.push_back(v);
    EXPECT_EQ(std::vector<int64_t>(want.globalIds.begin(),
                                   want.globalIds.begin() + want.owned),
              owned);
    ASSERT_EQ(want.ghosts, plain.ghosts);
    for (int64_t g = 0; g < want.ghosts; ++g) {
      int64_t v = want.globalIds[want.owned + g];
      EXPECT_EQ(want.ghostOwner[g], kOwner[v]);
      EXPECT_EQ(want.ghostRemote[g], localOf[v]);
    }
    // Vertex v's in-edges, in the user's ids, are the same in both.
    for (int64_t i = 0; i < want.owned; ++i) {
      int64_t v = want.globalIds[i];
      int64_t j = std::find(plain.globalIds.begin(), plain.globalIds.end(), v) -
                  plain.globalIds.begin();
      std::vector<int64_t> a, b;
      for (int64_t e = want.graph.offsets()[i]; e < want.graph.offsets()[i + 1];
           ++e)
        a.push_back(want.globalIds[want.graph.sources()[e]]);
      for (int64_t e = plain.graph.offsets()[j];
           e < plain.graph.offsets()[j + 1]; ++e)
        b.push_back(plain.globalIds[plain.graph.sources()[e]]);
      EXPECT_EQ(a, b) << "vertex " << v;
    }
    // Owned vertex i's feature row is x's row of its global id, its edge
    // features those of its in-edges (x and edgeAttr, not the plain part).
    ASSERT_EQ(want.features.shape, (std::vector<int64_t>{want.owned + want.ghosts, 3}));
    int64_t pos = 0;
    for (int64_t i = 0; i < want.owned; ++i) {
      int64_t v = want.globalIds[i];
      for (int c = 0; c < 3; ++c)
        EXPECT_EQ(want.features.data()[i * 3 + c], x.data()[v * 3 + c]);
      for (int64_t e = graph.offsets()[v]; e < graph.offsets()[v + 1];
           ++e, ++pos)
        for (int c = 0; c < 2; ++c)
          EXPECT_EQ(want.edgeFeatures.data()[pos * 2 + c],
                    edgeAttr.data()[e * 2 + c]);
    }
    EXPECT_EQ(pos, want.graph.numEdges());
  }
  // An order that is not a permutation is refused.
  const std::vector<int32_t> twice = {5, 3, 7, 0, 6, 1, 2, 5};
  expectError(extractPart(graph, kOwner, 3, 0, &x, &edgeAttr, &twice),
              "extractPart: ", "the vertex order is not a permutation");
  const std::vector<int32_t> shortOrder = {0, 1};
  expectError(writePartitionDirectory(out, graph, kOwner, 3, "hand", &x,
                                      &edgeAttr, &shortOrder),
              out + ": ", "the vertex order has 2 entries for 8 vertices");
}

TEST_F(PartitionDirTest, AReorderedGraphsPartsNameTheUsersIds) {
  // The hand graph renumbered by `order` (as a CSR file of gnn-graph
  // convert --reorder loads), cut by the same owners, with its features put
  // into its order: each part is the hand graph's part reordered inside by
  // `order`, its globalIds the user's ids.
  const std::vector<int32_t> order = {5, 3, 7, 0, 6, 1, 2, 4};
  Graph r = llvm::cantFail(permuteGraph(graph, order));
  std::vector<int32_t> owner(8);
  for (int64_t i = 0; i < 8; ++i)
    owner[i] = kOwner[order[i]];
  Tensor copy(x.shape);
  std::copy(x.data(), x.data() + x.numElements(), copy.data());
  Tensor xr = llvm::cantFail(rowsToGraphOrder(r, std::move(copy), "x"));
  Tensor rows({16, 2});
  for (size_t i = 0; i < rows.numElements(); ++i)
    rows.data()[i] = float(i) * 0.25f + 1.0f;
  Tensor er = llvm::cantFail(edgeFeaturesToCsr(r, rows, "e.npy"));
  for (int k = 0; k < 3; ++k) {
    SCOPED_TRACE("part " + std::to_string(k));
    GraphPart got = llvm::cantFail(extractPart(r, owner, 3, k, &xr, &er));
    GraphPart want =
        llvm::cantFail(extractPart(graph, kOwner, 3, k, &x, &edgeAttr, &order));
    expectSameParts(got, want);
  }
}

TEST_F(PartitionDirTest, ManifestText) {
  writeHand(&x);
  std::string text = readBytes(manifestFile());
  EXPECT_EQ(text.rfind("gnnc-partition 1\nvertices 8\nedges 16\nparts 3\n"
                       "features 3\nedge-features 0\nmethod hand\n"
                       "part 0 owned 3 ghosts 3 edges 8 checksum ",
                       0),
            0u)
      << text;
}

TEST_F(PartitionDirTest, WithoutFeaturesAndWithEmptyParts) {
  // Four parts of which the last owns nothing; no features stored.
  llvm::Error err =
      writePartitionDirectory(out, graph, kOwner, 4, "hand", nullptr, nullptr);
  ASSERT_FALSE(bool(err)) << llvm::toString(std::move(err));
  for (int k = 0; k < 4; ++k) {
    auto got = load(k);
    ASSERT_TRUE(bool(got)) << llvm::toString(got.takeError());
    expectSameParts(*got, llvm::cantFail(extractPart(graph, kOwner, 4, k, nullptr, nullptr)));
    EXPECT_TRUE(got->features.shape.empty());
  }
}

TEST_F(PartitionDirTest, ReplacesAnOlderPartition) {
  llvm::Error err =
      writePartitionDirectory(out, graph, kOwner, 4, "hand", nullptr, nullptr);
  ASSERT_FALSE(bool(err));
  ASSERT_TRUE(llvm::sys::fs::exists(partFile(3)));
  writeHand(&x);
  EXPECT_FALSE(llvm::sys::fs::exists(partFile(3))); // Stale part removed.
  auto m = readManifest(out);
  ASSERT_TRUE(bool(m));
  EXPECT_EQ(m->parts, 3);
  auto got = loadPart(out, *m, 2);
  ASSERT_TRUE(bool(got)) << llvm::toString(got.takeError());
  // An empty existing directory is fine too.
  out = path("empty");
  ASSERT_FALSE(llvm::sys::fs::create_directory(out));
  writeHand();
  EXPECT_TRUE(isPartitionDirectory(out));
}

TEST_F(PartitionDirTest, RefusesToOverwriteOtherThings) {
  ASSERT_FALSE(llvm::sys::fs::create_directory(out));
  write("parts/notes.txt", "mine");
  llvm::Error err =
      writePartitionDirectory(out, graph, kOwner, 3, "hand", nullptr, nullptr);
  expectError(std::move(err), out + ": ",
              "exists and is not a partition directory (it holds "
              "'notes.txt'); refusing to overwrite it");
  EXPECT_FALSE(llvm::sys::fs::exists(manifestFile()));
  EXPECT_FALSE(llvm::sys::fs::exists(partFile(0)));
  EXPECT_FALSE(isPartitionDirectory(out));

  std::string file = write("afile", "data");
  err = writePartitionDirectory(file, graph, kOwner, 3, "hand", nullptr,
                                nullptr);
  expectError(std::move(err), file + ": ", "exists and is not a directory");
  EXPECT_EQ(readBytes(file), "data");
}

TEST_F(PartitionDirTest, RejectsBadArguments) {
  std::vector<int32_t> bad = kOwner;
  bad[6] = 3;
  expectError(
      writePartitionDirectory(out, graph, bad, 3, "hand", nullptr, nullptr),
      out + ": ", "vertex 6 is assigned to part 3, not in [0, 3)");
  Tensor wrong({7, 3});
  expectError(
      writePartitionDirectory(out, graph, kOwner, 3, "hand", &wrong, nullptr),
      out + ": ", "features of shape [7, 3] are not [8, F]");
  expectError(
      writePartitionDirectory(out, graph, kOwner, 3, "a b", nullptr, nullptr),
      out + ": ", "the method name 'a b'");
  EXPECT_FALSE(llvm::sys::fs::exists(out));
}

TEST_F(PartitionDirTest, TruncatedPartFile) {
  writeHand(&x, &edgeAttr);
  std::string bytes = readBytes(partFile(1));
  writeBytes(partFile(1), bytes.substr(0, bytes.size() - 5));
  expectError(load(1), partFile(1) + ": ",
              "is " + std::to_string(bytes.size() - 5) +
                  " bytes, but the manifest's counts make " +
                  std::to_string(bytes.size()));
  writeBytes(partFile(1), "");
  expectError(load(1), partFile(1) + ": ", "is 0 bytes");
  llvm::sys::fs::remove(partFile(1));
  expectError(load(1), partFile(1) + ": ", "cannot read file");
}

TEST_F(PartitionDirTest, FlippedByteFailsTheChecksum) {
  writeHand(&x, &edgeAttr);
  std::string bytes = readBytes(partFile(0));
  for (size_t at : {size_t(3), size_t(90), bytes.size() - 1}) {
    std::string damaged = bytes;
    damaged[at] ^= 0x10;
    writeBytes(partFile(0), damaged);
    expectError(load(0), partFile(0) + ": ",
                "does not match the manifest's");
  }
}

TEST_F(PartitionDirTest, ManifestFaults) {
  writeHand(&x);
  std::string good = readBytes(manifestFile());
  auto withManifest = [&](const std::string &text) {
    writeBytes(manifestFile(), text);
    return readManifest(out);
  };
  auto replaced = [&](const std::string &from, const std::string &to) {
    std::string t = good;
    size_t at = t.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return t.replace(at, from.size(), to);
  };
  std::string m = manifestFile();
  expectError(withManifest("hello\n"), m + ":1: ",
              "not a gnnc partition manifest");
  expectError(withManifest(replaced("gnnc-partition 1", "gnnc-partition 2")),
              m + ":1: ", "format version '2', this build reads version 1");
  expectError(withManifest(replaced("vertices 8", "vertices 9")), m + ": ",
              "the parts own 8 vertices in all, but 'vertices' is 9");
  expectError(withManifest(replaced("vertices 8", "vertices x")), m + ":2: ",
              "'vertices' must be an integer");
  expectError(withManifest(replaced("vertices 8", "vertices -8")), m + ":2: ",
              "'vertices' must be an integer");
  expectError(withManifest(replaced("edges 16", "edges 15")), m + ": ",
              "the parts hold 16 edges in all, but 'edges' is 15");
  expectError(withManifest(replaced("parts 3", "parts 4")), m + ": ",
              "lists 3 parts, but 'parts' is 4");
  expectError(withManifest(replaced("method hand\n", "")), m + ": ",
              "'method' is missing");
  expectError(withManifest(replaced("method hand\n", "method hand\nmethod x\n")),
              m + ":8: ", "'method' is given twice");
  expectError(withManifest(replaced("method hand\n", "colour blue\n")),
              m + ":7: ", "unknown key 'colour'");
  expectError(withManifest(replaced("part 1 ", "part 2 ")), m + ":9: ",
              "expected part 1 (parts are listed in order)");
  expectError(withManifest(replaced(" checksum ", " checksum 0")), m + ":8: ",
              "part 0: the checksum is not 16 hex digits");
  expectError(withManifest(replaced(" ghosts 3 ", " ghosts 6 ")), m + ": ",
              "part 0 has 6 ghosts beside 3 owned vertices");
  // Counts that add up but do not describe the files: a vertex moved from
  // part 0 to part 1 (caught by the size or, where the 64-byte padding
  // hides the difference, by the header).
  std::string moved = replaced("part 0 owned 3", "part 0 owned 2");
  moved.replace(moved.find("part 1 owned 3"), 14, "part 1 owned 4");
  auto manifest = withManifest(moved);
  ASSERT_TRUE(bool(manifest)) << llvm::toString(manifest.takeError());
  expectError(loadPart(out, *manifest, 0), partFile(0) + ": ", "manifest");
  expectError(loadPart(out, *manifest, 3), m + ": ", "has no part 3");
  llvm::sys::fs::remove(m);
  expectError(readManifest(out), m + ": ", "cannot read file");
  EXPECT_FALSE(isPartitionDirectory(out));
}

TEST_F(PartitionDirTest, BadIdsBehindAGoodChecksum) {
  // Part 0 (hand graph): owned 0, 2, 7; ghosts 1, 5, 6 owned by parts
  // 1, 1, 2 with ids 0, 2, 1 there; 8 edges.
  enum { GlobalIds, Offsets, Sources, EdgeIds, GhostOwner, GhostRemote };
  struct Case {
    int array;
    uint64_t index;
    int64_t value;
    bool wide;
    const char *fault;
  } cases[] = {
      {GhostOwner, 0, 0, false, "ghost 0 has owner part 0, not another of the "
                                "3 parts"},
      {GhostOwner, 2, 3, false, "ghost 2 has owner part 3"},
      {GhostOwner, 1, -1, false, "ghost 1 has owner part -1"},
      {GhostRemote, 2, 2, false, "ghost 2 has id 2 in part 2, which owns 2 "
                                 "vertices"},
      {GhostRemote, 1, 0, false, "ghosts are not sorted by (owner, id) "
                                 "without repeats at ghost 1"},
      {GlobalIds, 3, 8, true, "local vertex 3 has global id 8, not below 8"},
      {GlobalIds, 1, 0, true, "global id 0 is owned twice by this part"},
      {GlobalIds, 2, 1, true, "ghost 0 is global vertex 1, which this part "
                              "owns"},
      {GlobalIds, 4, 2, true, "ghost 1 is global vertex 2, which this part "
                              "owns"},
      {Sources, 7, 6, false, "edge 7 has source id 6, not below 6"},
      {Offsets, 1, 9, true, "CSR offsets decrease at vertex 1"},
      {Offsets, 3, 7, true, "CSR offsets do not span the edges"},
      {EdgeIds, 5, 16, true, "edge 5 has input position 16, not below 16"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.fault);
    writeHand(&x, &edgeAttr);
    uint64_t at = arrayOffset(0, c.array) + c.index * (c.wide ? 8 : 4);
    if (c.wide)
      patchPart<int64_t>(0, at, c.value);
    else
      patchPart<int32_t>(0, at, int32_t(c.value));
    expectError(load(0), partFile(0) + ": ", c.fault);
  }
}

TEST_F(PartitionDirTest, BadHeaderBehindAGoodChecksum) {
  writeHand(&x, &edgeAttr);
  patchPart<char>(0, 0, 'X');
  expectError(load(0), partFile(0) + ": ", "bad magic");
  writeHand(&x, &edgeAttr);
  patchPart<uint32_t>(0, 8, 7);
  expectError(load(0), partFile(0) + ": ",
              "part file version 7, this build reads version 1");
  writeHand(&x, &edgeAttr);
  patchPart<uint32_t>(0, 12, 1);
  expectError(load(0), partFile(0) + ": ", "header part is 1, the manifest "
                                           "says 0");
  writeHand(&x, &edgeAttr);
  patchPart<int64_t>(0, 48, 2);
  expectError(load(0), partFile(0) + ": ", "header ghosts is 2, the manifest "
                                           "says 3");
  // The table: a length that disagrees, an offset past the end or
  // misaligned, an offset+length that wraps around.
  writeHand(&x, &edgeAttr);
  patchPart<uint64_t>(0, 80 + 8, 40);
  expectError(load(0), partFile(0) + ": ", "globalIds is 40 bytes, expected 48");
  writeHand(&x, &edgeAttr);
  patchPart<uint64_t>(0, 80 + 16 * 2, uint64_t(1) << 40);
  expectError(load(0), partFile(0) + ": ",
              "sources at offset 1099511627776 (32 bytes) is not an aligned "
              "range inside the file");
  writeHand(&x, &edgeAttr);
  patchPart<uint64_t>(0, 80 + 16 * 6, arrayOffset(0, 6) + 4);
  expectError(load(0), partFile(0) + ": ", "features at offset");
  writeHand(&x, &edgeAttr);
  patchPart<uint64_t>(0, 80 + 16 * 7, ~uint64_t(63));
  expectError(load(0), partFile(0) + ": ", "edgeFeatures at offset");
  writeHand(&x, &edgeAttr);
  patchPart<uint64_t>(0, 80, 0);
  expectError(load(0), partFile(0) + ": ", "globalIds at offset 0");
}

} // namespace
