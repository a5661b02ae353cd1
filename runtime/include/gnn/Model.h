//===- Model.h - A compiled model: native kernels, a schedule, weights ----===//
//
// What runs full-graph inference, with no compiler in the process:
//
//   auto model = gnn::Model::loadArtifact("gcn.gnnc"); // gnnc --emit=artifact
//   if (!model) ...                                  // model.takeError()
//   llvm::Error e = (*model)->loadWeights("gcn.safetensors"); // PyG names
//   auto y = (*model)->run(graph, features);         // Expected<Tensor>
//
// A Model comes from a compiled model file (`gnnc --emit=artifact`,
// Model::loadArtifact), an object file (`gnnc --emit=obj`, the kernel
// cache, or Model::objectCode of a model compiled elsewhere) or from
// gnn::Engine (gnn/Engine.h), which compiles model files into the same
// objects. The
// object holds the kernels and a plain-data schedule of stages; loading it
// needs neither MLIR nor the compiler. Every fault is an llvm::Error whose
// text says what is wrong; nothing is printed.
//
// Link the CMake target GNNRuntime (GNNEngine to compile as well). See
// docs/embedding.md.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_MODEL_H
#define GNN_MODEL_H

#include "gnn/Graph.h"
#include "gnn/Safetensors.h"
#include "gnn/Tensor.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace gnn {

/// A weight the model needs: its state_dict name and PyTorch shape.
struct ParamInfo {
  std::string name;
  std::vector<int64_t> shape;
};

/// One exchange of rows (HaloExchange) during a run.
struct ExchangeTiming {
  std::string tensor; // the step that produced the rows, or "features"
  /// "pull" (ghost rows from their owners), "push" (partial states to the
  /// targets' owners) or "to mirrors" (target rows to the parts that
  /// aggregate for them).
  std::string form = "pull";
  int64_t rowFloats = 0;
  int64_t rowsSent = 0, rowsReceived = 0;
  int64_t bytesSent = 0, bytesReceived = 0;
  double seconds = 0;
};

/// Fills the ghost rows of a vertex tensor on a graph part
/// (gnn/Partition.h, Graph::numGhosts) from the parts that own them. The
/// distributed runtime implements it over MPI. It is collective: every
/// part's run makes the same calls in the same order.
class HaloExchange {
public:
  virtual ~HaloExchange() = default;
  /// `rows` has the part's owned rows, then its ghost rows, each
  /// `rowFloats` floats; the owned rows are final, the ghost rows are
  /// overwritten. Fills the counts and time of `timing`.
  virtual llvm::Error exchange(float *rows, int64_t rowFloats,
                               ExchangeTiming &timing) = 0;

  // The push form (docs/distributed.md): a message stage aggregates on
  // each part the in-edges from the part's own vertices, for its own
  // targets and for its *mirrors* (other parts' targets those vertices
  // have edges to); the mirrors' partial states then go to the targets'
  // owners. An exchange without it keeps these defaults: every stage pulls.

  /// Ghost rows and mirror rows of all parts together: what one float per
  /// row costs in each form, the same on every part.
  virtual bool hasPushForm() const { return false; }
  virtual int64_t totalGhostRows() const { return 0; }
  virtual int64_t totalMirrorRows() const { return 0; }
  /// This part's mirrors: the rows after the owned ones in pushGraph and in
  /// a tensor's halo once exchangeToMirrors filled it.
  virtual int64_t mirrorRows() const { return 0; }
  /// Whether no part has more mirrors than ghosts, so that the input
  /// features (given with a row per ghost) have room for the mirrors' rows
  /// on every part.
  virtual bool mirrorsFitGhostRows() const { return false; }
  /// The part's in-edges whose sources it owns, as a CSR over the owned
  /// targets and then the mirrors (sources are owned local ids). Collective
  /// the first time, on every part together.
  virtual llvm::Expected<const Graph *> pushGraph();
  /// Fills the mirror rows of `rows` (after the owned ones) with the rows
  /// the targets' owners hold.
  virtual llvm::Error exchangeToMirrors(float *rows, int64_t rowFloats,
                                        ExchangeTiming &timing);
  /// Sends the mirror rows of `states` (state rows over pushGraph's rows)
  /// to the targets' owners, each of which folds them into its owned rows
  /// with `merge(owned row, received row)`, in the order of the sending
  /// parts; `merge` may run on several threads at once for different rows.
  virtual llvm::Error
  exchangePartials(float *states, int64_t rowFloats,
                   llvm::function_ref<void(float *into, const float *from)> merge,
                   ExchangeTiming &timing);
};

