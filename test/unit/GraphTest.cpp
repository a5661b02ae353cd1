//===- GraphTest.cpp - CSR construction and graph file loading ------------===//

#include "TestUtil.h"

#include "gnn/Graph.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <random>

using namespace gnn;
using namespace gnn::test;

namespace {

class GraphTest : public TempDirTest {
protected:
  /// A PyG edge_index .npy of the given integer type, built by hand.
  template <typename T>
  std::string edgeIndex(const std::string &name, const std::vector<T> &src,
                        const std::vector<T> &dst) {
    std::string descr = sizeof(T) == 8 ? "<i8" : "<i4";
    return write(name, npyBytes("{'descr': '" + descr +
                                    "', 'fortran_order': False, 'shape': "
                                    "(2, " +
                                    std::to_string(src.size()) + "), }",
                                raw(src) + raw(dst)));
  }
};

std::vector<int64_t> offsetsOf(const Graph &g) {
  return std::vector<int64_t>(g.offsets(), g.offsets() + g.numVertices() + 1);
}
std::vector<int32_t> sourcesOf(const Graph &g) {
  return std::vector<int32_t>(g.sources(), g.sources() + g.numEdges());
}
std::vector<int64_t> edgeIdsOf(const Graph &g) {
  return std::vector<int64_t>(g.edgeIds(), g.edgeIds() + g.numEdges());
}

// Six vertices; vertex 5 has no edges at all, vertex 4 only an out-edge.
// Edge k:      0  1  2  3  4  5  6  7
const std::vector<int64_t> kSrc = {0, 2, 3, 1, 4, 2, 0, 3};
const std::vector<int64_t> kDst = {1, 1, 0, 1, 3, 1, 3, 3};
// In-edges by target, in input order:
//   0: {e2 from 3}   1: {e0 from 0, e1 from 2, e3 from 1, e5 from 2}
//   2: {}            3: {e4 from 4, e6 from 0, e7 from 3}   4: {}  5: {}
const std::vector<int64_t> kOffsets = {0, 1, 5, 5, 8, 8, 8};
const std::vector<int32_t> kSources = {3, 0, 2, 1, 2, 4, 0, 3};
const std::vector<int64_t> kEdgeIds = {2, 0, 1, 3, 5, 4, 6, 7};

void expectHandGraph(const Graph &g) {
  EXPECT_EQ(g.numVertices(), 6);
  EXPECT_EQ(g.numEdges(), 8);
  EXPECT_EQ(offsetsOf(g), kOffsets);
  EXPECT_EQ(sourcesOf(g), kSources);
  EXPECT_EQ(edgeIdsOf(g), kEdgeIds);
}

TEST(GraphCsr, FromEdgesMatchesHandComputedCsr) {
  Graph g = llvm::cantFail(Graph::fromEdges(6, kSrc.data(), kDst.data(), 8));
  expectHandGraph(g);
  EXPECT_EQ(g.inDegree(1), 4);
  EXPECT_EQ(g.inDegree(2), 0); // Isolated as a target.
  EXPECT_EQ(g.inDegree(5), 0); // Isolated entirely.
  // Sources go up to 4: no in-edge reads vertex 5's row.
  EXPECT_EQ(g.sourceEnd(), 5);
}

TEST(GraphCsr, SourceEndOfCsrArrays) {
  // Vertices 3 and 4 are only targets; the ghost count does not matter.
  AlignedArray<int64_t> offsets(6);
  const int64_t off[] = {0, 1, 1, 3, 3, 4};
  std::copy(off, off + 6, offsets.data());
  AlignedArray<int32_t> sources(4);
  const int32_t src[] = {2, 0, 1, 2};
  std::copy(src, src + 4, sources.data());
  AlignedArray<int64_t> edgeIds(4);
  for (int k = 0; k < 4; ++k)
    edgeIds[k] = k;
  Graph g = llvm::cantFail(Graph::fromCsr(5, 0, std::move(offsets),
                                          std::move(sources),
                                          std::move(edgeIds), "csr"));
  EXPECT_EQ(g.sourceEnd(), 3);
  AlignedArray<int64_t> none(4);
  for (int v = 0; v < 4; ++v)
    none[v] = 0;
  Graph empty = llvm::cantFail(Graph::fromCsr(3, 0, std::move(none),
                                              AlignedArray<int32_t>(0),
                                              AlignedArray<int64_t>(0), "csr"));
  EXPECT_EQ(empty.sourceEnd(), 0);
}

TEST(GraphCsr, KeepsSelfLoopsAndDuplicateEdges) {
  std::vector<int64_t> src = {1, 1, 1, 0, 1};
  std::vector<int64_t> dst = {1, 0, 1, 0, 0};
  Graph g = llvm::cantFail(Graph::fromEdges(2, src.data(), dst.data(), 5));
  EXPECT_EQ(offsetsOf(g), (std::vector<int64_t>{0, 3, 5}));
  EXPECT_EQ(sourcesOf(g), (std::vector<int32_t>{1, 0, 1, 1, 1}));
  EXPECT_EQ(edgeIdsOf(g), (std::vector<int64_t>{1, 3, 4, 0, 2}));
}

TEST(GraphCsr, EdgeFeaturesFollowTheCsrOrder) {
  Graph g = llvm::cantFail(Graph::fromEdges(6, kSrc.data(), kDst.data(), 8));
  Tensor rows({8, 2});
  for (int64_t k = 0; k < 8; ++k) {
    rows.data()[2 * k] = float(k);
    rows.data()[2 * k + 1] = float(100 + k);
  }
  auto csr = edgeFeaturesToCsr(g, rows, "e.npy");
  ASSERT_TRUE(bool(csr)) << llvm::toString(csr.takeError());
  EXPECT_EQ(csr->shape, (std::vector<int64_t>{8, 2}));
  for (int64_t k = 0; k < 8; ++k) {
    EXPECT_EQ(csr->data()[2 * k], float(kEdgeIds[k]));
    EXPECT_EQ(csr->data()[2 * k + 1], float(100 + kEdgeIds[k]));
  }
  Tensor wrong({7, 2});
  auto bad = edgeFeaturesToCsr(g, wrong, "e.npy");
  ASSERT_FALSE(bool(bad));
  EXPECT_EQ(llvm::toString(bad.takeError()),
            "e.npy: has 7 rows of edge features but the graph has 8 edges");
  Tensor unallocated;
  unallocated.shape = {8, 2};
  auto empty = edgeFeaturesToCsr(g, unallocated, "e.npy");
  ASSERT_FALSE(bool(empty));
  EXPECT_EQ(llvm::toString(empty.takeError()),
            "e.npy: edge features holds 0 values, but its shape [8, 2] needs "
            "16");
}

TEST(GraphCsr, EmptyGraphs) {
  Graph g = llvm::cantFail(Graph::fromEdges(3, nullptr, nullptr, 0));
  EXPECT_EQ(offsetsOf(g), (std::vector<int64_t>{0, 0, 0, 0}));
  EXPECT_EQ(g.numEdges(), 0);
  EXPECT_EQ(g.sourceEnd(), 0);
  Graph none = llvm::cantFail(Graph::fromEdges(0, nullptr, nullptr, 0));
  EXPECT_EQ(none.numVertices(), 0);
  EXPECT_EQ(none.offsets()[0], 0);
}

TEST(GraphCsr, FromEdgeIndexInMemory) {
  // The two rows of a [2, E] int64 array, read where they lie.
  std::vector<int64_t> rows(kSrc);
  rows.insert(rows.end(), kDst.begin(), kDst.end());
  auto g = Graph::fromEdgeIndex(6, rows.data(), rows.data() + 8, 8, 8, "ei");
  ASSERT_TRUE(bool(g)) << llvm::toString(g.takeError());
  expectHandGraph(*g);
  // int32 ids, one byte off alignment.
  std::vector<char> bytes(1 + 2 * 8 * sizeof(int32_t));
  for (int k = 0; k < 8; ++k) {
    int32_t s = int32_t(kSrc[k]), d = int32_t(kDst[k]);
    std::memcpy(&bytes[1 + k * 4], &s, 4);
    std::memcpy(&bytes[1 + 32 + k * 4], &d, 4);
  }
  auto g32 = Graph::fromEdgeIndex(6, &bytes[1], &bytes[33], 4, 8, "ei");
  ASSERT_TRUE(bool(g32)) << llvm::toString(g32.takeError());
  expectHandGraph(*g32);
}

TEST(GraphCsr, FromEdgeIndexChecksIds) {
  std::vector<int64_t> src = {0, 1, 2}, dst = {1, 2, 6};
  expectError(Graph::fromEdgeIndex(6, src.data(), dst.data(), 8, 3, "ei"),
              "ei: ", "edge 2: target id 6 is not below the vertex count 6");
  std::vector<int32_t> src32 = {0, -3}, dst32 = {1, 0};
  expectError(Graph::fromEdgeIndex(6, src32.data(), dst32.data(), 4, 2, "ei"),
              "ei: ", "edge 1: source id -3 is negative");
  expectError(Graph::fromEdgeIndex(int64_t(1) << 31, src.data(), dst.data(), 8,
                                   3, "ei"),
              "ei: ", "outside [0, 2^31)");
  expectError(Graph::fromEdgeIndex(6, src.data(), dst.data(), 2, 3, "ei"),
              "ei: ", "ids must be int64 or int32, not 2-byte integers");
  expectError(Graph::fromEdgeIndex(6, src.data(), dst.data(), 8, -1, "ei"),
              "ei: ", "edge count -1 is negative");
  expectError(Graph::fromEdgeIndex(6, nullptr, dst.data(), 8, 3, "ei"),
              "ei: ", "3 edges but no endpoint arrays");
  auto none = Graph::fromEdgeIndex(6, nullptr, nullptr, 4, 0, "ei");
  ASSERT_TRUE(bool(none)) << llvm::toString(none.takeError());
  EXPECT_EQ(none->numEdges(), 0);
}

TEST(TensorView, DescribesStorageThatDoesNotFitItsShape) {
  EXPECT_EQ(describeBadStorage(Tensor({2, 3})), "");
  EXPECT_EQ(describeBadStorage(Tensor()), "holds 0 values, but its shape [] "
                                          "needs 1");
  Tensor unallocated;
  unallocated.shape = {2, 3};
  EXPECT_EQ(describeBadStorage(unallocated),
            "holds 0 values, but its shape [2, 3] needs 6");
  Tensor negative({2, 3});
  negative.shape = {-2, -3};
  EXPECT_EQ(describeBadStorage(negative), "has shape [-2, -3]");
  EXPECT_EQ(describeBadStorage(Tensor::borrow(nullptr, {2})),
            "has shape [2] but no data");
  EXPECT_EQ(describeBadStorage(Tensor::borrow(nullptr, {0, 5})), "");
}

TEST(TensorView, BorrowsWithoutFreeing) {
  std::vector<float> owner = {1, 2, 3, 4, 5, 6};
  {
    Tensor view = Tensor::borrow(owner.data(), {2, 3});
    EXPECT_EQ(view.data(), owner.data());
    EXPECT_EQ(view.numElements(), 6u);
    Tensor moved = std::move(view); // still a view: moving keeps it one
    EXPECT_EQ(moved.data(), owner.data());
  } // Destroying the views leaves the vector's memory alone (ASan checks).
  EXPECT_EQ(owner[5], 6.0f);
}

TEST(GraphCsr, MatchesStableSortOnRandomGraph) {
  // The reference is a stable sort of edge positions by target: the CSR
  // order the contract promises, computed a different way.
  const int64_t n = 1000, e = 20000;
  std::mt19937_64 rng(42);
  std::vector<int64_t> src(e), dst(e);
  for (int64_t k = 0; k < e; ++k) {
    src[k] = rng() % n;
    dst[k] = rng() % (n / 2); // Leaves vertices 500.. without in-edges.
  }
  std::vector<int64_t> order(e);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t a, int64_t b) { return dst[a] < dst[b]; });
  Graph g = llvm::cantFail(Graph::fromEdges(n, src.data(), dst.data(), e));
  EXPECT_EQ(edgeIdsOf(g), order);
  for (int64_t p = 0; p < e; ++p)
    ASSERT_EQ(g.sources()[p], src[order[p]]) << p;
  for (int64_t v = 0; v < n; ++v)
    for (int64_t p = g.offsets()[v]; p < g.offsets()[v + 1]; ++p)
      ASSERT_EQ(dst[g.edgeIds()[p]], v);
  EXPECT_EQ(g.offsets()[n], e);
  EXPECT_EQ(g.sourceEnd(), *std::max_element(src.begin(), src.end()) + 1);
}

