//===- ReorderTest.cpp - Vertex orders, renumbered graphs, their files ----===//
//
// Each order on hand graphs whose answer is known, and on random graphs:
// a permutation, deterministic; permuteGraph keeps every vertex's in-edges
// in their order; a reordered graph written as a CSR file loads back with
// its permutation; rows go into the graph's order and back.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include "gnn/CsrFile.h"
#include "gnn/Graph.h"
#include "gnn/Npy.h"
#include "gnn/Reorder.h"

#include <algorithm>
#include <numeric>
#include <random>

using namespace gnn;
using namespace gnn::test;

namespace {

Graph graphOf(int64_t n, const std::vector<int64_t> &src,
              const std::vector<int64_t> &dst) {
  return llvm::cantFail(
      Graph::fromEdges(n, src.data(), dst.data(), int64_t(src.size())));
}

/// A skewed random multigraph with self loops, duplicates and isolated
/// vertices.
Graph randomGraph(int64_t n, int64_t e, unsigned seed, std::vector<int64_t> *s,
                  std::vector<int64_t> *d) {
  std::mt19937_64 rng(seed);
  s->clear();
  d->clear();
  for (int64_t k = 0; k < e; ++k) {
    double u = double(rng() >> 11) / double(uint64_t(1) << 53);
    s->push_back(int64_t(u * u * double(n - 10))); // The last 10 isolated.
    d->push_back(int64_t(rng() % uint64_t(n - 10)));
    if (k % 17 == 0)
      d->back() = s->back(); // A self loop.
  }
  return graphOf(n, *s, *d);
}

std::vector<int32_t> order(const Graph &g, VertexOrder o) {
  return llvm::cantFail(computeVertexOrder(g, o));
}

bool isPermutation(std::vector<int32_t> v) {
  std::sort(v.begin(), v.end());
  for (size_t i = 0; i < v.size(); ++i)
    if (v[i] != int32_t(i))
      return false;
  return true;
}

/// Vertex v's in-edges as (user's source id, input edge) pairs, in order.
std::vector<std::pair<int64_t, int64_t>> inEdges(const Graph &g, int64_t v) {
  std::vector<std::pair<int64_t, int64_t>> out;
  const int64_t *orig = g.originalIds();
  for (int64_t k = g.offsets()[v]; k < g.offsets()[v + 1]; ++k) {
    int64_t s = g.sources()[k];
    out.emplace_back(orig ? orig[s] : s, g.edgeIds()[k]);
  }
  return out;
}

TEST(Reorder, ParsesTheNames) {
  EXPECT_EQ(llvm::cantFail(parseVertexOrder("none")), VertexOrder::None);
  EXPECT_EQ(llvm::cantFail(parseVertexOrder("degree")), VertexOrder::Degree);
  EXPECT_EQ(llvm::cantFail(parseVertexOrder("rcm")), VertexOrder::Rcm);
  EXPECT_EQ(llvm::cantFail(parseVertexOrder("community")),
            VertexOrder::Community);
  auto bad = parseVertexOrder("Degree");
  ASSERT_FALSE(bool(bad));
  EXPECT_EQ(llvm::toString(bad.takeError()),
            "--reorder must be none, degree, rcm or community, found 'Degree'");
  EXPECT_STREQ(vertexOrderName(VertexOrder::Rcm), "rcm");
}

TEST(Reorder, DegreeOnAHandGraph) {
  // Out-degrees: 0:1, 1:3, 2:0, 3:3, 4:1. Descending, ties by id.
  Graph g = graphOf(5, {1, 3, 1, 0, 3, 1, 3, 4}, {0, 0, 2, 2, 4, 4, 1, 2});
  EXPECT_EQ(order(g, VertexOrder::Degree),
            (std::vector<int32_t>{1, 3, 0, 4, 2}));
  EXPECT_EQ(order(g, VertexOrder::None),
            (std::vector<int32_t>{0, 1, 2, 3, 4}));
}

TEST(Reorder, RcmOnAPath) {
  // The path 3 - 0 - 2 - 1 - 4 (edges one way): the ends (degree 1) are 3
  // and 4; Cuthill-McKee starts at 3, walks the path, and is reversed.
  Graph g = graphOf(5, {3, 0, 2, 1}, {0, 2, 1, 4});
  EXPECT_EQ(order(g, VertexOrder::Rcm), (std::vector<int32_t>{4, 1, 2, 0, 3}));
  // Two components, an isolated vertex: each component from its vertex of
  // least degree; neighbours by ascending degree, then id.
  // Star 1 -> {0, 2, 3}, plus 0 -> 2; vertex 4 alone; edge 5 -> 6.
  Graph h = graphOf(7, {1, 1, 1, 0, 5}, {0, 2, 3, 2, 6});
  // Degrees: 0:2, 1:3, 2:2, 3:1, 4:0, 5:1, 6:1. Starts by (degree, id):
  // 4; then 3 (BFS 3, 1, then 1's neighbours 0, 2 by degree 2, 2: ids);
  // then 5, 6. CM: 4 3 1 0 2 5 6; reversed.
  EXPECT_EQ(order(h, VertexOrder::Rcm),
            (std::vector<int32_t>{6, 5, 2, 0, 1, 3, 4}));
}

TEST(Reorder, CommunityFindsTwoInterleavedCliques) {
  // Even and odd vertices form two cliques (edges both ways), one bridge.
  std::vector<int64_t> s, d;
  for (int a = 0; a < 12; ++a)
    for (int b = 0; b < 12; ++b)
      if (a != b && a % 2 == b % 2) {
        s.push_back(a);
        d.push_back(b);
      }
  s.push_back(3);
  d.push_back(4);
  Graph g = graphOf(12, s, d);
  std::vector<int32_t> got = order(g, VertexOrder::Community);
  ASSERT_TRUE(isPermutation(got));
  // The community of vertex 0 first, then the other; inside each by
  // descending degree (3 and 4 have the bridge), then id.
  EXPECT_EQ(got, (std::vector<int32_t>{4, 0, 2, 6, 8, 10, 3, 1, 5, 7, 9, 11}));
}

TEST(Reorder, EveryOrderIsADeterministicPermutation) {
  std::vector<int64_t> s, d;
  Graph g = randomGraph(300, 2500, 4, &s, &d);
  std::vector<int64_t> out(300, 0);
  for (int64_t v : s)
    ++out[v];
  for (VertexOrder o : {VertexOrder::None, VertexOrder::Degree,
                        VertexOrder::Rcm, VertexOrder::Community}) {
    SCOPED_TRACE(vertexOrderName(o));
    std::vector<int32_t> a = order(g, o);
    EXPECT_TRUE(isPermutation(a));
    EXPECT_EQ(a, order(g, o));
    Graph again = randomGraph(300, 2500, 4, &s, &d);
    EXPECT_EQ(a, order(again, o));
  }
  std::vector<int32_t> deg = order(g, VertexOrder::Degree);
  for (size_t i = 1; i < deg.size(); ++i) {
    EXPECT_GE(out[deg[i - 1]], out[deg[i]]);
    if (out[deg[i - 1]] == out[deg[i]]) {
      EXPECT_LT(deg[i - 1], deg[i]);
    }
  }
}

TEST(Reorder, PermuteGraphKeepsEveryInEdgeList) {
  std::vector<int64_t> s, d;
  Graph g = randomGraph(200, 1500, 9, &s, &d);
  for (VertexOrder o :
       {VertexOrder::Degree, VertexOrder::Rcm, VertexOrder::Community}) {
    SCOPED_TRACE(vertexOrderName(o));
    std::vector<int32_t> seq = order(g, o);
    Graph r = llvm::cantFail(permuteGraph(g, seq));
    ASSERT_EQ(r.numVertices(), 200);
    ASSERT_EQ(r.numEdges(), 1500);
    ASSERT_TRUE(r.isReordered());
    for (int64_t i = 0; i < 200; ++i) {
      EXPECT_EQ(r.originalIds()[i], seq[i]);
      EXPECT_EQ(inEdges(r, i), inEdges(g, seq[i])) << "vertex " << i;
    }
    // Renumbering a renumbered graph composes the permutations.
    std::vector<int32_t> reverse(200);
    std::iota(reverse.rbegin(), reverse.rend(), 0);
    Graph rr = llvm::cantFail(permuteGraph(r, reverse));
    for (int64_t i = 0; i < 200; ++i) {
      EXPECT_EQ(rr.originalIds()[i], seq[199 - i]);
      EXPECT_EQ(inEdges(rr, i), inEdges(g, seq[199 - i]));
    }
  }
  // The identity is no permutation to keep.
  Graph same = llvm::cantFail(permuteGraph(g, order(g, VertexOrder::None)));
  EXPECT_FALSE(same.isReordered());
  std::vector<int32_t> bad(200, 0);
  auto refused = permuteGraph(g, bad);
  ASSERT_FALSE(bool(refused));
  EXPECT_NE(llvm::toString(refused.takeError())
                .find("permuteGraph: the order is not a permutation: position "
                      "1 is 0, given twice"),
            std::string::npos);
}

TEST(Reorder, SortInEdgesOnAHandGraph) {
  // Vertex 2's in-edges from 3, 1, 3, 0 (edges 0, 1, 3, 4); vertex 0's
  // from 2 (edge 2).
  Graph g = graphOf(4, {3, 1, 2, 3, 0}, {2, 2, 0, 2, 2});
  Graph s = llvm::cantFail(sortInEdges(g));
  EXPECT_FALSE(s.isReordered());
  std::vector<std::pair<int64_t, int64_t>> two = {{0, 4}, {1, 1}, {3, 0}, {3, 3}};
  EXPECT_EQ(inEdges(s, 2), two);
  std::vector<std::pair<int64_t, int64_t>> zero = {{2, 2}};
  EXPECT_EQ(inEdges(s, 0), zero);
  EXPECT_TRUE(inEdges(s, 1).empty());
  EXPECT_TRUE(inEdges(s, 3).empty());
}

TEST(Reorder, SortInEdgesSortsEveryListAndKeepsTheEdges) {
  std::vector<int64_t> s, d;
  Graph g = randomGraph(200, 1500, 11, &s, &d);
  Graph r = llvm::cantFail(permuteGraph(g, order(g, VertexOrder::Degree)));
  Graph sorted = llvm::cantFail(sortInEdges(r));
  ASSERT_EQ(sorted.numVertices(), 200);
  ASSERT_EQ(sorted.numEdges(), 1500);
  ASSERT_TRUE(sorted.isReordered());
  int64_t moved = 0;
  for (int64_t v = 0; v < 200; ++v) {
    SCOPED_TRACE(v);
    EXPECT_EQ(sorted.originalIds()[v], r.originalIds()[v]);
    ASSERT_EQ(sorted.offsets()[v + 1], r.offsets()[v + 1]);
    const int32_t *src = sorted.sources();
    const int64_t *eid = sorted.edgeIds();
    for (int64_t k = sorted.offsets()[v] + 1; k < sorted.offsets()[v + 1]; ++k) {
      // Ascending sources; equal ones in the order of their edges, which
      // is the edge list's order in a graph built from it.
      EXPECT_TRUE(src[k - 1] < src[k] || (src[k - 1] == src[k] && eid[k - 1] < eid[k]));
    }
    // The same edges: the same (source, edge id) pairs.
    auto want = inEdges(r, v), got = inEdges(sorted, v);
    moved += want != got;
    std::sort(want.begin(), want.end());
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, want);
    // Every edge id still names an edge with this source and target.
    for (int64_t k = sorted.offsets()[v]; k < sorted.offsets()[v + 1]; ++k) {
      EXPECT_EQ(s[size_t(eid[k])], sorted.originalIds()[src[k]]);
      EXPECT_EQ(d[size_t(eid[k])], sorted.originalIds()[v]);
    }
  }
  EXPECT_GT(moved, 50); // The lists were not sorted before.
}

