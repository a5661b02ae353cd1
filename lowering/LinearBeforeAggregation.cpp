//===- LinearBeforeAggregation.cpp - Narrow rows before gathering them ----===//
//
// linear(message_passing(x)) = message_passing(linear(x)) when the stage is
// linear in x: its messages are x_j (or x_i) scaled by per-edge scalars,
// summed or averaged, and its update adds such terms. A layer that reduces
// the width (SAGE's lin_l after the mean, GIN's first MLP layer after the
// sum) then gathers the narrow rows instead of the wide ones: each edge
// reads out/in of the bytes. The bias, which does not commute with the
// aggregation, is added in the update.
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace gnn {
#define GEN_PASS_DEF_GNNLINEARBEFOREAGGREGATION
#include "lowering/Passes.h.inc"
} // namespace gnn

using namespace mlir;
using namespace gnn;

namespace {

/// A value with one element: a per-edge or per-vertex scalar, whichever way
/// it is typed. Multiplying a row by it commutes with a matmul.
bool isScalarLike(Type t) {
  if (t.isF32())
    return true;
  if (auto shaped = dyn_cast<ShapedType>(t))
    return shaped.hasStaticShape() && shaped.getNumElements() == 1;
  if (auto vertex = dyn_cast<VertexType>(t))
    return vertex.getRowSize() == 1;
  return false;
}

/// Finds the values of a stage region that are linear in the rows of one
/// input tensor (and in the aggregated row, in an update region), and
/// checks that nothing else is done with them. `rows` collects them.
class LinearityCheck {
public:
  LinearityCheck(Value tensorArg, Value aggregateArg, unsigned width)
      : width(width) {
    if (aggregateArg)
      rows.insert(aggregateArg);
    for (Operation *user : tensorArg.getUsers()) {
      auto get = dyn_cast<GetVertexOp>(user);
      if (!get) {
        ok = false;
        return;
      }
      rows.insert(get.getRow());
    }
  }

  /// Walks the region's ops in order; false if a row is used non-linearly.
  bool check(Block &block) {
    for (Operation &op : block) {
      if (!ok)
        return false;
      bool readsRow = llvm::any_of(op.getOperands(),
                                   [&](Value v) { return rows.contains(v); });
      if (!readsRow)
        continue;
      if (auto yield = dyn_cast<YieldOp>(op)) {
        ok = yield.getValues().size() == 1;
        continue;
      }
      if (op.getNumResults() != 1) {
        ok = false;
        continue;
      }
      auto type = dyn_cast<VectorType>(op.getResult(0).getType());
      if (!type || type.getRank() != 1 || type.getNumElements() != width) {
        ok = false;
        continue;
      }
      Value lhs = op.getNumOperands() > 0 ? op.getOperand(0) : Value();
      Value rhs = op.getNumOperands() > 1 ? op.getOperand(1) : Value();
      auto isRow = [&](Value v) { return rows.contains(v); };
      auto isScalar = [&](Value v) {
        return !isRow(v) && isScalarLike(v.getType());
      };
      bool linear = false;
      if (isa<AddOp, SubOp>(op))
        linear = isRow(lhs) && isRow(rhs);
      else if (isa<MulOp>(op))
        linear = (isRow(lhs) && isScalar(rhs)) || (isScalar(lhs) && isRow(rhs));
      else if (isa<DivOp>(op))
        linear = isRow(lhs) && isScalar(rhs);
      else if (isa<NegOp>(op))
        linear = true;
      if (!linear) {
        ok = false;
        continue;
      }
      rows.insert(op.getResult(0));
    }
    // The region's result must be such a row.
    auto yield = cast<YieldOp>(block.getTerminator());
    return ok && rows.contains(yield.getValue());
  }

