//===- GatherBlocking.cpp - Message stages over blocks of sources ---------===//
#include "GatherBlocking.h"

#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <string>

using namespace gnn;
using namespace gnn::detail;

// Rates of the cost model, 2 threads on the development machine (Xeon,
// Sapphire Rapids class, huge pages; bench/stream's cache ladder): 256-byte
// rows gathered at random from a 64 MiB table (cache-resident) and from a
// 1 GiB one (memory), and the triad rate for the state rows' streams.
// Only their ratios decide: every term scales alike with threads.
static constexpr double kHitBytesPerSecond = 40e9;
static constexpr double kMissBytesPerSecond = 15e9;
static constexpr double kStreamBytesPerSecond = 28e9;
// A blocked form must save at least this share of the unblocked time:
// below it the model's error is larger than the gain.
static constexpr double kMinimumGain = 0.1;
static constexpr int kMaxBlocks = 256;

int64_t gnn::detail::lastLevelCacheBytes() {
  // Read once: every run asks, per message stage.
  static const int64_t bytes = [] {
    int64_t best = 0;
    for (int index = 0; index < 8; ++index) {
      std::string dir = "/sys/devices/system/cpu/cpu0/cache/index" +
                        std::to_string(index) + "/";
      std::ifstream levelFile(dir + "level"), sizeFile(dir + "size");
      int level = 0;
      int64_t size = 0;
      char unit = 0; // sysfs writes "2048K"
      if (!(levelFile >> level) || !(sizeFile >> size >> unit))
        continue;
      size <<= unit == 'K' ? 10 : unit == 'M' ? 20 : unit == 'G' ? 30 : 0;
      if (level >= 2)
        best = std::max(best, size);
    }
    return best > 0 ? best : int64_t(32) << 20;
  }();
  return bytes;
}

int64_t gnn::detail::physicalMemoryBytes() {
  long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && size > 0 ? int64_t(pages) * size : int64_t(1) << 32;
}

double SourceProfile::hotShare(int64_t rows) const {
  if (edges <= 0)
    return 1.0;
  int64_t taken = 0;
  double gathers = 0;
  for (auto [degree, count] : degrees) {
    int64_t now = std::min(count, rows - taken);
    if (now <= 0)
      break;
    gathers += double(degree) * double(now);
    taken += now;
  }
  return std::min(1.0, gathers / double(edges));
}

/// The reach buckets wholly below `rows`: bucket k holds distances d with
/// 2^k <= d + 1 < 2^(k+1), all below `rows` when 2^(k+1) - 1 <= rows,
/// that is for k < floor(log2(rows + 1)).
static int nearBuckets(int64_t rows) {
  return rows < 1 ? 0 : 63 - __builtin_clzll(uint64_t(rows) + 1);
}

int64_t SourceProfile::nearRadius(int64_t rows) {
  return (int64_t(1) << nearBuckets(rows)) - 2;
}

double SourceProfile::nearShare(int64_t rows) const {
  if (edges <= 0)
    return 0.0;
  int64_t near = 0;
  for (int k = 0; k < nearBuckets(rows) && k < int(reach.size()); ++k)
    near += reach[size_t(k)];
  return std::min(1.0, double(near) / double(edges));
}

