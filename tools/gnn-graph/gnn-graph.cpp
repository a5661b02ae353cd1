//===- gnn-graph.cpp - Generate, inspect and convert graph files ----------===//
//
//   gnn-graph generate --kind=rmat|uniform|sbm --vertices=N --edges=E
//                      [--communities=K --intra=P]
//                      [--features=F] [--seed=S] --out=PREFIX
//                      [--format=npy|csr [--reorder=none|degree]]
//                      [--memory=BYTES]
//   gnn-graph convert --graph=FILE --out=FILE.csr [--edge-attr=E.npy
//                     [--edge-attr-out=F.npy]] [--num-nodes=N] [--memory=BYTES]
//                     [--reorder=none|degree|rcm|community] [--sort-in-edges]
//   gnn-graph stats --graph=FILE [--num-nodes=N]
//   gnn-graph partition --graph=FILE --features=X.npy [--edge-attr=E.npy] [--vertex-weight=W]
//                       [--num-nodes=N] --parts=P --method=range|metis
//                       [--reorder=none|degree|rcm|community] --out=DIR
//
// --reorder renumbers the vertices (gnn/Reorder.h) and stores the
// permutation with the graph (a CSR file's globalIds; a part's globalIds,
// reordered inside each part), so features and outputs stay in the
// user's order. convert --reorder=degree streams within --memory like a
// plain convert (one more pass over the edges for their degrees);
// --reorder=rcm|community hold the whole graph in memory (the CSR, 16
// bytes per edge, plus the order's own). convert --sort-in-edges sorts each
// vertex's in-edges by (new) source id, in either path.
//
// Generation is deterministic for a seed, and independent of the thread
// count: edges are drawn in fixed blocks, each with its own generator seeded
// from (seed, block index). Random numbers are mapped by hand because the
// std::uniform_*_distribution mappings differ between standard libraries.
//
// RMAT keeps exactly N vertices: endpoints are drawn in the next power of
// two and an edge with an endpoint >= N is redrawn whole (rejection, not
// folding: folding ids modulo N would create artificial hubs). Vertex ids
// are not permuted, so low ids are the high-degree ones.
//
// Partitioning writes a partition directory (gnn/Partition.h,
// docs/distributed.md) and prints what it costs: the edge cut, each part's
// owned vertices, in-edges and ghost rows, and the bytes a layer exchanges
// per feature column (every ghost row is received once, 4 bytes a column).
// --parts may not exceed the vertex count (a part would own nothing).
//
//===----------------------------------------------------------------------===//

#include "gnn/CsrFile.h"
#include "gnn/EdgeStream.h"
#include "gnn/Graph.h"
#include "gnn/Npy.h"
#include "gnn/Partition.h"
#include "gnn/Progress.h"
#include "gnn/Reorder.h"
#include "gnn/Tensor.h"

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <new>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

ABSL_FLAG(std::string, kind, "rmat", "generate: rmat, uniform or sbm");
ABSL_FLAG(int64_t, communities, 64,
          "generate --kind=sbm: number of communities (equal sizes)");
ABSL_FLAG(double, intra, 0.9,
          "generate --kind=sbm: fraction of edges inside a community");
ABSL_FLAG(int64_t, vertices, -1, "generate: number of vertices N");
ABSL_FLAG(int64_t, edges, -1, "generate: number of edges E");
// A string: generate takes a column count, partition a file.
ABSL_FLAG(std::string, features, "",
          "generate: feature columns F (default 0: no features file); "
          "partition: features .npy (float32 [N, F])");
ABSL_FLAG(uint64_t, seed, 1, "generate: random seed");
ABSL_FLAG(std::string, out, "",
          "generate: output prefix (PREFIX.edges.npy or PREFIX.csr, "
          "PREFIX.features.npy); convert: the binary CSR file; "
          "partition: the partition directory");
ABSL_FLAG(std::string, graph, "",
          "stats, partition, convert: graph file (edge_index .npy, text edge "
          "list, or binary CSR file except for convert)");
ABSL_FLAG(int64_t, num_nodes, -1,
          "stats, convert: vertex count (default: largest id + 1); "
          "partition: must equal the feature rows if given");
ABSL_FLAG(std::string, edge_attr, "",
          "partition, convert: edge features .npy (float32 [E, D], graph "
          "file order)");
ABSL_FLAG(int64_t, parts, -1, "partition: number of parts, in [1, vertices]");
ABSL_FLAG(std::string, method, "", "partition: range or metis");
ABSL_FLAG(std::string, format, "npy",
          "generate: npy (PREFIX.edges.npy, the edge list) or csr (PREFIX.csr, "
          "a binary CSR file streamed in bounded memory)");
ABSL_FLAG(std::string, memory, "1G",
          "generate --format=csr, convert: what a fill pass may hold, in bytes "
          "with a K, M or G suffix (4 bytes per edge, + 4 x D with edge "
          "features); less means more passes, never other bytes");
