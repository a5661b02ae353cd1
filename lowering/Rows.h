//===- Rows.h - Feature rows as flat vectors inside kernels -----*- C++ -*-===//
//
// Inside kernels a row of any feature shape is computed as one 1-D vector of
// its elements in row-major order: LLVM turns n-D vectors into arrays of
// vectors and handles them poorly, while flat vectors map onto registers.
// Broadcasting and reductions along a dimension become constant shuffles.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_LOWERING_ROWS_H
#define GNN_LOWERING_ROWS_H

#include "dialect/GNNTypes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace gnn {

/// The row-major index into a value of shape `from` that each element of
/// shape `to` reads when `from` broadcasts to `to` (NumPy rules, trailing
/// dimensions aligned; `from` must broadcast to `to`).
llvm::SmallVector<int64_t> broadcastIndices(llvm::ArrayRef<int64_t> from,
                                            llvm::ArrayRef<int64_t> to);

/// The feature shape of a row value: a vector's shape, or {} for a scalar.
llvm::ArrayRef<int64_t> rowShape(mlir::Type type);

/// `v` (a vector of any shape, or an f32 scalar, which stays as it is) as
/// the 1-D vector of its elements. Constants are rebuilt flat and a
/// shape_cast from a 1-D vector is looked through, so that no n-D value is
/// left behind.
mlir::Value flattenRow(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v);

/// The flat row `flat` back in the shape of `type` (no-op for 1-D).
mlir::Value unflattenRow(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value flat, mlir::VectorType type);

/// `flat` (the flat elements of a value of shape `from`, or an f32 scalar)
/// broadcast to the flat elements of shape `to`: a splat, the value itself,
/// or one constant shuffle.
mlir::Value broadcastFlat(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value flat, llvm::ArrayRef<int64_t> from,
                          llvm::ArrayRef<int64_t> to);

/// Reduces the flat elements of a value of shape `shape` along dimension
/// `dim`: one shuffle per position along `dim`, combined elementwise. The
/// result is flat, or an f32 when `shape` has one dimension.
mlir::Value reduceFlat(mlir::OpBuilder &b, mlir::Location loc, mlir::Value flat,
                       llvm::ArrayRef<int64_t> shape, int64_t dim,
                       Reduction kind);

} // namespace gnn

#endif // GNN_LOWERING_ROWS_H