TEST_F(GraphTest, LoadsInt64AndInt32EdgeIndex) {
  auto g = loadGraph(edgeIndex("g64.npy", kSrc, kDst), 6);
  ASSERT_TRUE(bool(g)) << llvm::toString(g.takeError());
  expectHandGraph(*g);

  std::vector<int32_t> s32(kSrc.begin(), kSrc.end()),
      d32(kDst.begin(), kDst.end());
  g = loadGraph(edgeIndex("g32.npy", s32, d32), 6);
  ASSERT_TRUE(bool(g)) << llvm::toString(g.takeError());
  expectHandGraph(*g);
}

TEST_F(GraphTest, SniffsNpyWithoutExtension) {
  std::string p = edgeIndex("edges.bin", kSrc, kDst);
  auto g = loadGraph(p, 6);
  ASSERT_TRUE(bool(g)) << llvm::toString(g.takeError());
  expectHandGraph(*g);
}

TEST_F(GraphTest, ReadsUnalignedNpyData) {
  // No header padding: the int64 data starts at an odd-ish offset.
  std::string dict =
      "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 8)}";
  std::string p = write("u.npy", npyBytes(dict, raw(kSrc) + raw(kDst), 1,
                                          /*pad=*/false));
  auto g = loadGraph(p, 6);
  ASSERT_TRUE(bool(g)) << llvm::toString(g.takeError());
  expectHandGraph(*g);
}