SourceProfile gnn::detail::profileSources(const Graph &graph, int threads) {
  int64_t n = graph.numVertices() + graph.numGhosts();
  int64_t e = graph.numEdges();
  const int32_t *sources = graph.sources();
  // Every stride-th in-edge: about 8M of them, enough for shares to a
  // fraction of a percent, in a few tens of milliseconds on any graph
  // (all 100M of rmat-22's took a second on two threads).
  int64_t stride = std::max<int64_t>(1, e >> 23);
  AlignedArray<int32_t> outDegree(size_t(std::max<int64_t>(n, 1)));
  std::fill(outDegree.data(), outDegree.data() + n, 0);
  int32_t *counts = outDegree.data();
  // The reach of the same in-edges: per target, its counted in-edges
  // (those at multiples of the stride).
  const int64_t *offsets = graph.offsets();
  int64_t targets = graph.numVertices();
  std::vector<int64_t> reach(64, 0);
#pragma omp parallel num_threads(threads)
  {
#pragma omp for schedule(static)
    for (int64_t k = 0; k < e; k += stride)
      __atomic_fetch_add(&counts[sources[k]], 1, __ATOMIC_RELAXED);
    std::vector<int64_t> local(64, 0);
#pragma omp for schedule(static) nowait
    for (int64_t v = 0; v < targets; ++v)
      for (int64_t k = (offsets[v] + stride - 1) / stride * stride;
           k < offsets[v + 1]; k += stride) {
        uint64_t distance = uint64_t(std::abs(int64_t(sources[k]) - v)) + 1;
        ++local[63 - __builtin_clzll(distance)];
      }
#pragma omp critical(gnn_profile_reach)
    for (int b = 0; b < 64; ++b)
      reach[b] += local[b];
  }

  // Degrees below kDense by a table, the rest (few: the hubs) sorted.
  constexpr int64_t kDense = 4096;
  std::vector<int64_t> dense(kDense, 0);
  std::vector<int64_t> large;
  for (int64_t v = 0; v < n; ++v) {
    if (counts[v] < kDense)
      ++dense[counts[v]];
    else
      large.push_back(counts[v]);
  }
  std::sort(large.begin(), large.end(), std::greater<int64_t>());
  SourceProfile profile;
  profile.edges = (e + stride - 1) / stride; // the edges counted
  profile.reach = std::move(reach);
  for (size_t i = 0; i < large.size();) {
    size_t j = i;
    while (j < large.size() && large[j] == large[i])
      ++j;
    profile.degrees.emplace_back(large[i], int64_t(j - i));
    i = j;
  }
  for (int64_t d = kDense - 1; d > 0; --d)
    if (dense[d])
      profile.degrees.emplace_back(d, dense[d]);
  return profile;
}

GatherBlockChoice gnn::detail::chooseGatherBlocks(const GatherStage &stage,
                                                  const SourceProfile &profile,
                                                  int forced) {
  GatherBlockChoice choice;
  int64_t rowBytes = std::max<int64_t>(stage.gatheredRowBytes, 1);
  choice.tableBytes = stage.vertices * rowBytes;
  choice.budgetBytes = stage.budgetBytes;
  int64_t cachedRows = std::max<int64_t>(stage.budgetBytes / rowBytes, 1);
  double gatheredBytes = double(stage.edges) * double(rowBytes);

  // Gathers from rows near the target's hit whatever their degree: the
  // targets just before gathered them. Half the cache is taken to hold
  // those, on either side (the most gathered rows hold the rest). In a
  // random order a source is within r of its target by chance with
  // probability (2r + 1)/n - r(r + 1)/n^2, and the hot share already
  // counts those hits: only the share beyond chance is locality.
  int64_t near = cachedRows / 2;
  double r = double(std::clamp<int64_t>(SourceProfile::nearRadius(near), 0,
                                        std::max<int64_t>(stage.vertices - 1, 0)));
  double n = double(std::max<int64_t>(stage.vertices, 1));
  double chance = std::min(1.0, (2 * r + 1) / n - r * (r + 1) / (n * n));
  double local = chance >= 1.0 ? 0.0
                               : std::clamp((profile.nearShare(near) - chance) /
                                                (1 - chance),
                                            0.0, 1.0);
  // The share of gathers from cached rows with `blocks` blocks: all of
  // them once a block's rows fit the budget; else the near ones and, of
  // the others (taken to be as skewed), those the cache holds over the
  // passes: the most gathered rows `blocks` times over.
  auto hotShare = [&](int blocks) {
    int64_t blockRows = (stage.vertices + blocks - 1) / blocks;
    if (blockRows <= cachedRows)
      return 1.0;
    return local + (1 - local) * profile.hotShare(cachedRows * blocks);
  };
  auto predict = [&](int blocks) {
    double hot = hotShare(blocks);
    double seconds = gatheredBytes * (hot / kHitBytesPerSecond +
                                      (1 - hot) / kMissBytesPerSecond);
    if (hot >= 1.0) // every row still comes from memory once
      seconds += double(choice.tableBytes) / kMissBytesPerSecond;
    // Each block after the first reads and writes every state row once
    // more, and reads its own in-edge offsets.
    seconds += double(blocks - 1) * double(stage.vertices) *
               double(2 * stage.stateRowBytes + 8) / kStreamBytesPerSecond;
    return seconds;
  };

  // No prediction for these: the profile is not made for them
  // (gatherNeedsProfile).
  if (forced >= 1) {
    choice.blocks = forced;
    choice.reason = forced == 1 ? "off" : "forced";
    return choice;
  }
  if (choice.tableBytes <= stage.budgetBytes) {
    choice.reason = "the rows fit the budget";
    return choice;
  }
  if (stage.computeBound) {
    choice.reason = "a softmax, bound by its arithmetic, not by its gathers";
    return choice;
  }
  choice.nearShare = local;
  choice.hotShare = hotShare(1);
  choice.unblockedSeconds = predict(1);
  int best = 1;
  double bestSeconds = choice.unblockedSeconds;
  for (int blocks = 2; blocks <= kMaxBlocks; blocks *= 2) {
    double seconds = predict(blocks);
    if (seconds < bestSeconds) {
      best = blocks;
      bestSeconds = seconds;
    }
    if ((stage.vertices + blocks - 1) / blocks <= cachedRows)
      break; // more blocks only add state traffic
  }
  choice.reason = "the cost model";
  if (best > 1 && bestSeconds > (1 - kMinimumGain) * choice.unblockedSeconds) {
    choice.reason += ": " + std::to_string(best) +
                     " blocks would save under a tenth";
    best = 1;
    bestSeconds = choice.unblockedSeconds;
  }
  choice.blocks = best;
  choice.blockedSeconds = bestSeconds;
  choice.blockedHotShare = hotShare(best);
  return choice;
}

