//===- ExamplePasses.h - Passes of the example plugin -----------*- C++ -*-===//
#ifndef GNN_EXAMPLE_PASSES_H
#define GNN_EXAMPLE_PASSES_H

#include "dialect/GNNOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace gnn::example {

#define GEN_PASS_DECL
#include "ExamplePasses.h.inc"

#define GEN_PASS_REGISTRATION
#include "ExamplePasses.h.inc"

} // namespace gnn::example

#endif // GNN_EXAMPLE_PASSES_H
