//===- LowerElementwise.cpp - Elementwise gnn ops on rows to arith/math ---===//
//
// Rows of any feature shape are computed flat (lowering/Rows.h): every op
// flattens its operands, broadcasts them with constant shuffles, computes
// on 1-D vectors and shape-casts the result back; the canonicalizer then
// folds the shape_cast pairs between ops away.
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"
#include "lowering/Rows.h"

#include "mlir/Transforms/DialectConversion.h"

namespace gnn {
#define GEN_PASS_DEF_GNNLOWERELEMENTWISE
#include "lowering/Passes.h.inc"
} // namespace gnn

using namespace mlir;
using namespace gnn;

/// `v` (a row or scalar) as the flat elements of a value of type `type`
/// (a row type; a scalar type leaves `v` alone).
static Value flatOperand(OpBuilder &b, Location loc, Value v, Type type) {
  if (!isa<VectorType>(type))
    return v;
  return broadcastFlat(b, loc, flattenRow(b, loc, v), rowShape(v.getType()),
                       rowShape(type));
}

/// The flat result `flat` as a value of `type`.
static Value restore(OpBuilder &b, Location loc, Value flat, Type type) {
  if (auto vec = dyn_cast<VectorType>(type))
    return unflattenRow(b, loc, flat, vec);
  return flat;
}

static Value splat(OpBuilder &b, Location loc, Type type, float value) {
  auto attr = b.getF32FloatAttr(value);
  if (auto vec = dyn_cast<VectorType>(type))
    return b.create<arith::ConstantOp>(loc, vec, DenseElementsAttr::get(vec, attr));
  return b.create<arith::ConstantOp>(loc, attr);
}

namespace {

/// Rows and scalars only: whole tensors are lowered elsewhere.
static bool isRowValue(Type t) { return isa<VectorType, Float32Type>(t); }

/// An op this pass lowers: rows and scalars in and out. A row op that still
/// reads a parameter tensor sits in a stage region that was not outlined
/// (kernels see parameters as vectors); it stays as it is.
static bool isRowOp(Operation *op) {
  return llvm::all_of(op->getOperandTypes(), isRowValue) &&
         llvm::all_of(op->getResultTypes(), isRowValue);
}

template <typename SourceOp>
struct BinaryLowering : public OpConversionPattern<SourceOp> {
  using OpConversionPattern<SourceOp>::OpConversionPattern;
  using Emit = Value (*)(OpBuilder &, Location, Value, Value);

  BinaryLowering(MLIRContext *ctx, Emit emit)
      : OpConversionPattern<SourceOp>(ctx), emit(emit) {}

  LogicalResult
  matchAndRewrite(SourceOp op, typename SourceOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type type = op.getResult().getType();
    if (!isRowOp(op))
      return rewriter.notifyMatchFailure(op, "not a row");
    Location loc = op.getLoc();
    Value lhs = flatOperand(rewriter, loc, adaptor.getLhs(), type);
    Value rhs = flatOperand(rewriter, loc, adaptor.getRhs(), type);
    rewriter.replaceOp(op, restore(rewriter, loc, emit(rewriter, loc, lhs, rhs),
                                   type));
    return success();
  }
  Emit emit;
};

template <typename SourceOp>
struct UnaryLowering : public OpConversionPattern<SourceOp> {
  using OpConversionPattern<SourceOp>::OpConversionPattern;
  using Emit = Value (*)(OpBuilder &, Location, SourceOp, Value);

  UnaryLowering(MLIRContext *ctx, Emit emit)
      : OpConversionPattern<SourceOp>(ctx), emit(emit) {}

  LogicalResult
  matchAndRewrite(SourceOp op, typename SourceOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isRowOp(op))
      return rewriter.notifyMatchFailure(op, "not a row");
    Location loc = op.getLoc();
    Type type = op.getResult().getType();
    Value x = flattenRow(rewriter, loc, adaptor.getInput());
    rewriter.replaceOp(op, restore(rewriter, loc, emit(rewriter, loc, op, x),
                                   type));
    return success();
  }
  Emit emit;
};