TEST_F(GraphTest, RejectsTargetIdNotBelowVertexCount) {
  std::vector<int64_t> src = {0, 1, 2}, dst = {1, 2, 99};
  std::string p = edgeIndex("big.npy", src, dst);
  expectError(loadGraph(p, 50), p + ": ",
              "edge 2: target id 99 is not below the vertex count 50");
  // Exactly N is out of range too.
  p = edgeIndex("eq.npy", std::vector<int64_t>{3}, std::vector<int64_t>{0});
  expectError(loadGraph(p, 3), p + ": ",
              "edge 0: source id 3 is not below the vertex count 3");
}

TEST_F(GraphTest, RejectsNegativeIds) {
  std::string p = edgeIndex("neg.npy", std::vector<int64_t>{0, -1},
                            std::vector<int64_t>{1, 0});
  expectError(loadGraph(p, 5), p + ": ", "edge 1: source id -1 is negative");
  p = edgeIndex("neg32.npy", std::vector<int32_t>{0, 0},
                std::vector<int32_t>{1, -7});
  expectError(loadGraph(p, 5), p + ": ", "edge 1: target id -7 is negative");
  expectError(countVertices(p), p + ": ", "edge 1: target id -7 is negative");
}

TEST_F(GraphTest, RejectsWrongEdgeIndexShapeOrDtype) {
  std::string p = write(
      "s3.npy", npyBytes("{'descr': '<i8', 'fortran_order': False, "
                         "'shape': (3, 2), }",
                         raw(std::vector<int64_t>(6, 0))));
  expectError(loadGraph(p, 5), p + ": ",
              "edge_index must have shape [2, E], found [3, 2]");
  p = write("s1.npy", npyBytes("{'descr': '<i8', 'fortran_order': False, "
                               "'shape': (4,), }",
                               raw(std::vector<int64_t>(4, 0))));
  expectError(loadGraph(p, 5), p + ": ", "found [4]");
  p = write("f.npy", npyBytes("{'descr': '<f4', 'fortran_order': False, "
                              "'shape': (2, 1), }",
                              raw(std::vector<float>(2, 0))));
  expectError(loadGraph(p, 5), p + ": ", "edge_index dtype is '<f4'");
  p = write("bad.npy", "not numpy at all");
  expectError(loadGraph(p, 5), p + ": ",
              "not a .npy file: it is text starting \"not numpy at all\"");
}

