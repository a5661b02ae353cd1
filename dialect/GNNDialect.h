//===- GNNDialect.h - The gnn dialect ---------------------------*- C++ -*-===//
#ifndef GNN_DIALECT_GNNDIALECT_H
#define GNN_DIALECT_GNNDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Dialect.h"

#include "dialect/GNNDialect.h.inc"

#endif // GNN_DIALECT_GNNDIALECT_H
