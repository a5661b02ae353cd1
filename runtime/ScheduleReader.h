//===- ScheduleReader.h - The schedule read off a lowered model function ===//
//
// Used by ObjectLoader.cpp on the schedule embedded in a kernel object.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_RUNTIME_SCHEDULEREADER_H
#define GNN_RUNTIME_SCHEDULEREADER_H

#include "Schedule.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/Error.h"

namespace gnn::detail {

/// Reads the schedule off the model function after gnn-to-kernels (its
/// body holds only gnn.linear, gnn.launch and gnn.reshape). Kernel
/// pointers are left null for the caller to fill.
llvm::Expected<Schedule> readSchedule(mlir::func::FuncOp func);

} // namespace gnn::detail

#endif // GNN_RUNTIME_SCHEDULEREADER_H
