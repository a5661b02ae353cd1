//===- ExamplePasses.td - Passes of the example plugin -----*- tablegen -*-===//
//
// Declared exactly as the in-tree passes in lowering/Passes.td are; only
// the registration differs (Plugin.cpp instead of gnn-opt's main).
//
//===----------------------------------------------------------------------===//
#ifndef GNN_EXAMPLE_PASSES_TD
#define GNN_EXAMPLE_PASSES_TD

include "mlir/Pass/PassBase.td"

def GNNFoldUnitMul : Pass<"gnn-fold-unit-mul", "::mlir::func::FuncOp"> {
  let summary = "Fold multiplications (and divisions) by the constant 1.0";
  let description = [{
    `gnn.mul %x, %one` and `gnn.mul %one, %x` become `%x` when `%one` is an
    `arith.constant` 1.0 (a scalar or a splat) and the result has the type
    of `%x`: a 1.0 that broadcasts `%x` to a wider shape must stay. Works on
    whole tensors and on rows inside stage regions. `x * 1.0 == x` holds in
    IEEE arithmetic, so the fold never changes a result.
  }];
  let options = [
    Option<"foldDivision", "fold-div", "bool", /*default=*/"true",
           "Also fold `gnn.div %x, %one`">,
  ];
}

def GNNCountStages : Pass<"gnn-count-stages", "::mlir::func::FuncOp"> {
  let summary = "Annotate each function with its number of stages";
  let description = [{
    Sets `gnn.stages = {message_passing = M, transform = T}` on every
    function: how many `gnn.message_passing` and `gnn.transform` ops it
    holds. An analysis to start from, and a check that the plugin sees the
    same gnn op classes as the tool that loaded it.
  }];
}

#endif // GNN_EXAMPLE_PASSES_TD