/// A reshape of a row changes nothing in the flat elements.
struct ReshapeLowering : public OpConversionPattern<ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isRowOp(op))
      return rewriter.notifyMatchFailure(op, "not a row");
    Location loc = op.getLoc();
    Value flat = flattenRow(rewriter, loc, adaptor.getInput());
    rewriter.replaceOp(op, restore(rewriter, loc, flat, op.getType()));
    return success();
  }
};

struct ReduceLowering : public OpConversionPattern<ReduceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReduceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isRowOp(op))
      return rewriter.notifyMatchFailure(op, "not a row");
    Location loc = op.getLoc();
    Value flat = flattenRow(rewriter, loc, adaptor.getInput());
    Value reduced =
        reduceFlat(rewriter, loc, flat, rowShape(op.getInput().getType()),
                   op.getDim(), op.getKind());
    rewriter.replaceOp(op, restore(rewriter, loc, reduced, op.getType()));
    return success();
  }
};

/// Rows joined along their last dimension: one constant shuffle per input
/// after the first, interleaving the blocks of the last dimension.
struct ConcatLowering : public OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ArrayRef<int64_t> shape = rowShape(op.getType());
    int64_t outer = 1;
    for (int64_t d : shape.drop_back())
      outer *= d;
    Value acc = flattenRow(rewriter, loc, adaptor.getInputs().front());
    int64_t accWidth = rowShape(op.getInputs().front().getType()).back();
    for (auto [input, flatInput] :
         llvm::zip(op.getInputs().drop_front(), adaptor.getInputs().drop_front())) {
      int64_t width = rowShape(input.getType()).back();
      SmallVector<int64_t> mask;
      for (int64_t o = 0; o < outer; ++o) {
        for (int64_t k = 0; k < accWidth; ++k)
          mask.push_back(o * accWidth + k);
        for (int64_t k = 0; k < width; ++k)
          mask.push_back(outer * accWidth + o * width + k);
      }
      acc = rewriter.create<vector::ShuffleOp>(
          loc, acc, flattenRow(rewriter, loc, flatInput), mask);
      accWidth += width;
    }
    rewriter.replaceOp(op, restore(rewriter, loc, acc, op.getType()));
    return success();
  }
};

/// A strided box of a row: one constant shuffle picking its elements.
struct SliceLowering : public OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ArrayRef<int64_t> in = rowShape(op.getInput().getType());
    ArrayRef<int64_t> out = rowShape(op.getType());
    ArrayRef<int64_t> offsets = op.getOffsets(), strides = op.getStrides();
    SmallVector<int64_t> mask, index(out.size(), 0);
    int64_t count = 1;
    for (int64_t d : out)
      count *= d;
    for (int64_t n = 0; n < count; ++n) {
      int64_t flat = 0;
      for (size_t d = 0; d < out.size(); ++d)
        flat = flat * in[d] + offsets[d] + index[d] * strides[d];
      mask.push_back(flat);
      for (size_t d = out.size(); d-- > 0;) { // the next index, row-major
        if (++index[d] < out[d])
          break;
        index[d] = 0;
      }
    }
    Value flat = flattenRow(rewriter, loc, adaptor.getInput());
    Value picked = rewriter.create<vector::ShuffleOp>(loc, flat, flat, mask);
    rewriter.replaceOp(op, restore(rewriter, loc, picked, op.getType()));
    return success();
  }
};

template <typename ArithOp>
Value emitBinary(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  return b.create<ArithOp>(loc, lhs, rhs);
}

/// Products and sums may fuse into FMAs (`contract`): a message scaled by
/// a norm and added to the accumulator becomes one instruction per vector,
/// with one rounding instead of two.
template <typename ArithOp>
Value emitContractible(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  return b.create<ArithOp>(
      loc, lhs, rhs,
      arith::FastMathFlagsAttr::get(b.getContext(), arith::FastMathFlags::contract));
}

