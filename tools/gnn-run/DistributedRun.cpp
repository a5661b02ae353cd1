//===- DistributedRun.cpp - gnn-run under mpiexec: one graph part per rank ===//
//
//   mpiexec -n P gnn-run MODEL --graph PARTITION_DIR --weights W
//           (--output Y.npy | --output-dir DIR) [--threads N] [--stats]
//   mpiexec -n P gnn-run MODEL --graph edges.npy --features X.npy ...
//
// Every rank loads its part (from the partition directory, or split by
// range from the whole graph on the fly), rank 0 compiles the model and
// broadcasts the object code, every rank runs the same schedule on its
// part with the halo exchange between stages, and the owned output rows
// come back to rank 0 in the user's vertex order (or go to one shard per
// rank). A fault on any rank ends the whole job (MPI_Abort) after one
// line naming the rank and the fault; no output is left behind.
//
//===----------------------------------------------------------------------===//
#include "GnnRun.h"
#include "gnn/Distributed.h"
#include "gnn/Npy.h"
#include "gnn/Partition.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

using namespace gnnrun;

namespace {

using clock_type = std::chrono::steady_clock;

double secondsSince(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

/// The job's ranks and how a fault ends it.
struct Job {
  MPI_Comm comm = MPI_COMM_WORLD;
  int rank = 0, size = 1;

  /// A fault of this rank alone: one line naming it, then the whole job
  /// ends (no rank is left waiting in a collective).
  [[noreturn]] void failRank(const llvm::Twine &message) const {
    llvm::errs() << "gnn-run: error: rank " << rank << ": " << message << "\n";
    llvm::errs().flush();
    MPI_Abort(comm, 1);
    std::exit(1);
  }
  /// A fault every rank meets alike (flags, shared files): rank 0 reports
  /// it once and ends the job; the others wait to be ended.
  [[noreturn]] void failAll(const llvm::Twine &message) const {
    if (rank == 0) {
      llvm::errs() << "gnn-run: error: " << message << "\n";
      llvm::errs().flush();
      MPI_Abort(comm, 1);
    }
    MPI_Barrier(comm);
    std::exit(1);
  }
  template <typename T> T checkRank(llvm::Expected<T> value) const {
    if (!value)
      failRank(llvm::toString(value.takeError()));
    return std::move(*value);
  }
  template <typename T> T checkAll(llvm::Expected<T> value) const {
    if (!value)
      failAll(llvm::toString(value.takeError()));
    return std::move(*value);
  }
};

/// Threads per rank: --threads, else the cores divided among the ranks on
/// this host (oversubscribed ranks spin against each other).
int threadsPerRank(const Flags &flags, MPI_Comm comm) {
  if (flags.threads > 0)
    return flags.threads;
  MPI_Comm local;
  MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &local);
  int localRanks = 1;
  MPI_Comm_size(local, &localRanks);
  MPI_Comm_free(&local);
  int cores = std::max(1u, std::thread::hardware_concurrency());
  return std::max(1, cores / localRanks);
}

/// The part of this rank: from a partition directory, or the whole graph
/// split by range here (every rank reads it and keeps its own part).
gnn::GraphPart loadThisPart(const Job &job, const Flags &flags,
                            std::string &featuresName, std::string &edgeName) {
  if (gnn::isPartitionDirectory(flags.graphPath)) {
    for (auto [given, name] :
         {std::pair(!flags.featuresPath.empty(), "--features"),
          std::pair(!flags.edgeAttrPath.empty(), "--edge-attr"),
          std::pair(flags.numNodes >= 0, "--num-nodes")})
      if (given)
        job.failAll(flags.graphPath + ": a partition directory holds the "
                    "features and the graph; " + name + " is not used with it");
    gnn::PartitionManifest manifest =
        job.checkAll(gnn::readManifest(flags.graphPath));
    if (manifest.parts != job.size)
      job.failAll(flags.graphPath + ": has " + llvm::Twine(manifest.parts) +
                  " parts but the job has " + llvm::Twine(job.size) +
                  " ranks; run it with mpiexec -n " +
                  llvm::Twine(manifest.parts));
    featuresName = edgeName = flags.graphPath;
    return job.checkRank(gnn::loadPart(flags.graphPath, manifest, job.rank));
  }

  featuresName = flags.featuresPath;
  edgeName = flags.edgeAttrPath;
  gnn::Tensor features = job.checkAll(gnn::readNpyF32(flags.featuresPath, 2));
  int64_t n = features.shape[0];
  if (flags.numNodes >= 0 && flags.numNodes != n)
    job.failAll(flags.featuresPath + ": has " + llvm::Twine(n) +
                " rows but --num-nodes is " + llvm::Twine(flags.numNodes));
  gnn::Graph graph = job.checkAll(gnn::loadGraph(flags.graphPath, n));
  std::optional<gnn::Tensor> edgeAttr;
  if (!flags.edgeAttrPath.empty()) {
    gnn::Tensor rows = job.checkAll(gnn::readNpyF32(flags.edgeAttrPath, 2));
    edgeAttr = job.checkAll(
        gnn::edgeFeaturesToCsr(graph, rows, flags.edgeAttrPath));
  }
  std::vector<int32_t> owner = job.checkAll(
      gnn::assignParts(graph, job.size, gnn::PartitionMethod::Range));
  return gnn::extractPart(graph, owner, job.size, job.rank, &features,
                          edgeAttr ? &*edgeAttr : nullptr);
}

/// Writes one shard per rank into `dir`: part-K.npy (the owned rows, in
/// the part's order), part-K.ids.npy (their vertex ids) and a manifest.
/// The shards go to a temporary directory renamed into place at the end,
/// so a failed job leaves no partial output under `dir`.
void writeShards(const Job &job, const std::string &dir,
                 const gnn::GraphPart &part, const gnn::Tensor &rows) {
  std::string staging = dir + ".partial";
  if (job.rank == 0) {
    llvm::sys::fs::remove_directories(staging);
    if (std::error_code ec = llvm::sys::fs::create_directories(staging))
      job.failRank(staging + ": " + ec.message());
  }
  MPI_Barrier(job.comm);
  auto shard = [&](const char *suffix) {
    llvm::SmallString<256> p(staging);
    llvm::sys::path::append(p, "part-" + std::to_string(job.rank) + suffix);
    return p.str().str();
  };
  if (llvm::Error e = gnn::writeNpyF32(shard(".npy"), rows.data(), rows.shape))
    job.failRank(llvm::toString(std::move(e)));
  if (llvm::Error e = gnn::writeNpyI64(shard(".ids.npy"), part.globalIds.data(),
                                       {part.owned}))
    job.failRank(llvm::toString(std::move(e)));
  MPI_Barrier(job.comm);
  if (job.rank != 0)
    return;
  llvm::SmallString<256> manifest(staging);
  llvm::sys::path::append(manifest, "manifest");
  llvm::Error e = gnn::writeFileAtomically(
      manifest.str().str(), [&](llvm::raw_ostream &os) {
        os << "gnnc-output 1\nvertices " << part.globalVertices << "\nparts "
           << job.size << "\nrow " << gnn::formatShape(std::vector<int64_t>(
                                           rows.shape.begin() + 1, rows.shape.end()))
           << "\n";
        return llvm::Error::success();
      });
  if (e)
    job.failRank(llvm::toString(std::move(e)));
  // Replace an earlier output of gnn-run, never anything else.
  if (llvm::sys::fs::exists(dir)) {
    llvm::SmallString<256> old(dir);
    llvm::sys::path::append(old, "manifest");
    auto text = llvm::MemoryBuffer::getFile(old);
    if (!text || !(*text)->getBuffer().starts_with("gnnc-output "))
      job.failRank(dir + ": exists and is not an output directory of gnn-run");
    llvm::sys::fs::remove_directories(dir);
  }
  if (std::error_code ec = llvm::sys::fs::rename(staging, dir))
    job.failRank(dir + ": " + ec.message());
}

/// Per-rank figures for --stats, gathered on rank 0.
void printStats(const Job &job, const gnn::GraphPart &part,
                const gnn::RunStats &stats, double loadSeconds,
                double compileSeconds, double runSeconds, int threads,
                const std::string &compiledBy) {
  // Fixed-size records: loads, compute and exchange seconds, counts, then
  // per exchange its rows and bytes each way and its seconds.
  double exchangeSeconds = 0;
  for (const gnn::ExchangeTiming &x : stats.exchanges)
    exchangeSeconds += x.seconds;
  std::vector<double> mine = {double(part.owned), double(part.ghosts),
                              double(part.graph.numEdges()), loadSeconds,
                              compileSeconds, runSeconds,
                              stats.totalSeconds - exchangeSeconds,
                              exchangeSeconds};
  for (const gnn::ExchangeTiming &x : stats.exchanges)
    for (double v : {double(x.rowsSent), double(x.rowsReceived),
                     double(x.bytesSent), double(x.bytesReceived), x.seconds})
      mine.push_back(v);
  std::vector<double> all(job.rank == 0 ? mine.size() * job.size : 0);
  MPI_Gather(mine.data(), mine.size(), MPI_DOUBLE, all.data(), mine.size(),
             MPI_DOUBLE, 0, job.comm);
  if (job.rank != 0)
    return;
  auto at = [&](int r, size_t k) { return all[r * mine.size() + k]; };
  llvm::raw_ostream &os = llvm::outs();
  os << llvm::format("distributed: %d ranks x %d threads; graph: %lld vertices, "
                     "%lld edges; model compiled by %s\n",
                     job.size, threads, (long long)part.globalVertices,
                     (long long)part.globalEdges, compiledBy.c_str());
  os << "rank  owned     ghosts    edges       load s   compile s  compute ms  "
        "exchange ms\n";
  for (int r = 0; r < job.size; ++r)
    os << llvm::format("%4d  %-9lld %-9lld %-11lld %-8.3f %-10.3f %-11.3f %.3f\n",
                       r, (long long)at(r, 0), (long long)at(r, 1),
                       (long long)at(r, 2), at(r, 3), at(r, 4), at(r, 6) * 1e3,
                       at(r, 7) * 1e3);
  // Per exchange (one per tensor a message stage gathers): traffic per
  // rank, and how uneven the ranks' times are.
  for (size_t x = 0; x < stats.exchanges.size(); ++x) {
    size_t base = 8 + 5 * x;
    os << "exchange " << x << ": " << stats.exchanges[x].tensor << " ("
       << stats.exchanges[x].rowFloats << " floats per row, pull)\n";
    double maxTime = 0, sumTime = 0;
    for (int r = 0; r < job.size; ++r) {
      os << llvm::format("  rank %d: sent %lld rows (%.2f MiB), received %lld "
                         "rows (%.2f MiB), %.3f ms\n",
                         r, (long long)at(r, base), at(r, base + 2) / (1 << 20),
                         (long long)at(r, base + 1), at(r, base + 3) / (1 << 20),
                         at(r, base + 4) * 1e3);
      maxTime = std::max(maxTime, at(r, base + 4));
      sumTime += at(r, base + 4);
    }
    os << llvm::format("  imbalance (max/mean time): %.2f\n",
                       sumTime > 0 ? maxTime / (sumTime / job.size) : 1.0);
  }
  double maxCompute = 0, sumCompute = 0;
  for (int r = 0; r < job.size; ++r) {
    maxCompute = std::max(maxCompute, at(r, 6));
    sumCompute += at(r, 6);
  }
  os << llvm::format("compute imbalance (max/mean): %.2f\n",
                     sumCompute > 0 ? maxCompute / (sumCompute / job.size) : 1.0);
  for (const gnn::StageTiming &t : stats.stages)
    os << llvm::format("  %9.3f ms  ", t.seconds * 1e3) << t.name
       << (job.size > 1 ? " (rank 0)" : "") << "\n";
  os << llvm::format("inference: %.3f s (slowest rank, from a common start)\n",
                     runSeconds);
}

} // namespace

