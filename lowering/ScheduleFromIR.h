//===- ScheduleFromIR.h - The schedule read off a lowered model -*- C++ -*-===//
//
// The compiler's side of the plain-data schedule: compileToObject
// (CompileToObject.cpp) reads it off the model function and embeds it in
// the object file as text (runtime/ScheduleFormat.h).
//
//===----------------------------------------------------------------------===//
#ifndef GNN_LOWERING_SCHEDULEFROMIR_H
#define GNN_LOWERING_SCHEDULEFROMIR_H

#include "runtime/Schedule.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/Error.h"

namespace gnn {

/// Reads the schedule off the model function after gnn-to-kernels (its
/// body holds only gnn.linear, gnn.launch and gnn.reshape). Kernel
/// pointers are left null and the target empty, for the caller to fill.
llvm::Expected<detail::Schedule> scheduleFromIR(mlir::func::FuncOp func);

} // namespace gnn

#endif // GNN_LOWERING_SCHEDULEFROMIR_H
