//===- ExpandMath.cpp - Vectorisable polynomials for transcendental math --===//
#include "lowering/Passes.h"

#include "mlir/Dialect/Math/Transforms/Approximation.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace gnn {
#define GEN_PASS_DEF_GNNEXPANDMATH
#include "lowering/Passes.h.inc"
} // namespace gnn

using namespace mlir;

namespace {
struct ExpandMathPass : public gnn::impl::GNNExpandMathBase<ExpandMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns);
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