TEST_F(GraphTest, RejectsVertexCountsOutside32Bits) {
  std::string p = edgeIndex("g.npy", kSrc, kDst);
  expectError(loadGraph(p, int64_t(1) << 31), p + ": ", "outside [0, 2^31)");
  expectError(loadGraph(p, -1), p + ": ", "outside [0, 2^31)");
}

TEST_F(GraphTest, ReadsTextEdgeListWithCommentsAndBlankLines) {
  std::string text = "# a comment line\n"
                     "\n"
                     "0 1\n"
                     "  2\t1   # trailing comment\n"
                     "3 0\r\n"
                     "1 1\n"
                     "   \n"
                     "4 3\n"
                     "#\n"
                     "2 1\n"
                     "0 3\n"
                     "3 3"; // No final newline.
  std::string p = write("g.txt", text);
  auto g = loadGraph(p, 6);
  ASSERT_TRUE(bool(g)) << llvm::toString(g.takeError());
  expectHandGraph(*g);
  auto n = countVertices(p);
  ASSERT_TRUE(bool(n)) << llvm::toString(n.takeError());
  EXPECT_EQ(*n, 5); // Largest id 4; vertex 5 is only known from --num-nodes.
}

TEST_F(GraphTest, RejectsMalformedTextLines) {
  struct Case {
    std::string line, fragment;
  };
  std::vector<Case> cases = {
      {"1 x", "target id 'x' is not an integer"},
      {"1.5 2", "source id '1.5' is not an integer"},
      {"7", "expected 'src dst', found only one field"},
      {"1 2 3", "expected 'src dst', found a third field '3'"},
      {"-1 2", "source id -1 is negative"},
      {"1 9", "target id 9 is not below the vertex count 5"},
      {"1 99999999999999999999999", "target id 99999999999999999999999 is "
                                    "not below the vertex count 5"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    // The bad line is line 4, after a comment, a good line and a blank.
    std::string p = write("bad" + std::to_string(i) + ".txt",
                          "# header\n0 1\n\n" + cases[i].line + "\n2 3\n");
    expectError(loadGraph(p, 5), p + ":4: ", cases[i].fragment);
  }
}

TEST_F(GraphTest, CountVerticesOfNpy) {
  auto n = countVertices(edgeIndex("c.npy", kSrc, kDst));
  ASSERT_TRUE(bool(n)) << llvm::toString(n.takeError());
  EXPECT_EQ(*n, 5);
  n = countVertices(edgeIndex("e.npy", std::vector<int64_t>{},
                              std::vector<int64_t>{}));
  ASSERT_TRUE(bool(n)) << llvm::toString(n.takeError());
  EXPECT_EQ(*n, 0);
  std::string p = edgeIndex("h.npy", std::vector<int64_t>{int64_t(1) << 33},
                            std::vector<int64_t>{0});
  expectError(countVertices(p), p + ": ", "edge 0: source id 8589934592");
}

TEST_F(GraphTest, MissingFileNamesThePath) {
  std::string p = path("absent.txt");
  expectError(loadGraph(p, 3), p + ": ", "cannot read file");
  std::string q = path("absent.npy");
  expectError(loadGraph(q, 3), q + ": ", "cannot read file");
}

} // namespace

