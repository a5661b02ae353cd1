// Gather blocking's pieces (runtime/GatherBlocking.h): the sources split
// into blocks against a plain filter of the CSR, the degree profile against
// counts made here, and the cost model's choices on profiles built to make
// one answer right.
#include "runtime/GatherBlocking.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

using namespace gnn;
using namespace gnn::detail;

namespace {

Graph randomGraph(int64_t n, int64_t e, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<int64_t> src(e), dst(e);
  for (int64_t k = 0; k < e; ++k) {
    // Skewed sources: low ids more often, as RMAT's.
    src[k] = int64_t(rng() % n) * int64_t(rng() % n) / n;
    dst[k] = int64_t(rng() % n);
  }
  llvm::Expected<Graph> g = Graph::fromEdges(n, src.data(), dst.data(), e);
  EXPECT_TRUE(bool(g));
  return std::move(*g);
}

TEST(GatherBlockingTest, BlocksHoldEachTargetsInEdgesBySourceRangeInOrder) {
  Graph g = randomGraph(101, 2000, 1);
  for (int blocks : {1, 2, 3, 7, 101}) {
    SourceBlocks split = splitSources(g, blocks, 2);
    ASSERT_EQ(split.count(), blocks);
    int64_t rows = (101 + blocks - 1) / blocks;
    EXPECT_EQ(split.blockRows, rows);
    int64_t total = 0;
    for (int b = 0; b < blocks; ++b) {
      const int64_t *off = split.offsets[b].data();
      const int32_t *sources = split.sources[b].data();
      EXPECT_EQ(off[0], 0);
      for (int64_t v = 0; v < g.numVertices(); ++v) {
        std::vector<int32_t> expected;
        for (int64_t k = g.offsets()[v]; k < g.offsets()[v + 1]; ++k)
          if (g.sources()[k] / rows == b)
            expected.push_back(g.sources()[k]);
        std::vector<int32_t> got(sources + off[v], sources + off[v + 1]);
        EXPECT_EQ(got, expected) << "block " << b << " of " << blocks
                                 << ", target " << v;
      }
      total += off[g.numVertices()];
    }
    EXPECT_EQ(total, g.numEdges());
  }
}

TEST(GatherBlockingTest, ProfileCountsOutDegrees) {
  // Sources 0 x4, 1 x2, 2 x1, 3 x1: the top row takes half the gathers.
  std::vector<int64_t> src{0, 0, 0, 0, 1, 1, 2, 3};
  std::vector<int64_t> dst{1, 2, 3, 4, 0, 2, 0, 0};
  Graph g = std::move(*Graph::fromEdges(5, src.data(), dst.data(), 8));
  SourceProfile p = profileSources(g, 2);
  ASSERT_EQ(p.edges, 8);
  std::vector<std::pair<int64_t, int64_t>> expected{{4, 1}, {2, 1}, {1, 2}};
  EXPECT_EQ(p.degrees, expected);
  EXPECT_DOUBLE_EQ(p.hotShare(0), 0.0);
  EXPECT_DOUBLE_EQ(p.hotShare(1), 0.5);
  EXPECT_DOUBLE_EQ(p.hotShare(2), 0.75);
  EXPECT_DOUBLE_EQ(p.hotShare(3), 0.875);
  EXPECT_DOUBLE_EQ(p.hotShare(100), 1.0);
  // Reach |source - target|: 1, 2, 3, 4 from source 0; 1, 1 from 1; 2
  // from 2; 3 from 3. floor(log2(d + 1)): 1 for d in 1..2 (five edges), 2
  // for d in 3..4 (three).
  std::vector<int64_t> reach(64, 0);
  reach[1] = 5;
  reach[2] = 3;
  EXPECT_EQ(p.reach, reach);
  EXPECT_DOUBLE_EQ(p.nearShare(2), 0.0);   // d < 2 is not a whole bucket
  EXPECT_DOUBLE_EQ(p.nearShare(3), 0.625); // d <= 2
  EXPECT_DOUBLE_EQ(p.nearShare(7), 1.0);   // d <= 6
  // The distances those counts reach: none below 1 row, then 2^m - 2.
  EXPECT_EQ(SourceProfile::nearRadius(0), -1);
  EXPECT_EQ(SourceProfile::nearRadius(2), 0);
  EXPECT_EQ(SourceProfile::nearRadius(3), 2);
  EXPECT_EQ(SourceProfile::nearRadius(7), 6);
  EXPECT_EQ(SourceProfile::nearRadius(262144), 262142);
}

/// A profile of `n` sources with `degree` out-edges each, but `hubs`
/// sources that take `hubShare` of all edges.
SourceProfile profileOf(int64_t n, int64_t edges, int64_t hubs, double hubShare) {
  SourceProfile p;
  p.edges = edges;
  int64_t hubEdges = int64_t(edges * hubShare);
  if (hubs)
    p.degrees.emplace_back(hubEdges / hubs, hubs);
  p.degrees.emplace_back((edges - hubEdges) / (n - hubs), n - hubs);
  return p;
}

TEST(GatherBlockingTest, CostModelChoices) {
  GatherStage stage;
  stage.vertices = 1 << 22;
  stage.edges = 100 << 20;
  stage.gatheredRowBytes = 256; // a 1 GiB table
  stage.stateRowBytes = 256;
  stage.budgetBytes = 128 << 20; // 512 Ki rows

  // Uniform gathers: unblocked, 1/8 of them hit; 8 blocks of 128 MiB make
  // them all hits, for 7 more passes over 1 GiB of states.
  GatherBlockChoice uniform =
      chooseGatherBlocks(stage, profileOf(stage.vertices, stage.edges, 0, 0), 0);
  EXPECT_GT(uniform.blocks, 1);
  EXPECT_LT(uniform.blockedSeconds, 0.9 * uniform.unblockedSeconds);
  EXPECT_NEAR(uniform.hotShare, 0.125, 1e-3);
  EXPECT_EQ(uniform.reason, "the cost model");
  EXPECT_EQ(uniform.tableBytes, int64_t(1) << 30);

  // Hubs that fit the cache take 99% of the gathers: nothing to win.
  GatherBlockChoice skewed = chooseGatherBlocks(
      stage, profileOf(stage.vertices, stage.edges, 1 << 16, 0.99), 0);
  EXPECT_EQ(skewed.blocks, 1);
  EXPECT_GE(skewed.hotShare, 0.99);

  // The same uniform gathers with every source within 2^11 rows of its
  // target (a locality order): the targets before have just gathered
  // them, so the cache catches them unblocked.
  SourceProfile local = profileOf(stage.vertices, stage.edges, 0, 0);
  local.reach.assign(64, 0);
  local.reach[10] = local.edges;
  GatherBlockChoice near = chooseGatherBlocks(stage, local, 0);
  EXPECT_EQ(near.blocks, 1);
  EXPECT_DOUBLE_EQ(near.nearShare, 1.0);
  EXPECT_DOUBLE_EQ(near.hotShare, 1.0);
  // Half of them near: the cache holds 2^19 rows, half of them taken to
  // be the targets' neighbours, 2^18 - 2 rows either side (whole reach
  // buckets). A random order puts a source that near with probability
  // (2R + 1)/n - R(R + 1)/n^2 (R = 2^18 - 2, n = 2^22): 0.1211; only
  // the share beyond it counts, (0.5 - 0.1211)/(1 - 0.1211) = 0.4311,
  // and of the other gathers 1/8 hit as in a uniform order.
  local.reach[10] = local.edges / 2;
  GatherBlockChoice half = chooseGatherBlocks(stage, local, 0);
  double r = (1 << 18) - 2, n = 1 << 22;
  double chance = (2 * r + 1) / n - r * (r + 1) / (n * n);
  double beyond = (0.5 - chance) / (1 - chance);
  EXPECT_NEAR(chance, 0.1211, 1e-4);
  EXPECT_NEAR(half.nearShare, beyond, 1e-9);
  EXPECT_NEAR(half.hotShare, beyond + (1 - beyond) * 0.125, 1e-6);
  EXPECT_LT(half.unblockedSeconds, uniform.unblockedSeconds);
  // Unblocked: 26.8 GB gathered, half at 40 GB/s and half at 15, 1.23 s;
  // 8 blocks: all at 40 (0.67 s), the table once (0.07 s) and 7 more
  // passes over 2 GiB of states (0.55 s), 1.29 s. Whole it stays.
  EXPECT_NEAR(half.unblockedSeconds, 1.226, 0.01);
  EXPECT_EQ(half.blocks, 1);
  // Sources near their targets only as often as chance has it (reach as
  // in a random order): no locality, the uniform choice.
  local.reach[10] = 0;
  local.reach[17] = int64_t(chance * double(local.edges));
  GatherBlockChoice random = chooseGatherBlocks(stage, local, 0);
  EXPECT_NEAR(random.nearShare, 0.0, 1e-6);
  EXPECT_EQ(random.blocks, uniform.blocks);

  // A table within the budget stays whole without a prediction's say.
  GatherStage small = stage;
  small.vertices = 1 << 18; // 64 MiB
  GatherBlockChoice fits =
      chooseGatherBlocks(small, profileOf(small.vertices, small.edges, 0, 0), 0);
  EXPECT_EQ(fits.blocks, 1);
  EXPECT_EQ(fits.reason, "the rows fit the budget");

  // State rows much wider than the gathered ones: each block's extra pass
  // costs more than the gathers it saves.
  GatherStage wideState = stage;
  wideState.stateRowBytes = 64 << 10;
  GatherBlockChoice wide = chooseGatherBlocks(
      wideState, profileOf(stage.vertices, stage.edges, 0, 0), 0);
  EXPECT_EQ(wide.blocks, 1);

  // A softmax is bound by its exps: blocks only add passes.
  GatherStage softmax = stage;
  softmax.computeBound = true;
  GatherBlockChoice exps = chooseGatherBlocks(
      softmax, profileOf(stage.vertices, stage.edges, 0, 0), 0);
  EXPECT_EQ(exps.blocks, 1);
  EXPECT_EQ(exps.reason, "a softmax, bound by its arithmetic, not by its gathers");

  // Forced counts are taken as they are.
  EXPECT_EQ(chooseGatherBlocks(stage, SourceProfile(), 5).blocks, 5);
  EXPECT_EQ(chooseGatherBlocks(stage, SourceProfile(), 5).reason, "forced");
  EXPECT_EQ(chooseGatherBlocks(stage, SourceProfile(), 1).reason, "off");
}

// The largest cache of level 2 or more that sysfs lists for CPU 0, read
// here with C stdio, or the 32 MiB the runtime assumes without one.
TEST(GatherBlockingTest, LastLevelCacheIsSysfsLargest) {
  long long expected = 0;
  for (int index = 0; index < 8; ++index) {
    std::string dir = "/sys/devices/system/cpu/cpu0/cache/index" +
                      std::to_string(index) + "/";
    FILE *level = std::fopen((dir + "level").c_str(), "r");
    FILE *size = std::fopen((dir + "size").c_str(), "r");
    int l = 0;
    long long kib = 0;
    if (level && size && std::fscanf(level, "%d", &l) == 1 &&
        std::fscanf(size, "%lldK", &kib) == 1 && l >= 2)
      expected = std::max(expected, kib * 1024);
    if (level)
      std::fclose(level);
    if (size)
      std::fclose(size);
  }
  EXPECT_EQ(lastLevelCacheBytes(), expected ? expected : 32LL << 20);
}

} // namespace
