//===- HoistMessageLinears.cpp - Linears of messages at the vertex level --===//
//
// A Linear applied inside message() to a row built from vertex rows runs
// once per edge. Where the row is a concatenation of sums and differences
// of gathered rows, the product distributes over it (Graphiler's reorder):
//
//   W [x_i, x_j - x_i] + b = (W_a x + b)_i + (W_b x)_j - (W_b x)_i
//
// with W_a, W_b the weight's column blocks. Each W_k x becomes a
// gnn.linear over all vertices (one oneDNN matmul, N rows instead of E)
// whose rows the message gathers; the weight's blocks are gnn.param_view
// column windows the runtime cuts when weights are bound. Parts of the row
// that are not vertex rows (an edge's features, a value computed per
// edge) keep a gnn.row_linear of their own column block.
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/MapVector.h"

#include <map>

namespace gnn {
#define GEN_PASS_DEF_GNNHOISTMESSAGELINEARS
#include "lowering/Passes.h.inc"
} // namespace gnn

using namespace mlir;
using namespace gnn;

namespace {

/// `coefficient * leaf`, a leaf being a gathered vertex row or any other row.
struct Term {
  Value leaf;
  float coefficient;
};

/// Columns [offset, offset + width) of a row, as a sum of terms.
struct Segment {
  int64_t offset, width;
  SmallVector<Term> terms;
};

int64_t widthOf(Value row) {
  return cast<VectorType>(row.getType()).getDimSize(0);
}

bool isFlatRow(Value v) {
  auto t = dyn_cast<VectorType>(v.getType());
  return t && t.getRank() == 1;
}

/// `row` as column segments, each a linear combination of leaves: through
/// concatenations, sums, differences and negations of equally typed rows.
SmallVector<Segment> segmentsOf(Value row) {
  auto whole = [&](SmallVector<Term> terms) {
    return SmallVector<Segment>{{0, widthOf(row), std::move(terms)}};
  };
  Operation *def = row.getDefiningOp();
  auto sameType = [&](Value v) { return v.getType() == row.getType(); };
  if (auto concat = dyn_cast_or_null<ConcatOp>(def);
      concat && llvm::all_of(concat.getInputs(), isFlatRow)) {
    SmallVector<Segment> all;
    int64_t offset = 0;
    for (Value input : concat.getInputs()) {
      for (Segment s : segmentsOf(input)) {
        s.offset += offset;
        all.push_back(std::move(s));
      }
      offset += widthOf(input);
    }
    return all;
  }
  auto single = [&](Value v) -> std::optional<SmallVector<Term>> {
    SmallVector<Segment> s = segmentsOf(v);
    if (s.size() != 1)
      return std::nullopt;
    return s.front().terms;
  };
  auto scaled = [](SmallVector<Term> terms, float by) {
    for (Term &t : terms)
      t.coefficient *= by;
    return terms;
  };
  if (isa_and_nonnull<AddOp, SubOp>(def) && sameType(def->getOperand(0)) &&
      sameType(def->getOperand(1))) {
    std::optional<SmallVector<Term>> lhs = single(def->getOperand(0));
    std::optional<SmallVector<Term>> rhs = single(def->getOperand(1));
    if (lhs && rhs) {
      SmallVector<Term> terms = *lhs;
      llvm::append_range(terms, scaled(*rhs, isa<SubOp>(def) ? -1.0f : 1.0f));
      return whole(std::move(terms));
    }
  }
  if (auto neg = dyn_cast_or_null<NegOp>(def); neg && sameType(neg.getOperand()))
    if (std::optional<SmallVector<Term>> terms = single(neg.getOperand()))
      return whole(scaled(*terms, -1.0f));
  return whole({{row, 1.0f}});
}

/// The gathered row `leaf` is, if it is one: the stage input and side.
std::optional<std::pair<unsigned, Side>> gatheredRow(Value leaf) {
  auto get = leaf.getDefiningOp<GetVertexOp>();
  if (!get)
    return std::nullopt;
  return std::make_pair(cast<BlockArgument>(get.getTensor()).getArgNumber(),
                        get.getSide());
}

class Hoister {
public:
  explicit Hoister(MessagePassingOp stage) : stage(stage) {}

