//===- Engine.h - The C++ API for host programs: compile a model, run it --===//
//
// A host program that embeds gnnc needs two objects:
//
//   gnn::Engine engine;                              // once per process
//   gnn::CompileOptions options;
//   options.inputFeatures = features.shape[1];
//   auto model = engine.compileFile("gcn.gnn", options);
//   if (!model) ...                                  // model.takeError()
//   llvm::Error e = (*model)->loadWeights("gcn.safetensors"); // PyG names
//   auto y = (*model)->run(graph, features);         // Expected<Tensor>
//
// `Engine` owns the compiler (an MLIR context) and the disk cache of
// compiled kernels; `Model` owns native code, a schedule of stages and the
// bound weights, and runs full-graph inference on a `gnn::Graph` (Graph.h)
// with float32 features (Tensor.h, Npy.h). Every fault is an llvm::Error
// whose text says what is wrong; nothing is printed.
//
// This header is the API for host programs. gnn/CompiledModel.h is the
// layer under it, for in-tree code that already holds an MLIR module (the
// executor's unit tests); a host program never needs it, only the structs
// it declares (ParamInfo, RunStats).
//
// Link the CMake target GNNEngine. See docs/embedding.md.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_ENGINE_H
#define GNN_ENGINE_H

#include "gnn/CompiledModel.h"
#include "gnn/Graph.h"
#include "gnn/Safetensors.h"
#include "gnn/Tensor.h"
#include "llvm/Support/Error.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gnn {

/// How an Engine compiles and where it caches. Fixed for the Engine's life.
struct EngineOptions {
  /// Worker threads a Model uses to run (kernels and oneDNN) unless
  /// Model::setThreads says otherwise; 0 means all hardware threads.
  int threads = 0;
  /// Keep compiled kernels on disk and reuse them (see docs/embedding.md).
  /// The environment can only turn this off: GNNC_CACHE=0 disables the
  /// cache of every program.
  bool cache = true;
  /// The cache directory; empty means $GNNC_CACHE_DIR, else
  /// $XDG_CACHE_HOME/gnnc, else ~/.cache/gnnc. Created on first store.
  std::string cacheDir;
};

/// What to compile from a model file: the settings of `gnnc`'s --set,
/// --model and --input-features. Per model, since one Engine compiles many.
struct CompileOptions {
  /// Constructor arguments of the model class, as `--set NAME=VALUE`
  /// ("hidden", "32"); values are written in the model language. A later
  /// entry of the same name wins.
  std::vector<std::pair<std::string, std::string>> overrides;
  /// The width F of the input feature rows. The kernels are specialised to
  /// it, so it is fixed at compile time: pass features.shape[1] here.
  /// Defaults to the model's `in_channels` constructor argument; when
  /// given, it is also the value of `in_channels` unless `overrides` sets
  /// that.
  std::optional<int64_t> inputFeatures;
  /// The width D of the edge features, for a model whose forward() takes
  /// (self, x, edge_index, edge_attr): pass edgeFeatures.shape[1]. Defaults
  /// to the model's `edge_dim` constructor argument.
  std::optional<int64_t> edgeFeatures;
  /// The class to compile; empty means the one class deriving Model.
  std::string modelName;
  /// The shapes of the weights the model will get, by state_dict name
  /// (gnn::weightShapes(weights), Safetensors.h). The integer constructor
  /// arguments that `overrides` leaves open are inferred from them: a GCN
  /// compiled with the shapes of a state_dict trained for hidden=16 gets
  /// hidden=16. A shape that contradicts an argument already known fails
  /// the compilation, naming `weightsName`, the weight and both shapes.
  std::map<std::string, std::vector<int64_t>> weightShapes;
  std::string weightsName = "weights";
};


