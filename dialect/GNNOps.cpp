//===- GNNOps.cpp - Verifiers and folders of the gnn operations -----------===//
#include "dialect/GNNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;
using namespace gnn;

//===----------------------------------------------------------------------===//
// Domains: which rows a value has
//===----------------------------------------------------------------------===//

namespace {
/// Where a value lives: one row per vertex, per edge, a single row inside a
/// stage region, or the same for all rows (parameters, scalars).
enum class Domain { Vertex, Edge, Row, Uniform };
} // namespace

static Domain getDomain(Type t) {
  if (isa<VertexType>(t))
    return Domain::Vertex;
  if (isa<EdgeType>(t))
    return Domain::Edge;
  if (isa<VectorType>(t))
    return Domain::Row;
  return Domain::Uniform;
}

/// The domain as a noun phrase with its article, for diagnostics.
static StringRef describeDomain(Domain d) {
  switch (d) {
  case Domain::Vertex:
    return "a vertex tensor";
  case Domain::Edge:
    return "an edge tensor";
  case Domain::Row:
    return "a row";
  case Domain::Uniform:
    return "a parameter or scalar";
  }
  llvm_unreachable("unknown domain");
}

/// The type of a value in domain `d` with feature shape `shape`, or a null
/// type for a scalar/parameter result that has no single natural type.
static Type typeInDomain(Domain d, ArrayRef<int64_t> shape, Type like) {
  Type f32 = Float32Type::get(like.getContext());
  switch (d) {
  case Domain::Vertex:
    return VertexType::get(like.getContext(), shape, f32);
  case Domain::Edge:
    return EdgeType::get(like.getContext(), shape, f32);
  case Domain::Row:
    return VectorType::get(shape, f32);
  case Domain::Uniform:
    return shape.empty() ? f32 : Type(RankedTensorType::get(shape, f32));
  }
  llvm_unreachable("unknown domain");
}

//===----------------------------------------------------------------------===//
// Graph structure
//===----------------------------------------------------------------------===//

LogicalResult AddSelfLoopsOp::verify() {
  SelfLoops in = getGraph().getType().getSelfLoops();
  SelfLoops out = getResult().getType().getSelfLoops();
  if (out == SelfLoops::OnePerVertex)
    return success();
  if (out != SelfLoops::StoredPlusOne)
    return emitOpError("result must be !gnn.graph<one_per_vertex> or "
                       "!gnn.graph<stored_plus_one>");
  // Keeping loops that were added would make two per vertex, which no
  // graph type says.
  if (in != SelfLoops::AsGiven)
    return emitOpError("keeps the stored self loops (stored_plus_one) of a "
                       "graph that is not as given");
  return success();
}

OpFoldResult AddSelfLoopsOp::fold(FoldAdaptor) {
  if (getGraph().getType() == getResult().getType())
    return getGraph();
  return {};
}

LogicalResult RemoveSelfLoopsOp::verify() {
  if (getResult().getType().getSelfLoops() != SelfLoops::None)
    return emitOpError("result must be !gnn.graph<none>");
  return success();
}

OpFoldResult RemoveSelfLoopsOp::fold(FoldAdaptor) {
  if (getGraph().getType() == getResult().getType())
    return getGraph();
  return {};
}

LogicalResult StoredLoopRowsOp::verify() {
  if (getGraph().getType().getSelfLoops() != SelfLoops::AsGiven)
    return emitOpError("reads the stored graph (!gnn.graph<as_given>), got ")
           << getGraph().getType();
  if (getResult().getType().getShape() != getEdges().getType().getShape())
    return emitOpError("result rows must have the edge rows' shape, got ")
           << getResult().getType() << " for " << getEdges().getType();
  if (bool(getFill()) == bool(getFillRows()))
    return emitOpError("needs either a fill number or fill rows");
  if (getFillRows() && getFillRows().getType() != getResult().getType())
    return emitOpError("fill rows must have the result's type, got ")
           << getFillRows().getType();
  return success();
}

LogicalResult DegreeOp::verify() {
  if (getResult().getType().getShape() != ArrayRef<int64_t>{1})
    return emitOpError("result must be !gnn.vertex<1xf32>, got ")
           << getResult().getType();
  return success();
}

//===----------------------------------------------------------------------===//
// Dense work
//===----------------------------------------------------------------------===//