  /// Rewrites `linear` if part of it can move to the vertex level.
  void hoist(RowLinearOp linear) {
    Value weight = topLevelParam(linear.getWeight());
    Value bias = linear.getBias() ? topLevelParam(linear.getBias()) : Value();
    if (!weight || (linear.getBias() && !bias))
      return;
    SmallVector<Segment> segments = segmentsOf(linear.getInput());
    // Gathered terms, merged per (input, side, segment).
    llvm::MapVector<std::tuple<unsigned, int, unsigned>, float> gathered;
    SmallVector<std::pair<unsigned, Term>> perEdge; // (segment, term)
    for (auto [index, segment] : llvm::enumerate(segments))
      for (const Term &t : segment.terms) {
        if (std::optional<std::pair<unsigned, Side>> g = gatheredRow(t.leaf))
          gathered[{g->first, int(g->second), unsigned(index)}] += t.coefficient;
        else
          perEdge.push_back({unsigned(index), t});
      }
    if (gathered.empty())
      return;

    Location loc = linear.getLoc();
    auto weightType = cast<RankedTensorType>(weight.getType());
    int64_t out = weightType.getDimSize(0);
    OpBuilder top(stage);
    auto columns = [&](const Segment &s) -> Value {
      if (s.offset == 0 && s.width == weightType.getDimSize(1))
        return weight;
      auto type = RankedTensorType::get({out, s.width}, weightType.getElementType());
      return top.create<ParamViewOp>(loc, type, weight,
                                     top.getDenseI64ArrayAttr({s.offset, s.width}),
                                     /*transpose=*/nullptr);
    };

    OpBuilder in(linear);
    Value sum;
    auto accumulate = [&](Value row, float coefficient) {
      if (coefficient == 0)
        return;
      bool negate = coefficient < 0;
      if (std::abs(coefficient) != 1) {
        Value c = in.create<arith::ConstantOp>(loc, in.getF32FloatAttr(std::abs(coefficient)));
        row = in.create<MulOp>(loc, row.getType(), row, c);
      }
      if (!sum)
        sum = negate ? in.create<NegOp>(loc, row.getType(), row).getResult() : row;
      else if (negate)
        sum = in.create<SubOp>(loc, row.getType(), sum, row);
      else
        sum = in.create<AddOp>(loc, row.getType(), sum, row);
    };

    // The bias goes with the first product that is added, not subtracted.
    std::optional<unsigned> biasGathered, biasPerEdge;
    if (bias) {
      for (auto [i, entry] : llvm::enumerate(gathered))
        if (entry.second == 1.0f && !biasGathered)
          biasGathered = i;
      for (auto [i, entry] : llvm::enumerate(perEdge))
        if (entry.second.coefficient == 1.0f && !biasGathered && !biasPerEdge)
          biasPerEdge = i;
    }
    auto vertexType = VertexType::get(stage.getContext(), {out},
                                      weightType.getElementType());
    // One product per (input, segment, with bias or not), read at either side.
    std::map<std::tuple<unsigned, unsigned, bool>, Value> products;
    for (auto [i, entry] : llvm::enumerate(gathered)) {
      if (entry.second == 0)
        continue; // x_j - x_j
      auto [input, side, segment] = entry.first;
      bool withBias = biasGathered == i;
      Value &arg = products[{input, segment, withBias}];
      if (!arg)
        arg = addInput(top.create<LinearOp>(loc, vertexType,
                                            stage.getInputs()[input],
                                            columns(segments[segment]),
                                            withBias ? bias : Value()));
      Value row = in.create<GetVertexOp>(loc, vertexType.getRowType(), arg,
                                         static_cast<Side>(side));
      accumulate(row, entry.second);
    }
    auto rowType = VectorType::get({out}, weightType.getElementType());
    for (auto [i, entry] : llvm::enumerate(perEdge)) {
      auto [segment, term] = entry;
      Value w = addInput(columns(segments[segment]));
      Value b = biasPerEdge == i ? addInput(bias) : Value();
      accumulate(in.create<RowLinearOp>(loc, rowType, term.leaf, w, b),
                 term.coefficient);
    }
    if (!sum)
      sum = in.create<arith::ConstantOp>(
          loc, rowType, DenseElementsAttr::get(rowType, in.getF32FloatAttr(0)));
    if (bias && !biasGathered && !biasPerEdge)
      sum = in.create<AddOp>(loc, sum.getType(), sum, addInput(bias));
    linear.replaceAllUsesWith(sum);
    linear.erase();
  }

private:
  /// The model parameter a region argument stands for, if it is one.
  Value topLevelParam(Value regionValue) {
    auto arg = dyn_cast<BlockArgument>(regionValue);
    if (!arg || arg.getOwner() != &stage.getBody().front())
      return Value();
    Value outer = stage.getInputs()[arg.getArgNumber()];
    auto param = dyn_cast<BlockArgument>(outer);
    if (!param || !isa<func::FuncOp>(param.getOwner()->getParentOp()))
      return Value();
    return outer;
  }

  /// `value` as a new input of the stage; returns its body argument.
  Value addInput(Value value) {
    unsigned index = stage.getInputs().size();
    stage.getInputsMutable().append(value);
    if (stage.hasUpdate())
      stage.getUpdate().front().insertArgument(index, value.getType(), value.getLoc());
    Type regionType = value.getType();
    return stage.getBody().front().addArgument(regionType, value.getLoc());
  }

  MessagePassingOp stage;
};

struct HoistMessageLinearsPass
    : public gnn::impl::GNNHoistMessageLinearsBase<HoistMessageLinearsPass> {
  void runOnOperation() override {
    getOperation().walk([](MessagePassingOp stage) {
      Hoister hoister(stage);
      SmallVector<RowLinearOp> linears(
          stage.getBody().front().getOps<RowLinearOp>());
      for (RowLinearOp linear : linears)
        hoister.hoist(linear);
      // What the rewritten messages left unused (the concatenated rows
      // and their reads), then the inputs nothing reads any more.
      stage.eraseUnusedOps();
    });
  }
};
} // namespace