ABSL_FLAG(std::string, edge_attr_out, "",
          "convert: where the edge features go, in the CSR's edge order "
          "(default: OUT.edge_attr.npy, e.g. g.csr.edge_attr.npy)");
ABSL_FLAG(bool, quiet, false,
          "no progress lines on stderr (by default a stage that runs longer "
          "than a second reports its rate and ETA on a terminal, one line "
          "when it ends otherwise)");
ABSL_FLAG(std::string, reorder, "none",
          "convert, partition, generate --format=csr (degree only): renumber "
          "the vertices for locality: none, "
          "degree (by descending out-degree), rcm (reverse Cuthill-McKee) or "
          "community (size-capped label propagation); the permutation is "
          "stored with the graph, so features and outputs stay in the "
          "original vertex order and runs give the same bits (unless "
          "--sort-in-edges). convert "
          "--reorder=degree stays within --memory; rcm and community hold "
          "the whole graph in memory (not bounded by --memory)");
ABSL_FLAG(bool, sort_in_edges, false,
          "convert: sort each vertex's in-edges by source id (after "
          "--reorder's renumbering), so that a vertex's gathers read rows in "
          "memory order (faster on graphs larger than the cache); a vertex's "
          "messages are then summed in that order, so outputs match the "
          "unsorted file's within rounding, not bit for bit");
ABSL_FLAG(int64_t, vertex_weight, gnn::kDefaultVertexWeight,
          "partition: the work of a vertex in in-edges, for balancing parts "
          "(in-edges + vertex_weight x vertices per part)");