template <typename SourceOp, typename TargetOp>
Value emitUnary(OpBuilder &b, Location loc, SourceOp, Value x) {
  return b.create<TargetOp>(loc, x);
}

Value emitRelu(OpBuilder &b, Location loc, ReluOp, Value x) {
  return b.create<arith::MaximumFOp>(loc, x, splat(b, loc, x.getType(), 0.0f));
}

Value emitSigmoid(OpBuilder &b, Location loc, SigmoidOp, Value x) {
  Value one = splat(b, loc, x.getType(), 1.0f);
  Value e = b.create<math::ExpOp>(loc, b.create<arith::NegFOp>(loc, x));
  return b.create<arith::DivFOp>(loc, one, b.create<arith::AddFOp>(loc, one, e));
}

Value emitGelu(OpBuilder &b, Location loc, GeluOp, Value x) {
  Type t = x.getType();
  Value scaled = b.create<arith::MulFOp>(loc, x, splat(b, loc, t, float(M_SQRT1_2)));
  Value erf = b.create<math::ErfOp>(loc, scaled);
  Value onePlus = b.create<arith::AddFOp>(loc, splat(b, loc, t, 1.0f), erf);
  Value half = b.create<arith::MulFOp>(loc, x, splat(b, loc, t, 0.5f));
  return b.create<arith::MulFOp>(loc, half, onePlus);
}

/// select(x > 0, x, negative)
Value selectPositive(OpBuilder &b, Location loc, Value x, Value negative) {
  Value positive = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, x,
                                           splat(b, loc, x.getType(), 0.0f));
  return b.create<arith::SelectOp>(loc, positive, x, negative);
}

Value emitElu(OpBuilder &b, Location loc, EluOp op, Value x) {
  Value em1 = b.create<math::ExpM1Op>(loc, x);
  Value neg = b.create<arith::MulFOp>(
      loc, em1, splat(b, loc, x.getType(), op.getAlpha().convertToFloat()));
  return selectPositive(b, loc, x, neg);
}

Value emitReplace(OpBuilder &b, Location loc, ReplaceOp op, Value x) {
  Value from = splat(b, loc, x.getType(), op.getFrom().convertToFloat());
  Value hit = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OEQ, x, from);
  return b.create<arith::SelectOp>(
      loc, hit, splat(b, loc, x.getType(), op.getTo().convertToFloat()), x);
}

Value emitLeakyRelu(OpBuilder &b, Location loc, LeakyReluOp op, Value x) {
  Value neg = b.create<arith::MulFOp>(
      loc, x, splat(b, loc, x.getType(), op.getNegativeSlope().convertToFloat()));
  return selectPositive(b, loc, x, neg);
}

/// x^c for a constant c: the common exponents without a libm call per
/// lane (GCN's deg^-1/2 would otherwise be a scalar powf per vertex). With
/// x + 0 under the square roots, -0 becomes +0 and the results agree with
/// powf's, except pow(-inf, +-0.5), NaN here as sqrt(-inf) is.
struct PowLowering : public OpConversionPattern<PowOp> {
  using OpConversionPattern::OpConversionPattern;