LogicalResult LinearOp::verify() {
  auto weight = cast<RankedTensorType>(getWeight().getType());
  if (weight.getRank() != 2 || weight.isDynamicDim(0) || weight.isDynamicDim(1))
    return emitOpError("weight must be a static [out, in] tensor, got ")
           << weight;
  int64_t out = weight.getDimSize(0), in = weight.getDimSize(1);
  ArrayRef<int64_t> inShape = getFeatureShape(getInput().getType());
  if (inShape.back() != in)
    return emitOpError("input has ")
           << inShape.back() << " features but the weight expects " << in;
  if (Value bias = getBias()) {
    auto biasType = cast<RankedTensorType>(bias.getType());
    if (biasType.getShape() != ArrayRef<int64_t>{out})
      return emitOpError("bias must be tensor<") << out << "xf32>, got "
                                                  << biasType;
  }
  SmallVector<int64_t> expected(inShape);
  expected.back() = out;
  Type want = typeInDomain(getDomain(getInput().getType()), expected,
                           getInput().getType());
  if (getResult().getType() != want)
    return emitOpError("result type must be ") << want << ", got "
                                                << getResult().getType();
  if (Value acc = getAccumulate(); acc && acc.getType() != want)
    return emitOpError("accumulate must have the result type ")
           << want << ", got " << acc.getType();
  if (Value scale = getScale()) {
    Type one = typeInDomain(getDomain(getInput().getType()), {1},
                            getInput().getType());
    if (scale.getType() != one)
      return emitOpError("scale must be ") << one << ", got " << scale.getType();
    if (inShape.size() != 1)
      return emitOpError("scale needs an input with one feature dimension");
  }
  // Only elu and leaky_relu have a parameter, and they need it.
  std::optional<Activation> act = getActivation();
  bool takesAlpha =
      act && (*act == Activation::Elu || *act == Activation::LeakyRelu);
  if (takesAlpha && !getAlpha())
    return emitOpError("activation ")
           << stringifyActivation(*act) << " needs alpha";
  if (!takesAlpha && getAlpha())
    return emitOpError("alpha is only for the elu and leaky_relu activations");
  return success();
}

LogicalResult RowLinearOp::verify() {
  auto weight = cast<RankedTensorType>(getWeight().getType());
  if (weight.getRank() != 2)
    return emitOpError("weight must be an [out, in] tensor, got ") << weight;
  int64_t out = weight.getDimSize(0), in = weight.getDimSize(1);
  auto input = cast<VectorType>(getInput().getType());
  if (input.getRank() != 1 || input.getDimSize(0) != in)
    return emitOpError("input must be vector<")
           << in << "xf32> for this weight, got " << input;
  if (Value bias = getBias();
      bias && cast<RankedTensorType>(bias.getType()).getShape() !=
                  ArrayRef<int64_t>{out})
    return emitOpError("bias must be tensor<") << out << "xf32>, got "
                                                << bias.getType();
  auto result = cast<VectorType>(getResult().getType());
  if (result.getShape() != ArrayRef<int64_t>{out})
    return emitOpError("result must be vector<") << out << "xf32>, got "
                                                  << result;
  return success();
}

LogicalResult ParamViewOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  if (input.getRank() != 2)
    return emitOpError("input must be a matrix, got ") << input;
  SmallVector<int64_t> shape(input.getShape());
  if (std::optional<ArrayRef<int64_t>> columns = getColumns()) {
    if (columns->size() != 2 || (*columns)[0] < 0 || (*columns)[1] <= 0 ||
        (*columns)[0] + (*columns)[1] > shape[1])
      return emitOpError("columns must be [offset, size] within the ")
             << shape[1] << " columns of the input";
    shape[1] = (*columns)[1];
  }
  if (getTranspose())
    std::swap(shape[0], shape[1]);
  if (cast<RankedTensorType>(getResult().getType()).getShape() !=
      ArrayRef<int64_t>(shape))
    return emitOpError("result must be ")
           << RankedTensorType::get(shape, input.getElementType()) << ", got "
           << getResult().getType();
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

/// The result type of a broadcasting binary op on `a` and `b`, or failure
/// with a diagnostic.
static FailureOr<Type> inferBinaryType(Operation *op, Type a, Type b) {
  Domain da = getDomain(a), db = getDomain(b);
  if (da != Domain::Uniform && db != Domain::Uniform && da != db)
    return op->emitOpError("cannot combine ")
           << describeDomain(da) << " with " << describeDomain(db);
  Domain d = da != Domain::Uniform ? da : db;
  auto shape = broadcastShapes(getFeatureShape(a), getFeatureShape(b));
  if (!shape)
    return op->emitOpError("feature shapes do not broadcast: ")
           << a << " and " << b;
  return typeInDomain(d, *shape, a);
}