namespace {

constexpr int64_t kBlock = int64_t(1) << 16;

int fail(const llvm::Twine &msg) {
  llvm::errs() << "gnn-graph: error: " << msg << "\n";
  return 1;
}

/// --memory: "4096", "64K", "512M", "4G" (binary units); 0 if malformed
/// or outside [1 KiB, 2^50].
uint64_t parseMemory(llvm::StringRef text) {
  uint64_t unit = 1;
  if (text.consume_back("K") || text.consume_back("k"))
    unit = uint64_t(1) << 10;
  else if (text.consume_back("M") || text.consume_back("m"))
    unit = uint64_t(1) << 20;
  else if (text.consume_back("G") || text.consume_back("g"))
    unit = uint64_t(1) << 30;
  uint64_t v;
  if (text.getAsInteger(10, v) || v == 0 || v > (uint64_t(1) << 50) / unit ||
      v * unit < 1024)
    return 0;
  return v * unit;
}

/// The splitmix64 finaliser: spreads (seed, block) into unrelated seeds.
uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

std::mt19937_64 blockRng(uint64_t seed, uint64_t stream, uint64_t block) {
  return std::mt19937_64(mix(seed ^ mix(stream * 0x100000001b3ull + block)));
}

/// An unbiased integer in [0, n) (Lemire's multiply-and-reject).
uint64_t bounded(std::mt19937_64 &rng, uint64_t n) {
  unsigned __int128 m = (unsigned __int128)rng() * n;
  if (uint64_t(m) < n) {
    uint64_t threshold = -n % n;
    while (uint64_t(m) < threshold)
      m = (unsigned __int128)rng() * n;
  }
  return uint64_t(m >> 64);
}

/// Runs body(block) for blocks [0, numBlocks) on all cores.
template <typename F> void parallelBlocks(int64_t numBlocks, F body) {
  int64_t threads = std::max(1u, std::thread::hardware_concurrency());
  threads = std::min(threads, numBlocks);
  if (threads <= 1) {
    for (int64_t b = 0; b < numBlocks; ++b)
      body(b);
    return;
  }
  std::vector<std::thread> pool;
  for (int64_t t = 0; t < threads; ++t)
    pool.emplace_back([=] {
      for (int64_t b = t; b < numBlocks; b += threads)
        body(b);
    });
  for (std::thread &th : pool)
    th.join();
}

/// Edges [b0 * kBlock, min(e, b1 * kBlock)) of a generated graph, written
/// to src[k - b0 * kBlock] and dst[...]: any range of blocks comes out the
/// same whether generated alone or as part of the whole.
struct BlockRange {
  int64_t b0, b1;
  int64_t base() const { return b0 * kBlock; }
};

/// Fills edges of `blocks` with RMAT edges over exactly n vertices, with
/// the Graph500 quadrant probabilities a=0.57, b=0.19, c=0.19.
void generateRmat(int64_t n, int64_t e, uint64_t seed, BlockRange blocks,
                  int64_t *src, int64_t *dst) {
  int scale = 0;
  while ((int64_t(1) << scale) < n)
    ++scale;
  // Quadrant thresholds on 32-bit draws, so one 64-bit draw serves two
  // recursion levels.
  const uint64_t ta = uint64_t(0.57 * 4294967296.0);
  const uint64_t tb = uint64_t(0.76 * 4294967296.0);
  const uint64_t tc = uint64_t(0.95 * 4294967296.0);
  int64_t base = blocks.base();
  parallelBlocks(blocks.b1 - blocks.b0, [&](int64_t i) {
    int64_t b = blocks.b0 + i;
    std::mt19937_64 rng = blockRng(seed, 1, b);
    int64_t end = std::min(e, (b + 1) * kBlock);
    for (int64_t k = b * kBlock; k < end; ++k) {
      uint64_t u, v;
      do {
        u = v = 0;
        uint64_t bits = 0;
        for (int level = 0; level < scale; ++level) {
          if (level % 2 == 0)
            bits = rng();
          uint64_t r = level % 2 == 0 ? bits >> 32 : bits & 0xffffffffu;
          // a: (0,0)  b: (0,1)  c: (1,0)  d: (1,1) as (source, target) bits.
          uint64_t su = r >= tb, sv = (r >= ta && r < tb) || r >= tc;
          u = u << 1 | su;
          v = v << 1 | sv;
        }
      } while (u >= uint64_t(n) || v >= uint64_t(n));
      src[k - base] = int64_t(u);
      dst[k - base] = int64_t(v);
    }
  });
}

void generateUniform(int64_t n, int64_t e, uint64_t seed, BlockRange blocks,
                     int64_t *src, int64_t *dst) {
  int64_t base = blocks.base();
  parallelBlocks(blocks.b1 - blocks.b0, [&](int64_t i) {
    int64_t b = blocks.b0 + i;
    std::mt19937_64 rng = blockRng(seed, 1, b);
    int64_t end = std::min(e, (b + 1) * kBlock);
    for (int64_t k = b * kBlock; k < end; ++k) {
      src[k - base] = int64_t(bounded(rng, n));
      dst[k - base] = int64_t(bounded(rng, n));
    }
  });
}

/// A stochastic block model with community structure that vertex ids do
/// not reveal: a seeded random permutation puts the vertices in order, the
/// order is cut into k equal communities, and each edge picks a uniform
/// source and, with probability `intra`, a uniform target in the source's
/// community, else anywhere. (Ids in contiguous ranges would let a range
/// partition find the communities for free.)
struct SbmOrder {
  std::vector<int64_t> order, position;
};

SbmOrder sbmOrder(int64_t n, uint64_t seed) {
  // Fisher-Yates with our own bounded draws: the same graph everywhere.
  SbmOrder o;
  o.order.resize(n);
  o.position.resize(n);
  for (int64_t v = 0; v < n; ++v)
    o.order[v] = v;
  std::mt19937_64 shuffle = blockRng(seed, 3, 0);
  for (int64_t i = n - 1; i > 0; --i)
    std::swap(o.order[i], o.order[bounded(shuffle, uint64_t(i) + 1)]);
  for (int64_t i = 0; i < n; ++i)
    o.position[o.order[i]] = i;
  return o;
}

void generateSbm(int64_t n, int64_t e, int64_t k, double intra, uint64_t seed,
                 const SbmOrder &sbm, BlockRange blocks, int64_t *src,
                 int64_t *dst) {
  const std::vector<int64_t> &order = sbm.order, &position = sbm.position;
  // P(draw <= threshold) = intra, to within 2^-64.
  const uint64_t threshold = intra >= 1.0 ? UINT64_MAX
                                          : uint64_t(std::ldexp(intra, 64));
  int64_t base = blocks.base();
  parallelBlocks(blocks.b1 - blocks.b0, [&](int64_t i) {
    int64_t b = blocks.b0 + i;
    std::mt19937_64 rng = blockRng(seed, 1, b);
    int64_t end = std::min(e, (b + 1) * kBlock);
    for (int64_t j = b * kBlock; j < end; ++j) {
      int64_t u = int64_t(bounded(rng, n));
      int64_t v;
      if (rng() <= threshold && intra > 0.0) {
        // The community of u: positions [lo, hi) of the order.
        int64_t c = position[u] * k / n;
        int64_t lo = (c * n + k - 1) / k, hi = ((c + 1) * n + k - 1) / k;
        v = order[lo + int64_t(bounded(rng, uint64_t(hi - lo)))];
      } else {
        v = int64_t(bounded(rng, n));
      }
      src[j - base] = u;
      dst[j - base] = v;
    }
  });
}

/// Features uniform in [-1, 1): 24 random bits give a float in [0, 1)
/// exactly, so the values do not depend on float rounding modes.
void generateFeatures(size_t count, uint64_t seed, BlockRange blocks,
                      float *out) {
  size_t base = size_t(blocks.base());
  parallelBlocks(blocks.b1 - blocks.b0, [&](int64_t j) {
    int64_t b = blocks.b0 + j;
    std::mt19937_64 rng = blockRng(seed, 2, b);
    size_t end = std::min(count, size_t(b + 1) * kBlock);
    for (size_t i = size_t(b) * kBlock; i < end; ++i)
      out[i - base] = float(rng() >> 40) * (2.0f / 16777216.0f) - 1.0f;
  });
}

/// Writes PREFIX.features.npy a few blocks at a time: memory stays at one
/// chunk whatever N x F is.
llvm::Error writeFeatures(const std::string &path, int64_t n, int64_t f,
                          uint64_t seed) {
  size_t count = size_t(n) * size_t(f);
  int64_t numBlocks = int64_t((count + kBlock - 1) / kBlock);
  constexpr int64_t kChunkBlocks = 256; // 64 MiB of floats
  std::vector<float> chunk(size_t(std::min(numBlocks, kChunkBlocks)) * kBlock);
  gnn::Progress progress("features", int64_t(count), "values");
  return gnn::writeFileAtomically(path, [&](llvm::raw_ostream &os) {
    os << gnn::npyHeader("<f4", {n, f});
    for (int64_t b0 = 0; b0 < numBlocks; b0 += kChunkBlocks) {
      BlockRange blocks{b0, std::min(numBlocks, b0 + kChunkBlocks)};
      generateFeatures(count, seed, blocks, chunk.data());
      size_t values = std::min(count, size_t(blocks.b1) * kBlock) -
                      size_t(blocks.base());
      os.write(reinterpret_cast<const char *>(chunk.data()),
               values * sizeof(float));
      progress.advance(int64_t(values));
    }
    progress.finish();
    return llvm::Error::success();
  });
}

/// A generated graph as a replayable edge stream: every pass draws the
/// same seeded blocks again, a chunk of blocks at a time on all cores.
class GeneratedEdges : public gnn::EdgeStream {
public:
  GeneratedEdges(std::string kind, int64_t n, int64_t e, uint64_t seed,
                 int64_t communities, double intra)
      : kind(std::move(kind)), n(n), e(e), seed(seed),
        communities(communities), intra(intra) {
    if (this->kind == "sbm")
      sbm = sbmOrder(n, seed);
  }
  int64_t size() const override { return e; }