/// Which form a distributed run's message stages exchange in.
enum class ExchangeForm {
  Auto, // per stage, the one that moves fewer bytes
  Pull, // every stage pulls its source rows
  Push, // every stage that has a push form pushes partial states
};

/// What Model::bindWeights does with entries that are no parameter of the
/// model.
enum class UnusedWeights {
  Reject, // an UnusedWeightsError, as torch's load_state_dict(strict=True)
  Ignore, // as load_state_dict(strict=False)
};

/// bindWeights' fault when every parameter is there with its shape and the
/// only thing wrong is entries the model does not use. A tool can catch it
/// (llvm::handleErrors) to say how its user relaxes the check.
class UnusedWeightsError : public llvm::ErrorInfo<UnusedWeightsError> {
public:
  static char ID;
  UnusedWeightsError(std::string source, std::vector<std::string> names);
  /// The entries, sorted by name.
  const std::vector<std::string> &names() const { return unused; }
  /// "SOURCE: 2 weights the model does not use: 'a', 'b'" (the first few
  /// names, then a count).
  void log(llvm::raw_ostream &os) const override;
  std::error_code convertToErrorCode() const override;

private:
  std::string source;
  std::vector<std::string> unused;
};

/// The settings of one run, which Model::run's overloads fill in.
struct RunOptions {
  /// Worker threads for kernels and oneDNN; 0 means all hardware threads.
  int threads = 0;
  /// For a graph part: fetches the ghost rows a message stage gathers.
  /// Null for a whole graph (no ghosts), the single-process path.
  HaloExchange *exchange = nullptr;
  ExchangeForm exchangeForm = ExchangeForm::Auto;
  /// A progress line per step on stderr (gnn/Progress.h): step k of n,
  /// rows or edges done, rate and ETA. Off unless asked for: a library
  /// prints nothing of its own.
  bool progress = false;
  /// Memory back to the system as the run goes, for one run over a graph
  /// near the machine's memory: each result's pages are mapped when a
  /// step first writes it and dropped after its last read (so the next run
  /// maps them again), a mapped graph file's pages once read (they come
  /// back from the file), and the features' pages after the last step that
  /// reads them (MADV_PAGEOUT: contents kept, but pages of features in
  /// anonymous memory go to swap where there is swap).
  bool releaseMemory = false;
  /// Gather blocking (docs/passes.md, "Gather blocking"): a message stage
  /// whose gathered rows overflow the cache may run over blocks of
  /// sources, one after the other, each block's rows cache-resident. 0: a
  /// cost model decides per stage from the graph's source degrees and the
  /// cache (RunStats::gatherBlocks says what it chose and why); 1: never;
  /// N >= 2: N blocks for every stage that has the blocked form. Blocks
  /// change a target's summation order (in-edges from lower sources
  /// first), never the result of one block count between runs or thread
  /// counts. Whole graphs only (a part runs unblocked). Blocks hold a copy
  /// of the sources (4 bytes an edge): with releaseMemory the cost model
  /// is asked only when that copy takes at most an eighth of the memory.
  /// Counts above kMaxGatherBlocks (or the vertex count) are taken as it.
  int gatherBlocks = 0;
  /// On a graph stored reordered (Graph::originalIds), the result's rows in
  /// the user's original vertex order: what gnn::rowsToOriginalOrder does
  /// to it, but into a buffer whose pages an earlier run mapped (a fresh
  /// one's first touch costs about as much as the copy). The features stay
  /// in the graph's order. No effect on a graph in its original order or
  /// on a part.
  bool originalOrder = false;
};

/// The most gather blocks a run uses: each holds an offset per vertex.
constexpr int kMaxGatherBlocks = 4096;

/// What gather blocking chose for one message stage (RunOptions).
struct GatherBlockChoice {
  std::string stage;       // the step's label
  int blocks = 1;          // 1: unblocked
  int64_t tableBytes = 0;  // the rows the stage gathers, all sources
  int64_t budgetBytes = 0; // what a block's rows may take
  /// The model's prediction for unblocked and for the chosen count, in
  /// seconds, and the share of gathers it expects from cached rows.
  double unblockedSeconds = 0, blockedSeconds = 0;
  double hotShare = 0, blockedHotShare = 0;
  /// Of the gathers, the share from sources numbered near their target
  /// beyond what a random order gives (cached by the targets before it,
  /// as in a locality order).
  double nearShare = 0;
  std::string reason; // "forced", "cost model", "fits the budget", ...
};

/// Wall time of one schedule step.
struct StageTiming {
  std::string name; // "linear loc(...)", "kernel @forward_kernel2 loc(...)"
  double seconds = 0;
};

/// A linear step that computed only the rows some in-edge gathers: those
/// of the vertices up to the largest in-edge source.
struct LinearRows {
  std::string stage; // as StageTiming::name
  int64_t rows = 0, vertices = 0;
};

