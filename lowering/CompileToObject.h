//===- CompileToObject.h - A graph-level model to an object file -*- C++ -*-===//
//
// The one way a model becomes machine code, shared by gnnc --emit=obj and
// gnn::Engine (whose kernel cache stores the result): the pass pipeline,
// the schedule read off its result (ScheduleFromIR.h) as versioned plain
// text (runtime/ScheduleFormat.h), and code generation (Codegen.h) with
// that text embedded as `gnn_schedule`. gnn::Model::loadObject runs the
// object with no compiler in the process.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_LOWERING_COMPILETOOBJECT_H
#define GNN_LOWERING_COMPILETOOBJECT_H

#include "lowering/Codegen.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <string>

namespace gnn {

struct ObjectOptions {
  TargetOptions target;
  /// Prefixes every symbol of the object, kernels and schedule alike
  /// (gnnc --symbol-prefix), so that several models link into one
  /// program. A C identifier, or empty.
  std::string symbolPrefix;
  /// Recorded in the schedule: gnnc names the model file, the kernel
  /// cache writes its key (and checks it on a hit).
  std::string comment;
};

struct CompiledObject {
  std::string object;   // a relocatable object file
  std::string schedule; // the schedule text embedded in it
  double lowerSeconds = 0, codegenSeconds = 0;
};

/// Compiles the graph-level function `forward` of `graphLevel` (which is
/// not modified) to an object file. `run` runs each pipeline and reports
/// its failures.
llvm::Expected<CompiledObject> compileToObject(mlir::ModuleOp graphLevel,
                                               const ObjectOptions &options,
                                               PipelineRunner run);

/// The same, with MLIR's diagnostics collected into the error's text.
llvm::Expected<CompiledObject>
compileToObject(mlir::ModuleOp graphLevel, const ObjectOptions &options = {});

} // namespace gnn

#endif // GNN_LOWERING_COMPILETOOBJECT_H
