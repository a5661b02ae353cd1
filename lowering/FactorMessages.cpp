//===- FactorMessages.cpp - Per-vertex factors out of the per-edge message ===//
//
// A message that is a product of factors, some reading only the source's
// rows and some only the target's, does per edge what could be done per
// vertex:
//
//   sum_j (t_i * s_j * e_ij) = t_i * sum_j (s_j * e_ij)
//
// - target-only factors move into the update, after the sum or mean
//   (valid for add and mean over graphs where every vertex has an in-edge:
//   with none, the sum is 0 and a factor of inf or nan would turn it into
//   nan, where PyG gives 0);
// - source-only factors become a transform over all vertices, whose rows
//   the message then gathers (valid for any aggregation: it computes per
//   vertex what each edge computed from that vertex alone), when that pays:
//   a factor computed from source rows is then computed N times instead of
//   E times; a product of plain rows pays only if it needs no pass of its
//   own, which a standalone transform would be.
//
// A product `linear(h) * s` with a per-vertex scalar s needs none: when h
// comes from another stage, row scaling commutes with the matmul, so it is
// computed as `linear(h * s)` and the scaling joins that stage's update
// (gnn-fuse-update); otherwise the linear scales its rows itself, right
// after the matmul (gnn-fuse-dense-epilogue). GCN's layers then gather one
// row per edge instead of a row and a deg^-1/2.
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"
#include "lowering/RowScale.h"

#include "mlir/IR/IRMapping.h"

#include "llvm/ADT/SetVector.h"

namespace gnn {
#define GEN_PASS_DEF_GNNFACTORMESSAGES
#include "lowering/Passes.h.inc"
} // namespace gnn

using namespace mlir;
using namespace gnn;