bool gnn::detail::gatherNeedsProfile(const GatherStage &stage, int forced) {
  return forced < 1 && !stage.computeBound &&
         stage.vertices * stage.gatheredRowBytes > stage.budgetBytes;
}

GatherBlockChoice gnn::detail::planGatherBlocks(
    GatherStage stage, const Graph &graph,
    std::optional<SourceProfile> &profile, int forced, int threads) {
  if (stage.budgetBytes <= 0)
    stage.budgetBytes = lastLevelCacheBytes() / 4;
  if (gatherNeedsProfile(stage, forced) && !profile)
    profile = profileSources(graph, threads);
  return chooseGatherBlocks(stage, profile ? *profile : SourceProfile(),
                            forced);
}

SourceBlocks gnn::detail::splitSources(const Graph &graph, int blocks,
                                       int threads) {
  int64_t n = graph.numVertices();
  const int64_t *offsets = graph.offsets();
  const int32_t *sources = graph.sources();
  SourceBlocks out;
  out.blockRows = std::max<int64_t>((n + blocks - 1) / blocks, 1);
  for (int b = 0; b < blocks; ++b) {
    out.offsets.emplace_back(size_t(n + 1));
    out.offsets.back().data()[0] = 0;
  }
  // Each target's count per block, then a prefix sum per block.
  std::vector<int64_t *> offsetsOf;
  for (AlignedArray<int64_t> &o : out.offsets)
    offsetsOf.push_back(o.data());
  int64_t blockRows = out.blockRows;
#pragma omp parallel num_threads(threads)
  {
    std::vector<int64_t> counts(blocks);
#pragma omp for schedule(static)
    for (int64_t v = 0; v < n; ++v) {
      std::fill(counts.begin(), counts.end(), 0);
      for (int64_t k = offsets[v]; k < offsets[v + 1]; ++k)
        ++counts[sources[k] / blockRows];
      for (int b = 0; b < blocks; ++b)
        offsetsOf[b][v + 1] = counts[b];
    }
  }
#pragma omp parallel for num_threads(threads) schedule(static, 1)
  for (int b = 0; b < blocks; ++b)
    for (int64_t v = 0; v < n; ++v)
      offsetsOf[b][v + 1] += offsetsOf[b][v];
  for (int b = 0; b < blocks; ++b)
    out.sources.emplace_back(size_t(std::max<int64_t>(offsetsOf[b][n], 1)));
  std::vector<int32_t *> sourcesOf;
  for (AlignedArray<int32_t> &s : out.sources)
    sourcesOf.push_back(s.data());
#pragma omp parallel num_threads(threads)
  {
    std::vector<int64_t> cursor(blocks);
#pragma omp for schedule(static)
    for (int64_t v = 0; v < n; ++v) {
      for (int b = 0; b < blocks; ++b)
        cursor[b] = offsetsOf[b][v];
      for (int64_t k = offsets[v]; k < offsets[v + 1]; ++k) {
        int b = int(sources[k] / blockRows);
        sourcesOf[b][cursor[b]++] = sources[k];
      }
    }
  }
  return out;
}
