//===- GnnRun.h - What gnn-run's single-process and MPI paths share -------===//
#ifndef GNN_TOOLS_GNNRUN_H
#define GNN_TOOLS_GNNRUN_H

#include "gnn/Engine.h"

#include <optional>
#include <string>
#include <vector>

namespace gnnrun {

/// gnn-run's flags. They are parsed by hand rather than with llvm::cl,
/// because libLLVM already registers a global `-threads` option.
struct Flags {
  std::string modelPath, graphPath, featuresPath, weightsPath, outputPath;
  std::string outputDir; // distributed: one shard per rank
  std::string edgeAttrPath;
  std::string modelName;
  int64_t numNodes = -1;
  int threads = 0;
  /// --gather-blocks: 0 for auto (the cost model), else the block count
  /// (RunOptions::gatherBlocks).
  int gatherBlocks = 0;
  /// Distributed: inference runs timed (the first faults in fresh memory;
  /// --stats reports it and the median of the others).
  int runs = 1;
  /// Distributed: how message stages exchange (--exchange).
  gnn::ExchangeForm exchangeForm = gnn::ExchangeForm::Auto;
  bool exchangeFormGiven = false;
  bool stats = false;
  bool cache = true;
  /// Weights the model does not use are ignored instead of refused.
  bool allowUnusedWeights = false;
  bool distributed = false;
  /// modelPath is a compiled model (gnnc --emit=artifact), not a source.
  bool compiled = false;
  std::vector<std::string> sets;
  /// --load-pass-plugin (any number) and --pass-pipeline.
  std::vector<std::string> passPlugins;
  std::string passPipeline;
};

/// Compiles the model for input rows of `inputFeatures` floats. The edge
/// feature width is the model's edge_dim where it has one, else
/// `edgeFeatures` (the width of the edge features given, if any).
llvm::Expected<std::unique_ptr<gnn::Model>>
compileModel(gnn::Engine &engine, const Flags &flags, int64_t inputFeatures,
             std::optional<int64_t> edgeFeatures, const gnn::WeightMap *weights);

/// Binds the weights read from --weights (none when the flag was not
/// given): every parameter of the model and, unless --allow-unused-weights,
/// nothing else, as torch's load_state_dict(strict=True).
llvm::Error bindWeights(gnn::Model &model,
                        std::optional<gnn::WeightMap> weights,
                        const Flags &flags);

/// A compile error as gnn-run prints it: compiler diagnostics (file:line:
/// col: error: ..., the line and a caret) as they are, anything else after
/// "gnn-run: error: " and `prefix`.
std::string formatCompileError(const std::string &message,
                               const std::string &prefix = "");

/// Checks the compiled model against the inputs it will get: the feature
/// width from `featuresName`, whether edge features are given (their width
/// `edgeWidth`, from `edgeName`) and the edge count for messages. Returns
/// the error, or empty.
std::string checkInputs(const gnn::Model &model, const Flags &flags,
                        const std::string &featuresName, int64_t featureWidth,
                        const std::string &edgeName,
                        std::optional<int64_t> edgeWidth, int64_t numEdges);

/// The distributed run (DistributedRun.cpp); returns the exit code.
int runDistributed(const Flags &flags);

} // namespace gnnrun

#endif // GNN_TOOLS_GNNRUN_H
