//===- Frontend.h - Model file to graph-level gnn IR ------------*- C++ -*-===//
//
// The frontend's entry points, shared by gnnc and gnn-run: parse a model
// file, run its constructors at compile time, trace its forward pass, and
// return the graph-level module
//
//   func.func @forward(%graph: !gnn.graph<as_given>, %x: !gnn.vertex<Fxf32>,
//                      %p0: tensor<...xf32> {gnn.param = "conv1.bias"}, ...)
//       -> !gnn.vertex<Cxf32>
//
// with one argument per parameter, in PyTorch state_dict order.
//
//===----------------------------------------------------------------------===//

#ifndef GNN_FRONTEND_FRONTEND_H
#define GNN_FRONTEND_FRONTEND_H

#include "frontend/Diagnostics.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gnn {
namespace frontend {

struct ModelOptions {
  /// `--set NAME=VALUE` overrides of the model's constructor arguments, in
  /// command-line order (a later one of the same name wins).
  std::vector<std::pair<std::string, std::string>> overrides;
  /// The width F of the input features; defaults to the model's
  /// `in_channels` constructor argument.
  std::optional<int64_t> inputFeatures;
  /// The width D of the edge features, for a model whose forward() takes
  /// (self, x, edge_index, edge_attr); defaults to the model's `edge_dim`
  /// constructor argument.
  std::optional<int64_t> edgeFeatures;
  /// The class to compile; defaults to the unique class deriving Model.
  std::optional<std::string> modelName;
  /// Reads the layer library from this file instead of the embedded copy
  /// (for working on the library without rebuilding).
  std::string libraryPath;
  /// The shapes of the tensors of a weights file, by state_dict name. The
  /// model's integer constructor arguments that --set does not give are
  /// inferred from them (and `in_channels` from inputFeatures, `edge_dim`
  /// from edgeFeatures); see docs/language.md.
  std::map<std::string, std::vector<int64_t>> weightShapes;
  /// What messages about the weights call them (the file's path).
  std::string weightsName = "weights";
};

/// Compiles the model file at `path` ("-" for stdin) into graph-level IR.
/// Errors are reported through `diag` (file:line:col, source line, caret);
/// returns null after the first one. Loads the dialects it needs into `ctx`.
mlir::OwningOpRef<mlir::ModuleOp> compileModelFile(llvm::StringRef path,
                                                   const ModelOptions &options,
                                                   mlir::MLIRContext &context,
                                                   DiagnosticEngine &diag);

/// Like compileModelFile, for a model held in memory.
mlir::OwningOpRef<mlir::ModuleOp>
compileModelSource(llvm::StringRef source, llvm::StringRef fileName,
                   const ModelOptions &options, mlir::MLIRContext &context,
                   DiagnosticEngine &diag);

/// One parameter of a compiled model.
struct ModelParameter {
  std::string name;           // state_dict name, e.g. "conv1.lin.weight"
  std::vector<int64_t> shape; // PyTorch layout, e.g. {64, 128}
  unsigned argument;          // its argument number in @forward
};

/// The parameters of the model function @forward of `module`, in argument
/// (state_dict) order; empty if there is no such function.
std::vector<ModelParameter> getModelParameters(mlir::ModuleOp module);

} // namespace frontend
} // namespace gnn

#endif // GNN_FRONTEND_FRONTEND_H
