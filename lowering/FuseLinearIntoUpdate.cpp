//===- FuseLinearIntoUpdate.cpp - A stage's following linear into its update ===//
//
// message_passing(...) -> linear(aggr, W, b)   becomes one stage whose
// update ends in gnn.row_linear. On a graph whose gathered rows outgrow the
// caches a message kernel waits on memory; the product per target row
// (a few hundred FMAs against a dozen random rows) runs in that wait,
// and the N rows the linear would read back and the N it writes are gone.
// The row linear sums over the input features in order from zero and adds
// the bias, the sum and the activation after it, as oneDNN's matmul and
// its post-ops do, so the bits stay those of the separate linear.
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"
#include "lowering/UpdateTail.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace gnn {
#define GEN_PASS_DEF_GNNFUSELINEARINTOUPDATE
#include "lowering/Passes.h.inc"
} // namespace gnn

using namespace mlir;
using namespace gnn;

namespace {
/// The row op computing `activation` bit for bit as oneDNN's eltwise
/// post-op does, or null: relu and leaky_relu are a compare and a
/// multiply; the transcendental ones are polynomials that differ.
static Value exactActivation(OpBuilder &b, Location loc, LinearOp linear,
                             Value row) {
  switch (*linear.getActivation()) {
  case Activation::Relu:
    return b.create<ReluOp>(loc, row);
  case Activation::LeakyRelu:
    return b.create<LeakyReluOp>(loc, row, linear.getAlphaAttr());
  default:
    return Value();
  }
}

struct FuseLinear : public OpRewritePattern<LinearOp> {
  FuseLinear(MLIRContext *context, int64_t maxProduct)
      : OpRewritePattern(context), maxProduct(maxProduct) {}

  LogicalResult matchAndRewrite(LinearOp linear,
                                PatternRewriter &rewriter) const override {
    auto stage = linear.getInput().getDefiningOp<MessagePassingOp>();
    if (!stage || !stage->hasOneUse())
      return failure();
    auto in = dyn_cast<VertexType>(linear.getInput().getType());
    auto out = dyn_cast<VertexType>(linear.getResult().getType());
    if (!in || !out || in.getRowType().getRank() != 1 ||
        out.getRowType().getRank() != 1)
      return failure();
    if (in.getRowType().getNumElements() * out.getRowType().getNumElements() >
        maxProduct)
      return failure();
    if (linear.getActivation() &&
        !llvm::is_contained({Activation::Relu, Activation::LeakyRelu},
                            *linear.getActivation()))
      return failure();
    Value accumulate = linear.getAccumulate();
    if (accumulate && !isa<VertexType>(accumulate.getType()))
      return failure();

    SmallVector<Value> extra = {linear.getWeight()};
    for (Value v : {Value(linear.getBias()), accumulate})
      if (v)
        extra.push_back(v);
    Location loc = linear.getLoc();
    auto fused = appendToUpdate(
        rewriter, stage, linear, extra, out,
        [&](OpBuilder &b, Value row, const IRMapping &argOf) {
          Value y = b.create<RowLinearOp>(loc, out.getRowType(), row,
                                          argOf.lookup(linear.getWeight()),
                                          Value());
          if (Value bias = linear.getBias())
            y = b.create<AddOp>(loc, out.getRowType(), y, argOf.lookup(bias));
          if (accumulate)
            y = b.create<AddOp>(
                loc, out.getRowType(), y,
                b.create<GetVertexOp>(loc, out.getRowType(),
                                      argOf.lookup(accumulate), Side::Target));
          if (linear.getActivation())
            y = exactActivation(b, loc, linear, y);
          return y;
        });
    rewriter.replaceOp(linear, fused.getResult());
    rewriter.eraseOp(stage);
    return success();
  }

  int64_t maxProduct;
};

struct FuseLinearIntoUpdatePass
    : public gnn::impl::GNNFuseLinearIntoUpdateBase<FuseLinearIntoUpdatePass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseLinear>(&getContext(), maxProduct);
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
