//===- FoldUnitMul.cpp - x * 1.0 -> x -------------------------------------===//
#include "ExamplePasses.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace gnn::example {
#define GEN_PASS_DEF_GNNFOLDUNITMUL
#include "ExamplePasses.h.inc"
} // namespace gnn::example

using namespace mlir;

namespace {
/// `op(x, 1.0)` -> `x` for a binary gnn op with 1.0 as its right identity
/// (and as its left one if `commutative`).
template <typename OpTy>
struct FoldUnitOperand : public OpRewritePattern<OpTy> {
  FoldUnitOperand(MLIRContext *ctx, bool commutative)
      : OpRewritePattern<OpTy>(ctx), commutative(commutative) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Value kept;
    if (matchPattern(op.getRhs(), m_OneFloat()))
      kept = op.getLhs();
    else if (commutative && matchPattern(op.getLhs(), m_OneFloat()))
      kept = op.getRhs();
    // 1.0 may broadcast the other operand (vector<1xf32> * tensor<4xf32>).
    if (!kept || kept.getType() != op.getType())
      return rewriter.notifyMatchFailure(op, "no identity operand");
    rewriter.replaceOp(op, kept);
    return success();
  }

  bool commutative;
};

struct FoldUnitMulPass
    : public gnn::example::impl::GNNFoldUnitMulBase<FoldUnitMulPass> {
  using GNNFoldUnitMulBase::GNNFoldUnitMulBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldUnitOperand<gnn::MulOp>>(&getContext(),
                                              /*commutative=*/true);
    if (foldDivision)
      patterns.add<FoldUnitOperand<gnn::DivOp>>(&getContext(),
                                                /*commutative=*/false);
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
