//===- GNNTypes.h - Types and enumerations of the gnn dialect ---*- C++ -*-===//
#ifndef GNN_DIALECT_GNNTYPES_H
#define GNN_DIALECT_GNNTYPES_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Types.h"

#include "dialect/GNNEnums.h.inc"

#define GET_TYPEDEF_CLASSES
#include "dialect/GNNTypes.h.inc"

namespace gnn {

/// The feature shape of a vertex/edge tensor, row vector or parameter
/// tensor; empty for a scalar.
llvm::ArrayRef<int64_t> getFeatureShape(mlir::Type type);

/// True for vertex and edge tensors (values with one row per vertex/edge).
inline bool isFeatureTensor(mlir::Type type) {
  return llvm::isa<VertexType, EdgeType>(type);
}

/// The shape `a` and `b` broadcast to, aligning trailing dimensions (NumPy
/// rules); std::nullopt when they don't broadcast.
std::optional<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b);

} // namespace gnn

#endif // GNN_DIALECT_GNNTYPES_H
