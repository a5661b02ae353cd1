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
// compiled kernels; the `Model` it returns (gnn/Model.h) owns native code,
// a schedule of stages and the bound weights, and runs full-graph
// inference on a `gnn::Graph` (Graph.h) with float32 features (Tensor.h,
// Npy.h). Every fault is an llvm::Error whose text says what is wrong;
// nothing is printed. A program that only runs models compiled elsewhere
// needs gnn/Model.h alone, and no compiler.
//
// Link the CMake target GNNEngine. See docs/embedding.md.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_ENGINE_H
#define GNN_ENGINE_H

#include "gnn/Model.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <memory>
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
  /// Pass plugins to load before compiling (gnn-opt's, gnnc's and
  /// gnn-run's --load-pass-plugin); each is loaded once per process. A
  /// plugin that cannot be loaded fails the compilation, naming the path
  /// and the loader's reason.
  std::vector<std::string> passPlugins;
  /// A textual pass pipeline anchored on builtin.module, as gnn-opt's
  /// --pass-pipeline ("builtin.module(func.func(gnn-fold-unit-mul))"). It
  /// runs on the graph-level module after the frontend and before the
  /// standard pipeline (docs/passes.md, "Pass plugins"); empty: none. The
  /// plugins' files (path, size, time) and this text are part of the
  /// kernel cache's key.
  std::string passPipeline;
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
  /// ending in `.mlir` is read as graph-level gnn IR instead (of `options`,
  /// only passPlugins and passPipeline are then used). Compiler errors come back as the error's text, as
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
  /// is what error messages call it. Nothing is compiled or cached: this
  /// is Model::loadObject with the Engine's thread count.
  llvm::Expected<std::unique_ptr<Model>> loadObject(llvm::StringRef object,
                                                    const std::string &name);
  /// A compiled model file (`gnnc --emit=artifact`): Model::loadArtifact
  /// with the Engine's thread count. Nothing is compiled or cached.
  llvm::Expected<std::unique_ptr<Model>>
  loadArtifact(const std::string &path);

  /// The cache directory in use, or empty when caching is off.
  const std::string &cacheDirectory() const;

  struct Impl;

private:
  std::unique_ptr<Impl> impl;
};

} // namespace gnn

#endif // GNN_ENGINE_H