int gnnrun::runDistributed(const Flags &flags) {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  Job job;
  MPI_Comm_rank(job.comm, &job.rank);
  MPI_Comm_size(job.comm, &job.size);
  auto start = clock_type::now();

  if (!flags.outputPath.empty()) {
    llvm::StringRef parent = llvm::sys::path::parent_path(flags.outputPath);
    if (!parent.empty() && !llvm::sys::fs::is_directory(parent))
      job.failAll(flags.outputPath + ": directory '" + parent +
                  "' does not exist");
  } else {
    llvm::StringRef parent = llvm::sys::path::parent_path(flags.outputDir);
    if (!parent.empty() && !llvm::sys::fs::is_directory(parent))
      job.failAll(flags.outputDir + ": directory '" + parent +
                  "' does not exist");
  }
  int threads = threadsPerRank(flags, job.comm);
  omp_set_num_threads(threads);

  std::string featuresName, edgeName;
  gnn::GraphPart part = loadThisPart(job, flags, featuresName, edgeName);
  double loadSeconds = secondsSince(start);
  int64_t featureWidth = part.features.shape.size() == 2 ? part.features.shape[1] : 0;
  std::optional<int64_t> edgeWidth;
  if (part.edgeFeatures.shape.size() == 2)
    edgeWidth = part.edgeFeatures.shape[1];

  std::optional<gnn::WeightMap> weights;
  if (!flags.weightsPath.empty())
    weights = job.checkAll(gnn::readSafetensors(flags.weightsPath));

  // Rank 0 compiles (or finds the kernels in its cache); the others load
  // its object code, so P ranks pay one compilation.
  auto compileStart = clock_type::now();
  gnn::EngineOptions engineOptions;
  engineOptions.threads = threads;
  engineOptions.cache = flags.cache;
  gnn::Engine engine(engineOptions);
  std::unique_ptr<gnn::Model> model;
  std::string object;
  if (job.rank == 0) {
    auto compiled = compileModel(engine, flags, featureWidth, edgeWidth,
                                 weights ? &*weights : nullptr);
    if (!compiled) {
      llvm::errs() << formatCompileError(llvm::toString(compiled.takeError()))
                   << "\n";
      llvm::errs().flush();
      MPI_Abort(job.comm, 1);
    }
    model = std::move(*compiled);
    object = model->objectCode();
  }
  gnn::broadcastBytes(object, job.comm, 0);
  if (job.rank != 0)
    model = job.checkRank(engine.loadObject(object, "the model compiled by rank 0"));
  double compileSeconds = secondsSince(compileStart);
  std::string compiledBy =
      job.rank == 0 && model->compileStats().cacheHit ? "rank 0 (cache hit)"
                                                      : "rank 0";

  std::string inputError =
      checkInputs(*model, flags, featuresName, featureWidth, edgeName,
                  edgeWidth, part.graph.numEdges());
  if (!inputError.empty())
    job.failAll(inputError);
  if (!model->parameters().empty()) {
    if (!weights)
      job.failAll(flags.modelPath + ": the model has parameters; pass --weights");
    if (llvm::Error e = model->bindWeights(std::move(*weights), flags.weightsPath))
      job.failAll(llvm::toString(std::move(e)));
  }

  // One rank is the single-process path: no ghosts, no exchange.
  std::unique_ptr<gnn::MpiHaloExchange> exchange;
  if (job.size > 1)
    exchange = job.checkRank(gnn::MpiHaloExchange::create(part, job.comm));

  gnn::RunStats stats;
  const gnn::Tensor *edgeFeatures = edgeWidth ? &part.edgeFeatures : nullptr;
  MPI_Barrier(job.comm);
  auto runStart = clock_type::now();
  llvm::Expected<gnn::Tensor> output =
      exchange ? model->run(part.graph, part.features, edgeFeatures, *exchange,
                            &stats)
      : edgeFeatures ? model->run(part.graph, part.features, *edgeFeatures, &stats)
                     : model->run(part.graph, part.features, &stats);
  gnn::Tensor rows = job.checkRank(std::move(output));
  double runSeconds = secondsSince(runStart);
  MPI_Allreduce(MPI_IN_PLACE, &runSeconds, 1, MPI_DOUBLE, MPI_MAX, job.comm);

  if (!flags.outputDir.empty()) {
    writeShards(job, flags.outputDir, part, rows);
  } else {
    gnn::Tensor all = job.checkRank(gnn::gatherRows(part, rows, job.comm, 0));
    if (job.rank == 0)
      if (llvm::Error e = gnn::writeNpyF32(flags.outputPath, all.data(), all.shape))
        job.failRank(llvm::toString(std::move(e)));
    if (flags.stats && job.rank == 0) {
      double sum = 0, sumAbs = 0;
      for (size_t i = 0; i < all.numElements(); ++i) {
        sum += all.data()[i];
        sumAbs += std::fabs(all.data()[i]);
      }
      llvm::outs() << "output: " << gnn::formatShape(all.shape)
                   << llvm::format(", checksum sum=%.6e sum|x|=%.6e\n", sum, sumAbs);
    }
  }
  if (flags.stats)
    printStats(job, part, stats, loadSeconds, compileSeconds, runSeconds,
               threads, compiledBy);
  if (flags.stats && job.rank == 0)
    llvm::outs() << llvm::format("total wall time: %.3f s\n", secondsSince(start));
  MPI_Finalize();
  return 0;
}
