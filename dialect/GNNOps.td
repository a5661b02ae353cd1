//===- GNNOps.td - Operations of the gnn dialect -----------*- tablegen -*-===//
#ifndef GNN_OPS_TD
#define GNN_OPS_TD

include "dialect/GNNDialect.td"
include "dialect/GNNEnums.td"
include "dialect/GNNTypes.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

//===----------------------------------------------------------------------===//
// Value kinds
//===----------------------------------------------------------------------===//

def GNN_FeatureTensor : AnyTypeOf<[GNN_VertexType, GNN_EdgeType],
                                  "vertex or edge tensor">;
def GNN_Row : VectorOfAnyRankOf<[F32]>;
// A parameter (weight) tensor: the same values for every row.
def GNN_Param : StaticShapeTensorOf<[F32]>;
// What an elementwise op takes: whole tensors outside stage regions, rows
// inside them; parameters and f32 scalars broadcast against either.
def GNN_Elementwise : AnyTypeOf<[GNN_VertexType, GNN_EdgeType, GNN_Row,
                                 GNN_Param, F32], "gnn value">;
// What has a feature shape: whole tensors, rows and parameters.
def GNN_Shaped : AnyTypeOf<[GNN_VertexType, GNN_EdgeType, GNN_Row, GNN_Param],
                           "vertex or edge tensor, row or parameter">;

//===----------------------------------------------------------------------===//
// Graph structure
//===----------------------------------------------------------------------===//

