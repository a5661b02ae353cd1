//===- CompiledModel.h - A model compiled to native kernels, ready to run ===//
//
// The runtime half of gnnc: takes the graph-level gnn module the frontend
// produced, compiles it through the one pipeline (lowering/Pipeline.cpp)
// into JIT kernels plus a schedule, binds weights and runs full-graph
// inference, every vertex once per stage.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_COMPILEDMODEL_H
#define GNN_COMPILEDMODEL_H

#include "gnn/Graph.h"
#include "gnn/Safetensors.h"
#include "gnn/Tensor.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace llvm {
class MemoryBuffer;
} // namespace llvm

namespace mlir {
class MLIRContext;
class ModuleOp;
} // namespace mlir

namespace gnn {

/// A weight the model needs: its state_dict name and PyTorch shape.
struct ParamInfo {
  std::string name;
  std::vector<int64_t> shape;
};

/// One exchange of ghost rows (HaloExchange) during a run.
struct ExchangeTiming {
  std::string tensor; // the step that produced the rows, or "features"
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
};

struct RunOptions {
  /// Worker threads for kernels and oneDNN; 0 means all hardware threads.
  int threads = 0;
  /// For a graph part: fetches the ghost rows a message stage gathers.
  /// Null for a whole graph (no ghosts), the single-process path.
  HaloExchange *exchange = nullptr;
};

/// Wall time of one schedule step.
struct StageTiming {
  std::string name; // "linear", "message_passing @forward_kernel2", ...
  double seconds = 0;
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
  /// memory: the arena on the first run of a graph size, the output on
  /// every run.
  double memorySeconds = 0;
  /// Memory for step results: the arena reused across runs of one graph
  /// size, the returned output (fresh per run), all results together (what
  /// allocating each afresh would take) and the widest set alive at once.
  int64_t arenaBytes = 0, outputBytes = 0, bufferBytes = 0, peakLiveBytes = 0;
};

class CompiledModel {
public:
  /// Compiles the graph-level function `forward` of `module` (the module is
  /// not modified). Fails with a message on IR the pipeline cannot lower.
  static llvm::Expected<std::unique_ptr<CompiledModel>>
  compile(mlir::ModuleOp module);
  /// Loads a model compiled ahead of time: an object file as
  /// `gnnc --emit=obj` writes it (for the host CPU), holding the kernels
  /// and the schedule as the string `gnn_schedule`, which is parsed in
  /// `context`. The kernel cache of gnn::Engine stores these files.
  static llvm::Expected<std::unique_ptr<CompiledModel>>
  loadObject(std::unique_ptr<llvm::MemoryBuffer> object,
             mlir::MLIRContext &context);
  ~CompiledModel();

  /// The weights `bindWeights` expects, in state_dict order.
  const std::vector<ParamInfo> &parameters() const;
  /// The feature shapes of the input and output rows.
  const std::vector<int64_t> &inputShape() const;
  const std::vector<int64_t> &outputShape() const;
  /// Whether forward() takes edge features (edge_attr), and the feature
  /// shape of one edge row ({D}; empty when it takes none).
  bool takesEdgeFeatures() const;
  const std::vector<int64_t> &edgeInputShape() const;
  /// Seconds spent in the pass pipeline and in LLVM code generation.
  double compileSeconds() const;

  /// Takes the model's weights from `weights`; `source` names the file for
  /// messages ("W.safetensors: missing weight 'conv2.bias' (shape [16])").
  /// Entries the model does not use are ignored, as torch's strict=False.
  llvm::Error bindWeights(WeightMap weights, const std::string &source);

  /// Full-graph inference: one output row per vertex, in memory the
  /// caller owns. On a graph part (graph.numGhosts() > 0) `features` has
  /// the owned rows then one row per ghost, which the run overwrites with
  /// the owners' rows through options.exchange; the output has the owned
  /// rows only. Step results live in an arena the model keeps for the
  /// next run on a graph of the same size, so calls on one model take turns
  /// (a mutex); different models run concurrently.
  llvm::Expected<Tensor> run(const Graph &graph, const Tensor &features,
                             const RunOptions &options,
                             RunStats *stats = nullptr);
  /// The same for a model that takes edge features: `edgeFeatures` is
  /// [E, D] with its rows in the graph's CSR order (edgeFeaturesToCsr in
  /// gnn/Graph.h); null for a model that takes none.
  llvm::Expected<Tensor> run(const Graph &graph, const Tensor &features,
                             const Tensor *edgeFeatures,
                             const RunOptions &options,
                             RunStats *stats = nullptr);

  struct Impl;

private:
  explicit CompiledModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl;
};

} // namespace gnn

#endif // GNN_COMPILEDMODEL_H
