//===- GNNDialect.td - The gnn dialect declaration ---------*- tablegen -*-===//
#ifndef GNN_DIALECT_TD
#define GNN_DIALECT_TD

include "mlir/IR/OpBase.td"

def GNN_Dialect : Dialect {
  let name = "gnn";
  let cppNamespace = "::gnn";
  let summary = "Graph neural network layers as transform and message-passing stages";
  let description = [{
    The gnn dialect describes full-graph GNN inference. At the graph level a
    model is a function over a graph and per-vertex feature tensors; the
    decomposition passes turn it into a schedule of `gnn.transform`
    (vertex- or edge-local work), `gnn.linear` (dense matmuls) and
    `gnn.message_passing` (gather over in-edges, then aggregate) stages,
    following arXiv 2503.06208. Inside stage regions values are rows: one
    vertex's or one edge's features, as a `vector`.
  }];
  let useDefaultTypePrinterParser = 1;
  let useDefaultAttributePrinterParser = 1;
  let dependentDialects = ["::mlir::arith::ArithDialect"];
  let extraClassDeclaration = [{
    void registerTypes();
  }];
}

class GNN_Op<string mnemonic, list<Trait> traits = []>
    : Op<GNN_Dialect, mnemonic, traits>;

#endif // GNN_DIALECT_TD