  llvm::SetVector<Value> rows;
  unsigned width;
  bool ok = true;
};

struct LinearBeforeAggregation : public OpRewritePattern<LinearOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LinearOp linear,
                                PatternRewriter &rewriter) const override {
    // A plain linear: folded post-ops would not commute.
    if (linear.getAccumulate() || linear.getActivation() || linear.getScale())
      return failure();
    auto stage = linear.getInput().getDefiningOp<MessagePassingOp>();
    if (!stage || !stage->hasOneUse())
      return failure();
    if (stage.getAggr() != Aggregation::Add && stage.getAggr() != Aggregation::Mean)
      return failure();
    auto inType = dyn_cast<VertexType>(stage.getResult().getType());
    auto outType = dyn_cast<VertexType>(linear.getResult().getType());
    if (!inType || !outType || inType.getShape().size() != 1 ||
        outType.getShape().size() != 1 ||
        outType.getRowSize() >= inType.getRowSize())
      return failure();
    unsigned in = inType.getRowSize();

    // The message must be linear in the rows of one input, of the stage's
    // width; so must the update, in that input and the aggregate.
    Block &body = stage.getBody().front();
    if (cast<YieldOp>(body.getTerminator()).getValues().size() != 1)
      return failure();
    std::optional<unsigned> source;
    for (BlockArgument arg : body.getArguments())
      if (arg.getType() == Type(inType) && !arg.use_empty()) {
        if (source)
          return failure(); // two wide inputs: which one would narrow?
        source = arg.getArgNumber();
      }
    if (!source)
      return failure();
    LinearityCheck message(body.getArgument(*source), Value(), in);
    if (!message.check(body))
      return failure();
    std::optional<LinearityCheck> update;
    if (stage.hasUpdate()) {
      Block &u = stage.getUpdate().front();
      update.emplace(u.getArgument(*source), u.getArguments().back(), in);
      if (!update->check(u))
        return failure();
    }

    // linear(x) without the bias, shared with an identical one if any. At
    // the linear: what the stage reads and the weight and bias all come
    // before it (the weight may be computed after the stage).
    Value x = stage.getInputs()[*source];
    rewriter.setInsertionPoint(linear);
    Value narrowed;
    for (Operation *user : x.getUsers())
      if (auto other = dyn_cast<LinearOp>(user);
          other && other != linear && other.getInput() == x &&
          other.getWeight() == linear.getWeight() && !other.getBias() &&
          !other.getAccumulate() && !other.getActivation() &&
          !other.getScale() &&
          other->getBlock() == linear->getBlock() &&
          other->isBeforeInBlock(linear))
        narrowed = other.getResult();
    if (!narrowed)
      narrowed = rewriter.create<LinearOp>(linear.getLoc(), outType, x,
                                           linear.getWeight(), Value());

    SmallVector<Value> inputs(stage.getInputs());
    inputs[*source] = narrowed;
    Value bias = linear.getBias();
    if (bias && !llvm::is_contained(inputs, bias))
      inputs.push_back(bias);
    auto fused = rewriter.create<MessagePassingOp>(
        stage.getLoc(), outType, stage.getGraph(), inputs, stage.getAggr());
    VectorType narrowRow = outType.getRowType();

    // Clones `from` into a new block of `region` whose arguments are the new
    // inputs (plus `extra` trailing types), retyping the linear rows.
    auto cloneRegion = [&](Block &from, Region &region,
                           const llvm::SetVector<Value> &rows,
                           ArrayRef<Type> extra) -> IRMapping {
      Block *block = rewriter.createBlock(&region);
      for (Value v : inputs)
        block->addArgument(v.getType(), v.getLoc());
      for (Type t : extra)
        block->addArgument(t, stage.getLoc());
      IRMapping map;
      for (unsigned i = 0; i < stage.getInputs().size(); ++i)
        map.map(from.getArgument(i), block->getArgument(i));
      if (!extra.empty())
        map.map(from.getArguments().back(), block->getArguments().back());
      for (Operation &op : from) {
        Operation *copy = rewriter.clone(op, map);
        for (auto [old, result] : llvm::zip(op.getResults(), copy->getResults()))
          if (rows.contains(old))
            result.setType(narrowRow);
      }
      return map;
    };
    cloneRegion(body, fused.getBody(), message.rows, {});

    // The update: the stage's own, narrowed, then + bias.
    if (stage.hasUpdate() || bias) {
      Block *u;
      Value row;
      if (stage.hasUpdate()) {
        Block &old = stage.getUpdate().front();
        IRMapping map = cloneRegion(old, fused.getUpdate(), update->rows, {narrowRow});
        u = &fused.getUpdate().front();
        row = map.lookup(cast<YieldOp>(old.getTerminator()).getValue());
      } else {
        u = rewriter.createBlock(&fused.getUpdate());
        for (Value v : inputs)
          u->addArgument(v.getType(), v.getLoc());
        row = u->addArgument(narrowRow, stage.getLoc());
        rewriter.create<YieldOp>(stage.getLoc(), ValueRange{row});
      }
      if (bias) {
        Operation *yield = u->getTerminator();
        rewriter.setInsertionPoint(yield);
        unsigned biasArg = llvm::find(inputs, bias) - inputs.begin();
        Value sum = rewriter.create<AddOp>(linear.getLoc(), narrowRow, row,
                                           u->getArgument(biasArg));
        yield->setOperands(ValueRange{sum});
      }
    }

    rewriter.replaceOp(linear, fused.getResult());
    rewriter.eraseOp(stage);
    return success();
  }
};

struct LinearBeforeAggregationPass
    : public gnn::impl::GNNLinearBeforeAggregationBase<LinearBeforeAggregationPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<LinearBeforeAggregation>(&getContext());
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