  static std::optional<double> constantExponent(Value v) {
    auto constant = v.getDefiningOp<arith::ConstantOp>();
    if (!constant)
      return std::nullopt;
    if (auto f = dyn_cast<FloatAttr>(constant.getValue()))
      return f.getValueAsDouble();
    if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
        dense && dense.isSplat() && isa<FloatType>(dense.getElementType()))
      return dense.getSplatValue<APFloat>().convertToDouble();
    return std::nullopt;
  }

  LogicalResult
  matchAndRewrite(PowOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isRowOp(op))
      return rewriter.notifyMatchFailure(op, "not a row");
    Location loc = op.getLoc();
    Type type = op.getResult().getType();
    Value x = flatOperand(rewriter, loc, adaptor.getLhs(), type);
    Type flat = x.getType();
    auto sqrtOf = [&](Value v) {
      Value plusZero = rewriter.create<arith::AddFOp>(loc, v, splat(rewriter, loc, flat, 0.0f));
      return rewriter.create<math::SqrtOp>(loc, plusZero);
    };
    auto reciprocal = [&](Value v) -> Value {
      return rewriter.create<arith::DivFOp>(loc, splat(rewriter, loc, flat, 1.0f), v);
    };
    Value result;
    std::optional<double> c = constantExponent(adaptor.getRhs());
    if (c == 1.0)
      result = x;
    else if (c == 2.0)
      result = rewriter.create<arith::MulFOp>(loc, x, x);
    else if (c == -1.0)
      result = reciprocal(x);
    else if (c == 0.5)
      result = sqrtOf(x);
    else if (c == -0.5)
      result = reciprocal(sqrtOf(x));
    else
      result = rewriter.create<math::PowFOp>(
          loc, x, flatOperand(rewriter, loc, adaptor.getRhs(), type));
    rewriter.replaceOp(op, restore(rewriter, loc, result, type));
    return success();
  }
};

struct LowerElementwisePass
    : public gnn::impl::GNNLowerElementwiseBase<LowerElementwisePass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    patterns.add<BinaryLowering<AddOp>>(ctx, emitContractible<arith::AddFOp>);
    patterns.add<BinaryLowering<SubOp>>(ctx, emitContractible<arith::SubFOp>);
    patterns.add<BinaryLowering<MulOp>>(ctx, emitContractible<arith::MulFOp>);
    patterns.add<BinaryLowering<DivOp>>(ctx, emitBinary<arith::DivFOp>);
    patterns.add<PowLowering>(ctx);
    patterns.add<BinaryLowering<MaximumOp>>(ctx, emitBinary<arith::MaximumFOp>);
    patterns.add<BinaryLowering<MinimumOp>>(ctx, emitBinary<arith::MinimumFOp>);
    patterns.add<UnaryLowering<NegOp>>(ctx, emitUnary<NegOp, arith::NegFOp>);
    patterns.add<UnaryLowering<ExpOp>>(ctx, emitUnary<ExpOp, math::ExpOp>);
    patterns.add<UnaryLowering<LogOp>>(ctx, emitUnary<LogOp, math::LogOp>);
    patterns.add<UnaryLowering<SqrtOp>>(ctx, emitUnary<SqrtOp, math::SqrtOp>);
    patterns.add<UnaryLowering<AbsOp>>(ctx, emitUnary<AbsOp, math::AbsFOp>);
    patterns.add<UnaryLowering<TanhOp>>(ctx, emitUnary<TanhOp, math::TanhOp>);
    patterns.add<UnaryLowering<ReluOp>>(ctx, emitRelu);
    patterns.add<UnaryLowering<SigmoidOp>>(ctx, emitSigmoid);
    patterns.add<UnaryLowering<GeluOp>>(ctx, emitGelu);
    patterns.add<UnaryLowering<EluOp>>(ctx, emitElu);
    patterns.add<UnaryLowering<LeakyReluOp>>(ctx, emitLeakyRelu);
    patterns.add<UnaryLowering<ReplaceOp>>(ctx, emitReplace);
    patterns.add<ReshapeLowering, ReduceLowering, ConcatLowering, SliceLowering>(
        ctx);

    ConversionTarget target(*ctx);
    target.addLegalDialect<arith::ArithDialect, math::MathDialect,
                           vector::VectorDialect>();
    // Elementwise ops on whole tensors stay (they belong to the schedule).
    target.markUnknownOpDynamicallyLegal([](Operation *op) {
      if (op->getDialect() != op->getContext()->getLoadedDialect<GNNDialect>() ||
          op->getNumResults() != 1)
        return true;
      if (isa<GetVertexOp, GetEdgeOp>(op))
        return true;
      return !isRowOp(op);
    });
    if (failed(applyPartialConversion(getOperation(), target, std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
