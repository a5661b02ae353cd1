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

#endif // GNN_DIALECT_GNNOPS_H