def GNN_AddSelfLoopsOp : GNN_Op<"add_self_loops", [Pure]> {
  let summary = "the graph with one self loop per vertex added";
  let description = [{
    With result `!gnn.graph<one_per_vertex>`, PyG's
    `add_remaining_self_loops`: self loops present in the input are dropped
    and one per vertex is added (also PyG's `add_self_loops` on a graph
    without self loops, `none`). With `!gnn.graph<stored_plus_one>`, PyG's
    `add_self_loops` on the input graph: the stored loops stay and one more
    per vertex is added. Only the type changes; kernels iterate the stored
    graph and add the loop virtually.
  }];
  let arguments = (ins GNN_GraphType:$graph);
  let results = (outs GNN_GraphType:$result);
  let assemblyFormat = "$graph attr-dict `:` type($graph) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def GNN_RemoveSelfLoopsOp : GNN_Op<"remove_self_loops", [Pure]> {
  let summary = "the graph without its self loops";
  let description = [{
    PyG's `remove_self_loops`: edges from a vertex to itself are dropped.
    Only the type changes (`!gnn.graph<none>`); kernels skip such edges as
    they iterate the stored graph.
  }];
  let arguments = (ins GNN_GraphType:$graph);
  let results = (outs GNN_GraphType:$result);
  let assemblyFormat = "$graph attr-dict `:` type($graph) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def GNN_StoredLoopRowsOp : GNN_Op<"stored_loop_rows", [Pure]> {
  let summary = "each vertex's stored self loop's edge row, else a fill";
  let description = [{
    The edge rows of the self loops PyG's `add_remaining_self_loops(
    edge_index, edge_attr, fill_value)` leaves: a vertex with stored self
    loops keeps the row of its last one (in edge order, as PyG's indexed
    assignment leaves it), any other gets `fill` in every element (a number
    fill_value) or its row of `fill_rows` (a reduction of its in-edges'
    rows, for fill_value 'mean', 'add', ...). The graph is the stored one
    (`as_given`); the result is the `loop` tensor a `get_edge` on the
    `one_per_vertex` graph reads for the added loop.
  }];
  let arguments = (ins GNN_GraphType:$graph, GNN_EdgeType:$edges,
                       Optional<GNN_VertexType>:$fill_rows,
                       OptionalAttr<F32Attr>:$fill);
  let results = (outs GNN_VertexType:$result);
  let assemblyFormat = [{
    $graph `(` $edges `)` (`fill` `=` $fill^)?
    (`fill_rows` `=` $fill_rows^ `:` type($fill_rows))? attr-dict `:`
    type($graph) `,` type($edges) `->` type($result)
  }];
  let hasVerifier = 1;
}

def GNN_DegreeOp : GNN_Op<"degree", [Pure]> {
  let summary = "in-degree of every vertex, as f32";
  let description = [{
    PyG's `degree(edge_index[1], N)`: the number of in-edges of each target,
    counting self loops as the graph type says.
  }];
  let arguments = (ins GNN_GraphType:$graph);
  let results = (outs GNN_VertexType:$result);
  let assemblyFormat = "$graph attr-dict `:` type($graph) `->` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Dense work
//===----------------------------------------------------------------------===//

def GNN_LinearOp : GNN_Op<"linear", [Pure, AttrSizedOperandSegments]> {
  let summary = "y = s * act(x W^T + b + acc) on every row (torch.nn.Linear)";
  let description = [{
    `weight` has PyTorch's layout `[out, in]`; `bias` is `[out]`. Lowered to
    one oneDNN matmul over all rows, with what follows it as post-ops:
    `accumulate`, a tensor of the result's type, is added to the product
    (SAGE's `lin_l(aggr) + lin_r(x)` as one matmul summing into the
    other's result), then `activation` is applied (`alpha`: elu's alpha or
    leaky_relu's negative slope). Last, each row is multiplied by its
    `scale`, a one-element row per row of the input (GCN's deg^-1/2 of the
    source, which its messages would otherwise read per edge), while the
    block of rows is still in cache; the input has one feature dimension.
    `gnn-fuse-dense-epilogue` folds them in from the transform that
    follows a linear.

    ```mlir
    %y = gnn.linear %x, %w, %b accumulate(%a : !gnn.vertex<16xf32>)
        activation = leaky_relu alpha = 2.000000e-01
        : !gnn.vertex<64xf32>, tensor<16x64xf32>, tensor<16xf32> -> !gnn.vertex<16xf32>
    %z = gnn.linear %x, %w scale(%s : !gnn.vertex<1xf32>)
        : !gnn.vertex<64xf32>, tensor<16x64xf32> -> !gnn.vertex<16xf32>
    ```
  }];
  let arguments = (ins GNN_FeatureTensor:$input, GNN_Param:$weight,
                       Optional<GNN_Param>:$bias,
                       Optional<GNN_FeatureTensor>:$accumulate,
                       Optional<GNN_FeatureTensor>:$scale,
                       OptionalAttr<GNN_ActivationAttr>:$activation,
                       OptionalAttr<F32Attr>:$alpha);
  let results = (outs GNN_FeatureTensor:$result);
  // "``": the enum attribute prints its own leading space.
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)?
    (`accumulate` `(` $accumulate^ `:` type($accumulate) `)`)?
    (`scale` `(` $scale^ `:` type($scale) `)`)?
    (`activation` `=` `` $activation^)? (`alpha` `=` $alpha^)?
    attr-dict `:` type($input) `,` type($weight) (`,` type($bias)^)?
    `->` type($result)
  }];
  let builders = [
    // A plain torch.nn.Linear.
    OpBuilder<(ins "::mlir::Type":$result, "::mlir::Value":$input,
                   "::mlir::Value":$weight, "::mlir::Value":$bias), [{
      build($_builder, $_state, result, input, weight, bias,
            /*accumulate=*/::mlir::Value(), /*scale=*/::mlir::Value(),
            /*activation=*/nullptr,
            /*alpha=*/nullptr);
    }]>,
  ];
  let hasVerifier = 1;
}

def GNN_RowLinearOp : GNN_Op<"row_linear", [Pure]> {
  let summary = "y = x W^T + b on one row inside a stage region (torch.nn.Linear)";
  let description = [{
    A `torch.nn.Linear` applied to a row inside a message (EdgeConv's MLP
    on `cat([x_i, x_j - x_i])`) or an update (a linear after the stage,
    moved there by `gnn-fuse-linear-into-update`). `weight` has PyTorch's layout `[out, in]`
    and `bias` is `[out]`; the row has one feature dimension.
    `gnn-hoist-message-linears` moves what distributes over the row's
    parts to the vertex level first; what stays is computed in the
    message kernel, per edge in a message and per target in an update, a
    matrix-vector product against the transposed weight (a
    `gnn.param_view ... transpose` the kernel reads row by row).

    ```mlir
    %y = gnn.row_linear %r, %w, %b : vector<64xf32>, tensor<16x64xf32>, tensor<16xf32> -> vector<16xf32>
    ```
  }];
  let arguments = (ins GNN_Row:$input, GNN_Param:$weight,
                       Optional<GNN_Param>:$bias);
  let results = (outs GNN_Row:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` type($input) `,`
    type($weight) (`,` type($bias)^)? `->` type($result)
  }];
  let hasVerifier = 1;
}