/// Where compile time went (Model::compileStats).
struct CompileStats {
  double frontendSeconds = 0; // parse, run constructors, trace to gnn IR
  double lowerSeconds = 0;    // the pass pipeline down to the LLVM dialect
  double codegenSeconds = 0;  // LLVM optimisation and machine code
  double loadSeconds = 0;     // cache read/write, linking into memory
  double totalSeconds = 0;
  /// The kernels came from the disk cache: lowering and codegen skipped.
  bool cacheHit = false;
  /// The cache entry read or written; empty when the cache was not used.
  std::string cacheFile;
  /// Why the cache was not used or not written to, if it was not
  /// ("disabled by GNNC_CACHE=0", "cannot write ...: Permission denied").
  /// Cache trouble never fails a compilation.
  std::string cacheMessage;
};

/// A compiled model: native kernels for the host CPU, a schedule of
/// stages, and (after bindWeights) its weights. Independent of the Engine
/// that made it, which may be destroyed first.
///
/// run() may be called from any thread; calls on one Model take turns
/// (they share oneDNN primitives), different Models run concurrently.
class Model {
public:
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
  const CompileStats &compileStats() const { return stats; }
  /// The object file the model runs (`gnnc --emit=obj`'s format: kernels
  /// for this host's CPU and the schedule). Another process on a host of
  /// the same CPU loads it with Engine::loadObject instead of compiling:
  /// how the ranks of a distributed run share one compilation.
  const std::string &objectCode() const { return object; }

  /// Takes the weights by state_dict name; entries the model does not use
  /// are ignored (torch's strict=False). Fails, naming `source`, on a
  /// missing or misshapen weight; the previous weights then stay bound.
  llvm::Error bindWeights(WeightMap weights,
                          const std::string &source = "weights");
  /// bindWeights with the tensors of a .safetensors file (F32, PyG names).
  llvm::Error loadWeights(const std::string &safetensorsPath);

  /// Threads for run(); 0 means all hardware threads. Takes effect with
  /// the next run().
  void setThreads(int threads) { this->threads = threads; }
  int getThreads() const { return threads; }

  /// Full-graph inference: features are [N, F] for the graph's N vertices;
  /// the result is [N, C...], one row per vertex. `graph` and `features`
  /// are only read, and not kept. Fails if weights are unbound or the
  /// features have the wrong shape.
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
  /// rows only.
  llvm::Expected<Tensor> run(const Graph &graph, Tensor &features,
                             const Tensor *edgeFeaturesCsr,
                             HaloExchange &exchange, RunStats *stats = nullptr);

private:
  friend class Engine;
  Model(std::unique_ptr<CompiledModel> compiled, int threads,
        CompileStats stats, std::string object);

  std::unique_ptr<CompiledModel> compiled;
  std::string object;
  std::atomic<int> threads;
  CompileStats stats;
  std::mutex runMutex;
};

/// Compiles model files into Models. Holds the compiler's state (an MLIR
/// context, which grows a little with every model compiled), so a program
/// makes one and keeps it. Its methods may be called from several threads;
/// compilations take turns.
class Engine {
public:
  explicit Engine(EngineOptions options = {});
  ~Engine();
  Engine(const Engine &) = delete;
  Engine &operator=(const Engine &) = delete;

  /// Compiles a model file (the model language, docs/language.md). A file
  /// ending in `.mlir` is read as graph-level gnn IR instead (`options`
  /// are then unused). Compiler errors come back as the error's text, as
  /// gnnc prints them: `FILE:LINE:COL: error: MESSAGE`, the source line
  /// and a caret under the column.
  llvm::Expected<std::unique_ptr<Model>>
  compileFile(const std::string &path, const CompileOptions &options = {});

  /// Like compileFile for a model held in memory; `fileName` is what
  /// error messages call it.
  llvm::Expected<std::unique_ptr<Model>>
  compileSource(const std::string &source, const std::string &fileName,
                const CompileOptions &options = {});

  /// A model from an object file held in memory (Model::objectCode of a
  /// model compiled elsewhere, or `gnnc --emit=obj`'s output); `name`
  /// is what error messages call it. Nothing is compiled or cached.
  llvm::Expected<std::unique_ptr<Model>> loadObject(llvm::StringRef object,
                                                    const std::string &name);

  /// The cache directory in use, or empty when caching is off.
  const std::string &cacheDirectory() const;

  struct Impl;

private:
  std::unique_ptr<Impl> impl;
};

} // namespace gnn

#endif // GNN_ENGINE_H