  /// Fills the edges of `blocks` (the arrays hold the whole range).
  void fill(BlockRange blocks, int64_t *src, int64_t *dst) const {
    if (kind == "rmat")
      generateRmat(n, e, seed, blocks, src, dst);
    else if (kind == "sbm")
      generateSbm(n, e, communities, intra, seed, sbm, blocks, src, dst);
    else
      generateUniform(n, e, seed, blocks, src, dst);
  }

  llvm::Error forEach(Batch batch) override {
    static_assert(gnn::kEdgeBatch == kBlock, "a batch is a block");
    constexpr int64_t kChunkBlocks = 64; // 4M edges, 64 MiB
    int64_t numBlocks = (e + kBlock - 1) / kBlock;
    std::vector<int64_t> src(size_t(std::min(numBlocks, kChunkBlocks)) * kBlock),
        dst(src.size());
    for (int64_t b0 = 0; b0 < numBlocks; b0 += kChunkBlocks) {
      BlockRange blocks{b0, std::min(numBlocks, b0 + kChunkBlocks)};
      fill(blocks, src.data(), dst.data());
      for (int64_t b = blocks.b0; b < blocks.b1; ++b) {
        int64_t first = b * kBlock, count = std::min(e, first + kBlock) - first;
        size_t at = size_t(first - blocks.base());
        batch(first, src.data() + at, dst.data() + at, count);
      }
    }
    return llvm::Error::success();
  }

private:
  std::string kind;
  int64_t n, e;
  uint64_t seed;
  int64_t communities;
  double intra;
  SbmOrder sbm;
};

/// Writes the CSR file of `edges` renumbered by descending out-degree, all
/// streamed within options.memoryBytes: a pass for the degrees
/// (gnn::streamDegreeOrder), then the streamed writer over the renumbered
/// edges with the permutation as globalIds -- the bytes the in-memory
/// order, gnn::permuteGraph and the in-memory writer make.
llvm::Error writeDegreeOrderedCsr(const std::string &path, int64_t n,
                                  gnn::EdgeStream &edges,
                                  gnn::CsrWriteOptions options) {
  std::vector<int32_t> sequence;
  {
    gnn::Progress progress("reorder (degree)", 0, "edges");
    auto s = gnn::streamDegreeOrder(edges, n);
    if (!s)
      return s.takeError();
    sequence = std::move(*s);
    progress.advance(edges.size());
    progress.finish();
  }
  std::vector<int64_t> ids(sequence.begin(), sequence.end());
  options.originalIds = ids.data();
  std::unique_ptr<gnn::EdgeStream> renumbered =
      gnn::renumberEdgeStream(edges, sequence);
  return gnn::writeCsrFile(path, n, *renumbered, options);
}

int runGenerate() {
  std::string kind = absl::GetFlag(FLAGS_kind);
  int64_t n = absl::GetFlag(FLAGS_vertices);
  int64_t e = absl::GetFlag(FLAGS_edges);
  int64_t f = 0;
  std::string featuresText = absl::GetFlag(FLAGS_features);
  if (!featuresText.empty() && llvm::StringRef(featuresText).getAsInteger(10, f))
    return fail("--features must be a column count for generate, found '" +
                featuresText + "'");
  uint64_t seed = absl::GetFlag(FLAGS_seed);
  std::string out = absl::GetFlag(FLAGS_out);
  if (kind != "rmat" && kind != "uniform" && kind != "sbm")
    return fail("--kind must be rmat, uniform or sbm, found '" + kind + "'");
  if (n < 1 || n >= (int64_t(1) << 31))
    return fail("--vertices must be given, in [1, 2^31)");
  if (e < 0 || e > (int64_t(1) << 40))
    return fail("--edges must be given, in [0, 2^40]");
  if (f < 0 || (f > 0 && n > (int64_t(1) << 40) / f))
    return fail("--features must be in [0, 2^40 / vertices]");
  if (out.empty())
    return fail("--out=PREFIX must be given");
  int64_t communities = absl::GetFlag(FLAGS_communities);
  double intra = absl::GetFlag(FLAGS_intra);
  if (kind == "sbm" && (communities < 1 || communities > n))
    return fail("--communities must be in [1, vertices]");
  if (kind == "sbm" && !(intra >= 0.0 && intra <= 1.0))
    return fail("--intra must be in [0, 1]");

  std::string format = absl::GetFlag(FLAGS_format);
  if (format != "npy" && format != "csr")
    return fail("--format must be npy or csr, found '" + format + "'");
  uint64_t memory = parseMemory(absl::GetFlag(FLAGS_memory));
  if (!memory)
    return fail("--memory must be a byte count of at least 1K, as 4096, 64K, "
                "512M or 4G; found '" + absl::GetFlag(FLAGS_memory) + "'");
  auto order = gnn::parseVertexOrder(absl::GetFlag(FLAGS_reorder));
  if (!order)
    return fail(llvm::toString(order.takeError()));
  if (*order != gnn::VertexOrder::None && format != "csr")
    return fail("--reorder with generate needs --format=csr (an edge list "
                "keeps the generated ids; convert --reorder renumbers it)");
  if (*order != gnn::VertexOrder::None && *order != gnn::VertexOrder::Degree)
    return fail(std::string("generate --reorder=") +
                gnn::vertexOrderName(*order) +
                " is not streamed: generate the edge list, then gnn-graph "
                "convert --reorder=" + gnn::vertexOrderName(*order));

  GeneratedEdges stream(kind, n, e, seed, communities, intra);
  if (format == "csr") {
    // Streamed straight into the CSR: the edge list never exists whole.
    std::string csrPath = out + ".csr";
    gnn::CsrWriteOptions options;
    options.memoryBytes = memory;
    llvm::Error err = *order == gnn::VertexOrder::Degree
                          ? writeDegreeOrderedCsr(csrPath, n, stream, options)
                          : gnn::writeCsrFile(csrPath, n, stream, options);
    if (err)
      return fail(llvm::toString(std::move(err)));
    llvm::outs() << "wrote " << csrPath << ": " << e << " edges, " << n
                 << " vertices"
                 << (*order == gnn::VertexOrder::Degree ? ", reordered (degree)"
                                                        : "")
                 << "\n";
  } else {
    // One buffer holds edge_index [2, E]: row 0 sources, row 1 targets.
    gnn::AlignedArray<int64_t> edges(size_t(2 * e));
    stream.fill(BlockRange{0, (e + kBlock - 1) / kBlock}, edges.data(),
                edges.data() + e);
    std::string edgesPath = out + ".edges.npy";
    if (llvm::Error err = gnn::writeNpyI64(edgesPath, edges.data(), {2, e}))
      return fail(llvm::toString(std::move(err)));
    llvm::outs() << "wrote " << edgesPath << ": " << e << " edges, " << n
                 << " vertices\n";
  }

  if (f > 0) {
    std::string featuresPath = out + ".features.npy";
    if (llvm::Error err = writeFeatures(featuresPath, n, f, seed))
      return fail(llvm::toString(std::move(err)));
    llvm::outs() << "wrote " << featuresPath << ": [" << n << ", " << f
                 << "] float32\n";
  }
  return 0;
}

/// gnn::loadGraph as one progress stage ("load graph").
llvm::Expected<gnn::Graph> loadWithProgress(const std::string &path,
                                            int64_t n) {
  gnn::Progress progress("load graph", 0, "edges");
  llvm::Expected<gnn::Graph> g = gnn::loadGraph(path, n);
  if (g) {
    progress.advance(g->numEdges());
    progress.finish();
  }
  return g;
}

/// `g`'s vertex order (gnn::computeVertexOrder) as one progress stage
/// ("reorder (ORDER)"), for convert and partition --reorder.
llvm::Expected<std::vector<int32_t>> computeOrder(const gnn::Graph &g,
                                                  gnn::VertexOrder order) {
  gnn::Progress progress(std::string("reorder (") +
                             gnn::vertexOrderName(order) + ")",
                         0, "edges");
  auto sequence = gnn::computeVertexOrder(g, order);
  if (sequence) {
    progress.advance(g.numEdges());
    progress.finish();
  }
  return sequence;
}

int runConvert() {
  auto order = gnn::parseVertexOrder(absl::GetFlag(FLAGS_reorder));
  if (!order)
    return fail(llvm::toString(order.takeError()));
  std::string in = absl::GetFlag(FLAGS_graph);
  std::string out = absl::GetFlag(FLAGS_out);
  std::string edgeAttr = absl::GetFlag(FLAGS_edge_attr);
  std::string edgeAttrOut = absl::GetFlag(FLAGS_edge_attr_out);
  int64_t n = absl::GetFlag(FLAGS_num_nodes);
  uint64_t memory = parseMemory(absl::GetFlag(FLAGS_memory));
  if (in.empty())
    return fail("--graph=FILE must be given");
  if (out.empty())
    return fail("--out=FILE.csr must be given");
  if (!memory)
    return fail("--memory must be a byte count of at least 1K, as 4096, 64K, "
                "512M or 4G; found '" + absl::GetFlag(FLAGS_memory) + "'");
  if (!edgeAttrOut.empty() && edgeAttr.empty())
    return fail("--edge-attr-out needs --edge-attr");
  if (gnn::isCsrFile(in))
    return fail(in + ": is a binary CSR file already");
  if (!edgeAttr.empty() && edgeAttrOut.empty())
    edgeAttrOut = out + ".edge_attr.npy";
  for (const std::string &o : {out, edgeAttrOut})
    if (!o.empty() && (o == in || o == edgeAttr))
      return fail(o + ": the output would overwrite an input");
  if (n < 0) {
    llvm::Expected<int64_t> count = gnn::countVertices(in);
    if (!count)
      return fail(llvm::toString(count.takeError()));
    n = *count;
  }
  gnn::CsrWriteOptions options;
  options.memoryBytes = memory;
  options.sortInEdges = absl::GetFlag(FLAGS_sort_in_edges);
  options.edgeFeaturesIn = edgeAttr;
  options.edgeFeaturesOut = edgeAttrOut;
  if (*order == gnn::VertexOrder::Degree) {
    // From the stream, within --memory as a plain convert.
    auto edges = gnn::openEdgeStream(in, n);
    if (!edges)
      return fail(llvm::toString(edges.takeError()));
    if (llvm::Error err = writeDegreeOrderedCsr(out, n, **edges, options))
      return fail(llvm::toString(std::move(err)));
    llvm::outs() << "wrote " << out << ": " << (*edges)->size() << " edges, "
                 << n << " vertices, reordered (degree)"
                 << (options.sortInEdges ? ", in-edges sorted" : "") << "\n";
  } else if (*order != gnn::VertexOrder::None) {
    // The whole graph in memory: the order needs every edge at once.
    llvm::Expected<gnn::Graph> g = loadWithProgress(in, n);
    if (!g)
      return fail(llvm::toString(g.takeError()));
    auto sequence = computeOrder(*g, *order);
    if (!sequence)
      return fail(llvm::toString(sequence.takeError()));
    llvm::Expected<gnn::Graph> renumbered = gnn::permuteGraph(*g, *sequence);
    if (!renumbered)
      return fail(llvm::toString(renumbered.takeError()));
    int64_t e = g->numEdges();
    *g = gnn::Graph(); // Its memory back before writing.
    gnn::Progress writing("write", 0, "edges");
    if (llvm::Error err = gnn::writeCsrFile(out, *renumbered, options))
      return fail(llvm::toString(std::move(err)));
    writing.advance(e);
    writing.finish();
    llvm::outs() << "wrote " << out << ": " << e << " edges, " << n
                 << " vertices, reordered (" << gnn::vertexOrderName(*order)
                 << ")" << (options.sortInEdges ? ", in-edges sorted" : "")
                 << "\n";
  } else {
    auto edges = gnn::openEdgeStream(in, n);
    if (!edges)
      return fail(llvm::toString(edges.takeError()));
    if (llvm::Error err = gnn::writeCsrFile(out, n, **edges, options))
      return fail(llvm::toString(std::move(err)));
    llvm::outs() << "wrote " << out << ": " << (*edges)->size() << " edges, "
                 << n << " vertices"
                 << (options.sortInEdges ? ", in-edges sorted" : "") << "\n";
  }
  if (!edgeAttrOut.empty())
    llvm::outs() << "wrote " << edgeAttrOut
                 << ": the edge features in the CSR's edge order\n";
  return 0;
}

int runStats() {
  std::string path = absl::GetFlag(FLAGS_graph);
  if (path.empty())
    return fail("--graph=FILE must be given");
  int64_t n = absl::GetFlag(FLAGS_num_nodes);
  if (n < 0) {
    llvm::Expected<int64_t> count = gnn::countVertices(path);
    if (!count)
      return fail(llvm::toString(count.takeError()));
    n = *count;
  }
  llvm::Expected<gnn::Graph> g = loadWithProgress(path, n);
  if (!g)
    return fail(llvm::toString(g.takeError()));

  int64_t e = g->numEdges(), selfLoops = 0, maxIn = 0, maxOut = 0,
          isolated = 0;
  std::vector<int64_t> outDegree(size_t(n), 0);
  const int64_t *off = g->offsets();
  const int32_t *src = g->sources();
  for (int64_t v = 0; v < n; ++v) {
    maxIn = std::max(maxIn, g->inDegree(v));
    for (int64_t k = off[v]; k < off[v + 1]; ++k) {
      ++outDegree[src[k]];
      selfLoops += src[k] == v;
    }
  }
  for (int64_t v = 0; v < n; ++v) {
    maxOut = std::max(maxOut, outDegree[v]);
    isolated += g->inDegree(v) == 0 && outDegree[v] == 0;
  }
  llvm::outs() << "vertices: " << n << "\n"
               << "edges: " << e << "\n"
               << "self loops: " << selfLoops << "\n"
               << "max in-degree: " << maxIn << "\n"
               << "mean in-degree: "
               << llvm::format("%.3f", n ? double(e) / double(n) : 0.0)
               << "\n"
               << "max out-degree: " << maxOut << "\n"
               << "isolated vertices: " << isolated << "\n";
  return 0;
}

int runPartition() {
  auto order = gnn::parseVertexOrder(absl::GetFlag(FLAGS_reorder));
  if (!order)
    return fail(llvm::toString(order.takeError()));
  std::string graphPath = absl::GetFlag(FLAGS_graph);
  std::string featuresPath = absl::GetFlag(FLAGS_features);
  std::string edgeAttrPath = absl::GetFlag(FLAGS_edge_attr);
  std::string method = absl::GetFlag(FLAGS_method);
  std::string out = absl::GetFlag(FLAGS_out);
  int64_t parts = absl::GetFlag(FLAGS_parts);
  int64_t numNodes = absl::GetFlag(FLAGS_num_nodes);
  if (graphPath.empty())
    return fail("--graph=FILE must be given");
  if (featuresPath.empty())
    return fail("--features=X.npy must be given");
  if (parts == -1)
    return fail("--parts=P must be given");
  if (parts < 1 || parts > (1 << 16))
    return fail("--parts must be in [1, 65536], found " + llvm::Twine(parts));
  gnn::PartitionMethod kind;
  if (method == "range")
    kind = gnn::PartitionMethod::Range;
  else if (method == "metis")
    kind = gnn::PartitionMethod::Metis;
  else
    return fail("--method must be range or metis, found '" + method + "'");
  if (out.empty())
    return fail("--out=DIR must be given");

  llvm::Expected<gnn::Tensor> x = gnn::mapNpyF32(featuresPath, 2);
  if (!x)
    return fail(llvm::toString(x.takeError()));
  int64_t n = x->shape[0];
  if (numNodes >= 0 && numNodes != n)
    return fail(featuresPath + ": has " + llvm::Twine(n) +
                " rows but --num-nodes is " + llvm::Twine(numNodes));
  if (parts > std::max<int64_t>(n, 1))
    return fail("--parts=" + llvm::Twine(parts) + " is more than the " +
                llvm::Twine(n) + " vertices: a part would own no vertex");
  llvm::Expected<gnn::Graph> g = loadWithProgress(graphPath, n);
  if (!g)
    return fail(llvm::toString(g.takeError()));
  // A reordered CSR file: parts copy feature rows by the graph's ids.
  if (g->isReordered()) {
    llvm::Expected<gnn::Tensor> rows =
        gnn::rowsToGraphOrder(*g, std::move(*x), featuresPath);
    if (!rows)
      return fail(llvm::toString(rows.takeError()));
    *x = std::move(*rows);
  }
  // Edge features are given in the graph file's order; parts store them in
  // CSR order, as kernels read them.
  std::optional<gnn::Tensor> edgeAttr;
  if (!edgeAttrPath.empty()) {
    llvm::Expected<gnn::Tensor> rows = gnn::readNpyF32(edgeAttrPath, 2);
    if (!rows)
      return fail(llvm::toString(rows.takeError()));
    llvm::Expected<gnn::Tensor> csr =
        gnn::edgeFeaturesToCsr(*g, *rows, edgeAttrPath);
    if (!csr)
      return fail(llvm::toString(csr.takeError()));
    edgeAttr = std::move(*csr);
  }

  gnn::Progress partitioning("partition", 0, "edges");
  llvm::Expected<std::vector<int32_t>> owner =
      gnn::assignParts(*g, int(parts), kind, absl::GetFlag(FLAGS_vertex_weight));
  if (!owner)
    return fail(graphPath + ": " + llvm::toString(owner.takeError()));
  // The parts are those of the graph as given; --reorder renumbers the
  // vertices inside each part by the whole graph's order.
  std::optional<std::vector<int32_t>> sequence;
  if (*order != gnn::VertexOrder::None) {
    auto computed = computeOrder(*g, *order);
    if (!computed)
      return fail(llvm::toString(computed.takeError()));
    sequence = std::move(*computed);
  }
  if (llvm::Error err = gnn::writePartitionDirectory(
          out, *g, *owner, int(parts), method, &*x,
          edgeAttr ? &*edgeAttr : nullptr, sequence ? &*sequence : nullptr))
    return fail(llvm::toString(std::move(err)));
  partitioning.advance(g->numEdges());
  partitioning.finish();

  llvm::Expected<gnn::PartitionSummary> summary =
      gnn::summarizePartition(*g, *owner, int(parts));
  if (!summary)
    return fail(llvm::toString(summary.takeError()));
  const gnn::PartitionSummary &s = *summary;
  int64_t e = g->numEdges(), ghostRows = 0, mirrorRows = 0;
  llvm::outs() << "partitioned " << n << " vertices, " << e << " edges into "
               << parts << " parts (" << method
               << (sequence ? std::string(", reordered inside by ") +
                                  gnn::vertexOrderName(*order)
                            : std::string())
               << ")\n"
               << "edge cut: " << s.cutEdges << " of " << e << " edges ("
               << llvm::format("%.2f", e ? 100.0 * s.cutEdges / e : 0.0)
               << "%)\n";
  for (int64_t p = 0; p < parts; ++p) {
    llvm::outs() << "part " << p << ": " << s.owned[p] << " owned vertices, "
                 << s.edges[p] << " edges, " << s.ghosts[p] << " ghost rows\n";
    ghostRows += s.ghosts[p];
    mirrorRows += s.mirrors[p];
  }
  int64_t f = x->shape[1];
  llvm::outs() << "ghost rows: " << ghostRows << " in all\n"
               << "mirror rows: " << mirrorRows
               << " in all (what a push exchange moves instead)\n"
               << "exchange per layer: " << ghostRows * 4
               << " bytes per feature column (ghost rows x 4 bytes); "
               << ghostRows * 4 * f << " bytes at the input's " << f
               << " columns\n"
               << "wrote " << out << "\n";
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  absl::SetProgramUsageMessage(
      "make, inspect and convert graphs.\n"
      "  gnn-graph generate --kind=rmat|uniform|sbm --vertices=N --edges=E "
      "[--features=F] [--seed=S]\n"
      "                     [--communities=K --intra=P] --out=PREFIX\n"
      "  gnn-graph stats --graph=FILE [--num-nodes=N]\n"
      "  gnn-graph partition --graph=FILE --features=X.npy "
      "[--edge-attr=E.npy] [--num-nodes=N] --parts=P --method=range|metis "
      "[--reorder=ORDER] --out=DIR\n"
      "  gnn-graph convert --graph=FILE --out=FILE.csr [--edge-attr=E.npy "
      "[--edge-attr-out=F.npy]] [--num-nodes=N] [--memory=BYTES] "
      "[--reorder=ORDER] [--sort-in-edges]\n"
      "  ORDER: none, degree, rcm or community (the permutation is stored "
      "with the graph;\n  features and outputs stay in the original vertex "
      "order)\n"
      "  (generate and convert also take --format=csr, --memory; generate "
      "--format=csr\n  also --reorder=degree; every command --quiet)");
  // Flags are spelled with hyphens (--num-nodes) on our command lines, but
  // Abseil names are C identifiers: accept both spellings.
  std::vector<std::string> storage(argv, argv + argc);
  for (size_t i = 1; i < storage.size(); ++i) {
    std::string &a = storage[i];
    if (a == "--")
      break;
    if (a.size() > 2 && a[0] == '-') {
      size_t end = std::min(a.find('='), a.size());
      std::replace(a.begin() + 2, a.begin() + end, '-', '_');
    }
  }
  std::vector<char *> args;
  for (std::string &s : storage)
    args.push_back(s.data());
  args.push_back(nullptr);
  std::vector<char *> positional =
      absl::ParseCommandLine(int(args.size() - 1), args.data());

  if (positional.size() != 2)
    return fail(positional.size() < 2
                    ? "expected a command: generate, stats, convert or "
                      "partition (see --help)"
                    : "unexpected argument '" + std::string(positional[2]) +
                          "'");
  std::string cmd = positional[1];
  gnn::setProgressTool("gnn-graph");
  gnn::setProgressEnabled(!absl::GetFlag(FLAGS_quiet));
  if (cmd != "convert" && absl::GetFlag(FLAGS_sort_in_edges))
    return fail("--sort-in-edges is for convert only");
  try {
    if (cmd == "convert")
      return runConvert();
    if (cmd == "generate")
      return runGenerate();
    if (cmd == "stats")
      return runStats();
    if (cmd == "partition")
      return runPartition();
  } catch (const std::bad_alloc &) {
    return fail("out of memory");
  }
  return fail("unknown command '" + cmd +
              "'; expected generate, stats, convert or partition");
}
