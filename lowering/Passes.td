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

def GNNHoistMessageLinears : Pass<"gnn-hoist-message-linears", "::mlir::func::FuncOp"> {
  let summary = "Apply the linear layers of messages to vertex rows before gathering them";
  let description = [{
    A `gnn.row_linear` in a message whose row concatenates sums and
    differences of gathered vertex rows is split by the weight's column
    blocks (Graphiler's reorder): `W [x_i, x_j - x_i] + b` becomes
    `(W_a x + b)_i + (W_b x)_j - (W_b x)_i`, each product a `gnn.linear`
    over all vertices (its weight a `gnn.param_view` column window) whose
    rows the message gathers. Blocks of the row that are not vertex rows
    (edge features, values computed per edge) keep a `gnn.row_linear` of
    their own. EdgeConv's first MLP layer then costs a matmul over the
    vertices instead of one over the edges.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def GNNFuseTransforms : Pass<"gnn-fuse-transforms", "::mlir::func::FuncOp"> {
  let summary = "Merge a transform stage into the transform that consumes it";
  let description = [{
    When the only user of a `gnn.transform` result is another transform, the
    producer's region is inlined into the consumer's, so the intermediate
    tensor is never written to memory.
  }];
}

def GNNFuseSiblingTransforms : Pass<"gnn-fuse-sibling-transforms", "::mlir::func::FuncOp"> {
  let summary = "Join transforms that read the same rows and feed the same message stages";
  let description = [{
    Two `gnn.transform`s yielding flat f32 rows, reading a vertex tensor in
    common and read only by the same message stages (each reading both)
    become one transform yielding both rows concatenated; the stages slice
    the joined row. The shared rows are read once, and a message reads one
    row where it read two (GAT's source and target attention logits).
  }];
}

def GNNFuseUpdate : Pass<"gnn-fuse-update", "::mlir::func::FuncOp"> {
  let summary = "Move the transform after a message-passing stage into its update region";
  let description = [{
    When the only user of a `gnn.message_passing` result is a vertex
    `gnn.transform` (a layer's bias and activation, GIN's `(1 + eps) * x +
    aggr`), the transform's body becomes the stage's `update` region: its
    other vertex inputs are read at the target, its parameters passed
    through. The kernel then applies it to each aggregated row while the
    row is still in registers, instead of storing the aggregate and
    reading it back in another pass over all vertices.
  }];
}

def GNNFuseLinearIntoUpdate : Pass<"gnn-fuse-linear-into-update", "::mlir::func::FuncOp"> {
  let summary = "Move the linear after a message-passing stage into its update region";
  let description = [{
    When the only user of a `gnn.message_passing` result is a `gnn.linear`
    (a layer's MLP, the next layer's narrowing linear) with flat rows, no
    activation or an exact one (relu, leaky_relu), and a parameter for a
    weight, the linear becomes a `gnn.row_linear` at the end of the stage's
    update region, with its bias, sum and activation after it in oneDNN's
    order. The aggregated rows are multiplied in the kernel that makes
    them, and are neither stored nor read back. Linears with more than
    `max-product` weights (in times out) stay oneDNN matmuls.
  }];
  let options = [
    Option<"maxProduct", "max-product", "int64_t", /*default=*/"4096",
           "the largest in x out a linear may have to be fused">,
  ];
}

def GNNFactorMessages : Pass<"gnn-factor-messages", "::mlir::func::FuncOp"> {
  let summary = "Compute per-vertex factors of a message once per vertex, not per edge";
  let description = [{
    A message that is a product of factors (`gnn.mul`), each a row of the
    message's type or a one-element row, is split by what each factor
    reads:
    - with `add` or `mean` aggregation over a `one_per_vertex` graph, the
      factors reading only the target's rows move into the update and
      scale the aggregated row once per target;
    - the factors reading only the source's rows become a `gnn.transform`
      over all vertices before the stage, whose rows the message gathers,
      when that saves per-edge computation (a factor computed from source
      rows) or costs no pass of its own: the rows of a linear only the
      stage reads times a per-vertex scalar s, which become
      `linear(h * s)` when h is another stage's result (`gnn-fuse-update`
      puts `h * s` into that stage's update), and otherwise a transform
      that `gnn-fuse-dense-epilogue` folds into the linear as its `scale`.
    GCN's `norm_i * norm_j * x_j` scales its sum by `norm_i` once per
    target; in both its layers each edge gathers one row. With finite
    factors, results differ from the unfactored message only by rounding
    (the products are reassociated); an infinite factor can turn a result
    that is infinite either way into nan.
  }];
}

def GNNFuseDenseEpilogue : Pass<"gnn-fuse-dense-epilogue", "::mlir::func::FuncOp"> {
  let summary = "Fold a bias, a sum of two linears, an activation and a row scale into gnn.linear";
  let description = [{
    A `gnn.transform` that only adds a bias (`tensor<Fxf32>`) to the rows
    of a `gnn.linear` and then applies one activation (relu, leaky_relu,
    elu, sigmoid, tanh, gelu, exp) becomes the linear's bias and
    `activation`; one that adds the rows of two linears (SAGE's and
    GraphConv's `lin_l(aggr) + lin_r(x)`) makes the later linear
    `accumulate` into the earlier one's result. Each linear folded must
    have the transform as its only user. oneDNN then applies the epilogue
    to each output tile as a post-op, instead of a kernel reading and
    writing every row again. A transform that only multiplies the rows of
    a linear (of one feature dimension) by one float per row becomes the
    linear's `scale`, which the runtime applies to each block of rows
    right after its matmul.
  }];
}

def GNNLinearBeforeAggregation : Pass<"gnn-linear-before-aggregation", "::mlir::func::FuncOp"> {
  let summary = "Apply a narrowing linear layer before the aggregation it follows";
  let description = [{
    `linear(message_passing(x))` becomes `message_passing(linear(x))` when
    the stage is linear in `x` (messages `x_j` or `x_i` scaled by scalars,
    `add` or `mean` aggregation, an update that adds such terms) and the
    linear layer narrows the rows: the stage then gathers `out` floats per
    edge instead of `in`. The linear's bias is added in the update. SAGE's
    `lin_l(mean(x_j))` and GIN's first MLP layer after `(1 + eps) x + sum`
    are the cases that matter. Exact in real arithmetic; in floating point
    the sums are associated differently (as PyG's own GCNConv, which
    transforms before propagating, does).
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
    the maximum grows (online softmax). A message with per-edge Linears
    (`gnn.row_linear`) runs on tiles of `edge-tile` in-edges: one loop
    over the input features loads each weight row once per tile and
    accumulates every edge's product, in the same order as one edge at a
    time. Kernel state is kept in flat 1-D
    vectors whatever the rows' shapes. What remains of the function is the
    schedule the runtime executes.
  }];
  let options = [
    // -1: 128 cache lines ahead, in edges (OutlineKernels.cpp,
    // prefetchDistanceOf): on rmat-18 (2 threads, AVX-512 EPYC) 16-float
    // rows (1 line an edge) gathered twice as fast 128 edges ahead as 32;
    // on rmat-22 (Xeon VM) GCN's 64 + 1-float rows (5 lines) 10% faster 24
    // edges ahead than 128, and the same on rmat-18.
    Option<"prefetchDistance", "prefetch-distance", "int64_t", /*default=*/"-1",
           "Prefetch the source rows of the in-edge this many edges ahead in "
           "message kernels (0: no prefetches; -1: 128 cache lines ahead, "
           "the edges that makes for each stage's rows, 8 to 128)">,
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"0",
           "Vector register width in bits for every kernel, 256 or 512 "
           "(0: each kernel's own, by the rule in OutlineKernels.cpp)">,
    Option<"edgeTile", "edge-tile", "int64_t", /*default=*/"0",
           "In-edges per tile in message kernels with per-edge Linears "
           "(gnn.row_linear): each weight row is loaded once per tile "
           "(0: as many as the accumulators of the widest Linear leave "
           "registers for, 1: no tiles)">,
    Option<"pushKernels", "push-kernels", "bool", /*default=*/"false",
           "Also compile each message stage whose message reads no edge rows "
           "into the partial and finish kernels of its push form, for "
           "distributed runs (see gnn.launch)">,
    Option<"gatherBudget", "gather-budget", "int64_t", /*default=*/"0",
           "With push-kernels: also compile each push form's fold kernels, "
           "so that the runtime may gather from blocks of sources whose rows "
           "fit this many bytes (0: a quarter of the last-level cache it "
           "measures; -1: no fold kernels, never blocked)">,
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
