//===- FuseTransforms.cpp - Merge chains of transform stages --------------===//
#include "lowering/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace gnn {
#define GEN_PASS_DEF_GNNFUSETRANSFORMS
#include "lowering/Passes.h.inc"
} // namespace gnn

using namespace mlir;
using namespace gnn;

namespace {
/// consumer(producer(a, b), c)  ->  fused(a, b, c), when the consumer is the
/// producer's only user: the producer's rows are recomputed nowhere else.
struct FuseProducerTransform : public OpRewritePattern<TransformOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TransformOp consumer,
                                PatternRewriter &rewriter) const override {
    TransformOp producer;
    for (Value v : consumer.getInputs())
      if (auto p = v.getDefiningOp<TransformOp>(); p && p->hasOneUse()) {
        producer = p;
        break;
      }
    if (!producer)
      return failure();

    SmallVector<Value> inputs;
    for (Value v : producer.getInputs())
      if (!llvm::is_contained(inputs, v))
        inputs.push_back(v);
    for (Value v : consumer.getInputs())
      if (v != producer.getResult() && !llvm::is_contained(inputs, v))
        inputs.push_back(v);

    rewriter.setInsertionPoint(consumer);
    auto fused = rewriter.create<TransformOp>(
        consumer.getLoc(), consumer.getResult().getType(), inputs);
    Block *body = rewriter.createBlock(&fused.getBody());
    IRMapping outer; // input value -> fused block argument
    for (Value v : inputs)
      outer.map(v, body->addArgument(
                       TransformOp::getRegionArgumentType(v.getType()),
                       v.getLoc()));

    // The producer's body, then the consumer's with the producer's result
    // replaced by the row the producer yields.
    IRMapping map;
    for (auto [arg, v] : llvm::zip(producer.getBody().getArguments(),
                                   producer.getInputs()))
      map.map(arg, outer.lookup(v));
    Value producedRow =
        cloneUpToYield(rewriter, producer.getBody().front(), map);
    for (auto [arg, v] : llvm::zip(consumer.getBody().getArguments(),
                                   consumer.getInputs()))
      map.map(arg, v == producer.getResult() ? producedRow : outer.lookup(v));
    for (Operation &op : consumer.getBody().front())
      rewriter.clone(op, map);

    rewriter.replaceOp(consumer, fused.getResult());
    rewriter.eraseOp(producer);
    return success();
  }
};

struct FuseTransformsPass
    : public gnn::impl::GNNFuseTransformsBase<FuseTransformsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseProducerTransform>(&getContext());
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