TEST(GraphCsr, FromEdgesRefusesWhatItCannotHold) {
  auto error = [](llvm::Expected<Graph> g) {
    return g ? std::string("no error") : llvm::toString(g.takeError());
  };
  std::vector<int64_t> src = {0, 1, 2}, dst = {1, 2, 0};
  EXPECT_EQ(error(Graph::fromEdges(3, src.data(), dst.data(), 3)), "no error");
  // The first edge with an id outside [0, n), source or target.
  dst[1] = 3;
  EXPECT_EQ(error(Graph::fromEdges(3, src.data(), dst.data(), 3)),
            "Graph::fromEdges: edge 1: target id 3 is not below the vertex "
            "count 3");
  src[0] = -1;
  EXPECT_EQ(error(Graph::fromEdges(3, src.data(), dst.data(), 3)),
            "Graph::fromEdges: edge 0: source id -1 is negative");
  EXPECT_EQ(error(Graph::fromEdges(-2, nullptr, nullptr, 0)),
            "Graph::fromEdges: vertex count -2 is out of range (0 to 2^31 - 1)");
  EXPECT_EQ(error(Graph::fromEdges(int64_t(1) << 31, nullptr, nullptr, 0)),
            "Graph::fromEdges: vertex count 2147483648 is out of range (0 to "
            "2^31 - 1)");
  EXPECT_EQ(error(Graph::fromEdges(3, nullptr, nullptr, -1)),
            "Graph::fromEdges: edge count -1 is negative");
  EXPECT_EQ(error(Graph::fromEdges(3, nullptr, dst.data(), 2)),
            "Graph::fromEdges: 2 edges but no endpoint arrays");
}

// Caches of per-graph work (gather blocking's blocks) key on Graph::id:
// each graph made has its own, a move keeps it, and a graph made where a
// freed one was (same sizes, maybe the same addresses) gets a new one.
TEST(GraphCsr, EachGraphHasItsOwnId) {
  std::vector<int64_t> src{0, 1}, dst{1, 0};
  Graph a = std::move(*Graph::fromEdges(2, src.data(), dst.data(), 2));
  uint64_t first = a.id();
  Graph moved = std::move(a);
  EXPECT_EQ(moved.id(), first);
  moved = std::move(*Graph::fromEdges(2, src.data(), dst.data(), 2));
  EXPECT_NE(moved.id(), first);
  Graph b = std::move(*Graph::fromEdges(2, src.data(), dst.data(), 2));
  EXPECT_NE(b.id(), moved.id());
}
