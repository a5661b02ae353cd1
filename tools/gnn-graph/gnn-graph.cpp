//===- gnn-graph.cpp - Generate, inspect and convert graph files ----------===//
//
//   gnn-graph generate --kind=rmat|uniform|sbm --vertices=N --edges=E
//                      [--communities=K --intra=P]
//                      [--features=F] [--seed=S] --out=PREFIX
//   gnn-graph stats --graph=FILE [--num-nodes=N]
//   gnn-graph partition --graph=FILE --features=X.npy [--edge-attr=E.npy] [--vertex-weight=W]
//                       [--num-nodes=N] --parts=P --method=range|metis
//                       --out=DIR
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

#include "gnn/Graph.h"
#include "gnn/Npy.h"
#include "gnn/Partition.h"
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
          "generate: output prefix (PREFIX.edges.npy, PREFIX.features.npy); "
          "partition: the partition directory");
ABSL_FLAG(std::string, graph, "",
          "stats, partition: graph file (.npy or text)");
ABSL_FLAG(int64_t, num_nodes, -1,
          "stats: vertex count (default: largest id + 1); partition: must "
          "equal the feature rows if given");
ABSL_FLAG(std::string, edge_attr, "",
          "partition: edge features .npy (float32 [E, D], graph file order)");
ABSL_FLAG(int64_t, parts, -1, "partition: number of parts, in [1, vertices]");
ABSL_FLAG(std::string, method, "", "partition: range or metis");
ABSL_FLAG(int64_t, vertex_weight, gnn::kDefaultVertexWeight,
          "partition: the work of a vertex in in-edges, for balancing parts "
          "(in-edges + vertex_weight x vertices per part)");

namespace {

constexpr int64_t kBlock = int64_t(1) << 16;

int fail(const llvm::Twine &msg) {
  llvm::errs() << "gnn-graph: error: " << msg << "\n";
  return 1;
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

/// Fills src[0, E) and dst[0, E) with RMAT edges over exactly n vertices,
/// with the Graph500 quadrant probabilities a=0.57, b=0.19, c=0.19.
void generateRmat(int64_t n, int64_t e, uint64_t seed, int64_t *src,
                  int64_t *dst) {
  int scale = 0;
  while ((int64_t(1) << scale) < n)
    ++scale;
  // Quadrant thresholds on 32-bit draws, so one 64-bit draw serves two
  // recursion levels.
  const uint64_t ta = uint64_t(0.57 * 4294967296.0);
  const uint64_t tb = uint64_t(0.76 * 4294967296.0);
  const uint64_t tc = uint64_t(0.95 * 4294967296.0);
  parallelBlocks((e + kBlock - 1) / kBlock, [&](int64_t b) {
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
      src[k] = int64_t(u);
      dst[k] = int64_t(v);
    }
  });
}

void generateUniform(int64_t n, int64_t e, uint64_t seed, int64_t *src,
                     int64_t *dst) {
  parallelBlocks((e + kBlock - 1) / kBlock, [&](int64_t b) {
    std::mt19937_64 rng = blockRng(seed, 1, b);
    int64_t end = std::min(e, (b + 1) * kBlock);
    for (int64_t k = b * kBlock; k < end; ++k) {
      src[k] = int64_t(bounded(rng, n));
      dst[k] = int64_t(bounded(rng, n));
    }
  });
}

/// A stochastic block model with community structure that vertex ids do
/// not reveal: a seeded random permutation puts the vertices in order, the
/// order is cut into k equal communities, and each edge picks a uniform
/// source and, with probability `intra`, a uniform target in the source's
/// community, else anywhere. (Ids in contiguous ranges would let a range
/// partition find the communities for free.)
void generateSbm(int64_t n, int64_t e, int64_t k, double intra, uint64_t seed,
                 int64_t *src, int64_t *dst) {
  // Fisher-Yates with our own bounded draws: the same graph everywhere.
  std::vector<int64_t> order(n), position(n);
  for (int64_t v = 0; v < n; ++v)
    order[v] = v;
  std::mt19937_64 shuffle = blockRng(seed, 3, 0);
  for (int64_t i = n - 1; i > 0; --i)
    std::swap(order[i], order[bounded(shuffle, uint64_t(i) + 1)]);
  for (int64_t i = 0; i < n; ++i)
    position[order[i]] = i;
  // P(draw <= threshold) = intra, to within 2^-64.
  const uint64_t threshold = intra >= 1.0 ? UINT64_MAX
                                          : uint64_t(std::ldexp(intra, 64));
  parallelBlocks((e + kBlock - 1) / kBlock, [&](int64_t b) {
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
      src[j] = u;
      dst[j] = v;
    }
  });
}

