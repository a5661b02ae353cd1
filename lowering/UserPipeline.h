//===- UserPipeline.h - Pass plugins and a textual pipeline in a compile -*- C++ -*-===//
//
// gnnc's and gnn-run's --load-pass-plugin and --pass-pipeline (and
// gnn::CompileOptions' passPlugins and passPipeline): plugins are loaded
// once per process (mlir::PassPlugin::load, as gnn-opt does), and the
// pipeline, in gnn-opt's textual form (`builtin.module(...)`), runs on the
// graph-level module right after the frontend, before the standard
// pipelines. See docs/passes.md, "Pass plugins".
//
//===----------------------------------------------------------------------===//
#ifndef GNN_LOWERING_USERPIPELINE_H
#define GNN_LOWERING_USERPIPELINE_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace gnn {

/// Registers the passes and pipelines a textual pipeline may name: gnn's
/// (registerGNNPipelines) and the upstream ones gnn-opt registers
/// (canonicalize, cse, symbol-dce and the conversions to LLVM). Once per
/// process; runUserPipeline calls it.
void registerPipelinePasses();

/// Loads each plugin and registers its passes; a path loaded before is
/// not loaded again. The error is one line naming the path and the
/// loader's reason (dlerror's text).
llvm::Error loadPassPlugins(llvm::ArrayRef<std::string> paths);

/// Parses `pipeline` (anchored on builtin.module, as gnn-opt's
/// --pass-pipeline) and runs it on `module`. Errors are one line: a bad
/// pipeline names the text and the parser's reason; a failing pass gives
/// its diagnostics.
llvm::Error runUserPipeline(mlir::ModuleOp module, llvm::StringRef pipeline);

/// What identifies the plugins for the kernel cache: each path with its
/// size and modification time (a rebuilt plugin changes the key).
std::string passPluginIdentity(llvm::ArrayRef<std::string> paths);

} // namespace gnn

#endif // GNN_LOWERING_USERPIPELINE_H
