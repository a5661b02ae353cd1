//===- Passes.td - The gnn compiler's passes ---------------*- tablegen -*-===//
#ifndef GNN_LOWERING_PASSES_TD
#define GNN_LOWERING_PASSES_TD

include "mlir/Pass/PassBase.td"

def GNNDecompose : Pass<"gnn-decompose", "::mlir::func::FuncOp"> {
  let summary = "Split a graph-level model into transform and message-passing stages";
  let description = [{
    The paper's decomposition. Every vertex- or edge-wise elementwise op
    and feature reduction (`gnn.reduce`) at the top of a function becomes a
    `gnn.transform` stage whose region computes one row; `gnn.linear`
    (dense), `gnn.degree` and `gnn.message_passing` already are stages, and
    a `gnn.reshape` of a whole tensor stays as a view. Scalar constants and
    computations on parameters alone (`1 + eps`, a reshaped parameter) are
    moved into the stage regions that use them, so the schedule holds only
    whole-tensor steps. Run `gnn-fuse-transforms` afterwards to merge the
    one-op stages into chains.
  }];
  let dependentDialects = ["::gnn::GNNDialect", "::mlir::arith::ArithDialect"];
}

def GNNFuseTransforms : Pass<"gnn-fuse-transforms", "::mlir::func::FuncOp"> {
  let summary = "Merge a transform stage into the transform that consumes it";
  let description = [{
    When the only user of a `gnn.transform` result is another transform, the
    producer's region is inlined into the consumer's, so the intermediate
    tensor is never written to memory.
  }];
}

def GNNOutlineKernels : Pass<"gnn-outline-kernels", "::mlir::ModuleOp"> {
  let summary = "Turn each stage into a kernel function over a vertex range";
  let description = [{
    Every `gnn.transform`, `gnn.message_passing` and `gnn.degree` becomes a
    function `(i64 lo, i64 hi, !llvm.ptr args)` with loops over destination
    vertices (and their in-edges), rows loaded as vectors and messages
    accumulated in registers; the stage is replaced by a `gnn.launch` of
    it. Self loops of a `one_per_vertex` graph are added inside the loop,
    never by copying the graph. A `softmax_add` stage becomes one pass over
    each target's in-edges carrying, per logit, a running maximum and sum
    of exponentials and a running weighted sum of the values, rescaled when
    the maximum grows (online softmax). Kernel state is kept in flat 1-D
    vectors whatever the rows' shapes. What remains of the function is the
    schedule the runtime executes.
  }];
  let options = [
    Option<"prefetchDistance", "prefetch-distance", "int64_t", /*default=*/"32",
           "Prefetch the source rows of the in-edge this many edges ahead in "
           "message kernels (0: no prefetches)">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect", "::mlir::scf::SCFDialect",
                           "::mlir::func::FuncDialect", "::mlir::vector::VectorDialect",
                           "::mlir::arith::ArithDialect", "::mlir::math::MathDialect"];
}

def GNNLowerElementwise : Pass<"gnn-lower-elementwise", "::mlir::ModuleOp"> {
  let summary = "Lower elementwise gnn ops on rows to arith, math and vector";
  let description = [{
    Inside kernels, rows are vectors: broadcasting becomes
    `vector.broadcast`, arithmetic `arith`, transcendental functions `math`,
    activations small select/max expressions.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
}

def GNNExpandMath : Pass<"gnn-expand-math", "::mlir::ModuleOp"> {
  let summary = "Expand transcendental math on vectors into polynomials";
  let description = [{
    `math.exp`, `tanh`, `erf`, `log` … on vectors would otherwise become one
    libm call per lane; the polynomial forms vectorise.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
}

#endif // GNN_LOWERING_PASSES_TD