#define GNN_BINARY_VERIFIER(OP)                                                \
  LogicalResult OP::verify() {                                                 \
    FailureOr<Type> want =                                                     \
        inferBinaryType(*this, getLhs().getType(), getRhs().getType());        \
    if (failed(want))                                                          \
      return failure();                                                        \
    if (*want != getResult().getType())                                        \
      return emitOpError("result type must be ")                               \
             << *want << ", got " << getResult().getType();                    \
    return success();                                                          \
  }

GNN_BINARY_VERIFIER(AddOp)
GNN_BINARY_VERIFIER(SubOp)
GNN_BINARY_VERIFIER(MulOp)
GNN_BINARY_VERIFIER(DivOp)
GNN_BINARY_VERIFIER(PowOp)
GNN_BINARY_VERIFIER(MaximumOp)
GNN_BINARY_VERIFIER(MinimumOp)

//===----------------------------------------------------------------------===//
// Shapes and reductions
//===----------------------------------------------------------------------===//

static int64_t numElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

LogicalResult ReshapeOp::verify() {
  Type in = getInput().getType(), out = getResult().getType();
  Domain di = getDomain(in), dout = getDomain(out);
  if (di != dout)
    return emitOpError("cannot reshape ")
           << describeDomain(di) << " into " << describeDomain(dout);
  int64_t from = numElements(getFeatureShape(in));
  int64_t to = numElements(getFeatureShape(out));
  if (from != to)
    return emitOpError("changes the number of elements")
           << (di == Domain::Vertex || di == Domain::Edge ? " per row" : "")
           << " from " << from << " to " << to;
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  if (getInput().getType() == getResult().getType())
    return getInput();
  // reshape(reshape(x)) is one reshape of x.
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  return {};
}

LogicalResult ReduceOp::verify() {
  Type in = getInput().getType();
  Domain d = getDomain(in);
  ArrayRef<int64_t> shape = getFeatureShape(in);
  int64_t dim = getDim();
  if (dim < 0 || dim >= int64_t(shape.size()))
    return emitOpError("dimension ")
           << dim << " is out of range for " << in << " (rank "
           << shape.size() << ")";
  SmallVector<int64_t> kept(shape);
  kept.erase(kept.begin() + dim);
  if (kept.empty() && (d == Domain::Vertex || d == Domain::Edge))
    return emitOpError("cannot reduce the only feature dimension of ") << in;
  // A row reduced to nothing is a scalar (a parameter inside a kernel).
  Type want = kept.empty() ? Type(Float32Type::get(getContext()))
                           : typeInDomain(d, kept, in);
  if (getResult().getType() != want)
    return emitOpError("result type must be ")
           << want << ", got " << getResult().getType();
  return success();
}

//===----------------------------------------------------------------------===//
// Stages
//===----------------------------------------------------------------------===//

Type TransformOp::getRegionArgumentType(Type t) {
  if (auto v = dyn_cast<VertexType>(t))
    return v.getRowType();
  if (auto e = dyn_cast<EdgeType>(t))
    return e.getRowType();
  return t;
}

static VectorType getRowTypeOf(Type featureTensor) {
  if (auto v = dyn_cast<VertexType>(featureTensor))
    return v.getRowType();
  return cast<EdgeType>(featureTensor).getRowType();
}

