//===- GNNDialect.h - The gnn dialect ---------------------------*- C++ -*-===//
#ifndef GNN_DIALECT_GNNDIALECT_H
#define GNN_DIALECT_GNNDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Dialect.h"

#include "dialect/GNNDialect.h.inc"

namespace gnn {

// Names the frontend writes and the lowering reads, spelled once here.

/// The model function the frontend generates and the lowering compiles.
constexpr llvm::StringLiteral kForwardName = "forward";
/// The argument attribute of @forward naming the state_dict entry a
/// parameter binds to.
constexpr llvm::StringLiteral kParamAttrName = "gnn.param";
/// The attribute that marks a function as an outlined kernel.
constexpr llvm::StringLiteral kKernelAttrName = "gnn.kernel";
/// The vector register width in bits (i64, 256 or 512) a kernel is
/// compiled for on AVX-512 hosts (lowering/Codegen.cpp).
constexpr llvm::StringLiteral kVectorWidthAttrName = "gnn.vector_width";

} // namespace gnn

#endif // GNN_DIALECT_GNNDIALECT_H
