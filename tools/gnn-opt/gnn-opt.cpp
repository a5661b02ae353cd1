//===- gnn-opt.cpp - mlir-opt with the gnn dialect and passes -------------===//
//
// Only the dialects and passes gnnc uses are registered (no InitAll*), which
// keeps this file quick to build.
//
//===----------------------------------------------------------------------===//
#include "dialect/GNNDialect.h"
#include "lowering/Passes.h"
#include "lowering/UserPipeline.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  registry.insert<gnn::GNNDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect, mlir::math::MathDialect,
                  mlir::vector::VectorDialect, mlir::scf::SCFDialect,
                  mlir::cf::ControlFlowDialect, mlir::LLVM::LLVMDialect>();

  // The same passes gnnc's and gnn-run's --pass-pipeline may name.
  gnn::registerPipelinePasses();

  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "gnn optimizer driver\n", registry));
}