/// Checks what every stage region shares: block arguments matching the
/// inputs (through `argType`) and a yield of the result's row type (or,
/// with `softmax`, of a value and logits that broadcast to it).
static LogicalResult verifyStageRegion(Operation *op, Region &body,
                                       ValueRange inputs, Type result,
                                       function_ref<Type(Type)> argType,
                                       bool softmax = false,
                                       unsigned trailingArgs = 0) {
  Block &block = body.front();
  if (block.getNumArguments() != inputs.size() + trailingArgs)
    return op->emitOpError("region has ")
           << block.getNumArguments() << " arguments but the stage has "
           << inputs.size() << " inputs";
  for (auto [i, arg, input] : llvm::enumerate(
           block.getArguments().take_front(inputs.size()), inputs)) {
    Type want = argType(input.getType());
    if (arg.getType() != want)
      return op->emitOpError("region argument #")
             << i << " must be " << want << ", got " << arg.getType();
  }
  auto yield = dyn_cast<YieldOp>(block.getTerminator());
  if (!yield)
    return op->emitOpError("region must end in gnn.yield");
  VectorType row = getRowTypeOf(result);
  size_t want = softmax ? 2 : 1;
  if (yield.getValues().size() != want) {
    if (softmax)
      return yield.emitOpError("must yield (value, logits) in a softmax_add "
                               "stage, got ")
             << yield.getValues().size() << " rows";
    return yield.emitOpError("must yield one row, got ")
           << yield.getValues().size();
  }
  if (softmax) {
    Type value = yield.getValues()[0].getType();
    Type logits = yield.getValues()[1].getType();
    auto shape = broadcastShapes(getFeatureShape(value), getFeatureShape(logits));
    if (!shape || *shape != row.getShape())
      return yield.emitOpError("value ")
             << value << " and logits " << logits
             << " do not broadcast to the stage's rows " << row;
    return success();
  }
  if (yield.getValue().getType() != row)
    return yield.emitOpError("yields ")
           << yield.getValue().getType() << " but the stage produces rows of "
           << row;
  return success();
}

LogicalResult TransformOp::verifyRegions() {
  Domain d = getDomain(getResult().getType());
  for (Value input : getInputs()) {
    Domain di = getDomain(input.getType());
    if (di == Domain::Row)
      return emitOpError("inputs must be whole tensors, not rows");
    if (di != Domain::Uniform && di != d)
      return emitOpError("a transform producing ")
             << describeDomain(d) << " cannot read " << describeDomain(di);
  }
  return verifyStageRegion(*this, getBody(), getInputs(),
                           getResult().getType(), getRegionArgumentType);
}

LogicalResult MessagePassingOp::verifyRegions() {
  for (Value input : getInputs())
    if (getDomain(input.getType()) == Domain::Row)
      return emitOpError("inputs must be whole tensors, not rows");
  // The body produces the aggregated rows; with an update region, those
  // are the region's last argument and the update yields the result's.
  Type aggregate = getResult().getType();
  if (hasUpdate()) {
    Block &update = getUpdate().front();
    if (update.getNumArguments() != getInputs().size() + 1)
      return emitOpError("update region has ")
             << update.getNumArguments() << " arguments but must have "
             << getInputs().size() + 1 << " (the inputs, then the aggregated row)";
    auto row = dyn_cast<VectorType>(update.getArguments().back().getType());
    if (!row || !row.getElementType().isF32())
      return emitOpError("the update region's last argument must be the "
                         "aggregated row (a vector of f32), got ")
             << update.getArguments().back().getType();
    aggregate = VertexType::get(getContext(), row.getShape(), row.getElementType());
  }
  if (failed(verifyStageRegion(*this, getBody(), getInputs(), aggregate,
                               [](Type t) { return t; },
                               getAggr() == Aggregation::SoftmaxAdd)))
    return failure();
  if (hasUpdate()) {
    Region &update = getUpdate();
    if (failed(verifyStageRegion(*this, update, getInputs(), getResult().getType(),
                                 [](Type t) { return t; }, /*softmax=*/false,
                                 /*trailingArgs=*/1)))
      return failure();
    // Once per target: only target rows exist there.
    for (Operation &op : update.front()) {
      if (isa<GetEdgeOp>(op))
        return op.emitOpError("cannot read edge rows in an update region");
      if (auto get = dyn_cast<GetVertexOp>(op); get && get.getSide() != Side::Target)
        return op.emitOpError("must read the target row in an update region");
    }
  }
  // The region runs per edge: a whole vertex or edge tensor has no meaning
  // there, only its rows at the current edge (and kernels lower nothing else).
  for (Region *region : getRegions()) {
    if (region->empty())
      continue;
    for (BlockArgument arg : region->getArguments()) {
      if (!isFeatureTensor(arg.getType()))
        continue;
      for (Operation *user : arg.getUsers())
        if (!isa<GetVertexOp, GetEdgeOp>(user))
          return user->emitOpError("cannot use the whole tensor region argument #")
                 << arg.getArgNumber()
                 << "; read its rows with gnn.get_vertex or gnn.get_edge";
    }
  }
  return success();
}

VectorType MessagePassingOp::getAggregateRowType() {
  if (hasUpdate())
    return cast<VectorType>(getUpdate().front().getArguments().back().getType());
  return getResult().getType().getRowType();
}