def GNN_ParamViewOp : GNN_Op<"param_view", [Pure]> {
  let summary = "a parameter's columns [offset, offset + size), optionally transposed";
  let description = [{
    A weight in another layout, made by the runtime when weights are bound
    (no kernel computes it): the column window `columns = [offset, size]`
    of a `[out, in]` matrix (the part of a Linear's weight that multiplies
    one part of a concatenated input), then with `transpose` its
    transpose. Its operand is a model parameter (a function argument).

    ```mlir
    %a = gnn.param_view %w columns = [0, 16] : tensor<32x32xf32> -> tensor<32x16xf32>
    %t = gnn.param_view %w transpose : tensor<32x32xf32> -> tensor<32x32xf32>
    ```
  }];
  let arguments = (ins GNN_Param:$input,
                       OptionalAttr<DenseI64ArrayAttr>:$columns,
                       UnitAttr:$transpose);
  let results = (outs GNN_Param:$result);
  let assemblyFormat = [{
    $input (`columns` `=` $columns^)? (`transpose` $transpose^)? attr-dict `:`
    type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise math, with trailing-dimension broadcasting
//===----------------------------------------------------------------------===//

class GNN_BinaryOp<string mnemonic, string what>
    : GNN_Op<mnemonic, [Pure]> {
  let summary = what # ", elementwise with broadcasting";
  let arguments = (ins GNN_Elementwise:$lhs, GNN_Elementwise:$rhs);
  let results = (outs GNN_Elementwise:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
}

def GNN_AddOp : GNN_BinaryOp<"add", "lhs + rhs">;
def GNN_SubOp : GNN_BinaryOp<"sub", "lhs - rhs">;
def GNN_MulOp : GNN_BinaryOp<"mul", "lhs * rhs">;
def GNN_DivOp : GNN_BinaryOp<"div", "lhs / rhs">;
def GNN_PowOp : GNN_BinaryOp<"pow", "lhs ** rhs">;
def GNN_MaximumOp : GNN_BinaryOp<"maximum", "max(lhs, rhs)">;
def GNN_MinimumOp : GNN_BinaryOp<"minimum", "min(lhs, rhs)">;

class GNN_UnaryOp<string mnemonic, string what, dag attrs = (ins)>
    : GNN_Op<mnemonic, [Pure, SameOperandsAndResultType]> {
  let summary = what # ", elementwise";
  let arguments = !con((ins GNN_Elementwise:$input), attrs);
  let results = (outs GNN_Elementwise:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def GNN_NegOp : GNN_UnaryOp<"neg", "-x">;
def GNN_ExpOp : GNN_UnaryOp<"exp", "e^x">;
def GNN_LogOp : GNN_UnaryOp<"log", "natural logarithm">;
def GNN_SqrtOp : GNN_UnaryOp<"sqrt", "square root">;
def GNN_AbsOp : GNN_UnaryOp<"abs", "|x|">;
def GNN_ReluOp : GNN_UnaryOp<"relu", "max(x, 0)">;
def GNN_SigmoidOp : GNN_UnaryOp<"sigmoid", "1 / (1 + e^-x)">;
def GNN_TanhOp : GNN_UnaryOp<"tanh", "hyperbolic tangent">;
def GNN_GeluOp : GNN_UnaryOp<"gelu", "x * Phi(x), the exact (erf) form">;
def GNN_EluOp : GNN_UnaryOp<"elu", "x if x > 0 else alpha * (e^x - 1)",
                            (ins DefaultValuedAttr<F32Attr, "1.0">:$alpha)>;
def GNN_LeakyReluOp : GNN_UnaryOp<"leaky_relu",
    "x if x > 0 else negative_slope * x",
    (ins DefaultValuedAttr<F32Attr, "0.01">:$negative_slope)>;
// PyTorch's masked assignment `t[t == from] = to` (PyG's GCN normalisation
// sets the inf of 0^-1/2 to 0), as a value.
def GNN_ReplaceOp : GNN_UnaryOp<"replace", "`to` where x == `from`, else x",
    (ins F32Attr:$from, F32Attr:$to)>;

//===----------------------------------------------------------------------===//
// Shapes and reductions over feature dimensions
//===----------------------------------------------------------------------===//

def GNN_ReshapeOp : GNN_Op<"reshape", [Pure]> {
  let summary = "the same values with another feature shape (view, reshape, unsqueeze)";
  let description = [{
    PyTorch's `x.view(-1, H, C)` on a tensor with one row per vertex or
    edge: every row keeps its elements in row-major order and only the
    feature shape changes, so the element count per row is the same. On a
    row inside a stage region and on a parameter the whole shape changes.
    Rows are flat vectors in kernels, so a reshape costs nothing there; at
    the schedule level a reshaped vertex tensor is a view of the same
    buffer.

    ```mlir
    %h = gnn.reshape %x : !gnn.vertex<64xf32> -> !gnn.vertex<8x8xf32>
    ```
  }];
  let arguments = (ins GNN_Shaped:$input);
  let results = (outs GNN_Shaped:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def GNN_ReduceOp : GNN_Op<"reduce", [Pure]> {
  let summary = "sum, mean, max or min along one feature dimension";
  let description = [{
    PyTorch's `x.sum(dim=d)`, `mean`, `amax` and `amin` without keepdim:
    the dimension `dim` (an index into the feature shape of a vertex or
    edge tensor or row; into the whole shape of a parameter) disappears. A
    vertex or edge tensor keeps at least one feature dimension. GAT's
    per-head attention logits are `(x * att).sum(dim=-1)` on rows of
    `[heads, channels]`:

    ```mlir
    %a = gnn.reduce sum %p dim = 1 : !gnn.vertex<8x8xf32> -> !gnn.vertex<8xf32>
    ```
  }];
  let arguments = (ins GNN_Shaped:$input, GNN_ReductionAttr:$kind,
                       I64Attr:$dim);
  let results = (outs GNN_Elementwise:$result);
  // "``": the enum attribute prints its own leading space.
  let assemblyFormat = [{
    `` $kind $input `dim` `=` $dim attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Stages (the paper's decomposition)
//===----------------------------------------------------------------------===//

def GNN_TransformOp : GNN_Op<"transform", [IsolatedFromAbove,
    SingleBlock, RecursiveMemoryEffects]> {
  let summary = "a vertex- or edge-local stage: the same function on every row";
  let description = [{
    The region runs once per row of the result's domain. Its block arguments
    stand for the inputs: a vertex or edge tensor is seen as the current
    row (a `vector`), a parameter tensor and a scalar as themselves. The
    region yields the result row.

    ```mlir
    %y = gnn.transform (%x, %b) : (!gnn.vertex<64xf32>, tensor<64xf32>) -> !gnn.vertex<64xf32> {
    ^bb0(%row: vector<64xf32>, %bias: tensor<64xf32>):
      %s = gnn.add %row, %bias : vector<64xf32>, tensor<64xf32> -> vector<64xf32>
      gnn.yield %s : vector<64xf32>
    }
    ```
  }];
  let arguments = (ins Variadic<GNN_Elementwise>:$inputs);
  let results = (outs GNN_FeatureTensor:$result);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    `(` $inputs `)` attr-dict `:` functional-type($inputs, $result) $body
  }];
  let hasRegionVerifier = 1;
  let extraClassDeclaration = [{
    /// The type a block argument has for an input of type `t`.
    static ::mlir::Type getRegionArgumentType(::mlir::Type t);
  }];
}

def GNN_MessagePassingOp : GNN_Op<"message_passing", [IsolatedFromAbove,
    SingleBlock, RecursiveMemoryEffects]> {
  let summary = "gather along in-edges, compute a message per edge, aggregate per target";
  let description = [{
    For every target vertex, the region runs once per in-edge (and once for
    the virtual self loop when the graph type says so); its block arguments
    mirror the inputs, which `gnn.get_vertex` (source or target row) and
    `gnn.get_edge` read. The yielded message rows are combined with `aggr`;
    a vertex without in-edges gets zeros (PyG's scatter semantics).

    With `aggr = softmax_add` the region yields two rows, `(value, logits)`,
    and the message is `value * softmax(logits, index)`: PyG's per-target
    edge softmax (each element of the logits normalised separately over the
    in-edges of the target) used as the weight of a summed message. Value
    and logits broadcast (trailing dimensions aligned) to the result's row
    shape; GAT yields `x_j` as `[heads, channels]` and its logits as
    `[heads, 1]`. Kernels compute it in one pass over the in-edges with a
    running maximum, sum and weighted sum per logit (online softmax); no
    per-edge tensor exists.

    ```mlir
    %o = gnn.message_passing %g (%x, %a) aggr = softmax_add : !gnn.graph<one_per_vertex>,
        (!gnn.vertex<8x8xf32>, !gnn.vertex<8x1xf32>) -> !gnn.vertex<8x8xf32> {
    ^bb0(%xa: !gnn.vertex<8x8xf32>, %aa: !gnn.vertex<8x1xf32>):
      %xj = gnn.get_vertex %xa source : !gnn.vertex<8x8xf32> -> vector<8x8xf32>
      %aj = gnn.get_vertex %aa source : !gnn.vertex<8x1xf32> -> vector<8x1xf32>
      gnn.yield %xj, %aj : vector<8x8xf32>, vector<8x1xf32>
    }
    ```

    An optional second region, `update`, is PyG's `update(aggr_out, ...)`:
    it runs once per target after aggregation. Its block arguments mirror
    the inputs, then the aggregated row; it reads other vertex tensors only
    at the target (`gnn.get_vertex ... target`) and yields the result row.
    Without it the result is the aggregated row. `gnn-fuse-update` moves the
    transform that follows a stage here, so its rows are never stored
    between the two.

    ```mlir
    %o = gnn.message_passing %g (%x, %b) aggr = add : !gnn.graph<as_given>,
        (!gnn.vertex<16xf32>, tensor<16xf32>) -> !gnn.vertex<16xf32> {
    ^bb0(%xa: !gnn.vertex<16xf32>, %ba: tensor<16xf32>):
      %xj = gnn.get_vertex %xa source : !gnn.vertex<16xf32> -> vector<16xf32>
      gnn.yield %xj : vector<16xf32>
    } update {
    ^bb0(%xa: !gnn.vertex<16xf32>, %ba: tensor<16xf32>, %aggr: vector<16xf32>):
      %y = gnn.add %aggr, %ba : vector<16xf32>, tensor<16xf32> -> vector<16xf32>
      gnn.yield %y : vector<16xf32>
    }
    ```
  }];
  let arguments = (ins GNN_GraphType:$graph, Variadic<GNN_Elementwise>:$inputs,
                       GNN_AggregationAttr:$aggr);
  let results = (outs GNN_VertexType:$result);
  let regions = (region SizedRegion<1>:$body, MaxSizedRegion<1>:$update);
  // "``": the enum attribute prints its own leading space (`aggr = add`).
  let assemblyFormat = [{
    $graph `(` $inputs `)` `aggr` `=` `` $aggr attr-dict `:` type($graph) `,`
    functional-type($inputs, $result) $body (`update` $update^)?
  }];
  let hasRegionVerifier = 1;
  let extraClassDeclaration = [{
    /// The inputs some `gnn.get_vertex ... source` reads: what a
    /// distributed run must fetch for vertices owned elsewhere.
    ::llvm::SmallVector<unsigned> getSourceGatheredInputs();
    /// Whether an update region follows the aggregation.
    bool hasUpdate() { return !getUpdate().empty(); }
    /// Removes the inputs that neither region reads.
    void eraseUnusedInputs();
    /// Erases the message body's ops that nothing uses and that have no
    /// side effects (users before what they use, so chains go whole), then
    /// the inputs neither region reads any more: the cleanup after a
    /// rewrite of the message.
    void eraseUnusedOps();
    /// The aggregated row: the update region's last argument, or the
    /// result's row when there is no update.
    ::mlir::VectorType getAggregateRowType();
  }];
}

def GNN_GetVertexOp : GNN_Op<"get_vertex", [Pure]> {
  let summary = "the row of a vertex tensor at an edge's source or target";
  let arguments = (ins GNN_VertexType:$tensor, GNN_SideAttr:$side);
  let results = (outs GNN_Row:$row);
  // "``": the enum attribute prints its own leading space.
  let assemblyFormat = "$tensor `` $side attr-dict `:` type($tensor) `->` type($row)";
  let hasVerifier = 1;
}

def GNN_GetEdgeOp : GNN_Op<"get_edge", [Pure]> {
  let summary = "the row of an edge tensor at the current edge";
  let description = [{
    Edge rows exist for the stored edges. On a graph with one self loop per
    vertex the added loops have none; `loop` names a vertex tensor whose
    row at the target stands for the loop's (PyG's `add_self_loops` with a
    `fill_value`, GAT's mean of the in-edges' attributes).

    ```mlir
    %a = gnn.get_edge %e loop %l : !gnn.edge<4xf32>, !gnn.vertex<4xf32> -> vector<4xf32>
    ```
  }];
  let arguments = (ins GNN_EdgeType:$tensor, Optional<GNN_VertexType>:$loop);
  let results = (outs GNN_Row:$row);
  let assemblyFormat = [{
    $tensor (`loop` $loop^)? attr-dict `:` type($tensor) (`,` type($loop)^)?
    `->` type($row)
  }];
  let hasVerifier = 1;
}

def GNN_YieldOp : GNN_Op<"yield", [Pure, Terminator, ReturnLike,
    ParentOneOf<["TransformOp", "MessagePassingOp"]>]> {
  let summary = "the row (or rows) a stage region produces";
  let description = [{
    One row, except in a `softmax_add` message-passing stage, which yields
    the message value and its softmax logits.
  }];
  let arguments = (ins Variadic<GNN_Row>:$values);
  let assemblyFormat = "$values attr-dict `:` type($values)";
  let extraClassDeclaration = [{
    /// The (first) yielded row: the stage's row, or a softmax_add value.
    ::mlir::Value getValue() { return getValues().front(); }
  }];
}

//===----------------------------------------------------------------------===//
// The schedule after outlining
//===----------------------------------------------------------------------===//

def GNN_LaunchOp : GNN_Op<"launch", [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "run an outlined kernel over a range of vertices";
  let description = [{
    The kernel is a `func.func (i64 lo, i64 hi, !llvm.ptr args)` that fills
    the result rows `[lo, hi)`; `args` points to the data pointers of the
    graph (in-edge offsets, then sources), the inputs in order, then the
    result. The runtime splits `[0, N)` among threads; with
    `edge_balanced` the ranges hold equal numbers of in-edges.

    `gathers` lists the inputs (by position) whose rows the kernel reads at
    in-edge sources (`_j`): on a graph part those rows include other parts'
    vertices, which the distributed runtime fetches before the launch.
    `source_only` lists those of them it reads nowhere else (not at
    targets, not in the update, and with no virtual self loop reading a
    vertex's own row): a row of such an input is read only if its vertex
    has an out-edge, so the runtime may leave the other rows unwritten
    (docs/runtime.md, "Rows nothing gathers").

    A message-passing launch may also name the two kernels of its *push*
    form (docs/distributed.md): `partial` aggregates the in-edges from a
    part's own vertices into a state row per target (the `accumulator`
    floats, for `softmax_add` then the running maximum and sum of the
    `logits`, and for every aggregation but `add` the message count, an
    i32 stored in a float's bits), over the owned targets and over the
    *mirrors* (other parts' targets); `finish` reads a merged state row per
    owned target (args: graph, inputs, the states, the result), adds the
    virtual self loop if the graph has one, and finishes like the kernel.
    `target_reads` lists the inputs the message reads at targets (`_i`):
    the partial kernel reads them at mirror rows too.

    With a push form, a launch may also name the two kernels of its
    *blocked* form (gather blocking, docs/passes.md): the runtime may split
    the sources into blocks whose gathered rows fit `budget` bytes of cache
    (0: a fraction of the last-level cache it measures), run the partial
    kernel over the in-edges from the first block, `fold` over each middle
    block (it loads a target's state row from the result, folds the
    block's in-edges into it and stores it back), and `fold_finish` over
    the last (args as `finish`'s: it folds the last block's in-edges into
    the state rows, then finishes).

    ```mlir
    %r = gnn.launch @k(%g, %h) gathers [0]
           push(@k_partial, @k_finish, aggr = mean, accumulator = [16], logits = [])
           blocked(@k_fold, @k_fold_finish, budget = 0)
           {edge_balanced} : ...
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$kernel, GNN_GraphType:$graph,
                       Variadic<GNN_Elementwise>:$inputs,
                       OptionalAttr<DenseI64ArrayAttr>:$gathers,
                       OptionalAttr<DenseI64ArrayAttr>:$source_only,
                       OptionalAttr<FlatSymbolRefAttr>:$partial,
                       OptionalAttr<FlatSymbolRefAttr>:$finish,
                       OptionalAttr<GNN_AggregationAttr>:$aggr,
                       OptionalAttr<DenseI64ArrayAttr>:$accumulator,
                       OptionalAttr<DenseI64ArrayAttr>:$logits,
                       OptionalAttr<DenseI64ArrayAttr>:$target_reads,
                       OptionalAttr<FlatSymbolRefAttr>:$fold,
                       OptionalAttr<FlatSymbolRefAttr>:$fold_finish,
                       OptionalAttr<I64Attr>:$gather_budget,
                       UnitAttr:$edge_balanced);
  let results = (outs GNN_FeatureTensor:$result);
  let assemblyFormat = [{
    $kernel `(` $graph (`,` $inputs^)? `)` (`gathers` $gathers^)?
    (`source_only` $source_only^)?
    (`push` `(` $partial^ `,` $finish `,` `aggr` `=` $aggr `,` `accumulator` `=`
     $accumulator `,` `logits` `=` $logits `)`)?
    (`target_reads` $target_reads^)?
    (`blocked` `(` $fold^ `,` $fold_finish `,` `budget` `=` $gather_budget `)`)?
    attr-dict
    `:` type($graph) (`,` type($inputs)^)? `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Joining rows
//===----------------------------------------------------------------------===//

def GNN_ConcatOp : GNN_Op<"concat", [Pure]> {
  let summary = "rows joined along their last feature dimension (torch.cat)";
  let description = [{
    `torch.cat([a, b, ...], dim=-1)` on rows inside a stage region: every
    input has the same feature shape but for the last dimension, and the
    result's last dimension is the sum of theirs, the inputs' elements in
    order. At graph level the frontend puts it in a `gnn.transform` of its
    own, so that it runs row by row like any elementwise op. Lowered to
    constant shuffles of the flat rows.

    ```mlir
    %c = gnn.concat %xi, %d : vector<16xf32>, vector<16xf32> -> vector<32xf32>
    ```
  }];
  let arguments = (ins Variadic<GNN_Row>:$inputs);
  let results = (outs GNN_Row:$result);
  let assemblyFormat = [{
    $inputs attr-dict `:` type($inputs) `->` type($result)
  }];
  let hasVerifier = 1;
}

def GNN_SliceOp : GNN_Op<"slice", [Pure]> {
  let summary = "a strided box of a row (x[:, a:b], x[:, :, ::2])";
  let description = [{
    PyTorch's basic slicing of the feature dimensions, on a row inside a
    stage region: along dimension d the result takes the elements
    `offsets[d] + i * strides[d]` for i below the result's size there. At
    graph level the frontend puts it in a `gnn.transform` of its own.
    Lowered to one constant shuffle of the flat row.

    ```mlir
    %h = gnn.slice %x offsets = [0] strides = [1] : vector<32xf32> -> vector<16xf32>
    ```
  }];
  let arguments = (ins GNN_Row:$input, DenseI64ArrayAttr:$offsets,
                       DenseI64ArrayAttr:$strides);
  let results = (outs GNN_Row:$result);
  let assemblyFormat = [{
    $input `offsets` `=` $offsets `strides` `=` $strides attr-dict `:`
    type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

#endif // GNN_OPS_TD
