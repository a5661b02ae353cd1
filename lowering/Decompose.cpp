//===- Decompose.cpp - Graph-level IR into transform stages ---------------===//
//
// Wraps each whole-tensor elementwise op in a gnn.transform of its own; the
// fusion pass then merges chains. Keeping the two steps apart keeps each
// small and lets a researcher replace the fusion policy alone.
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"

#include "mlir/IR/IRMapping.h"

namespace gnn {
#define GEN_PASS_DEF_GNNDECOMPOSE
#include "lowering/Passes.h.inc"
} // namespace gnn

using namespace mlir;
using namespace gnn;

/// Elementwise gnn ops: those with gnn.transform-compatible semantics.
static bool isElementwise(Operation *op) {
  return isa<AddOp, SubOp, MulOp, DivOp, PowOp, MaximumOp, MinimumOp, NegOp,
             ExpOp, LogOp, SqrtOp, AbsOp, ReluOp, SigmoidOp, TanhOp, GeluOp,
             EluOp, LeakyReluOp>(op);
}

/// Scalar constants are cloned into stage regions rather than passed in.
static bool isSinkableConstant(Value v) {
  return v.getDefiningOp<arith::ConstantOp>() != nullptr;
}

/// Wraps `op` (whose single result is a vertex or edge tensor) in a
/// gnn.transform.
static void wrapInTransform(Operation *op) {
  OpBuilder b(op);
  SmallVector<Value> inputs;
  for (Value v : op->getOperands())
    if (!isSinkableConstant(v) && !llvm::is_contained(inputs, v))
      inputs.push_back(v);

  Type resultType = op->getResult(0).getType();
  auto stage = b.create<TransformOp>(op->getLoc(), resultType, inputs);
  Block *body = b.createBlock(&stage.getBody());
  IRMapping map;
  for (Value v : inputs)
    map.map(v, body->addArgument(TransformOp::getRegionArgumentType(v.getType()),
                                 v.getLoc()));
  for (Value v : op->getOperands())
    if (isSinkableConstant(v) && !map.contains(v))
      map.map(v, b.clone(*v.getDefiningOp())->getResult(0));

  Operation *row = b.clone(*op, map);
  row->getResult(0).setType(TransformOp::getRegionArgumentType(resultType));
  b.create<YieldOp>(op->getLoc(), row->getResult(0));
  op->getResult(0).replaceAllUsesWith(stage.getResult());
  op->erase();
}

namespace {
struct DecomposePass : public gnn::impl::GNNDecomposeBase<DecomposePass> {
  void runOnOperation() override {
    SmallVector<Operation *> work;
    for (Operation &op : getOperation().getBody().getOps())
      if (isElementwise(&op) && isFeatureTensor(op.getResult(0).getType()))
        work.push_back(&op);
    for (Operation *op : work)
      wrapInTransform(op);
  }
};
} // namespace
