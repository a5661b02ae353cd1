//===- GNNDialect.cpp - Registration of the gnn dialect -------------------===//
#include "dialect/GNNDialect.h"
#include "dialect/GNNOps.h"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace gnn;

#include "dialect/GNNDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialect/GNNAttrs.cpp.inc"

void GNNDialect::initialize() {
  registerTypes();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialect/GNNAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "dialect/GNNOps.cpp.inc"
      >();
}