void MessagePassingOp::eraseUnusedInputs() {
  Block &body = getBody().front();
  Block *update = hasUpdate() ? &getUpdate().front() : nullptr;
  for (int i = int(getInputs().size()) - 1; i >= 0; --i) {
    if (!body.getArgument(i).use_empty() ||
        (update && !update->getArgument(i).use_empty()))
      continue;
    getInputsMutable().erase(i);
    body.eraseArgument(i);
    if (update)
      update->eraseArgument(i);
  }
}

void MessagePassingOp::eraseUnusedOps() {
  Block &body = getBody().front();
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(body)))
    if (isOpTriviallyDead(&op))
      op.erase();
  eraseUnusedInputs();
}

SmallVector<unsigned> MessagePassingOp::getSourceGatheredInputs() {
  SmallVector<unsigned> gathered;
  for (BlockArgument arg : getBody().getArguments())
    for (Operation *user : arg.getUsers())
      if (auto get = dyn_cast<GetVertexOp>(user);
          get && get.getSide() == Side::Source) {
        gathered.push_back(arg.getArgNumber());
        break;
      }
  return gathered;
}

/// The rows of `tensor` are reachable only from inside a message-passing
/// region whose block argument it is.
static LogicalResult verifyGather(Operation *op, Value tensor, Type row) {
  auto arg = dyn_cast<BlockArgument>(tensor);
  if (!arg || !isa<MessagePassingOp>(arg.getOwner()->getParentOp()))
    return op->emitOpError(
        "operand must be an argument of the enclosing gnn.message_passing");
  if (getRowTypeOf(tensor.getType()) != row)
    return op->emitOpError("result must be ")
           << getRowTypeOf(tensor.getType()) << ", got " << row;
  return success();
}

LogicalResult GetVertexOp::verify() {
  return verifyGather(*this, getTensor(), getRow().getType());
}

LogicalResult GetEdgeOp::verify() {
  if (failed(verifyGather(*this, getTensor(), getRow().getType())))
    return failure();
  if (!getLoop())
    return success();
  if (failed(verifyGather(*this, getLoop(), getRow().getType())))
    return failure();
  auto stage = cast<MessagePassingOp>(
      cast<BlockArgument>(getTensor()).getOwner()->getParentOp());
  SelfLoops loops = stage.getGraph().getType().getSelfLoops();
  if (loops != SelfLoops::OnePerVertex && loops != SelfLoops::StoredPlusOne)
    return emitOpError("has loop rows, but the graph adds no self loops");
  return success();
}

//===----------------------------------------------------------------------===//
// Schedule
//===----------------------------------------------------------------------===//

LogicalResult LaunchOp::verifySymbolUses(SymbolTableCollection &symbols) {
  for (FlatSymbolRefAttr kernel :
       {getKernelAttr(), getPartialAttr(), getFinishAttr(), getFoldAttr(),
        getFoldFinishAttr()})
    if (kernel && !symbols.lookupNearestSymbolFrom(*this, kernel))
      return emitOpError("kernel '") << kernel.getValue() << "' is not defined";
  return success();
}

