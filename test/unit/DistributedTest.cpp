//===- DistributedTest.cpp - The MPI halo exchange's argument checks ------===//
//
// MpiHaloExchange::create on a one-rank job (MPICH starts a singleton
// without mpiexec): parts whose counts, ghost lists or graph disagree are
// refused with an error instead of indexing out of bounds.
//
//===----------------------------------------------------------------------===//
#include "gnn/Distributed.h"

#include "gtest/gtest.h"

using namespace gnn;

namespace {

/// MPI for the tests that run (not for listing them).
class MpiEnvironment : public ::testing::Environment {
public:
  void SetUp() override {
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  }
  void TearDown() override { MPI_Finalize(); }
};
const auto *const kMpi =
    ::testing::AddGlobalTestEnvironment(new MpiEnvironment);

/// Part 0 of 1: two owned vertices, an edge 0 -> 1, no ghosts.
GraphPart wholeGraph() {
  GraphPart p;
  p.owned = 2;
  p.globalVertices = 2;
  p.globalEdges = 1;
  p.globalIds = {0, 1};
  std::vector<int64_t> src = {0}, dst = {1};
  p.graph = llvm::cantFail(Graph::fromEdges(2, src.data(), dst.data(), 1));
  return p;
}

std::string createError(const GraphPart &part) {
  auto x = MpiHaloExchange::create(part, MPI_COMM_WORLD);
  return x ? std::string("no error") : llvm::toString(x.takeError());
}

TEST(MpiHaloExchangeTest, RefusesPartsThatDisagree) {
  GraphPart good = wholeGraph();
  EXPECT_EQ(createError(good), "no error");

  GraphPart ids = wholeGraph();
  ids.globalIds.pop_back();
  EXPECT_EQ(createError(ids),
            "part 0 has 1 global ids for 2 owned and 0 ghost vertices");

  GraphPart lists = wholeGraph();
  lists.ghostOwner = {0};
  EXPECT_EQ(createError(lists),
            "part 0 lists 1 ghost owners and 0 remote ids for 0 ghosts");

  GraphPart graph = wholeGraph();
  graph.owned = 1;
  graph.globalIds = {0};
  EXPECT_EQ(createError(graph),
            "part 0 has a graph of 2 vertices and 0 ghosts, not 1 and 0");

  // A ghost that the part would own itself (the only rank is 0).
  GraphPart ghost = wholeGraph();
  ghost.ghosts = 1;
  ghost.globalIds = {0, 1, 2};
  ghost.ghostOwner = {0};
  ghost.ghostRemote = {0};
  AlignedArray<int64_t> offsets(3);
  for (int v = 0; v < 3; ++v)
    offsets[v] = 0;
  ghost.graph = llvm::cantFail(
      Graph::fromCsr(2, 1, std::move(offsets), AlignedArray<int32_t>(0),
                     AlignedArray<int64_t>(0), "part"));
  EXPECT_EQ(createError(ghost), "part 0 says ghost 0 is owned by part 0, not "
                                "another of the 1 parts");
}

TEST(GatherRowsTest, GathersAndChecksTheRows) {
  GraphPart p = wholeGraph();
  p.globalIds = {1, 0}; // owned vertices in another order than the graph's
  Tensor rows({2, 3});
  for (int i = 0; i < 6; ++i)
    rows.data()[i] = float(i);
  auto out = gatherRows(p, rows, MPI_COMM_WORLD, 0);
  ASSERT_TRUE(bool(out)) << llvm::toString(out.takeError());
  EXPECT_EQ(out->shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(out->data()[0], 3.0f); // vertex 0 is the part's row 1
  auto error = [&](const Tensor &t) {
    auto r = gatherRows(p, t, MPI_COMM_WORLD, 0);
    return r ? std::string("no error") : llvm::toString(r.takeError());
  };
  EXPECT_EQ(error(Tensor({3, 3})),
            "part 0: rows of shape [3, 3] are not [2, ...], one per owned "
            "vertex");
  Tensor unallocated;
  unallocated.shape = {2, 3};
  EXPECT_EQ(error(unallocated),
            "part 0: rows holds 0 values, but its shape [2, 3] needs 6");
  EXPECT_EQ(error(Tensor()), "part 0: rows of shape [] are not [2, ...], one "
                             "per owned vertex");
}

TEST(MpiHaloExchangeTest, RefusesAPartOfAnotherJobSize) {
  GraphPart p = wholeGraph();
  p.numParts = 2;
  EXPECT_EQ(createError(p), "part 0 of 2 given to rank 0 of 1");
}

} // namespace