namespace {

/// Which sides of an edge a value of a message region depends on.
struct Sides {
  bool source = false, target = false, edge = false;
};

/// The sides every value of `body` depends on, in one walk in order.
llvm::DenseMap<Value, Sides> sidesOf(Block &body) {
  llvm::DenseMap<Value, Sides> sides;
  for (Operation &op : body) {
    Sides s;
    if (auto get = dyn_cast<GetVertexOp>(op)) {
      s.source = get.getSide() == Side::Source;
      s.target = get.getSide() == Side::Target;
    } else if (isa<GetEdgeOp>(op)) {
      s.edge = true;
    } else if (op.getNumRegions() != 0) {
      s = {true, true, true}; // nothing with regions is moved
    }
    for (Value operand : op.getOperands()) {
      Sides o = sides.lookup(operand);
      s.source |= o.source;
      s.target |= o.target;
      s.edge |= o.edge;
    }
    for (Value result : op.getResults())
      sides[result] = s;
  }
  return sides;
}

/// The leaves of the product tree rooted at `v` (gnn.mul ops whose results
/// are used once), left to right.
SmallVector<Value> collectFactors(Value v) {
  SmallVector<Value> factors, work{v};
  while (!work.empty()) {
    Value next = work.pop_back_val();
    auto mul = next.getDefiningOp<MulOp>();
    if (mul && next.hasOneUse()) {
      work.push_back(mul.getRhs());
      work.push_back(mul.getLhs());
    } else {
      factors.push_back(next);
    }
  }
  return factors;
}

/// Clones into the current block of `b` the ops of `from` that `roots`
/// depend on, in order, with `map` already mapping the block arguments
/// and any values substituted; returns the roots' copies.
SmallVector<Value> cloneSlice(OpBuilder &b, Block &from, ArrayRef<Value> roots,
                              IRMapping &map) {
  llvm::SetVector<Operation *> slice;
  SmallVector<Value> work(roots.begin(), roots.end());
  while (!work.empty()) {
    Value v = work.pop_back_val();
    Operation *op = v.getDefiningOp();
    if (!op || op->getBlock() != &from || map.contains(v) || !slice.insert(op))
      continue;
    llvm::append_range(work, op->getOperands());
  }
  for (Operation &op : from)
    if (slice.contains(&op))
      b.clone(op, map);
  return llvm::map_to_vector(roots, [&](Value v) { return map.lookupOrDefault(v); });
}

/// The product of `factors` (each of type `row` or with one element), in
/// order: typed `row` as soon as a factor is, else a vector as soon as a
/// factor is one.
Value multiply(OpBuilder &b, Location loc, ArrayRef<Value> factors, Type row) {
  Value product = factors.front();
  for (Value f : factors.drop_front()) {
    Type type = product.getType();
    if (f.getType() == row || (type.isF32() && isa<VectorType>(f.getType())))
      type = f.getType();
    product = b.create<MulOp>(loc, type, product, f);
  }
  return product;
}

/// The row type of the product of `factors`: `row` if a factor has it,
/// else the first one-element vector type among them, else null.
VectorType productType(ArrayRef<Value> factors, VectorType row) {
  VectorType type;
  for (Value f : factors) {
    if (f.getType() == row)
      return row;
    if (!type)
      type = dyn_cast<VectorType>(f.getType());
  }
  return type;
}

/// Whether `linear(h) * scale`, scale a per-vertex scalar, can be computed
/// as `linear(h * scale)` with the scaling in the update of the stage that
/// produces h: the linear is plain, h comes from a stage only it reads, and
/// the scale exists before the linear.
bool scaleCommutesWith(LinearOp linear, Value scale) {
  auto scaleType = dyn_cast<VertexType>(scale.getType());
  if (!scaleType || scaleType.getRowSize() != 1 || linear.getBias() ||
      linear.getAccumulate() || linear.getActivation() || linear.getScale() ||
      !linear.getInput().getDefiningOp<MessagePassingOp>() ||
      !linear.getInput().hasOneUse())
    return false;
  Operation *def = scale.getDefiningOp();
  return !def || (def->getBlock() == linear->getBlock() &&
                  def->isBeforeInBlock(linear));
}

/// The linear and the other factor, when the two source factors of
/// `stage` are the rows of a linear read nowhere else and something else.
std::pair<LinearOp, Value> linearAndFactor(MessagePassingOp stage,
                                           ArrayRef<Value> sourceOnly) {
  if (sourceOnly.size() != 2)
    return {};
  LinearOp linear;
  Value scale;
  for (Value f : sourceOnly) {
    auto get = f.getDefiningOp<GetVertexOp>();
    if (!get)
      return {};
    auto arg = cast<BlockArgument>(get.getTensor());
    Value tensor = stage.getInputs()[arg.getArgNumber()];
    if (auto l = tensor.getDefiningOp<LinearOp>();
        l && l->hasOneUse() && arg.hasOneUse() &&
        !(stage.hasUpdate() &&
          !stage.getUpdate().getArgument(arg.getArgNumber()).use_empty()))
      linear = l;
    else
      scale = tensor;
  }
  if (!linear || !scale)
    return {};
  return {linear, scale};
}

/// Whether the source factors of `stage` are the rows of a linear read
/// nowhere else and a per-vertex scalar that commutes with it or that it
/// can apply itself (gnn-fuse-dense-epilogue then folds the product into
/// it): hoisted, they cost no pass of their own.
bool hoistsIntoLinear(MessagePassingOp stage, ArrayRef<Value> sourceOnly) {
  auto [linear, scale] = linearAndFactor(stage, sourceOnly);
  return linear &&
         (scaleCommutesWith(linear, scale) || linearCanScaleBy(linear, scale));
}

/// `transform(linear(h), s) { row * s_row }`, with h another stage's result
/// and s a per-vertex scalar, as `linear(transform(h, s) { h_row * s_row })`.
void commuteRowScale(TransformOp transform) {
  std::optional<std::pair<LinearOp, Value>> match =
      matchLinearTimes(transform, [](LinearOp linear, Value scale) {
        return linear->hasOneUse() && scaleCommutesWith(linear, scale);
      });
  if (!match)
    return;
  auto [linear, scale] = *match;
  MulOp mul = cast<MulOp>(transform.getBody().front().front());
  auto scaleType = cast<VertexType>(scale.getType());

  Value h = linear.getInput();
  auto hType = cast<VertexType>(h.getType());
  OpBuilder b(linear);
  auto scaled = b.create<TransformOp>(transform.getLoc(), hType,
                                      ValueRange{h, scale});
  Block *block = b.createBlock(&scaled.getBody());
  Value row = block->addArgument(hType.getRowType(), h.getLoc());
  Value s = block->addArgument(
      TransformOp::getRegionArgumentType(scaleType), scale.getLoc());
  Value product = b.create<MulOp>(mul.getLoc(), hType.getRowType(), row, s);
  b.create<YieldOp>(mul.getLoc(), ValueRange{product});
  linear.getInputMutable().assign(scaled.getResult());
  transform.getResult().replaceAllUsesWith(linear.getResult());
  transform.erase();
}

struct FactorMessagesPass
    : public gnn::impl::GNNFactorMessagesBase<FactorMessagesPass> {
  void runOnOperation() override {
    SmallVector<MessagePassingOp> stages;
    getOperation().walk([&](MessagePassingOp stage) { stages.push_back(stage); });
    for (MessagePassingOp stage : stages)
      factor(stage);
  }

  void factor(MessagePassingOp stage) {
    Block &body = stage.getBody().front();
    auto yield = cast<YieldOp>(body.getTerminator());
    if (yield.getValues().size() != 1)
      return;
    auto row = dyn_cast<VectorType>(yield.getValues()[0].getType());
    if (!row)
      return;

    SmallVector<Value> factors = collectFactors(yield.getValues()[0]);
    if (factors.size() < 2)
      return;
    // Factors of the message's row type, f32 scalars, or one-element rows
    // of the row's rank only: their product keeps the row type however
    // they are grouped.
    for (Value f : factors) {
      auto vector = dyn_cast<VectorType>(f.getType());
      if (f.getType() != row && !f.getType().isF32() &&
          !(vector && vector.getNumElements() == 1 &&
            vector.getRank() == row.getRank()))
        return;
    }

    llvm::DenseMap<Value, Sides> sides = sidesOf(body);
    SmallVector<Value> sourceOnly, targetOnly, rest;
    for (Value f : factors) {
      Sides s = sides.lookup(f);
      if (s.source && !s.target && !s.edge)
        sourceOnly.push_back(f);
      else if (s.target && !s.source && !s.edge)
        targetOnly.push_back(f);
      else
        rest.push_back(f);
    }
    // Hoisting pays when it saves per-edge computation (a factor computed
    // from source rows), or when the gathers it saves cost no pass of its
    // own. A standalone pass multiplying two source rows costs more than
    // the per-edge gather of the second: on rmat-18 (16 edges per vertex)
    // GCN's first layer took 11.6 ms unfactored and 3.5 + 10.6 ms with a
    // transform of norm * x.
    bool computed = llvm::any_of(
        sourceOnly, [](Value f) { return !f.getDefiningOp<GetVertexOp>(); });
    bool hoist = productType(sourceOnly, row) &&
                 (computed || hoistsIntoLinear(stage, sourceOnly));
    auto graph = cast<GraphType>(stage.getGraph().getType());
    bool sink = !targetOnly.empty() &&
                (stage.getAggr() == Aggregation::Add ||
                 stage.getAggr() == Aggregation::Mean) &&
                (graph.getSelfLoops() == SelfLoops::OnePerVertex ||
                 graph.getSelfLoops() == SelfLoops::StoredPlusOne);
    if (!hoist)
      rest.append(sourceOnly);
    if (!sink)
      rest.append(targetOnly);
    // What stays per edge must still make a full row.
    auto isRow = [&](Value v) { return v.getType() == row; };
    if ((!hoist && !sink) ||
        (!llvm::any_of(rest, isRow) &&
         !(hoist && llvm::any_of(sourceOnly, isRow))))
      return;

    TransformOp hoisted;
    if (hoist)
      hoisted = hoistSourceFactors(stage, sourceOnly, rest, row);
    else
      rebuildMessage(stage, {}, rest, row);
    if (sink)
      sinkTargetFactors(stage, targetOnly);
    stage.eraseUnusedOps();
    if (hoisted)
      commuteRowScale(hoisted);
  }

  /// Computes the product of `sourceOnly` per vertex in a transform before
  /// the stage (returned), and makes the message that product's source row
  /// times `rest`.
  TransformOp hoistSourceFactors(MessagePassingOp stage,
                                 ArrayRef<Value> sourceOnly,
                                 ArrayRef<Value> rest, VectorType row) {
    Block &body = stage.getBody().front();
    Location loc = stage.getLoc();
    // The transform reads the vertex tensors and parameters the factors use.
    SmallVector<unsigned> used;
    llvm::DenseSet<Operation *> seen;
    SmallVector<Value> work(sourceOnly.begin(), sourceOnly.end());
    while (!work.empty()) {
      Value v = work.pop_back_val();
      if (auto arg = dyn_cast<BlockArgument>(v))
        used.push_back(arg.getArgNumber());
      else if (seen.insert(v.getDefiningOp()).second)
        llvm::append_range(work, v.getDefiningOp()->getOperands());
    }
    llvm::sort(used); // in the stage's input order
    used.erase(std::unique(used.begin(), used.end()), used.end());
    VectorType productRow = productType(sourceOnly, row);

    OpBuilder b(stage);
    SmallVector<Value> inputs = llvm::map_to_vector(
        used, [&](unsigned i) { return stage.getInputs()[i]; });
    auto vertexType = VertexType::get(stage.getContext(), productRow.getShape(),
                                      productRow.getElementType());
    auto transform = b.create<TransformOp>(loc, vertexType, inputs);
    Block *block = b.createBlock(&transform.getBody());
    IRMapping map;
    for (unsigned i : used) {
      Value in = stage.getInputs()[i];
      Value arg = block->addArgument(TransformOp::getRegionArgumentType(in.getType()),
                                     in.getLoc());
      // A vertex tensor's row is the get_vertex result itself.
      map.map(body.getArgument(i), arg);
      for (Operation *user : body.getArgument(i).getUsers())
        if (auto get = dyn_cast<GetVertexOp>(user); get && get.getSide() == Side::Source)
          map.map(get.getRow(), arg);
    }
    SmallVector<Value> copies = cloneSlice(b, body, sourceOnly, map);
    Value product = multiply(b, loc, copies, productRow);
    b.create<YieldOp>(loc, ValueRange{product});

    rebuildMessage(stage, transform.getResult(), rest, row);
    return transform;
  }

  /// Makes the message `rest` times the source row of `hoisted` (if any),
  /// adding `hoisted` as the stage's last input.
  void rebuildMessage(MessagePassingOp stage, Value hoisted, ArrayRef<Value> rest,
                      Type row) {
    Block &body = stage.getBody().front();
    auto yield = cast<YieldOp>(body.getTerminator());
    OpBuilder b(yield);
    SmallVector<Value> factors;
    if (hoisted) {
      auto type = cast<VertexType>(hoisted.getType());
      unsigned index = stage.getInputs().size();
      stage.getInputsMutable().append(hoisted);
      Value arg = body.addArgument(type, hoisted.getLoc());
      if (stage.hasUpdate())
        stage.getUpdate().front().insertArgument(index, type, hoisted.getLoc());
      factors.push_back(b.create<GetVertexOp>(hoisted.getLoc(), type.getRowType(),
                                              arg, Side::Source));
    }
    factors.append(rest.begin(), rest.end());
    Value message = multiply(b, yield.getLoc(), factors, row);
    yield->setOperands(ValueRange{message});
  }

  /// Multiplies the aggregated row by `targetOnly`, computed in the update.
  void sinkTargetFactors(MessagePassingOp stage, ArrayRef<Value> targetOnly) {
    Block &body = stage.getBody().front();
    Location loc = stage.getLoc();
    VectorType aggregate = stage.getAggregateRowType();
    OpBuilder b(stage.getContext());
    Block *update;
    if (stage.hasUpdate()) {
      update = &stage.getUpdate().front();
      b.setInsertionPointToStart(update);
    } else {
      update = b.createBlock(&stage.getUpdate());
      for (Value in : stage.getInputs())
        update->addArgument(in.getType(), in.getLoc());
      Value row = update->addArgument(aggregate, loc);
      b.create<YieldOp>(loc, ValueRange{row});
      b.setInsertionPointToStart(update);
    }
    IRMapping map;
    for (unsigned i = 0; i < body.getNumArguments(); ++i)
      map.map(body.getArgument(i), update->getArgument(i));
    SmallVector<Value> copies = cloneSlice(b, body, targetOnly, map);
    Value factor = multiply(b, loc, copies, aggregate);
    Value aggr = update->getArguments().back();
    Value scaled = b.create<MulOp>(loc, aggregate, aggr, factor);
    aggr.replaceAllUsesExcept(scaled, scaled.getDefiningOp());
  }

};
} // namespace
