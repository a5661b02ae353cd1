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

/// Row-local gnn ops: each output row depends on the same row of the
/// inputs, so they run in a gnn.transform. (A reshape of a whole tensor
/// is not among them: it stays in the schedule as a view of its input's
/// buffer, which costs nothing.)
static bool isRowLocal(Operation *op) {
  return isa<AddOp, SubOp, MulOp, DivOp, PowOp, MaximumOp, MinimumOp, NegOp,
             ExpOp, LogOp, SqrtOp, AbsOp, ReluOp, SigmoidOp, TanhOp, GeluOp,
             EluOp, LeakyReluOp, ReplaceOp, ReduceOp>(op);
}

/// Parameters (tensors) and scalars: the same value for every row.
static bool isUniform(Type t) { return isa<RankedTensorType, FloatType>(t); }

/// A computation on uniform values only (`1 + eps`, a reshaped parameter):
/// cheaper to repeat inside every stage that reads it than to schedule.
static bool isUniformComputation(Operation *op) {
  if (!op || op->getNumResults() != 1 || op->getNumRegions() != 0 ||
      !isMemoryEffectFree(op) || !isUniform(op->getResult(0).getType()))
    return false;
  if (!isa<GNNDialect, arith::ArithDialect>(op->getDialect()))
    return false;
  return llvm::all_of(op->getOperandTypes(), isUniform);
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

/// Moves the uniform computations a stage reads into its region, so that
/// the schedule holds only whole-tensor steps: the stage then reads their
/// operands (parameters) instead, and constants are cloned in.
static void sinkUniformInputs(MutableOperandRange inputs, Block &body,
                              SetVector<Operation *> &sunk) {
  for (;;) {
    auto it = llvm::find_if(inputs, [](OpOperand &operand) {
      return isUniformComputation(operand.get().getDefiningOp());
    });
    if (it == inputs.end())
      return;
    unsigned index = it - inputs.begin();
    Operation *producer = it->get().getDefiningOp();
    sunk.insert(producer);

    OpBuilder b(&body, body.begin());
    IRMapping map;
    for (Value operand : producer->getOperands()) {
      if (map.contains(operand))
        continue;
      if (isSinkableConstant(operand)) {
        map.map(operand, b.clone(*operand.getDefiningOp())->getResult(0));
        continue;
      }
      auto existing = llvm::find_if(
          inputs, [&](OpOperand &input) { return input.get() == operand; });
      if (existing != inputs.end()) {
        map.map(operand, body.getArgument(existing - inputs.begin()));
        continue;
      }
      inputs.append(operand);
      map.map(operand, body.addArgument(operand.getType(), operand.getLoc()));
    }
    Value row = b.clone(*producer, map)->getResult(0);
    body.getArgument(index).replaceAllUsesWith(row);
    body.eraseArgument(index);
    inputs.erase(index);
  }
}

namespace {
struct DecomposePass : public gnn::impl::GNNDecomposeBase<DecomposePass> {
  void runOnOperation() override {
    Block &top = getOperation().getBody().front();
    SmallVector<Operation *> work;
    for (Operation &op : top)
      if (isRowLocal(&op) && isFeatureTensor(op.getResult(0).getType()))
        work.push_back(&op);
    for (Operation *op : work)
      wrapInTransform(op);

    SetVector<Operation *> sunk;
    for (Operation &op : top) {
      if (auto t = dyn_cast<TransformOp>(op))
        sinkUniformInputs(t.getInputsMutable(), t.getBody().front(), sunk);
      else if (auto m = dyn_cast<MessagePassingOp>(op))
        sinkUniformInputs(m.getInputsMutable(), m.getBody().front(), sunk);
    }
    // What was sunk is dead at the top now (erased users first, until no
    // more die: one sunk computation may feed another).
    SmallVector<Operation *> pending(sunk.begin(), sunk.end());
    for (bool erased = true; erased;) {
      erased = false;
      for (Operation *&op : pending)
        if (op && op->use_empty()) {
          op->erase();
          op = nullptr;
          erased = true;
        }
    }
  }
};
} // namespace
