//===- FuseUpdate.cpp - A stage's following transform into its update -----===//
//
// message_passing(...) -> transform(aggr, x, bias)   becomes one stage
// message_passing(..., x, bias) { message } update { transform(aggr, x_i) }.
// The aggregated rows then go from registers straight into the transform,
// saving a store and a load of N rows per layer.
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"
#include "lowering/UpdateTail.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace gnn {
#define GEN_PASS_DEF_GNNFUSEUPDATE
#include "lowering/Passes.h.inc"
} // namespace gnn

using namespace mlir;
using namespace gnn;

namespace {
struct FuseTransformIntoUpdate : public OpRewritePattern<TransformOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TransformOp transform,
                                PatternRewriter &rewriter) const override {
    if (!isa<VertexType>(transform.getResult().getType()))
      return failure();
    // The stage's result, possibly seen through a reshape (GAT's heads
    // concatenated: [H, C] rows viewed as [H * C]).
    MessagePassingOp stage;
    ReshapeOp view;
    Value fusedInput;
    for (Value v : transform.getInputs()) {
      ReshapeOp r = v.getDefiningOp<ReshapeOp>();
      Value produced = r && r->hasOneUse() ? r.getInput() : v;
      if (auto m = produced.getDefiningOp<MessagePassingOp>(); m && m->hasOneUse()) {
        stage = m;
        view = produced == v ? ReshapeOp() : r;
        fusedInput = v;
        break;
      }
    }
    if (!stage)
      return failure();
    // The update runs once per target: it can read vertex rows there and
    // parameters, nothing per edge.
    for (Value v : transform.getInputs())
      if (isa<EdgeType>(v.getType()))
        return failure();

    SmallVector<Value> extra;
    for (Value v : transform.getInputs())
      if (v != fusedInput)
        extra.push_back(v);
    auto fused = appendToUpdate(
        rewriter, stage, transform, extra,
        cast<VertexType>(transform.getResult().getType()),
        [&](OpBuilder &b, Value row, const IRMapping &argOf) {
          IRMapping transformMap;
          for (auto [arg, v] : llvm::zip(transform.getBody().getArguments(),
                                         transform.getInputs())) {
            if (v == fusedInput)
              transformMap.map(arg, view ? b.create<ReshapeOp>(view.getLoc(),
                                                               arg.getType(), row)
                                         : row);
            else if (auto t = dyn_cast<VertexType>(v.getType()))
              transformMap.map(arg, b.create<GetVertexOp>(
                                        v.getLoc(), t.getRowType(),
                                        argOf.lookup(v), Side::Target));
            else
              transformMap.map(arg, argOf.lookup(v));
          }
          return cloneUpToYield(b, transform.getBody().front(), transformMap);
        });

    rewriter.replaceOp(transform, fused.getResult());
    if (view)
      rewriter.eraseOp(view);
    rewriter.eraseOp(stage);
    return success();
  }
};

struct FuseUpdatePass : public gnn::impl::GNNFuseUpdateBase<FuseUpdatePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseTransformIntoUpdate>(&getContext());
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