/// Features uniform in [-1, 1): 24 random bits give a float in [0, 1)
/// exactly, so the values do not depend on float rounding modes.
void generateFeatures(size_t count, uint64_t seed, float *out) {
  parallelBlocks((int64_t(count) + kBlock - 1) / kBlock, [&](int64_t b) {
    std::mt19937_64 rng = blockRng(seed, 2, b);
    size_t end = std::min(count, size_t(b + 1) * kBlock);
    for (size_t i = size_t(b) * kBlock; i < end; ++i)
      out[i] = float(rng() >> 40) * (2.0f / 16777216.0f) - 1.0f;
  });
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

  // One buffer holds edge_index [2, E]: row 0 sources, row 1 targets.
  gnn::AlignedArray<int64_t> edges(size_t(2 * e));
  if (kind == "rmat")
    generateRmat(n, e, seed, edges.data(), edges.data() + e);
  else if (kind == "sbm")
    generateSbm(n, e, communities, intra, seed, edges.data(), edges.data() + e);
  else
    generateUniform(n, e, seed, edges.data(), edges.data() + e);
  std::string edgesPath = out + ".edges.npy";
  if (llvm::Error err = gnn::writeNpyI64(edgesPath, edges.data(), {2, e}))
    return fail(llvm::toString(std::move(err)));
  llvm::outs() << "wrote " << edgesPath << ": " << e << " edges, " << n
               << " vertices\n";

  if (f > 0) {
    gnn::Tensor x({n, f});
    generateFeatures(x.numElements(), seed, x.data());
    std::string featuresPath = out + ".features.npy";
    if (llvm::Error err = gnn::writeNpyF32(featuresPath, x.data(), x.shape))
      return fail(llvm::toString(std::move(err)));
    llvm::outs() << "wrote " << featuresPath << ": [" << n << ", " << f
                 << "] float32\n";
  }
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
  llvm::Expected<gnn::Graph> g = gnn::loadGraph(path, n);
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

  llvm::Expected<gnn::Tensor> x = gnn::readNpyF32(featuresPath, 2);
  if (!x)
    return fail(llvm::toString(x.takeError()));
  int64_t n = x->shape[0];
  if (numNodes >= 0 && numNodes != n)
    return fail(featuresPath + ": has " + llvm::Twine(n) +
                " rows but --num-nodes is " + llvm::Twine(numNodes));
  if (parts > std::max<int64_t>(n, 1))
    return fail("--parts=" + llvm::Twine(parts) + " is more than the " +
                llvm::Twine(n) + " vertices: a part would own no vertex");
  llvm::Expected<gnn::Graph> g = gnn::loadGraph(graphPath, n);
  if (!g)
    return fail(llvm::toString(g.takeError()));
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

  llvm::Expected<std::vector<int32_t>> owner =
      gnn::assignParts(*g, int(parts), kind, absl::GetFlag(FLAGS_vertex_weight));
  if (!owner)
    return fail(graphPath + ": " + llvm::toString(owner.takeError()));
  if (llvm::Error err = gnn::writePartitionDirectory(
          out, *g, *owner, int(parts), method, &*x,
          edgeAttr ? &*edgeAttr : nullptr))
    return fail(llvm::toString(std::move(err)));

  gnn::PartitionSummary s = gnn::summarizePartition(*g, *owner, int(parts));
  int64_t e = g->numEdges(), ghostRows = 0, mirrorRows = 0;
  llvm::outs() << "partitioned " << n << " vertices, " << e << " edges into "
               << parts << " parts (" << method << ")\n"
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
      "--out=DIR\n"
      "  gnn-graph convert   (not implemented yet)");
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
  try {
    if (cmd == "generate")
      return runGenerate();
    if (cmd == "stats")
      return runStats();
    if (cmd == "partition")
      return runPartition();
  } catch (const std::bad_alloc &) {
    return fail("out of memory");
  }
  if (cmd == "convert") {
    llvm::errs() << "gnn-graph: error: '" << cmd
                 << "' is not implemented yet\n";
    return 2;
  }
  return fail("unknown command '" + cmd +
              "'; expected generate, stats, convert or partition");
}
