//===- FuseDenseEpilogue.cpp - Bias, sum and activation into gnn.linear ---===//
//
// oneDNN applies a bias, a sum into the destination and an activation while
// the matmul's output tile is still in registers (post-ops). A transform
// doing only that to a linear's result would read and write every row
// once more; this folds it into the linear instead, and likewise a
// transform that multiplies a linear's rows by a per-row scalar, which
// the runtime applies to each block of rows right after its matmul.
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"
#include "lowering/RowScale.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace gnn {
#define GEN_PASS_DEF_GNNFUSEDENSEEPILOGUE
#include "lowering/Passes.h.inc"
} // namespace gnn

using namespace mlir;
using namespace gnn;

namespace {

/// What a transform body does to the rows of one or two linears.
struct Epilogue {
  SmallVector<unsigned, 2> linearArgs; // block arguments: linear results
  std::optional<unsigned> biasArg;     // block argument: a tensor<Fxf32>
  std::optional<Activation> activation;
  FloatAttr alpha;
};

/// The activation `op` computes, with its parameter.
static std::optional<std::pair<Activation, FloatAttr>>
matchActivation(Operation *op) {
  if (isa<ReluOp>(op))
    return std::make_pair(Activation::Relu, FloatAttr());
  if (auto lr = dyn_cast<LeakyReluOp>(op))
    return std::make_pair(Activation::LeakyRelu, lr.getNegativeSlopeAttr());
  if (auto elu = dyn_cast<EluOp>(op))
    return std::make_pair(Activation::Elu, elu.getAlphaAttr());
  if (isa<SigmoidOp>(op))
    return std::make_pair(Activation::Sigmoid, FloatAttr());
  if (isa<TanhOp>(op))
    return std::make_pair(Activation::Tanh, FloatAttr());
  if (isa<GeluOp>(op))
    return std::make_pair(Activation::Gelu, FloatAttr());
  if (isa<ExpOp>(op))
    return std::make_pair(Activation::Exp, FloatAttr());
  return std::nullopt;
}

/// Matches a body `yield act?(add?(lin [+ lin], bias))`, every value used
/// once, nothing else computed, rows all of the result's type.
static std::optional<Epilogue> matchBody(TransformOp transform) {
  Block &body = transform.getBody().front();
  auto rowType = cast<YieldOp>(body.getTerminator()).getValue().getType();
  auto argOf = [&](Value v) -> std::optional<unsigned> {
    auto arg = dyn_cast<BlockArgument>(v);
    if (!arg || arg.getOwner() != &body || !arg.hasOneUse())
      return std::nullopt;
    return arg.getArgNumber();
  };
  auto isLinearRow = [&](unsigned arg) {
    return body.getArgument(arg).getType() == rowType &&
           transform.getInputs()[arg].getDefiningOp<LinearOp>();
  };
  auto isBias = [&](unsigned arg) {
    auto t = dyn_cast<RankedTensorType>(body.getArgument(arg).getType());
    auto row = cast<VectorType>(rowType);
    return t && row.getRank() == 1 && t.getShape() == row.getShape();
  };

  Epilogue e;
  unsigned matched = 0; // ops of the body (without the yield) matched
  Value v = cast<YieldOp>(body.getTerminator()).getValue();
  Operation *op = v.getDefiningOp();
  if (op && v.hasOneUse()) {
    if (auto act = matchActivation(op)) {
      e.activation = act->first;
      e.alpha = act->second;
      v = op->getOperand(0);
      ++matched;
    }
  }
  // Up to two adds: of the bias and of a second linear, in either order.
  for (int adds = 0; adds < 2; ++adds) {
    auto add = v.getDefiningOp<AddOp>();
    if (!add || !v.hasOneUse() || add.getType() != rowType)
      break;
    std::optional<unsigned> lhs = argOf(add.getLhs()), rhs = argOf(add.getRhs());
    Value rest;
    if (!e.biasArg && rhs && isBias(*rhs)) {
      e.biasArg = rhs;
      rest = add.getLhs();
    } else if (!e.biasArg && lhs && isBias(*lhs)) {
      e.biasArg = lhs;
      rest = add.getRhs();
    } else if (lhs && rhs && isLinearRow(*lhs) && isLinearRow(*rhs)) {
      e.linearArgs = {*lhs, *rhs};
      v = Value();
      ++matched;
      break;
    } else {
      return std::nullopt;
    }
    v = rest;
    ++matched;
  }
  if (v) {
    std::optional<unsigned> arg = argOf(v);
    if (!arg || !isLinearRow(*arg))
      return std::nullopt;
    e.linearArgs = {*arg};
  }
  if (matched + 1 != body.getOperations().size())
    return std::nullopt;
  return e;
}

/// transform(linear(x, W[, b])[, bias]) { act?(row [+ bias]) }
///   -> linear(x, W, b or bias) activation = act
/// transform(linear(x1, ...), linear(x2, ...)[, bias]) { act?(r1 + r2 [+ bias]) }
///   -> linear(x2, ..., accumulate(linear(x1, ...))) activation = act
/// when each linear's only user is the transform.
struct FoldEpilogueIntoLinear : public OpRewritePattern<TransformOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TransformOp transform,
                                PatternRewriter &rewriter) const override {
    std::optional<Epilogue> e = matchBody(transform);
    if (!e)
      return failure();
    SmallVector<LinearOp, 2> linears;
    for (unsigned arg : e->linearArgs) {
      auto linear = transform.getInputs()[arg].getDefiningOp<LinearOp>();
      if (!linear->hasOneUse() || linear.getActivation() ||
          linear.getAccumulate() || linear.getScale())
        return failure();
      linears.push_back(linear);
    }
    // The later linear runs with the earlier one's result as its sum.
    if (linears.size() == 2 && linears[1]->isBeforeInBlock(linears[0]))
      std::swap(linears[0], linears[1]);
    if (linears.size() == 2 && linears[0] == linears[1])
      return failure();
    LinearOp last = linears.back();

    Value bias = last.getBias();
    Value accumulate;
    if (linears.size() == 2)
      accumulate = linears[0].getResult();
    if (e->biasArg) {
      Value extra = transform.getInputs()[*e->biasArg];
      if (!bias) {
        bias = extra;
      } else if (linears.size() == 2 && !linears[0].getBias() &&
                 (!extra.getDefiningOp() ||
                  extra.getDefiningOp()->isBeforeInBlock(linears[0]))) {
        // Give the earlier linear the bias it lacks instead.
        rewriter.modifyOpInPlace(linears[0], [&] {
          linears[0].getBiasMutable().assign(extra);
        });
      } else {
        return failure(); // two biases on one matmul
      }
    }

    rewriter.setInsertionPoint(transform);
    auto fused = rewriter.create<LinearOp>(
        rewriter.getFusedLoc({last.getLoc(), transform.getLoc()}),
        transform.getResult().getType(), last.getInput(), last.getWeight(),
        bias, accumulate, /*scale=*/Value(),
        e->activation ? ActivationAttr::get(getContext(), *e->activation)
                      : ActivationAttr(),
        e->alpha);
    rewriter.replaceOp(transform, fused.getResult());
    rewriter.eraseOp(last);
    return success();
  }
};

