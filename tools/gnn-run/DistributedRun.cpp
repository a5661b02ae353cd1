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
// rank). A fault on any rank ends the whole job after one line naming the
// rank and the fault (see Job); no output is left behind.
//
//===----------------------------------------------------------------------===//
#include "GnnRun.h"
#include "gnn/Distributed.h"
#include "gnn/Npy.h"
#include "gnn/Partition.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
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

/// The job's ranks and how a fault ends it. Faults found while setting
/// up (files, flags, the model) are agreed on at the end of each phase:
/// one line, from the lowest rank that failed (without a rank when every
/// rank failed alike), then every rank exits non-zero. A fault during the
/// run, when other ranks may be waiting in an exchange, ends the job
/// through MPI_Abort.
struct Job {
  MPI_Comm comm = MPI_COMM_WORLD;
  int rank = 0, size = 1;
  /// This rank's first fault in the current phase; printed as it is when
  /// formatted already.
  std::optional<std::string> fault;
  bool faultIsFormatted = false;

  void record(const llvm::Twine &message) {
    if (!fault)
      fault = message.str();
  }
  void record(llvm::Error error) {
    if (error)
      record(llvm::toString(std::move(error)));
  }
  /// The value, or std::nullopt with the fault recorded.
  template <typename T> std::optional<T> take(llvm::Expected<T> value) {
    if (value)
      return std::move(*value);
    record(llvm::toString(value.takeError()));
    return std::nullopt;
  }

  /// Ends the phase: if any rank recorded a fault, all exit.
  void agree() {
    int first = fault ? rank : size, failed = fault ? 1 : 0;
    MPI_Allreduce(MPI_IN_PLACE, &first, 1, MPI_INT, MPI_MIN, comm);
    MPI_Allreduce(MPI_IN_PLACE, &failed, 1, MPI_INT, MPI_SUM, comm);
    if (failed == 0)
      return;
    if (rank == first && faultIsFormatted) {
      llvm::errs() << *fault << "\n";
    } else if (rank == first) {
      llvm::errs() << "gnn-run: error: ";
      if (failed < size)
        llvm::errs() << "rank " << rank << ": ";
      llvm::errs() << *fault << "\n";
      llvm::errs().flush();
    }
    MPI_Finalize();
    std::exit(1);
  }