struct RunStats {
  /// Schedule steps in order, and the exchanges between them ("exchange
  /// ..."), each also in `exchanges` with its traffic.
  std::vector<StageTiming> stages;
  std::vector<ExchangeTiming> exchanges;
  /// The whole run: from the call to the returned output, the memory the
  /// run maps included, so it is what a caller waits for.
  double totalSeconds = 0;
  /// Of totalSeconds, allocating and mapping the pages of fresh result
  /// memory: the arena on the first run of a graph size, the output when
  /// no earlier output's buffer is free (the caller still holds it;
  /// docs/runtime.md, "Memory"), and with RunOptions::releaseMemory
  /// every result's pages, on every run, as its first step maps them.
  double memorySeconds = 0;
  /// Memory for step results: the arena reused across runs of one graph
  /// size, the returned output, all results together (what
  /// allocating each afresh would take) and the widest set alive at once.
  int64_t arenaBytes = 0, outputBytes = 0, bufferBytes = 0, peakLiveBytes = 0;
  /// Gather blocking's choice for each message stage with a blocked form,
  /// and, of totalSeconds, the once-per-graph work it did in this run:
  /// profiling the sources' degrees and building the blocks.
  std::vector<GatherBlockChoice> gatherBlocks;
  double gatherSetupSeconds = 0;
  /// Linear steps whose result only in-edges gather, with the rows they
  /// computed (docs/runtime.md, "Rows nothing gathers").
  std::vector<LinearRows> linearRows;
  /// Of totalSeconds, putting the output's rows back into the original
  /// vertex order (RunOptions::originalOrder); 0 when not asked or the
  /// graph is in its original order.
  double originalOrderSeconds = 0;
  /// Steps that depend on the graph alone (GCN's degrees and their inverse
  /// square roots) taken from an earlier run on the same Graph instead of
  /// computed again: their results copied into place, or nothing at all
  /// where only such steps read them (docs/runtime.md, "Memory").
  std::vector<std::string> keptSteps;
};

/// Where the time to make a Model went (Model::compileStats).
struct CompileStats {
  double frontendSeconds = 0; // parse, run constructors, trace to gnn IR
  double pipelineSeconds = 0; // CompileOptions::passPipeline (every compile)
  double lowerSeconds = 0;    // the pass pipeline down to the LLVM dialect
  double codegenSeconds = 0;  // LLVM optimisation and machine code
  double loadSeconds = 0;     // cache read/write, linking into memory
  double totalSeconds = 0;
  /// The kernels came from the disk cache: lowering and codegen skipped.
  bool cacheHit = false;
  /// The cache entry read or written; empty when the cache was not used.
  std::string cacheFile;
  /// Why the cache was not used or not written to, if it was not
  /// ("disabled by GNNC_CACHE=0", "cannot write ...: Permission denied"),
  /// or where a loaded object came from ("loaded from NAME").
  /// Cache trouble never fails a compilation.
  std::string cacheMessage;
};

/// A compiled model: native kernels for the host CPU, a schedule of
/// stages, and (after bindWeights) its weights. Independent of the Engine
/// that made it, if any, which may be destroyed first.
///
/// run() may be called from any thread; calls on one Model take turns
/// (they share an arena and oneDNN primitives), different Models run
/// concurrently.
class Model {
public:
  /// A model from an object file held in memory, as `gnnc --emit=obj`
  /// writes it: kernels and the plain-data schedule `gnn_schedule`.
  /// `name` is what error messages call it. Fails, naming it, on an
  /// object of another format version, one whose schedule does not check
  /// out, or one compiled for instructions this host lacks.
  static llvm::Expected<std::unique_ptr<Model>>
  loadObject(llvm::StringRef object, const std::string &name);
  /// A model from a compiled model file, `gnnc --emit=artifact`'s
  /// MODEL.gnnc (or an object file of `gnnc --emit=obj`): loadObject of
  /// its bytes, errors naming `path`. Code for CPU features this host
  /// lacks, or a schedule of another format version, is refused with one
  /// line naming both sides, and never run.
  static llvm::Expected<std::unique_ptr<Model>>
  loadArtifact(const std::string &path);

  ~Model();
  Model(const Model &) = delete;
  Model &operator=(const Model &) = delete;

