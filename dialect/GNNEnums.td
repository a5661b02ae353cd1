//===- GNNEnums.td - Enumerations of the gnn dialect -------*- tablegen -*-===//
#ifndef GNN_ENUMS_TD
#define GNN_ENUMS_TD

include "mlir/IR/EnumAttr.td"
include "dialect/GNNDialect.td"

// How a message-passing stage combines the messages arriving at a vertex.
// PyG's "sum" is the same reduction as "add"; the frontend maps it.
// `softmax_add` is PyG's `softmax(logits, index)` used as the weight of a
// summed message: the region yields (value, logits) and the result is
// sum_j softmax_j(logits) * value over the in-edges j of each target.
def GNN_AggregationAdd  : I32EnumAttrCase<"Add", 0, "add">;
def GNN_AggregationMean : I32EnumAttrCase<"Mean", 1, "mean">;
def GNN_AggregationMax  : I32EnumAttrCase<"Max", 2, "max">;
def GNN_AggregationMin  : I32EnumAttrCase<"Min", 3, "min">;
def GNN_AggregationSoftmaxAdd : I32EnumAttrCase<"SoftmaxAdd", 4, "softmax_add">;
def GNN_Aggregation : I32EnumAttr<"Aggregation", "message aggregation",
    [GNN_AggregationAdd, GNN_AggregationMean, GNN_AggregationMax,
     GNN_AggregationMin, GNN_AggregationSoftmaxAdd]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::gnn";
}
def GNN_AggregationAttr : EnumAttr<GNN_Dialect, GNN_Aggregation, "aggr"> {
  let assemblyFormat = "$value";
}

// How `gnn.reduce` combines the elements along one feature dimension
// (PyTorch's sum, mean, amax and amin with a `dim`).
def GNN_ReductionSum  : I32EnumAttrCase<"Sum", 0, "sum">;
def GNN_ReductionMean : I32EnumAttrCase<"Mean", 1, "mean">;
def GNN_ReductionMax  : I32EnumAttrCase<"Max", 2, "max">;
def GNN_ReductionMin  : I32EnumAttrCase<"Min", 3, "min">;
def GNN_Reduction : I32EnumAttr<"Reduction", "reduction over a feature dimension",
    [GNN_ReductionSum, GNN_ReductionMean, GNN_ReductionMax, GNN_ReductionMin]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::gnn";
}
def GNN_ReductionAttr : EnumAttr<GNN_Dialect, GNN_Reduction, "reduction"> {
  let assemblyFormat = "$value";
}

// Which self loops a graph value has. `as_given` is the edge set of the
// input file; `one_per_vertex` drops the given self loops and adds exactly
// one per vertex (PyG's add_self_loops after remove_self_loops, and
// add_remaining_self_loops for unweighted graphs); `stored_plus_one` keeps
// the given self loops and adds one more per vertex (PyG's add_self_loops
// on the input graph); `none` drops them and adds none (PyG's
// remove_self_loops). Kernels realise all of them virtually: the stored
// graph is never copied.
def GNN_SelfLoopsAsGiven : I32EnumAttrCase<"AsGiven", 0, "as_given">;
def GNN_SelfLoopsOnePerVertex : I32EnumAttrCase<"OnePerVertex", 1, "one_per_vertex">;
def GNN_SelfLoopsNone : I32EnumAttrCase<"None", 2, "none">;
def GNN_SelfLoopsStoredPlusOne : I32EnumAttrCase<"StoredPlusOne", 3, "stored_plus_one">;
def GNN_SelfLoops : I32EnumAttr<"SelfLoops", "self-loop treatment of a graph",
    [GNN_SelfLoopsAsGiven, GNN_SelfLoopsOnePerVertex, GNN_SelfLoopsNone,
     GNN_SelfLoopsStoredPlusOne]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::gnn";
}

// Which endpoint of an edge `gnn.get_vertex` reads (PyG's `_j` and `_i`).
def GNN_SideSource : I32EnumAttrCase<"Source", 0, "source">;
def GNN_SideTarget : I32EnumAttrCase<"Target", 1, "target">;
def GNN_Side : I32EnumAttr<"Side", "edge endpoint",
    [GNN_SideSource, GNN_SideTarget]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::gnn";
}
def GNN_SideAttr : EnumAttr<GNN_Dialect, GNN_Side, "side"> {
  let assemblyFormat = "$value";
}

// The activation a dense stage (`gnn.linear`) applies to its rows after the
// bias (and the accumulated tensor): the elementwise ops of the same names.
// `elu` and `leaky_relu` take the op's `alpha` (elu's alpha, leaky_relu's
// negative_slope); `gelu` is the exact (erf) form.
def GNN_ActivationRelu      : I32EnumAttrCase<"Relu", 0, "relu">;
def GNN_ActivationLeakyRelu : I32EnumAttrCase<"LeakyRelu", 1, "leaky_relu">;
def GNN_ActivationElu       : I32EnumAttrCase<"Elu", 2, "elu">;
def GNN_ActivationSigmoid   : I32EnumAttrCase<"Sigmoid", 3, "sigmoid">;
def GNN_ActivationTanh      : I32EnumAttrCase<"Tanh", 4, "tanh">;
def GNN_ActivationGelu      : I32EnumAttrCase<"Gelu", 5, "gelu">;
def GNN_ActivationExp       : I32EnumAttrCase<"Exp", 6, "exp">;
def GNN_Activation : I32EnumAttr<"Activation", "activation of a dense stage",
    [GNN_ActivationRelu, GNN_ActivationLeakyRelu, GNN_ActivationElu,
     GNN_ActivationSigmoid, GNN_ActivationTanh, GNN_ActivationGelu,
     GNN_ActivationExp]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::gnn";
}
def GNN_ActivationAttr : EnumAttr<GNN_Dialect, GNN_Activation, "activation"> {
  let assemblyFormat = "$value";
}

#endif // GNN_ENUMS_TD