/// Gathered inputs and those read at targets are vertex tensors, named once
/// each, in order; those read only at sources are among the gathered and
/// not read at targets; the push form comes whole, from a message launch.
LogicalResult LaunchOp::verify() {
  auto checkPositions = [&](std::optional<ArrayRef<int64_t>> positions,
                            StringRef what) -> LogicalResult {
    if (!positions)
      return success();
    int64_t previous = -1;
    for (int64_t i : *positions) {
      if (i <= previous || i >= int64_t(getInputs().size()))
        return emitOpError(what) << " must list input positions in increasing "
                                    "order, got "
                                 << i;
      if (!isa<VertexType>(getInputs()[i].getType()))
        return emitOpError(what) << " input #" << i
                                 << ", which is not a vertex tensor";
      previous = i;
    }
    return success();
  };
  if (failed(checkPositions(getGathers(), "gathers")) ||
      failed(checkPositions(getSourceOnly(), "source_only")) ||
      failed(checkPositions(getTargetReads(), "target_reads")))
    return failure();
  if (std::optional<ArrayRef<int64_t>> only = getSourceOnly())
    for (int64_t i : *only)
      if (!getGathers() || !llvm::is_contained(*getGathers(), i) ||
          (getTargetReads() && llvm::is_contained(*getTargetReads(), i)))
        return emitOpError("source_only input #")
               << i << " is not gathered, or is also read at targets";
  bool push = getPartialAttr() || getFinishAttr() || getAggrAttr() ||
              getAccumulatorAttr() || getLogitsAttr();
  bool blocked = getFoldAttr() || getFoldFinishAttr() || getGatherBudgetAttr();
  if (!push) {
    if (getTargetReadsAttr())
      return emitOpError("target_reads without a push form");
    if (blocked)
      return emitOpError("blocked form without a push form");
    return success();
  }
  if (blocked && (!getFoldAttr() || !getFoldFinishAttr() ||
                  !getGatherBudgetAttr() || *getGatherBudget() < 0))
    return emitOpError("blocked form needs fold and fold_finish kernels and "
                       "a budget of 0 or more bytes");
  if (!getPartialAttr() || !getFinishAttr() || !getAggrAttr() ||
      !getAccumulatorAttr() || !getLogitsAttr())
    return emitOpError("push form needs partial and finish kernels, an "
                       "aggregation, and accumulator and logits shapes");
  if (!getEdgeBalanced() || isa<EdgeType>(getResult().getType()))
    return emitOpError("push form on a launch that is not a message stage");
  // (The optionals are temporaries: a range-for over *getX() would dangle.)
  ArrayRef<int64_t> accumulator = getAccumulatorAttr().asArrayRef();
  ArrayRef<int64_t> logits = getLogitsAttr().asArrayRef();
  for (int64_t d : accumulator)
    if (d <= 0)
      return emitOpError("accumulator dimensions must be positive");
  if (*getAggr() != Aggregation::SoftmaxAdd && !logits.empty())
    return emitOpError("logits belong to a softmax_add push form only");
  for (int64_t d : logits)
    if (d <= 0)
      return emitOpError("logits dimensions must be positive");
  return success();
}

/// Same shape but for the last dimension, which adds up.
LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError("needs at least one input");
  for (Value input : getInputs())
    if (cast<VectorType>(input.getType()).getRank() == 0)
      return emitOpError("inputs must have a dimension to join along");
  auto first = cast<VectorType>(getInputs().front().getType());
  SmallVector<int64_t> shape(first.getShape());
  shape.back() = 0;
  for (Value input : getInputs()) {
    auto type = cast<VectorType>(input.getType());
    if (type.getRank() != first.getRank() ||
        type.getShape().drop_back() != first.getShape().drop_back())
      return emitOpError("inputs must agree on all but the last dimension: ")
             << first << " and " << type;
    shape.back() += type.getShape().back();
  }
  auto result = cast<VectorType>(getResult().getType());
  if (result.getShape() != ArrayRef<int64_t>(shape))
    return emitOpError("result must be ")
           << VectorType::get(shape, first.getElementType()) << ", not "
           << result;
  return success();
}

/// Every selected element lies inside the input.
LogicalResult SliceOp::verify() {
  auto in = cast<VectorType>(getInput().getType());
  auto out = cast<VectorType>(getResult().getType());
  ArrayRef<int64_t> offsets = getOffsets(), strides = getStrides();
  if (in.getRank() == 0 || out.getRank() != in.getRank() ||
      int64_t(offsets.size()) != in.getRank() ||
      int64_t(strides.size()) != in.getRank())
    return emitOpError("needs one offset and one stride per dimension of ")
           << in << ", and a result of the same rank";
  for (int64_t d = 0; d < in.getRank(); ++d) {
    if (offsets[d] < 0 || strides[d] <= 0)
      return emitOpError("offsets must be non-negative and strides "
                         "positive, got offset ")
             << offsets[d] << " and stride " << strides[d] << " in dimension "
             << d;
    if (offsets[d] + (out.getDimSize(d) - 1) * strides[d] >= in.getDimSize(d))
      return emitOpError("dimension ")
             << d << " reads past the end of " << in << ": "
             << out.getDimSize(d) << " elements from " << offsets[d]
             << " in steps of " << strides[d];
  }
  return success();
}

Value gnn::cloneUpToYield(OpBuilder &b, Block &block, IRMapping &map) {
  for (Operation &op : block.without_terminator())
    b.clone(op, map);
  return map.lookup(cast<YieldOp>(block.getTerminator()).getValue());
}

#define GET_OP_CLASSES
#include "dialect/GNNOps.cpp.inc"