  /// The weights the model needs, with PyTorch shapes, in state_dict order.
  const std::vector<ParamInfo> &parameters() const;
  /// The feature shape of one input row ({F}) and of one output row ({C}).
  const std::vector<int64_t> &inputShape() const;
  const std::vector<int64_t> &outputShape() const;
  /// Whether forward() takes (self, x, edge_index, edge_attr), and the
  /// feature shape of one edge row ({D}; empty when it takes none).
  bool takesEdgeFeatures() const;
  const std::vector<int64_t> &edgeInputShape() const;
  const CompileStats &compileStats() const;
  /// The object file the model runs (`gnnc --emit=obj`'s format: kernels
  /// for this host's CPU and the schedule). Another process on a host of
  /// the same CPU loads it with loadObject instead of compiling: how the
  /// ranks of a distributed run share one compilation.
  const std::string &objectCode() const;
  /// The gnnc that compiled the model (gnn::version() of that compiler,
  /// gnn/Version.h), as its schedule records it; empty if not recorded.
  const std::string &compilerVersion() const;

  /// Takes the weights by state_dict name. Fails, naming `source`, on a
  /// missing or misshapen weight, and by default (torch's strict=True) with
  /// an UnusedWeightsError on entries the model does not use; the previous
  /// weights then stay bound. `unused` = Ignore drops such entries.
  llvm::Error bindWeights(WeightMap weights,
                          const std::string &source = "weights",
                          UnusedWeights unused = UnusedWeights::Reject);
  /// The entries of `weights` that are no parameter of the model, sorted.
  std::vector<std::string> unusedWeights(const WeightMap &weights) const;
  /// bindWeights with the tensors of a .safetensors file (PyG names; F16,
  /// BF16 and F64 tensors become F32, integer buffers are skipped:
  /// gnn/Safetensors.h).
  llvm::Error loadWeights(const std::string &safetensorsPath,
                          UnusedWeights unused = UnusedWeights::Reject);

  /// Threads for run(); 0 means all hardware threads. Takes effect with
  /// the next run().
  void setThreads(int threads);
  int getThreads() const;
  /// RunOptions::progress and RunOptions::releaseMemory for run(); both
  /// off by default. Take effect with the next run().
  void setProgress(bool progress);
  void setReleaseMemory(bool release);
  /// RunOptions::gatherBlocks for run(): 0 (the cost model) by default.
  void setGatherBlocks(int blocks);
  int getGatherBlocks() const;
  /// RunOptions::originalOrder for run(): off by default (the result in
  /// the graph's vertex order).
  void setOriginalOrderOutput(bool original);
  bool getOriginalOrderOutput() const;

  /// Full-graph inference: features are [N, F] for the graph's N vertices;
  /// the result is [N, C...], one row per vertex, in memory the caller
  /// owns. `graph` and `features` are only read, and not kept. Fails if
  /// weights are unbound or the features have the wrong shape. Rows are in
  /// the graph's vertex order, features and result alike: for a graph
  /// stored reordered (Graph::originalIds()), put rows given in the user's
  /// order into it with gnn::rowsToGraphOrder and the result back with
  /// gnn::rowsToOriginalOrder (gnn/Graph.h), or have run() return it so
  /// (setOriginalOrderOutput), which reuses mapped memory run after run.
  llvm::Expected<Tensor> run(const Graph &graph, const Tensor &features,
                             RunStats *stats = nullptr);
  /// The same for a model that takes edge features: `edgeFeaturesCsr` is
  /// [E, D] with rows in the graph's CSR order; edgeFeaturesToCsr
  /// (gnn/Graph.h) reorders rows given in the graph file's edge order,
  /// once, so that many runs can share the result.
  llvm::Expected<Tensor> run(const Graph &graph, const Tensor &features,
                             const Tensor &edgeFeaturesCsr,
                             RunStats *stats = nullptr);
  /// The same on one part of a partitioned graph (gnn/Partition.h), as a
  /// rank of a distributed run: `features` holds the owned rows then one
  /// per ghost, which the run overwrites with the owners' rows through
  /// `exchange` (collective: every part runs together). `edgeFeaturesCsr`
  /// is null for a model without edge features. The result has the owned
  /// rows only. `form` chooses how message stages exchange (ExchangeForm);
  /// every part must pass the same.
  llvm::Expected<Tensor> run(const Graph &graph, Tensor &features,
                             const Tensor *edgeFeaturesCsr,
                             HaloExchange &exchange, RunStats *stats = nullptr,
                             ExchangeForm form = ExchangeForm::Auto);

  struct Impl;

private:
  friend class Engine; // records how it compiled the model
  explicit Model(std::unique_ptr<Impl> impl);
  void setCompileStats(CompileStats stats);
  /// What the run() overloads do (Executor.cpp runs the schedule).
  llvm::Expected<Tensor> execute(const Graph &graph, const Tensor &features,
                                 const Tensor *edgeFeatures,
                                 const RunOptions &options, RunStats *stats);

  std::unique_ptr<Impl> impl;
};

} // namespace gnn

#endif // GNN_MODEL_H