class ReorderFileTest : public TempDirTest {};

TEST_F(ReorderFileTest, AReorderedCsrFileLoadsAsTheRenumberedGraph) {
  std::vector<int64_t> s, d;
  Graph g = randomGraph(150, 1200, 2, &s, &d);
  // Edge features whose row k holds k (input order).
  Tensor rows({1200, 1});
  for (int64_t k = 0; k < 1200; ++k)
    rows.data()[k] = float(k);
  ASSERT_FALSE(bool(writeNpyF32(path("e.npy"), rows.data(), rows.shape)));
  Graph r = llvm::cantFail(permuteGraph(g, order(g, VertexOrder::Rcm)));
  CsrWriteOptions options;
  options.edgeFeaturesIn = path("e.npy");
  options.edgeFeaturesOut = path("e.csr.npy");
  llvm::Error err = writeCsrFile(path("r.csr"), r, options);
  ASSERT_FALSE(bool(err)) << llvm::toString(std::move(err));
  auto loaded = loadCsrFile(path("r.csr"), 150);
  ASSERT_TRUE(bool(loaded)) << llvm::toString(loaded.takeError());
  ASSERT_TRUE(loaded->isReordered());
  EXPECT_TRUE(loaded->isFileMapped());
  for (int64_t i = 0; i < 150; ++i)
    EXPECT_EQ(loaded->originalIds()[i], r.originalIds()[i]);
  EXPECT_TRUE(std::equal(r.offsets(), r.offsets() + 151, loaded->offsets()));
  EXPECT_TRUE(std::equal(r.sources(), r.sources() + 1200, loaded->sources()));
  // The file's edge order is its CSR order; the features follow it.
  auto csrRows = readNpyF32(path("e.csr.npy"), 2);
  ASSERT_TRUE(bool(csrRows));
  for (int64_t k = 0; k < 1200; ++k) {
    EXPECT_EQ(loaded->edgeIds()[k], k);
    EXPECT_EQ(csrRows->data()[k], float(r.edgeIds()[k]));
  }
  // A graph in its original order writes no permutation (its bytes are
  // the streamed writer's: CsrFileTest, AGraphInMemoryWritesTheStreamedBytes).
  ASSERT_FALSE(bool(writeCsrFile(path("g.csr"), g, {})));
  auto plain = loadCsrFile(path("g.csr"), 150);
  ASSERT_TRUE(bool(plain));
  EXPECT_FALSE(plain->isReordered());
}

