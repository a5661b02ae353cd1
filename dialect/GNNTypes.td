//===- GNNTypes.td - Types of the gnn dialect --------------*- tablegen -*-===//
#ifndef GNN_TYPES_TD
#define GNN_TYPES_TD

include "mlir/IR/AttrTypeBase.td"
include "dialect/GNNDialect.td"
include "dialect/GNNEnums.td"

class GNN_Type<string name, string typeMnemonic, list<Trait> traits = []>
    : TypeDef<GNN_Dialect, name, traits> {
  let mnemonic = typeMnemonic;
}

def GNN_GraphType : GNN_Type<"Graph", "graph"> {
  let summary = "a graph, stored as in-edges grouped by destination";
  let parameters = (ins EnumParameter<GNN_SelfLoops>:$selfLoops);
  let assemblyFormat = "`<` $selfLoops `>`";
}

// Vertex and edge tensors are distinct types so that a per-vertex value can
// never be used where a per-edge one is meant: the row count (N or E) is
// implied by the domain, the feature shape is static.
class GNN_FeatureTensorType<string name, string typeMnemonic, string what>
    : GNN_Type<name, typeMnemonic> {
  let summary = "a feature tensor with one row per " # what;
  let parameters = (ins ArrayRefParameter<"int64_t">:$shape,
                        "::mlir::Type":$elementType);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The number of scalars in one row.
    int64_t getRowSize() const;
    /// The row type used inside stage regions.
    ::mlir::VectorType getRowType() const;
  }];
}

def GNN_VertexType : GNN_FeatureTensorType<"Vertex", "vertex", "vertex">;
def GNN_EdgeType : GNN_FeatureTensorType<"Edge", "edge", "edge">;

#endif // GNN_TYPES_TD
