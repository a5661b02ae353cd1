//===- GNNOps.h - Operations of the gnn dialect -----------------*- C++ -*-===//
#ifndef GNN_DIALECT_GNNOPS_H
#define GNN_DIALECT_GNNOPS_H

#include "dialect/GNNDialect.h"
#include "dialect/GNNTypes.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_ATTRDEF_CLASSES
#include "dialect/GNNAttrs.h.inc"

#define GET_OP_CLASSES
#include "dialect/GNNOps.h.inc"

namespace mlir {
class IRMapping;
} // namespace mlir

namespace gnn {

/// Clones the ops of a stage region's block up to its gnn.yield at `b`'s
/// insertion point, under `map` (which binds the block's arguments), and
/// returns the yielded row, mapped: what inlining one stage's row
/// computation into another's region takes.
mlir::Value cloneUpToYield(mlir::OpBuilder &b, mlir::Block &block,
                           mlir::IRMapping &map);

} // namespace gnn

#endif // GNN_DIALECT_GNNOPS_H