/// transform(linear(x, ...), s) { row * s_row }, s one f32 per row
///   -> linear(x, ...) scale(s)
/// when the linear's only user is the transform and its input has one
/// feature dimension.
struct FoldRowScaleIntoLinear : public OpRewritePattern<TransformOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TransformOp transform,
                                PatternRewriter &rewriter) const override {
    // The product keeps the linear's row type.
    std::optional<std::pair<LinearOp, Value>> match =
        matchLinearTimes(transform, [&](LinearOp linear, Value scale) {
          return linear->hasOneUse() &&
                 transform.getType() == linear.getType() &&
                 linearCanScaleBy(linear, scale);
        });
    if (!match)
      return failure();
    auto [linear, scale] = *match;
    // At the transform, where the scale is known to exist.
    rewriter.setInsertionPoint(transform);
    auto scaled = rewriter.create<LinearOp>(
        rewriter.getFusedLoc({linear.getLoc(), transform.getLoc()}),
        transform.getResult().getType(), linear.getInput(), linear.getWeight(),
        linear.getBias(), linear.getAccumulate(), scale,
        linear.getActivationAttr(), linear.getAlphaAttr());
    rewriter.replaceOp(transform, scaled.getResult());
    rewriter.eraseOp(linear);
    return success();
  }
};

struct FuseDenseEpiloguePass
    : public gnn::impl::GNNFuseDenseEpilogueBase<FuseDenseEpiloguePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldEpilogueIntoLinear, FoldRowScaleIntoLinear>(&getContext());
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