TEST(Reorder, RowsGoIntoTheGraphOrderAndBack) {
  std::vector<int64_t> s, d;
  Graph g = randomGraph(60, 300, 5, &s, &d);
  Graph r = llvm::cantFail(permuteGraph(g, order(g, VertexOrder::Degree)));
  // Rows of 3 floats, and of 16: one 64-byte line, the copy's fixed-size
  // path.
  for (int64_t width : {3, 16}) {
    SCOPED_TRACE(width);
    int64_t size = 60 * width;
    Tensor rows({60, width});
    for (int64_t i = 0; i < size; ++i)
      rows.data()[i] = float(i);
    Tensor copy({60, width});
    std::copy(rows.data(), rows.data() + size, copy.data());
    Tensor in = llvm::cantFail(rowsToGraphOrder(r, std::move(copy), "x"));
    for (int64_t i = 0; i < 60; ++i)
      for (int64_t c = 0; c < width; ++c)
        EXPECT_EQ(in.data()[i * width + c],
                  rows.data()[r.originalIds()[i] * width + c]);
    Tensor back = llvm::cantFail(rowsToOriginalOrder(r, std::move(in), "y"));
    EXPECT_TRUE(std::equal(rows.data(), rows.data() + size, back.data()));
  }
  // graphIds is originalIds' inverse, made with it.
  ASSERT_NE(r.graphIds(), nullptr);
  for (int64_t j = 0; j < 60; ++j)
    EXPECT_EQ(r.originalIds()[r.graphIds()[j]], j);
  EXPECT_EQ(g.graphIds(), nullptr);
  // On a graph in its original order: the same storage, no copy.
  Tensor x({60, 3});
  const float *storage = x.data();
  Tensor same = llvm::cantFail(rowsToGraphOrder(g, std::move(x), "x"));
  EXPECT_EQ(same.data(), storage);
  // Rows of another count are refused, naming the source.
  expectError(rowsToGraphOrder(r, Tensor({59, 3}), "x.npy"), "x.npy: ",
              "has shape [59, 3], not one row per vertex of the graph's 60");
}

} // namespace