  /// A fault while other ranks may be inside a collective: nobody is
  /// left waiting.
  [[noreturn]] void abort(const llvm::Twine &message) const {
    llvm::errs() << "gnn-run: error: rank " << rank << ": " << message << "\n";
    llvm::errs().flush();
    MPI_Abort(comm, 1);
    std::exit(1);
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
/// Records the fault and returns nothing on failure.
std::optional<gnn::GraphPart> loadThisPart(Job &job, const Flags &flags,
                                           std::string &featuresName,
                                           std::string &edgeName) {
  if (gnn::isPartitionDirectory(flags.graphPath)) {
    for (auto [given, name] :
         {std::pair(!flags.featuresPath.empty(), "--features"),
          std::pair(!flags.edgeAttrPath.empty(), "--edge-attr"),
          std::pair(flags.numNodes >= 0, "--num-nodes")})
      if (given) {
        job.record(flags.graphPath + ": a partition directory holds the "
                   "features and the graph; " + name + " is not used with it");
        return std::nullopt;
      }
    auto manifest = job.take(gnn::readManifest(flags.graphPath));
    if (!manifest)
      return std::nullopt;
    if (manifest->parts != job.size) {
      job.record(flags.graphPath + ": has " + llvm::Twine(manifest->parts) +
                 " parts but the job has " + llvm::Twine(job.size) +
                 " ranks; run it with mpiexec -n " +
                 llvm::Twine(manifest->parts));
      return std::nullopt;
    }
    featuresName = edgeName = flags.graphPath;
    return job.take(gnn::loadPart(flags.graphPath, *manifest, job.rank));
  }

  featuresName = flags.featuresPath;
  edgeName = flags.edgeAttrPath;
  auto features = job.take(gnn::mapNpyF32(flags.featuresPath, 2));
  if (!features)
    return std::nullopt;
  int64_t n = features->shape[0];
  if (flags.numNodes >= 0 && flags.numNodes != n) {
    job.record(flags.featuresPath + ": has " + llvm::Twine(n) +
               " rows but --num-nodes is " + llvm::Twine(flags.numNodes));
    return std::nullopt;
  }
  auto graph = job.take(gnn::loadGraph(flags.graphPath, n));
  if (!graph)
    return std::nullopt;
  // A reordered CSR file: the parts are cut from the graph in its own
  // order (their globalIds the user's ids), so the feature rows go into it.
  if (graph->isReordered()) {
    features = job.take(gnn::rowsToGraphOrder(*graph, std::move(*features),
                                              flags.featuresPath));
    if (!features)
      return std::nullopt;
  }
  std::optional<gnn::Tensor> edgeAttr;
  if (!flags.edgeAttrPath.empty()) {
    auto rows = job.take(gnn::readEdgeRowsF32(flags.edgeAttrPath));
    if (!rows)
      return std::nullopt;
    edgeAttr = job.take(gnn::edgeFeaturesToCsr(*graph, *rows, flags.edgeAttrPath));
    if (!edgeAttr)
      return std::nullopt;
  }
  if (job.size > n) {
    job.record(flags.graphPath + ": " + llvm::Twine(job.size) +
               " ranks for " + llvm::Twine(n) + " vertices; use at most one "
               "rank per vertex");
    return std::nullopt;
  }
  auto owner = job.take(
      gnn::assignParts(*graph, job.size, gnn::PartitionMethod::Range));
  if (!owner)
    return std::nullopt;
  return job.take(gnn::extractPart(*graph, *owner, job.size, job.rank,
                                   &*features,
                                   edgeAttr ? &*edgeAttr : nullptr));
}

/// Writes one shard per rank into `dir`: part-K.npy (the owned rows, in
/// the part's order), part-K.ids.npy (their vertex ids) and a manifest.
/// The shards go to a staging directory renamed into place at the end,
/// so a failed job leaves no partial output under `dir`.
void writeShards(Job &job, const std::string &dir, const gnn::GraphPart &part,
                 const gnn::Tensor &rows) {
  std::string staging = dir + ".partial";
  if (job.rank == 0) {
    llvm::sys::fs::remove_directories(staging);
    if (llvm::sys::fs::exists(dir)) {
      // Replace an earlier output of gnn-run, never anything else.
      llvm::SmallString<256> old(dir);
      llvm::sys::path::append(old, "manifest");
      auto text = llvm::MemoryBuffer::getFile(old);
      if (!text || !(*text)->getBuffer().starts_with("gnnc-output "))
        job.record(dir + ": exists and is not an output directory of gnn-run");
    }
    if (!job.fault)
      if (std::error_code ec = llvm::sys::fs::create_directories(staging))
        job.record(staging + ": " + ec.message());
  }
  job.agree();
  auto shard = [&](const char *suffix) {
    llvm::SmallString<256> p(staging);
    llvm::sys::path::append(p, "part-" + std::to_string(job.rank) + suffix);
    return p.str().str();
  };
  job.record(gnn::writeNpyF32(shard(".npy"), rows.data(), rows.shape));
  if (!job.fault)
    job.record(gnn::writeNpyI64(shard(".ids.npy"), part.globalIds.data(),
                                {part.owned}));
  if (job.rank == 0 && !job.fault) {
    llvm::SmallString<256> manifest(staging);
    llvm::sys::path::append(manifest, "manifest");
    std::vector<int64_t> row(rows.shape.begin() + 1, rows.shape.end());
    job.record(gnn::writeFileAtomically(
        manifest.str().str(), [&](llvm::raw_ostream &os) {
          os << "gnnc-output 1\nvertices " << part.globalVertices << "\nparts "
             << job.size << "\nrow " << gnn::formatShape(row) << "\n";
          return llvm::Error::success();
        }));
  }
  // Every shard is written before any of them becomes visible.
  int failed = job.fault ? 1 : 0;
  MPI_Allreduce(MPI_IN_PLACE, &failed, 1, MPI_INT, MPI_SUM, job.comm);
  if (failed && job.rank == 0)
    llvm::sys::fs::remove_directories(staging);
  if (!failed && job.rank == 0) {
    llvm::sys::fs::remove_directories(dir);
    if (std::error_code ec = llvm::sys::fs::rename(staging, dir)) {
      job.record(dir + ": " + ec.message());
      llvm::sys::fs::remove_directories(staging);
    }
  }
  job.agree();
}

/// Per-rank figures for --stats, gathered on rank 0.
void printStats(const Job &job, const gnn::GraphPart &part,
                const gnn::RunStats &stats, double loadSeconds,
                double compileSeconds, double firstRunSeconds,
                double runSeconds, int runs, int threads,
                const std::string &compiledBy) {
  // Fixed-size records: counts, load, compile, run, compute and exchange
  // seconds, the results' memory (arena + output), then per exchange its
  // rows and bytes each way and its seconds.
  double exchangeSeconds = 0;
  for (const gnn::ExchangeTiming &x : stats.exchanges)
    exchangeSeconds += x.seconds;
  std::vector<double> mine = {double(part.owned), double(part.ghosts),
                              double(part.graph.numEdges()), loadSeconds,
                              compileSeconds, runSeconds,
                              stats.totalSeconds - exchangeSeconds,
                              exchangeSeconds,
                              double(stats.arenaBytes + stats.outputBytes)};
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
        "exchange ms  results MiB\n";
  for (int r = 0; r < job.size; ++r)
    os << llvm::format("%4d  %-9lld %-9lld %-11lld %-8.3f %-10.3f %-11.3f %-12.3f %.2f\n",
                       r, (long long)at(r, 0), (long long)at(r, 1),
                       (long long)at(r, 2), at(r, 3), at(r, 4), at(r, 6) * 1e3,
                       at(r, 7) * 1e3, at(r, 8) / (1 << 20));
  // Per exchange (pull: one per tensor a message stage gathers; push: one
  // per stage, and one per tensor it reads at targets): traffic per rank,
  // and how uneven the ranks' times are. Every rank chose the same forms.
  for (size_t x = 0; x < stats.exchanges.size(); ++x) {
    size_t base = 9 + 5 * x;
    const gnn::ExchangeTiming &timing = stats.exchanges[x];
    os << "exchange " << x << ": " << timing.tensor << " (" << timing.rowFloats
       << (timing.form == "push" ? " floats per state row, " : " floats per row, ")
       << timing.form << ")\n";
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
  if (runs > 1)
    os << llvm::format("inference: %.3f s (median of runs 2..%d; the slowest "
                       "rank's, from a common start; the first run: %.3f s)\n",
                       runSeconds, runs, firstRunSeconds);
  else
    os << llvm::format("inference: %.3f s (the slowest rank's, from a common "
                       "start)\n", runSeconds);
}

} // namespace

static int runJob(const Flags &flags, Job &job) {
  auto start = clock_type::now();

  // Phase 1: the output's place, this rank's part, the weights.
  const std::string &output =
      flags.outputPath.empty() ? flags.outputDir : flags.outputPath;
  llvm::StringRef parent = llvm::sys::path::parent_path(output);
  if (!parent.empty() && !llvm::sys::fs::is_directory(parent))
    job.record(output + ": directory '" + parent + "' does not exist");
  int threads = threadsPerRank(flags, job.comm);
  omp_set_num_threads(threads);
  std::string featuresName, edgeName;
  std::optional<gnn::GraphPart> loaded;
  if (!job.fault)
    loaded = loadThisPart(job, flags, featuresName, edgeName);
  std::optional<gnn::WeightMap> weights;
  if (!job.fault && !flags.weightsPath.empty())
    weights = job.take(gnn::readSafetensors(flags.weightsPath));
  job.agree();
  gnn::GraphPart &part = *loaded;
  double loadSeconds = secondsSince(start);
  int64_t featureWidth =
      part.features.shape.size() == 2 ? part.features.shape[1] : 0;
  std::optional<int64_t> edgeWidth;
  if (part.edgeFeatures.shape.size() == 2)
    edgeWidth = part.edgeFeatures.shape[1];

  // Phase 2: rank 0 compiles (or finds the kernels in its cache) and the
  // others load its object code, so P ranks pay one compilation.
  auto compileStart = clock_type::now();
  std::unique_ptr<gnn::Model> model;
  std::string object;
  if (job.rank == 0) {
    gnn::EngineOptions engineOptions;
    engineOptions.threads = threads;
    engineOptions.cache = flags.cache;
    gnn::Engine engine(engineOptions);
    auto compiled = compileModel(engine, flags, featureWidth, edgeWidth,
                                 weights ? &*weights : nullptr);
    if (compiled) {
      model = std::move(*compiled);
      model->setThreads(threads); // --compiled sets --threads' value
      object = model->objectCode();
    } else {
      // Printed as gnn-run prints it: compiler diagnostics span lines
      // (the source line, a caret) and name the file themselves.
      job.fault = formatCompileError(llvm::toString(compiled.takeError()));
      job.faultIsFormatted = true;
    }
  }
  // An empty object tells the others that rank 0 failed.
  gnn::broadcastBytes(object, job.comm, 0);
  // The others link rank 0's code with the runtime alone: no compiler.
  if (job.rank != 0 && !object.empty())
    if (auto loaded = job.take(
            gnn::Model::loadObject(object, "the model compiled by rank 0"))) {
      model = std::move(*loaded);
      model->setThreads(threads);
    }
  if (job.rank != 0 && object.empty())
    job.record("rank 0 could not compile the model");
  job.agree();
  double compileSeconds = secondsSince(compileStart);
  std::string compiledBy =
      job.rank == 0 && model->compileStats().cacheHit ? "rank 0 (cache hit)"
                                                      : "rank 0";
  // Rank 0's share of its compile in a --pass-pipeline (other ranks run
  // no passes: they link its code).
  if (job.rank == 0 && !flags.passPipeline.empty())
    compiledBy += llvm::formatv(", --pass-pipeline {0:F3} s of it",
                                model->compileStats().pipelineSeconds)
                      .str();

  // Phase 3: the model against this rank's inputs, the exchange's lists.
  std::string inputError =
      checkInputs(*model, flags, featuresName, featureWidth, edgeName,
                  edgeWidth, part.graph.numEdges());
  if (!inputError.empty())
    job.record(inputError);
  if (!job.fault)
    job.record(bindWeights(*model, std::move(weights), flags));
  job.agree();
  // Every rank runs the same steps: rank 0 speaks for the job.
  if (job.rank == 0)
    model->setProgress(true);
  // One rank is the single-process path: no ghosts, no exchange.
  std::unique_ptr<gnn::MpiHaloExchange> exchange;
  if (job.size > 1) {
    auto created = gnn::MpiHaloExchange::create(part, job.comm);
    if (created)
      exchange = std::move(*created);
    else
      job.record(created.takeError());
  }
  job.agree();

  // Phase 4: the run. Its exchanges are collective, so a fault here ends
  // the job at once.
  // With --runs N the last run's stats are reported, and the time is the
  // median of the runs after the first (which maps fresh memory).
  gnn::RunStats stats;
  const gnn::Tensor *edgeFeatures = edgeWidth ? &part.edgeFeatures : nullptr;
  gnn::Tensor rows;
  std::vector<double> runTimes;
  for (int r = 0; r < flags.runs; ++r) {
    stats = gnn::RunStats();
    MPI_Barrier(job.comm);
    auto runStart = clock_type::now();
    llvm::Expected<gnn::Tensor> result =
        exchange ? model->run(part.graph, part.features, edgeFeatures,
                              *exchange, &stats, flags.exchangeForm)
        : edgeFeatures
            ? model->run(part.graph, part.features, *edgeFeatures, &stats)
            : model->run(part.graph, part.features, &stats);
    if (!result)
      job.abort(llvm::toString(result.takeError()));
    rows = std::move(*result);
    // The job's time is its slowest rank's.
    double seconds = secondsSince(runStart);
    MPI_Allreduce(MPI_IN_PLACE, &seconds, 1, MPI_DOUBLE, MPI_MAX, job.comm);
    runTimes.push_back(seconds);
  }
  double firstRunSeconds = runTimes.front();
  std::vector<double> later(runTimes.begin() + (runTimes.size() > 1), runTimes.end());
  std::sort(later.begin(), later.end());
  double runSeconds = later[later.size() / 2];

  // Phase 5: the output, whole on rank 0 or one shard per rank.
  if (!flags.outputDir.empty()) {
    writeShards(job, flags.outputDir, part, rows);
  } else {
    auto all = gnn::gatherRows(part, rows, job.comm, 0);
    if (!all) {
      job.record(all.takeError());
    } else if (job.rank == 0) {
      job.record(gnn::writeNpyF32(flags.outputPath, all->data(), all->shape));
      if (!job.fault && flags.stats) {
        double sum = 0, sumAbs = 0;
        for (size_t i = 0; i < all->numElements(); ++i) {
          sum += all->data()[i];
          sumAbs += std::fabs(all->data()[i]);
        }
        llvm::outs() << "output: " << gnn::formatShape(all->shape)
                     << llvm::format(", checksum sum=%.6e sum|x|=%.6e\n", sum,
                                     sumAbs);
      }
    }
    job.agree();
  }
  if (flags.stats)
    printStats(job, part, stats, loadSeconds, compileSeconds, firstRunSeconds,
               runSeconds, int(runTimes.size()), threads, compiledBy);
  if (flags.stats && job.rank == 0)
    llvm::outs() << llvm::format("total wall time: %.3f s\n", secondsSince(start));
  exchange.reset(); // frees its communicator
  MPI_Finalize();
  return 0;
}

int gnnrun::runDistributed(const Flags &flags) {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  Job job;
  MPI_Comm_rank(job.comm, &job.rank);
  MPI_Comm_size(job.comm, &job.size);
  // Out of memory outside the library's checks (those return an error
  // naming what they allocated): other ranks may be waiting on this one.
  try {
    return runJob(flags, job);
  } catch (const std::bad_alloc &) {
    job.abort("out of memory");
  }
}
