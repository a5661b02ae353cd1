//===- Pipeline.cpp - The compiler's pass pipelines, in one place ---------===//
//
// gnnc, gnn-opt and the runtime's JIT all build their pass managers here,
// so there is one definition of what "compile a model" means.
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"

#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void gnn::buildStagePipeline(OpPassManager &pm) {
  // Layers each add self loops and compute degrees; merge the copies
  // before they become stages of their own.
  pm.addPass(createCSEPass());
  pm.addNestedPass<func::FuncOp>(createGNNDecompose());
  // Message MLPs' first layers become matmuls over vertices, not edges.
  pm.addNestedPass<func::FuncOp>(createGNNHoistMessageLinears());
  pm.addNestedPass<func::FuncOp>(createGNNFuseTransforms());
  pm.addNestedPass<func::FuncOp>(createGNNFuseUpdate());
  // Per-vertex factors of messages leave the edge loop.
  pm.addNestedPass<func::FuncOp>(createGNNFactorMessages());
  // Narrowing linears move before the stages they follow; the transforms
  // after those stages then join their updates.
  pm.addNestedPass<func::FuncOp>(createGNNLinearBeforeAggregation());
  pm.addNestedPass<func::FuncOp>(createGNNFuseUpdate());
  // What is left after a linear becomes its oneDNN post-ops.
  pm.addNestedPass<func::FuncOp>(createGNNFuseDenseEpilogue());
  // A linear after a message stage multiplies its rows in its kernel.
  pm.addNestedPass<func::FuncOp>(createGNNFuseLinearIntoUpdate());
  // Attention logits over the same rows: one pass over them, one row per
  // message.
  pm.addNestedPass<func::FuncOp>(createGNNFuseSiblingTransforms());
  pm.addPass(createCanonicalizerPass());
}

void gnn::buildKernelPipeline(OpPassManager &pm) {
  buildStagePipeline(pm);
  // Every model gets the push form's kernels of its message stages, so
  // that one object serves one process and any number of MPI ranks.
  GNNOutlineKernelsOptions outline;
  outline.pushKernels = true;
  pm.addPass(createGNNOutlineKernels(outline));
  pm.addPass(createGNNLowerElementwise());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void gnn::buildKernelsToLLVMPipeline(OpPassManager &pm) {
  pm.addPass(createGNNExpandMath());
  pm.addPass(createConvertSCFToCFPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void gnn::registerGNNPipelines() {
  registerGNNPasses();
  PassPipelineRegistration<>("gnn-to-stages",
                             "Decompose a graph-level model into stages",
                             buildStagePipeline);
  PassPipelineRegistration<>("gnn-to-kernels",
                             "Compile a model into kernels and a schedule",
                             buildKernelPipeline);
  PassPipelineRegistration<>("gnn-kernels-to-llvm",
                             "Lower outlined kernels to the LLVM dialect",
                             buildKernelsToLLVMPipeline);
}

OwningOpRef<ModuleOp> gnn::extractKernels(ModuleOp module) {
  OpBuilder b(module.getContext());
  OwningOpRef<ModuleOp> kernels = b.create<ModuleOp>(module.getLoc());
  for (auto func : llvm::make_early_inc_range(module.getOps<func::FuncOp>()))
    if (func->hasAttr(kKernelAttrName)) {
      func->remove();
      kernels->push_back(func);
    }
  return kernels;
}
