//===- CsrFileTest.cpp - Binary CSR files: bounded writing, mapped loading ===//
//
// The CSR a fill pass writes is checked against Graph::fromEdges (the
// in-memory path) and against itself under budgets that force many passes;
// the loader is fed files damaged byte by byte.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include "gnn/CsrFile.h"
#include "gnn/EdgeStream.h"
#include "gnn/Graph.h"
#include "gnn/Npy.h"
#include "gnn/Reorder.h"

#include "llvm/Support/MemoryBuffer.h"

#include <fstream>
#include <numeric>
#include <random>

using namespace gnn;
using namespace gnn::test;

namespace {

/// Edges in memory as a stream, in batches of `batch` (tests vary it).
class VectorEdges : public EdgeStream {
public:
  VectorEdges(std::vector<int64_t> src, std::vector<int64_t> dst,
              int64_t batch = 7)
      : src(std::move(src)), dst(std::move(dst)), batch(batch) {}
  int64_t size() const override { return int64_t(src.size()); }
  llvm::Error forEach(Batch f) override {
    ++passes;
    for (int64_t first = 0; first < size(); first += batch) {
      int64_t count = std::min(batch, size() - first);
      f(first, src.data() + first, dst.data() + first, count);
    }
    return llvm::Error::success();
  }
  std::vector<int64_t> src, dst;
  int64_t batch;
  int passes = 0;
};

/// A random multigraph with hubs, self loops and duplicate edges.
VectorEdges randomEdges(int64_t n, int64_t e, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<int64_t> src(e), dst(e);
  for (int64_t k = 0; k < e; ++k) {
    src[k] = rng() % n;
    dst[k] = rng() % 4 == 0 ? 0 : rng() % n; // Vertex 0 is a hub.
  }
  return VectorEdges(src, dst);
}

std::string slurp(const std::string &path) {
  std::ifstream is(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(is), {});
}

class CsrFileTest : public TempDirTest {
protected:
  /// Writes [e, d] float32 edge features to `name`, element i being
  /// i * step.
  void writeRampFeatures(const std::string &name, int64_t e, int64_t d,
                         float step) {
    Tensor rows({e, d});
    for (size_t i = 0; i < rows.numElements(); ++i)
      rows.data()[i] = float(i) * step;
    ASSERT_FALSE(bool(writeNpyF32(path(name), rows.data(), rows.shape)));
  }
};

TEST_F(CsrFileTest, MatchesTheInMemoryCsr) {
  VectorEdges edges = randomEdges(50, 600, 1);
  ASSERT_FALSE(bool(writeCsrFile(path("g.csr"), 50, edges, {})));
  EXPECT_EQ(edges.passes, 2); // Count, then one fill.
  auto want = Graph::fromEdges(50, edges.src.data(), edges.dst.data(), 600);
  ASSERT_TRUE(bool(want));
  EXPECT_TRUE(isCsrFile(path("g.csr")));
  auto got = loadCsrFile(path("g.csr"), 50);
  ASSERT_TRUE(bool(got)) << llvm::toString(got.takeError());
  ASSERT_EQ(got->numVertices(), 50);
  ASSERT_EQ(got->numEdges(), 600);
  EXPECT_EQ(got->numGhosts(), 0);
  for (int64_t v = 0; v <= 50; ++v)
    ASSERT_EQ(got->offsets()[v], want->offsets()[v]) << v;
  for (int64_t k = 0; k < 600; ++k) {
    ASSERT_EQ(got->sources()[k], want->sources()[k]) << k;
    ASSERT_EQ(got->edgeIds()[k], k) << "a CSR file's edge order is its own";
  }
  // loadGraph recognises the file whatever its name.
  ASSERT_FALSE(llvm::sys::fs::copy_file(path("g.csr"), path("g.bin")));
  auto byName = loadGraph(path("g.bin"), 50);
  ASSERT_TRUE(bool(byName));
  EXPECT_EQ(byName->numEdges(), 600);
  auto count = countVertices(path("g.bin"));
  ASSERT_TRUE(bool(count));
  EXPECT_EQ(*count, 50);
}

TEST_F(CsrFileTest, AnyBudgetGivesTheSameBytes) {
  VectorEdges edges = randomEdges(40, 500, 2);
  CsrWriteOptions whole;
  ASSERT_FALSE(bool(writeCsrFile(path("a.csr"), 40, edges, whole)));
  std::string want = slurp(path("a.csr"));
  for (uint64_t budget : {1u, 4u, 64u, 300u, 1999u}) {
    edges.passes = 0;
    edges.batch = int64_t(budget % 13 + 1);
    CsrWriteOptions small;
    small.memoryBytes = budget;
    ASSERT_FALSE(bool(writeCsrFile(path("b.csr"), 40, edges, small)));
    EXPECT_EQ(slurp(path("b.csr")), want) << budget;
    if (budget <= 64)
      EXPECT_GT(edges.passes, 3) << budget; // Several fill passes.
  }
}

TEST_F(CsrFileTest, EdgeFeaturesFollowTheCsrOrder) {
  VectorEdges edges = randomEdges(30, 200, 3);
  const int64_t d = 3;
  std::vector<float> rows(200 * d);
  for (size_t i = 0; i < rows.size(); ++i)
    rows[i] = float(i) * 0.5f;
  ASSERT_FALSE(bool(writeNpyF32(path("e.npy"), rows.data(), {200, d})));
  auto g = Graph::fromEdges(30, edges.src.data(), edges.dst.data(), 200);
  ASSERT_TRUE(bool(g));
  auto in = readNpyF32(path("e.npy"), 2);
  ASSERT_TRUE(bool(in));
  auto want = edgeFeaturesToCsr(*g, *in, "e.npy");
  ASSERT_TRUE(bool(want));
  for (uint64_t budget : {uint64_t(1) << 30, uint64_t(40)}) {
    CsrWriteOptions options;
    options.memoryBytes = budget;
    options.edgeFeaturesIn = path("e.npy");
    options.edgeFeaturesOut = path("out.npy");
    ASSERT_FALSE(bool(writeCsrFile(path("g.csr"), 30, edges, options)));
    auto got = readNpyF32(path("out.npy"), 2);
    ASSERT_TRUE(bool(got));
    ASSERT_EQ(got->shape, want->shape);
    EXPECT_EQ(0, std::memcmp(got->data(), want->data(), 200 * d * 4));
  }
  // The wrong row count is refused, and nothing is left behind.
  VectorEdges fewer = randomEdges(30, 150, 4);
  CsrWriteOptions options;
  options.edgeFeaturesIn = path("e.npy");
  options.edgeFeaturesOut = path("out2.npy");
  expectError(writeCsrFile(path("h.csr"), 30, fewer, options), path("e.npy"),
              "has 200 rows of edge features but the graph has 150 edges");
  EXPECT_FALSE(llvm::sys::fs::exists(path("h.csr")));
  EXPECT_FALSE(llvm::sys::fs::exists(path("out2.npy")));
}

TEST_F(CsrFileTest, StreamsFromNpyAndText) {
  VectorEdges edges = randomEdges(20, 90, 5);
  std::string text = "# a comment\n";
  for (size_t k = 0; k < edges.src.size(); ++k)
    text += std::to_string(edges.src[k]) + " " + std::to_string(edges.dst[k]) +
            (k % 3 ? "\n" : "  # hi\n\n");
  write("g.txt", text);
  std::vector<int64_t> both = edges.src;
  both.insert(both.end(), edges.dst.begin(), edges.dst.end());
  ASSERT_FALSE(bool(writeNpyI64(path("g.npy"), both.data(), {2, 90})));
  ASSERT_FALSE(bool(writeCsrFile(path("want.csr"), 20, edges, {})));
  for (const char *name : {"g.txt", "g.npy"}) {
    auto stream = openEdgeStream(path(name), 20);
    ASSERT_TRUE(bool(stream)) << llvm::toString(stream.takeError());
    CsrWriteOptions small;
    small.memoryBytes = 16;
    ASSERT_FALSE(bool(writeCsrFile(path("got.csr"), 20, **stream, small)));
    EXPECT_EQ(slurp(path("got.csr")), slurp(path("want.csr"))) << name;
    EXPECT_EQ((*stream)->size(), 90);
  }
  // Ids are checked on the way, naming the file.
  auto tooFew = openEdgeStream(path("g.npy"), 5);
  ASSERT_TRUE(bool(tooFew));
  expectError(writeCsrFile(path("x.csr"), 5, **tooFew, {}), path("g.npy"),
              "is not below the vertex count 5");
  auto tooFewText = openEdgeStream(path("g.txt"), 5);
  ASSERT_TRUE(bool(tooFewText));
  expectError(writeCsrFile(path("x.csr"), 5, **tooFewText, {}),
              path("g.txt") + ":", "is not below the vertex count 5");
  EXPECT_FALSE(llvm::sys::fs::exists(path("x.csr")));
}

/// The bytes of a valid CSR file to damage.
class DamagedCsrTest : public CsrFileTest {
protected:
  void SetUp() override {
    CsrFileTest::SetUp();
    VectorEdges edges({0, 1, 2, 3, 1}, {1, 2, 3, 0, 0});
    ASSERT_FALSE(bool(writeCsrFile(path("ok.csr"), 4, edges, {})));
    good = slurp(path("ok.csr"));
  }
  /// Loads `bytes` as a CSR file and expects a one-line error.
  void expectFault(const std::string &bytes, const std::string &fragment) {
    std::string p = write("bad.csr", bytes);
    expectError(loadGraph(p, 4), p + ": ", fragment);
  }
  void put64(std::string &bytes, size_t at, uint64_t v) {
    bytes.replace(at, 8, le<uint64_t>(v));
  }
  std::string good;
};

TEST_F(DamagedCsrTest, EachFaultIsNamed) {
  ASSERT_TRUE(bool(loadGraph(path("ok.csr"), 4)));
  expectFault(good.substr(0, 50), "shorter than a CSR file header");
  expectFault(good.substr(0, good.size() - 1), "(truncated)");
  expectFault(good + "x", "but its header's counts make");
  std::string b = good;
  b[3] = 'X';
  // Bad magic: not recognised as a CSR file, so read as a text edge list.
  expectFault(b, "not a text edge list");
  b = good;
  b[8] = 2;
  expectFault(b, "CSR file version 2");
  b = good;
  b[16] = 3;
  expectFault(b, "of a partition, not a whole graph");
  b = good;
  put64(b, 24, 5);
  expectFault(b, "header counts disagree");
  b = good;
  put64(b, 24, uint64_t(1) << 40);
  put64(b, 40, uint64_t(1) << 40);
  expectFault(b, "is not below 2^31");
  b = good;
  put64(b, 64, 2);
  expectFault(b, "holds features");
  b = good;
  put64(b, 80 + 16 * 2, 4096); // The sources' offset.
  expectFault(b, "sources at offset 4096");
  // The arrays: offsets 0,2,3,4,5 at the offsets array; sources after.
  uint64_t offsets = 0, sources = 0, ids = 0;
  std::memcpy(&ids, good.data() + 80, 8);
  std::memcpy(&offsets, good.data() + 96, 8);
  std::memcpy(&sources, good.data() + 112, 8);
  b = good;
  put64(b, offsets + 8, 4);
  put64(b, offsets + 16, 3);
  expectFault(b, "CSR offsets decrease at vertex 1");
  b = good;
  put64(b, offsets + 32, 6);
  expectFault(b, "CSR offsets do not span the edges");
  b = good;
  b.replace(sources + 4, 4, le<int32_t>(4));
  expectFault(b, "edge 1 has source id 4, not below 4");
  b = good;
  b.replace(sources, 4, le<int32_t>(-1));
  expectFault(b, "has source id -1");
  // globalIds: any permutation of 0..N-1, nothing else.
  b = good;
  put64(b, ids + 8, 7);
  expectFault(b, "global id of vertex 1 is 7, not in [0, 4)");
  b = good;
  put64(b, ids + 16, uint64_t(-1));
  expectFault(b, "global id of vertex 2 is -1, not in [0, 4)");
  b = good;
  put64(b, ids + 24, 1);
  expectFault(b, "global id of vertex 3 is 1, given twice (the ids must be "
                 "a permutation of 0..3)");
  // The expected vertex count is the file's.
  expectError(loadGraph(path("ok.csr"), 5), path("ok.csr") + ": ",
              "has 4 vertices, but the features");
}

TEST_F(DamagedCsrTest, BadEdgeIdsAreCaughtWhereUsed) {
  uint64_t ids = 0;
  std::memcpy(&ids, good.data() + 80 + 16 * 3, 8);
  std::string b = good;
  put64(b, ids + 16, 99);
  std::string p = write("bad.csr", b);
  auto g = loadGraph(p, 4);
  ASSERT_TRUE(bool(g)); // Not read until edge features are.
  Tensor rows({5, 2});
  expectError(edgeFeaturesToCsr(*g, rows, "e.npy"), "e.npy: ",
              "the graph's edge 2 names input edge 99");
}

TEST_F(CsrFileTest, MappedFeaturesEqualReadOnes) {
  std::vector<float> x(6 * 5);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = float(i) - 7.25f;
  ASSERT_FALSE(bool(writeNpyF32(path("x.npy"), x.data(), {6, 5})));
  auto mapped = mapNpyF32(path("x.npy"), 2);
  ASSERT_TRUE(bool(mapped));
  EXPECT_EQ(mapped->shape, (std::vector<int64_t>{6, 5}));
  EXPECT_EQ(0, std::memcmp(mapped->data(), x.data(), x.size() * 4));
  // Copy-on-write: writing to the view does not change the file.
  mapped->data()[0] = 42.0f;
  auto again = readNpyF32(path("x.npy"), 2);
  ASSERT_TRUE(bool(again));
  EXPECT_EQ(again->data()[0], x[0]);
  expectError(mapNpyF32(path("x.npy"), 1), path("x.npy") + ": ",
              "expected a rank-1 array");
  write("d.npy", npyBytes("{'descr': '<f8', 'fortran_order': False, "
                          "'shape': (2,), }",
                          std::string(16, '\0')));
  expectError(mapNpyF32(path("d.npy")), path("d.npy") + ": ",
              "expected float32");
  write("empty.npy", "");
  expectError(mapNpyF32(path("empty.npy")), path("empty.npy") + ": ",
              "file is empty");
  expectError(mapNpyF32(path("missing.npy")), path("missing.npy") + ": ",
              "cannot read file");
}

TEST_F(DamagedCsrTest, AReorderedFileLoadsWithItsPermutation) {
  uint64_t ids = 0;
  std::memcpy(&ids, good.data() + 80, 8);
  auto g = loadGraph(path("ok.csr"), 4);
  ASSERT_TRUE(bool(g));
  EXPECT_FALSE(g->isReordered());
  EXPECT_EQ(g->originalIds(), nullptr);
  std::string b = good;
  put64(b, ids, 2);
  put64(b, ids + 16, 0);
  std::string p = write("perm.csr", b);
  auto r = loadGraph(p, 4);
  ASSERT_TRUE(bool(r)) << llvm::toString(r.takeError());
  ASSERT_TRUE(r->isReordered());
  EXPECT_EQ(std::vector<int64_t>(r->originalIds(), r->originalIds() + 4),
            (std::vector<int64_t>{2, 1, 0, 3}));
}

TEST_F(CsrFileTest, AGraphInMemoryWritesTheStreamedBytes) {
  // writeCsrFile of a Graph in its original order writes the streamed
  // writer's file and edge features, byte for byte.
  VectorEdges edges = randomEdges(50, 600, 3);
  writeRampFeatures("e.npy", 600, 2, 0.5f);
  CsrWriteOptions streamed;
  streamed.edgeFeaturesIn = path("e.npy");
  streamed.edgeFeaturesOut = path("want.e.npy");
  ASSERT_FALSE(bool(writeCsrFile(path("want.csr"), 50, edges, streamed)));
  Graph g = llvm::cantFail(
      Graph::fromEdges(50, edges.src.data(), edges.dst.data(), 600));
  CsrWriteOptions inMemory = streamed;
  inMemory.edgeFeaturesOut = path("got.e.npy");
  llvm::Error err = writeCsrFile(path("got.csr"), g, inMemory);
  ASSERT_FALSE(bool(err)) << llvm::toString(std::move(err));
  EXPECT_EQ(slurp(path("got.csr")), slurp(path("want.csr")));
  EXPECT_EQ(slurp(path("got.e.npy")), slurp(path("want.e.npy")));
}

TEST_F(CsrFileTest, TheStreamedDegreeOrderWritesTheInMemoryBytes) {
  // gnn-graph convert --reorder=degree from the stream (streamDegreeOrder,
  // renumberEdgeStream, the streamed writer in several fill passes) writes
  // what the in-memory order, permuteGraph and the in-memory writer do:
  // the same file, the same edge features.
  VectorEdges edges = randomEdges(50, 600, 4);
  edges.src[5] = edges.dst[5] = 7; // a self loop
  writeRampFeatures("e.npy", 600, 3, 0.25f);
  Graph g = llvm::cantFail(
      Graph::fromEdges(50, edges.src.data(), edges.dst.data(), 600));
  std::vector<int32_t> want =
      llvm::cantFail(computeVertexOrder(g, VertexOrder::Degree));
  auto got = streamDegreeOrder(edges, 50);
  ASSERT_TRUE(bool(got)) << llvm::toString(got.takeError());
  EXPECT_EQ(*got, want);
  std::vector<int32_t> identity(50);
  std::iota(identity.begin(), identity.end(), 0);
  ASSERT_NE(want, identity); // the order moves vertices

  CsrWriteOptions inMemory;
  inMemory.edgeFeaturesIn = path("e.npy");
  inMemory.edgeFeaturesOut = path("want.e.npy");
  Graph permuted = llvm::cantFail(permuteGraph(g, want));
  ASSERT_FALSE(bool(writeCsrFile(path("want.csr"), permuted, inMemory)));

  std::vector<int64_t> ids(got->begin(), got->end());
  CsrWriteOptions streamed = inMemory;
  streamed.edgeFeaturesOut = path("got.e.npy");
  streamed.memoryBytes = 1024; // a few fill passes
  streamed.originalIds = ids.data();
  int before = edges.passes;
  std::unique_ptr<EdgeStream> renumbered = renumberEdgeStream(edges, *got);
  EXPECT_EQ(renumbered->size(), 600);
  llvm::Error err = writeCsrFile(path("got.csr"), 50, *renumbered, streamed);
  ASSERT_FALSE(bool(err)) << llvm::toString(std::move(err));
  EXPECT_GT(edges.passes - before, 2); // count, then more than one fill
  EXPECT_EQ(slurp(path("got.csr")), slurp(path("want.csr")));
  EXPECT_EQ(slurp(path("got.e.npy")), slurp(path("want.e.npy")));
  auto loaded = loadCsrFile(path("got.csr"), 50);
  ASSERT_TRUE(bool(loaded)) << llvm::toString(loaded.takeError());
  ASSERT_TRUE(loaded->isReordered());
  for (int64_t i = 0; i < 50; ++i)
    EXPECT_EQ(loaded->originalIds()[i], want[size_t(i)]);
}

TEST_F(CsrFileTest, SortedInEdgesStreamedAndInMemoryWriteTheSameBytes) {
  // CsrWriteOptions::sortInEdges in the streamed writer (renumbered by
  // degree, several fill passes) writes the file and edge features of the
  // in-memory writer given sortInEdges' graph; the in-memory writer with
  // the option writes them too.
  VectorEdges edges = randomEdges(50, 600, 5);
  writeRampFeatures("e.npy", 600, 3, 0.25f);
  Graph g = llvm::cantFail(
      Graph::fromEdges(50, edges.src.data(), edges.dst.data(), 600));
  std::vector<int32_t> sequence =
      llvm::cantFail(computeVertexOrder(g, VertexOrder::Degree));
  Graph sorted = llvm::cantFail(sortInEdges(llvm::cantFail(permuteGraph(g, sequence))));
  CsrWriteOptions plain;
  plain.edgeFeaturesIn = path("e.npy");
  plain.edgeFeaturesOut = path("want.e.npy");
  ASSERT_FALSE(bool(writeCsrFile(path("want.csr"), sorted, plain)));

  CsrWriteOptions option = plain;
  option.sortInEdges = true;
  option.edgeFeaturesOut = path("mem.e.npy");
  ASSERT_FALSE(bool(writeCsrFile(path("mem.csr"), llvm::cantFail(permuteGraph(g, sequence)),
                                 option)));
  EXPECT_EQ(slurp(path("mem.csr")), slurp(path("want.csr")));
  EXPECT_EQ(slurp(path("mem.e.npy")), slurp(path("want.e.npy")));

  std::vector<int64_t> ids(sequence.begin(), sequence.end());
  CsrWriteOptions streamed = option;
  streamed.edgeFeaturesOut = path("got.e.npy");
  streamed.memoryBytes = 1024; // a few fill passes
  streamed.originalIds = ids.data();
  std::unique_ptr<EdgeStream> renumbered = renumberEdgeStream(edges, sequence);
  llvm::Error err = writeCsrFile(path("got.csr"), 50, *renumbered, streamed);
  ASSERT_FALSE(bool(err)) << llvm::toString(std::move(err));
  EXPECT_EQ(slurp(path("got.csr")), slurp(path("want.csr")));
  EXPECT_EQ(slurp(path("got.e.npy")), slurp(path("want.e.npy")));
  // And sorting changed the file.
  CsrWriteOptions unsorted = streamed;
  unsorted.sortInEdges = false;
  unsorted.edgeFeaturesOut = path("unsorted.e.npy");
  renumbered = renumberEdgeStream(edges, sequence);
  ASSERT_FALSE(bool(writeCsrFile(path("unsorted.csr"), 50, *renumbered, unsorted)));
  EXPECT_NE(slurp(path("unsorted.csr")), slurp(path("want.csr")));
}

} // namespace
