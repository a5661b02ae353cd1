//===- Passes.h - The gnn compiler's passes and pipelines -------*- C++ -*-===//
#ifndef GNN_LOWERING_PASSES_H
#define GNN_LOWERING_PASSES_H

#include "dialect/GNNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace gnn {

#define GEN_PASS_DECL
#include "lowering/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "lowering/Passes.h.inc"

/// Graph level → stages (`gnnc --emit=stages`).
void buildStagePipeline(mlir::OpPassManager &pm);
/// Stages → kernels and a schedule of gnn.launch / gnn.linear.
void buildKernelPipeline(mlir::OpPassManager &pm);
/// Kernels → the LLVM dialect. Run on a module holding only kernels (see
/// extractKernels).
void buildKernelsToLLVMPipeline(mlir::OpPassManager &pm);

/// Registers the passes above and the pipelines "gnn-to-stages",
/// "gnn-to-kernels" and "gnn-kernels-to-llvm" for textual pipelines.
void registerGNNPipelines();

/// Moves the kernels of `module` into a new module (the schedule stays).
mlir::OwningOpRef<mlir::ModuleOp> extractKernels(mlir::ModuleOp module);

} // namespace gnn

#endif // GNN_LOWERING_PASSES_H
