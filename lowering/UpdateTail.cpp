//===- UpdateTail.cpp - Extend a message stage's update region -------------===//
#include "lowering/UpdateTail.h"

#include "mlir/IR/IRMapping.h"

using namespace mlir;

gnn::MessagePassingOp gnn::appendToUpdate(
    RewriterBase &rewriter, MessagePassingOp stage, Operation *fused,
    ValueRange extraInputs, VertexType resultType,
    function_ref<Value(OpBuilder &, Value, const IRMapping &)> tail) {
  SmallVector<Value> inputs(stage.getInputs());
  for (Value v : extraInputs)
    if (!llvm::is_contained(inputs, v))
      inputs.push_back(v);

  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(fused);
  auto joined = rewriter.create<MessagePassingOp>(
      stage.getLoc(), resultType, stage.getGraph(), inputs, stage.getAggr());
  auto addInputArguments = [&](Block *block, IRMapping &argOf) {
    for (Value v : inputs)
      argOf.map(v, block->addArgument(v.getType(), v.getLoc()));
  };

  // The message body, unchanged; the new inputs are unused there.
  IRMapping bodyArgs;
  Block *body = rewriter.createBlock(&joined.getBody());
  addInputArguments(body, bodyArgs);
  IRMapping map;
  for (auto [arg, v] : llvm::zip(stage.getBody().getArguments(), stage.getInputs()))
    map.map(arg, bodyArgs.lookup(v));
  for (Operation &op : stage.getBody().front())
    rewriter.clone(op, map);

  // The update: the stage's own update if it has one, then the tail.
  IRMapping updateArgs;
  Block *update = rewriter.createBlock(&joined.getUpdate());
  addInputArguments(update, updateArgs);
  Value row = update->addArgument(stage.getAggregateRowType(), stage.getLoc());
  if (stage.hasUpdate()) {
    Block &old = stage.getUpdate().front();
    IRMapping oldMap;
    for (auto [arg, v] : llvm::zip(old.getArguments(), stage.getInputs()))
      oldMap.map(arg, updateArgs.lookup(v));
    oldMap.map(old.getArguments().back(), row);
    row = cloneUpToYield(rewriter, old, oldMap);
  }
  rewriter.create<YieldOp>(stage.getLoc(), tail(rewriter, row, updateArgs));
  return joined;
}
