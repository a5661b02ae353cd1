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

/// Whether `linear` may run as a row linear: flat rows in and out, at most
/// `maxProduct` weights, an exact activation or none, a vertex tensor (if
/// any) to sum into.
static bool fusible(LinearOp linear, int64_t maxProduct) {
  auto in = dyn_cast<VertexType>(linear.getInput().getType());
  auto out = dyn_cast<VertexType>(linear.getResult().getType());
  if (!in || !out || in.getRowType().getRank() != 1 ||
      out.getRowType().getRank() != 1)
    return false;
  if (in.getRowType().getNumElements() * out.getRowType().getNumElements() >
      maxProduct)
    return false;
  if (linear.getActivation() &&
      !llvm::is_contained({Activation::Relu, Activation::LeakyRelu},
                          *linear.getActivation()))
    return false;
  Value accumulate = linear.getAccumulate();
  return !accumulate || isa<VertexType>(accumulate.getType());
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
/// row linear, then the bias, the sum and the activation.
static Value emitLinear(OpBuilder &b, LinearOp linear, Value row,
                        function_ref<Value(Value)> argOf) {
  Location loc = linear.getLoc();
  VectorType rowType = cast<VertexType>(linear.getResult().getType()).getRowType();
  Value y = b.create<RowLinearOp>(loc, rowType, row,
                                  argOf(linear.getWeight()), Value());
  if (Value bias = linear.getBias())
    y = b.create<AddOp>(loc, rowType, y, argOf(bias));
  if (Value accumulate = linear.getAccumulate())
    y = b.create<AddOp>(loc, rowType, y,
                        b.create<GetVertexOp>(loc, rowType, argOf(accumulate),
                                              Side::Target));
  if (linear.getActivation())
    y = exactActivation(b, loc, linear, y);
  return y;
}

/// message_passing(...) -> linear: the linear joins the end of the update.
struct FuseLinear : public OpRewritePattern<LinearOp> {
  FuseLinear(MLIRContext *context, int64_t maxProduct)
      : OpRewritePattern(context), maxProduct(maxProduct) {}

  LogicalResult matchAndRewrite(LinearOp linear,
                                PatternRewriter &rewriter) const override {
    auto stage = linear.getInput().getDefiningOp<MessagePassingOp>();
    if (!stage || !stage->hasOneUse() || !fusible(linear, maxProduct))
      return failure();
    auto fused = appendToUpdate(
        rewriter, stage, linear, linearOperands(linear),
        cast<VertexType>(linear.getResult().getType()),
        [&](OpBuilder &b, Value row, const IRMapping &argOf) {
          return emitLinear(b, linear, row,
                            [&](Value v) { return argOf.lookup(v); });
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
