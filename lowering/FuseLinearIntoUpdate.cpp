//===- FuseLinearIntoUpdate.cpp - A stage's following linear into its update ===//
//
// message_passing(...) -> linear(aggr, W, b)   becomes one stage whose
// update ends in gnn.row_linear. The N rows the linear would read back and
// the N it writes are gone; the product costs about what the matmul's
// arithmetic did (measured: a tile's FMAs do not hide behind the gathers).
// The row linear sums over the input features in order from zero and adds
// the bias, the sum and the activation after it, as oneDNN's AVX-512 matmul
// and its post-ops do, so the bits stay those of the separate linear there
// (ExecutorTest checks it; another ISA's oneDNN kernel may sum otherwise).
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

/// Whether oneDNN's eltwise post-op for `activation` has the bits of the
/// row op emitActivation makes: relu and leaky_relu (a compare and a
/// multiply); the transcendental ones are polynomials that differ.
static bool isExact(Activation activation) {
  return activation == Activation::Relu || activation == Activation::LeakyRelu;
}

/// `linear`'s activation (an exact one) of `row`.
static Value emitActivation(OpBuilder &b, LinearOp linear, Value row) {
  switch (*linear.getActivation()) {
  case Activation::Relu:
    return b.create<ReluOp>(linear.getLoc(), row);
  case Activation::LeakyRelu:
    return b.create<LeakyReluOp>(linear.getLoc(), row, linear.getAlphaAttr());
  default:
    llvm_unreachable("not an exact activation (isExact)");
  }
}

/// Whether `linear` may join the update of `stage`, whose rows it reads:
/// flat rows in and out, at most `maxProduct` weights, an exact activation
/// or none, and a weight the kernel can read transposed (a parameter, or a
/// column view of one) that the stage does not read already (a row
/// linear's weight is read as nothing else).
static bool fusible(LinearOp linear, MessagePassingOp stage,
                    int64_t maxProduct) {
  VectorType in = cast<VertexType>(linear.getInput().getType()).getRowType();
  VectorType out = cast<VertexType>(linear.getResult().getType()).getRowType();
  if (linear.getScale() || in.getRank() != 1 || out.getRank() != 1 ||
      in.getNumElements() * out.getNumElements() > maxProduct)
    return false;
  if (linear.getActivation() && !isExact(*linear.getActivation()))
    return false;
  Value weight = linear.getWeight();
  auto view = weight.getDefiningOp<ParamViewOp>();
  if (!isa<BlockArgument>(weight) && !(view && !view.getTranspose()))
    return false;
  return !llvm::is_contained(stage.getInputs(), weight);
}

/// The values a fused `linear` reads besides its input rows.
static SmallVector<Value> linearOperands(LinearOp linear) {
  SmallVector<Value> values = {linear.getWeight()};
  for (Value v : {Value(linear.getBias()), Value(linear.getAccumulate())})
    if (v)
      values.push_back(v);
  return values;
}

/// `linear` applied to `row` at `b`, its operands mapped by `argOf`: the
/// row linear, then the bias, the sum and the activation, in the order of
/// oneDNN's post-ops.
static Value emitLinear(OpBuilder &b, LinearOp linear, Value row,
                        const IRMapping &argOf) {
  Location loc = linear.getLoc();
  VectorType rowType =
      cast<VertexType>(linear.getResult().getType()).getRowType();
  Value y = b.create<RowLinearOp>(loc, rowType, row,
                                  argOf.lookup(linear.getWeight()), Value());
  if (Value bias = linear.getBias())
    y = b.create<AddOp>(loc, rowType, y, argOf.lookup(bias));
  if (Value accumulate = linear.getAccumulate())
    y = b.create<AddOp>(loc, rowType, y,
                        b.create<GetVertexOp>(loc, rowType,
                                              argOf.lookup(accumulate),
                                              Side::Target));
  if (linear.getActivation())
    y = emitActivation(b, linear, y);
  return y;
}

namespace {
/// message_passing(...) -> linear: the linear joins the end of the update.
struct FuseLinear : public OpRewritePattern<LinearOp> {
  FuseLinear(MLIRContext *context, int64_t maxProduct)
      : OpRewritePattern(context), maxProduct(maxProduct) {}

  LogicalResult matchAndRewrite(LinearOp linear,
                                PatternRewriter &rewriter) const override {
    auto stage = linear.getInput().getDefiningOp<MessagePassingOp>();
    if (!stage || !stage->hasOneUse() || !fusible(linear, stage, maxProduct))
      return failure();
    auto fused = appendToUpdate(
        rewriter, stage, linear, linearOperands(linear),
        cast<VertexType>(linear.getResult().getType()),
        [&](OpBuilder &b, Value row, const IRMapping &argOf) {
          return emitLinear(b, linear, row, argOf);
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
