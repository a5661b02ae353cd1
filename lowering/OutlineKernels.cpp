//===- OutlineKernels.cpp - Stages into kernel functions over vertex ranges ==//
//
// A kernel is `func.func @name(%lo: i64, %hi: i64, %args: !llvm.ptr)`; args
// holds the data pointers [in-edge offsets (i64), sources (i32), inputs...,
// result]. Feature rows are contiguous f32, so a row is one vector load.
// Message kernels walk each destination's in-edges and accumulate in a
// vector carried by the loop (registers); no per-edge tensor is written.
// Edge tensors (inputs like vertex tensors) are stored in CSR order, so
// gnn.get_edge reads row e at in-edge position e. Edge-domain transforms
// run over edge ranges [lo, hi) instead of vertex ranges.
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"
#include "lowering/Rows.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"

namespace gnn {
#define GEN_PASS_DEF_GNNOUTLINEKERNELS
#include "lowering/Passes.h.inc"
} // namespace gnn

using namespace mlir;
using namespace gnn;

namespace {

/// Builds one kernel: the entry block with the argument pointers loaded,
/// and helpers for row loads and stores.
class KernelBuilder {
public:
  KernelBuilder(OpBuilder &b, Location loc, func::FuncOp kernel,
                unsigned numPointers)
      : b(b), loc(loc), entry(kernel.addEntryBlock()) {
    b.setInsertionPointToStart(entry);
    lo = entry->getArgument(0);
    hi = entry->getArgument(1);
    Value args = entry->getArgument(2);
    auto ptrType = LLVM::LLVMPointerType::get(b.getContext());
    for (unsigned i = 0; i < numPointers; ++i) {
      Value slot = b.create<LLVM::GEPOp>(loc, ptrType, ptrType, args,
                                         ArrayRef<LLVM::GEPArg>{(int32_t)i});
      pointers.push_back(b.create<LLVM::LoadOp>(loc, ptrType, slot));
    }
    b.create<func::ReturnOp>(loc);
    b.setInsertionPoint(entry->getTerminator());
  }

  Value i64(int64_t v) {
    return b.create<arith::ConstantIntOp>(loc, v, b.getI64Type());
  }

  /// The address of element `index` of an array of `elementType`.
  Value address(Value base, Type elementType, Value index) {
    auto ptrType = LLVM::LLVMPointerType::get(b.getContext());
    return b.create<LLVM::GEPOp>(loc, ptrType, elementType, base,
                                 ArrayRef<LLVM::GEPArg>{index});
  }

  Value loadScalar(Value base, Type type, Value index) {
    return b.create<LLVM::LoadOp>(loc, type, address(base, type, index));
  }

  /// Row `index` of a tensor whose rows have type `row`.
  Value loadRow(Value base, VectorType row, Value index) {
    int64_t n = row.getNumElements();
    auto flat = VectorType::get({n}, row.getElementType());
    Value first = b.create<arith::MulIOp>(loc, index, i64(n));
    Value v = b.create<LLVM::LoadOp>(
        loc, flat, address(base, row.getElementType(), first), /*align=*/4);
    if (row.getRank() != 1)
      v = b.create<vector::ShapeCastOp>(loc, row, v);
    return v;
  }

  void storeRow(Value base, Value value, Value index) {
    auto row = cast<VectorType>(value.getType());
    int64_t n = row.getNumElements();
    value = flattenRow(b, loc, value);
    Value first = b.create<arith::MulIOp>(loc, index, i64(n));
    b.create<LLVM::StoreOp>(loc, value,
                            address(base, row.getElementType(), first),
                            /*align=*/4);
  }

  /// Target v's in-edges: CSR positions [start, end).
  std::pair<Value, Value> inEdges(Value v) {
    Value start = loadScalar(offsets(), b.getI64Type(), v);
    Value next = b.create<arith::AddIOp>(loc, v, i64(1));
    return {start, loadScalar(offsets(), b.getI64Type(), next)};
  }

  /// The source vertex of in-edge e.
  Value sourceOf(Value e) {
    Value u32 = loadScalar(sources(), b.getI32Type(), e);
    return b.create<arith::ExtUIOp>(loc, b.getI64Type(), u32);
  }

  Value offsets() { return pointers[0]; }
  Value sources() { return pointers[1]; }
  Value input(unsigned i) { return pointers[2 + i]; }
  Value result() { return pointers.back(); }

  OpBuilder &b;
  Location loc;
  Block *entry; // where stack slots go: allocated once per call
  Value lo, hi;
  SmallVector<Value> pointers;
};

/// What a parameter tensor is inside a kernel: a vector of its shape, or a
/// scalar for a 0-d tensor (0-d vectors have no LLVM load/store).
Type kernelTypeOf(RankedTensorType t) {
  if (t.getRank() == 0)
    return t.getElementType();
  return VectorType::get(t.getShape(), t.getElementType());
}

/// Clones one op of a stage region into the builder's insertion point.
/// Parameter tensors were mapped to vectors, so results typed as tensors
/// become vectors too; a tensor constant's value is retyped with it.
void cloneAsRowOp(OpBuilder &b, Operation &op, IRMapping &map) {
  auto constant = dyn_cast<arith::ConstantOp>(op);
  if (auto t = constant ? dyn_cast<RankedTensorType>(constant.getType())
                        : RankedTensorType()) {
    auto value = cast<DenseElementsAttr>(constant.getValue());
    Type type = kernelTypeOf(t);
    TypedAttr attr = t.getRank() == 0
                         ? cast<TypedAttr>(value.getSplatValue<Attribute>())
                         : TypedAttr(value.reshape(cast<VectorType>(type)));
    map.map(constant.getResult(),
            b.create<arith::ConstantOp>(op.getLoc(), type, attr));
    return;
  }
  Operation *copy = b.clone(op, map);
  for (OpResult r : copy->getResults())
    if (auto t = dyn_cast<RankedTensorType>(r.getType()))
      r.setType(kernelTypeOf(t));
}

/// Clones the ops of a stage region (up to its yield) into the builder's
/// insertion point and returns the yielded row.
Value cloneRegionBody(OpBuilder &b, Block &block, IRMapping &map) {
  for (Operation &op : block.without_terminator())
    cloneAsRowOp(b, op, map);
  return map.lookup(cast<YieldOp>(block.getTerminator()).getValue());
}

class Outliner {
public:
  Outliner(ModuleOp module, int64_t prefetchDistance, int64_t vectorWidth,
           int64_t edgeTile, bool pushKernels, int64_t gatherBudget)
      : module(module), prefetchDistance(prefetchDistance),
        vectorWidth(vectorWidth), edgeTile(edgeTile), pushKernels(pushKernels),
        gatherBudget(gatherBudget), symbols(module) {}

  LogicalResult run(func::FuncOp func) {
    lastKernel = {}; // this model's kernels follow it, not the previous model's
    SmallVector<Operation *> stages;
    func.walk([&](Operation *op) {
      if (isa<TransformOp, MessagePassingOp, DegreeOp, StoredLoopRowsOp>(op))
        stages.push_back(op);
    });
    for (Operation *op : stages) {
      LogicalResult r = success();
      if (auto t = dyn_cast<TransformOp>(op))
        r = outlineTransform(func, t);
      else if (auto m = dyn_cast<MessagePassingOp>(op))
        r = outlineMessagePassing(func, m);
      else if (auto l = dyn_cast<StoredLoopRowsOp>(op))
        r = outlineStoredLoopRows(func, l);
      else
        r = outlineDegree(func, cast<DegreeOp>(op));
      if (failed(r))
        return failure();
    }
    return success();
  }

private:
  /// Whether `stage` does so much arithmetic per float it loads that its
  /// kernel is bound by computation, not memory: an online softmax, a
  /// transcendental function (a polynomial of a dozen or more operations
  /// per element once expanded), a reduction within rows (shuffles) or a
  /// matrix-vector product per edge or per target (a linear in the update:
  /// on rmat-22, GCN's first stage with its second layer's linear took 770
  /// ms with 512-bit vectors against 820 ms with 256-bit ones, GIN's first
  /// with a 64x64 linear 745 against 945 ms).
  /// A max or min aggregation is bound by its instructions too: IEEE
  /// maximum and minimum (NaN-propagating, -0 below +0) expand to a
  /// compare, blends and a max per vector of the accumulator, so 512-bit
  /// vectors halve the work per edge with the same bits. On rmat-22 (degree
  /// order, 2 threads) a 128-float max gather took 1.6-2.1 s with 512-bit
  /// vectors against 2.6-3.2 s with 256-bit ones; on rmat-16 (the rows in
  /// L3, 1 thread) 23-25 against 41-43 ms.
  /// A message stage's kernels that stop before the update (the push
  /// form's partial, a gather block's fold) are judged without it.
  static bool isComputeBound(Operation *stage, bool withUpdate) {
    auto message = dyn_cast<MessagePassingOp>(stage);
    if (message && llvm::is_contained({Aggregation::SoftmaxAdd,
                                       Aggregation::Max, Aggregation::Min},
                                      message.getAggr()))
      return true;
    auto heavy = [](Operation *op) {
      return isa<gnn::ExpOp, gnn::LogOp, gnn::PowOp, gnn::SigmoidOp,
                 gnn::TanhOp, gnn::GeluOp, gnn::EluOp, gnn::ReduceOp,
                 gnn::RowLinearOp>(op)
                 ? WalkResult::interrupt()
                 : WalkResult::advance();
    };
    if (message && !withUpdate)
      return message.getBody().walk(heavy).wasInterrupted();
    return stage->walk(heavy).wasInterrupted();
  }

  /// The vector width `stage`'s kernel is compiled for on AVX-512 hosts,
  /// unless forced. Measured on rmat-18 (2-core AVX-512 EPYC, 1 and 2
  /// threads): compute-bound kernels run 1.1-1.7x faster with 512-bit
  /// vectors (GAT's attention logits 1.1x, its softmax 1.4x, a
  /// sigmoid-gated gather 1.7x); the others stream rows from memory and
  /// run as fast or up to 8% faster with 256-bit ones (AVX-512VL on ymm
  /// registers: GCN's and GIN's 64-float gathers).
  int64_t vectorWidthOf(Operation *stage, bool withUpdate) const {
    if (vectorWidth != 0)
      return vectorWidth;
    return isComputeBound(stage, withUpdate) ? 512 : 256;
  }

  /// A new, empty kernel function for `stage`, next to `parent`; one that
  /// stops before a message stage's update says so (`withUpdate`).
  func::FuncOp createKernel(func::FuncOp parent, Operation *stage,
                            StringRef suffix = "", bool withUpdate = true) {
    OpBuilder b(module.getBodyRegion());
    b.setInsertionPointAfter(lastKernel ? lastKernel.getOperation()
                                        : parent.getOperation());
    auto ptrType = LLVM::LLVMPointerType::get(b.getContext());
    auto type = b.getFunctionType({b.getI64Type(), b.getI64Type(), ptrType}, {});
    auto kernel = b.create<func::FuncOp>(
        stage->getLoc(),
        (parent.getSymName() + "_kernel" + Twine(suffix.empty() ? counter++
                                                                 : counter - 1) +
         suffix)
            .str(),
        type);
    kernel->setAttr(kKernelAttrName, b.getUnitAttr());
    kernel->setAttr(kVectorWidthAttrName,
                    b.getI64IntegerAttr(vectorWidthOf(stage, withUpdate)));
    symbols.insert(kernel);
    lastKernel = kernel;
    return kernel;
  }

  /// The stored graph a stage runs on: the graph a message or degree stage
  /// names, with add_self_loops looked through (kernels add the loops
  /// themselves); for a transform, which names none, the function's first
  /// graph argument.
  static Value findGraph(func::FuncOp func, Value named = {}) {
    if (named) {
      while (Operation *def = named.getDefiningOp()) {
        if (!isa<AddSelfLoopsOp, RemoveSelfLoopsOp>(def))
          break;
        named = def->getOperand(0);
      }
      return named;
    }
    for (BlockArgument arg : func.getArguments())
      if (isa<GraphType>(arg.getType()))
        return arg;
    return {};
  }

  /// Replaces `stage` by a gnn.launch of `kernel`.
  void replaceWithLaunch(Operation *stage, func::FuncOp kernel, Value graph,
                         ValueRange inputs, bool edgeBalanced) {
    OpBuilder b(stage);
    auto launch = b.create<LaunchOp>(stage->getLoc(),
                                     stage->getResult(0).getType(),
                                     kernel.getSymName(), graph, inputs,
                                     /*gathers=*/nullptr,
                                     /*source_only=*/nullptr,
                                     /*partial=*/nullptr,
                                     /*finish=*/nullptr, /*aggr=*/nullptr,
                                     /*accumulator=*/nullptr, /*logits=*/nullptr,
                                     /*target_reads=*/nullptr, /*fold=*/nullptr,
                                     /*fold_finish=*/nullptr,
                                     /*gather_budget=*/nullptr, edgeBalanced);
    stage->getResult(0).replaceAllUsesWith(launch.getResult());
    stage->erase();
  }

  /// Loads the value a uniform (parameter) input has in every row.
  static Value loadUniform(KernelBuilder &kb, Value pointer, Type type) {
    auto t = cast<RankedTensorType>(type);
    if (t.getRank() == 0)
      return kb.loadScalar(pointer, t.getElementType(), kb.i64(0));
    auto row = VectorType::get(t.getShape(), t.getElementType());
    return kb.loadRow(pointer, row, kb.i64(0));
  }

  /// Kernels receive data pointers only: a scalar input has no pointer.
  /// Checked before a kernel is created, so failure leaves none half-built.
  static LogicalResult checkInputs(Operation *stage, ValueRange inputs) {
    for (Value input : inputs)
      if (!isa<RankedTensorType>(input.getType()) &&
          !isFeatureTensor(input.getType()))
        return stage->emitOpError(
            "scalar inputs must be constants inside the region");
    return success();
  }

  LogicalResult outlineTransform(func::FuncOp func, TransformOp stage) {
    Value graph = findGraph(func);
    if (!graph)
      return stage.emitOpError("needs a function with a !gnn.graph argument");
    bool edges = isa<EdgeType>(stage.getResult().getType());
    for (Value input : stage.getInputs())
      if (isFeatureTensor(input.getType()) &&
          isa<EdgeType>(input.getType()) != edges)
        return stage.emitOpError("mixes vertex and edge tensors");
    if (failed(checkInputs(stage, stage.getInputs())))
      return failure();
    func::FuncOp kernel = createKernel(func, stage);
    OpBuilder b(module.getContext());
    KernelBuilder kb(b, stage.getLoc(), kernel, 3 + stage.getInputs().size());
    Block &body = stage.getBody().front();

    IRMapping map;
    for (auto [i, input] : llvm::enumerate(stage.getInputs()))
      if (isa<RankedTensorType>(input.getType()))
        map.map(body.getArgument(i), loadUniform(kb, kb.input(i), input.getType()));

    auto loop = b.create<scf::ForOp>(kb.loc, kb.lo, kb.hi, kb.i64(1));
    b.setInsertionPointToStart(loop.getBody());
    Value v = loop.getInductionVar();
    for (auto [i, input] : llvm::enumerate(stage.getInputs())) {
      if (auto t = dyn_cast<VertexType>(input.getType()))
        map.map(body.getArgument(i), kb.loadRow(kb.input(i), t.getRowType(), v));
      else if (auto t = dyn_cast<EdgeType>(input.getType()))
        map.map(body.getArgument(i), kb.loadRow(kb.input(i), t.getRowType(), v));
    }
    kb.storeRow(kb.result(), cloneRegionBody(b, body, map), v);

    replaceWithLaunch(stage, kernel, graph, stage.getInputs(), false);
    return success();
  }

  /// A splat f32 vector constant.
  static Value splat(KernelBuilder &kb, VectorType type, float value) {
    return kb.b.create<arith::ConstantOp>(
        kb.loc, type, DenseElementsAttr::get(type, kb.b.getF32FloatAttr(value)));
  }

  /// The vector a message accumulator starts from.
  static Value initialAccumulator(KernelBuilder &kb, Aggregation aggr,
                                  VectorType row) {
    float init = 0.0f;
    if (aggr == Aggregation::Max)
      init = -std::numeric_limits<float>::infinity();
    else if (aggr == Aggregation::Min)
      init = std::numeric_limits<float>::infinity();
    return splat(kb, row, init);
  }

  static Value combine(KernelBuilder &kb, Aggregation aggr, Value acc, Value msg) {
    switch (aggr) {
    case Aggregation::Add:
    case Aggregation::Mean:
      // `contract`: a scaled message and this sum become one FMA.
      return kb.b.create<arith::AddFOp>(
          kb.loc, acc, msg,
          arith::FastMathFlagsAttr::get(kb.b.getContext(),
                                        arith::FastMathFlags::contract));
    case Aggregation::Max:
      return kb.b.create<arith::MaximumFOp>(kb.loc, acc, msg);
    case Aggregation::Min:
      return kb.b.create<arith::MinimumFOp>(kb.loc, acc, msg);
    case Aggregation::SoftmaxAdd:
      break;
    }
    llvm_unreachable("softmax_add has its own update");
  }

  /// The state a softmax_add kernel carries along a target's in-edges: per
  /// logit the running maximum and the running sum of exp(logit - max),
  /// and per result element the running sum of exp(logit - max) * value.
  struct SoftmaxState {
    Value max, sum, acc;
  };

  /// One step of the online softmax: folds the edge with `logits` (flat,
  /// of shape `logitShape`) and `value` (flat, of the result row's shape)
  /// into `s`. Usually no logit exceeds its running maximum (new maxima get
  /// rare along a vertex's in-edges) and the edge simply adds with weight
  /// exp(logit - max). Otherwise the maximum moves: the sums so far are
  /// rescaled by exp(old - new) where a logit exceeds it, and the edge
  /// weighs exp(logit - new) = 1 there; both factors are exp(-|logit -
  /// max|), so one exp per logit serves either way.
  static SoftmaxState softmaxStep(KernelBuilder &kb, const SoftmaxState &s,
                                  Value logits, ArrayRef<int64_t> logitShape,
                                  Value value, ArrayRef<int64_t> rowShape) {
    OpBuilder &b = kb.b;
    Location loc = kb.loc;
    auto logitType = cast<VectorType>(logits.getType());
    // Products feed sums directly: let LLVM fuse them (FMA).
    auto contract = arith::FastMathFlagsAttr::get(b.getContext(),
                                                  arith::FastMathFlags::contract);
    Value diff = b.create<arith::SubFOp>(loc, logits, s.max);
    Value exceeds =
        b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, diff,
                                splat(kb, logitType, 0.0f));
    Value anyExceeds = b.create<vector::ReductionOp>(
        loc, vector::CombiningKind::OR, exceeds);
    auto step = b.create<scf::IfOp>(
        loc, TypeRange{s.max.getType(), s.sum.getType(), s.acc.getType()},
        anyExceeds, /*withElseRegion=*/true);
    {
      // A new maximum for some logits.
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&step.getThenRegion().front());
      Value e = b.create<math::ExpOp>(
          loc, b.create<arith::NegFOp>(loc, b.create<math::AbsFOp>(loc, diff)));
      Value one = splat(kb, logitType, 1.0f);
      Value rescale = b.create<arith::SelectOp>(loc, exceeds, e, one);
      Value weight = b.create<arith::SelectOp>(loc, exceeds, one, e);
      Value max = b.create<arith::SelectOp>(loc, exceeds, logits, s.max);
      Value scaled = b.create<arith::MulFOp>(loc, s.sum, rescale, contract);
      Value sum = b.create<arith::AddFOp>(loc, scaled, weight, contract);
      Value rescaleRow = broadcastFlat(b, loc, rescale, logitShape, rowShape);
      Value weightRow = broadcastFlat(b, loc, weight, logitShape, rowShape);
      Value kept = b.create<arith::MulFOp>(loc, s.acc, rescaleRow, contract);
      Value added = b.create<arith::MulFOp>(loc, weightRow, value, contract);
      Value acc = b.create<arith::AddFOp>(loc, kept, added, contract);
      b.create<scf::YieldOp>(loc, ValueRange{max, sum, acc});
    }
    {
      // The common case: the maxima stay.
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&step.getElseRegion().front());
      Value weight = b.create<math::ExpOp>(loc, diff);
      Value sum = b.create<arith::AddFOp>(loc, s.sum, weight);
      Value weightRow = broadcastFlat(b, loc, weight, logitShape, rowShape);
      Value added = b.create<arith::MulFOp>(loc, weightRow, value, contract);
      Value acc = b.create<arith::AddFOp>(loc, s.acc, added, contract);
      b.create<scf::YieldOp>(loc, ValueRange{s.max, sum, acc});
    }
    return {step.getResult(0), step.getResult(1), step.getResult(2)};
  }

  /// A row an in-edge gathers at its source: the first get_vertex of its
  /// tensor, and the floats [first, end) of the row the body reads.
  struct SourceRow {
    GetVertexOp get;
    int64_t first, end;
    /// The 64-byte lines read: one prefetch each.
    int64_t lines() const { return llvm::divideCeil(end - first, 16); }
  };

  /// The rows an in-edge of `body` gathers at its source, one per tensor.
  /// Each is read whole, unless every read of it is a gnn.slice (a
  /// message of `x_j[:, :16]`, GAT's source logits in a row that also
  /// holds the target's): then from the first float a slice takes to the
  /// last. LLVM narrows the loads to what the slices read; the prefetches
  /// must not fetch the rest.
  static SmallVector<SourceRow> sourceRows(Block &body) {
    SmallVector<SourceRow> rows;
    llvm::SmallDenseMap<Value, unsigned> rowOf;
    for (Operation &op : body) {
      auto get = dyn_cast<GetVertexOp>(op);
      if (!get || get.getSide() != Side::Source)
        continue;
      auto type = cast<VectorType>(get.getRow().getType());
      auto [at, fresh] = rowOf.try_emplace(get.getTensor(), rows.size());
      if (fresh)
        rows.push_back({get, type.getNumElements(), 0}); // nothing read yet
      SourceRow &row = rows[at->second];
      for (Operation *user : get.getRow().getUsers()) {
        int64_t low = 0, high = type.getNumElements() - 1;
        if (auto slice = dyn_cast<SliceOp>(user)) {
          // The flat positions of the box's first and last elements.
          auto size = cast<VectorType>(slice.getResult().getType()).getShape();
          low = high = 0;
          for (int64_t d = 0; d < type.getRank(); ++d) {
            low = low * type.getDimSize(d) + slice.getOffsets()[d];
            high = high * type.getDimSize(d) + slice.getOffsets()[d] +
                   (size[d] - 1) * slice.getStrides()[d];
          }
        }
        row.first = std::min(row.first, low);
        row.end = std::max(row.end, high + 1);
      }
    }
    for (SourceRow &row : rows)
      if (row.first >= row.end) // never read
        row.first = row.end = 0;
    return rows;
  }

  /// How many edges ahead a stage's kernels prefetch: the option, or for
  /// -1 as many edges as make 128 lines of its source rows (the misses a
  /// core keeps in flight, with room), from 8 to 128 edges.
  int64_t prefetchDistanceOf(Block &body) const {
    if (prefetchDistance >= 0)
      return prefetchDistance;
    int64_t lines = 0;
    for (const SourceRow &row : sourceRows(body))
      lines += row.lines();
    lines = std::max<int64_t>(lines, 1);
    return std::clamp<int64_t>(128 / lines, 8, 128);
  }

  /// Prefetches the source rows of the in-edge `prefetchDistanceOf(body)`
  /// edges after `e` (clamped to `lastEdge`): gathers from random sources
  /// are latency-bound, and the hardware prefetcher cannot guess them.
  void prefetchSourceRows(KernelBuilder &kb, Block &body, Value e,
                          Value lastEdge) {
    OpBuilder &b = kb.b;
    Value ahead =
        b.create<arith::AddIOp>(kb.loc, e, kb.i64(prefetchDistanceOf(body)));
    ahead = b.create<arith::MinSIOp>(kb.loc, ahead, lastEdge);
    Value u = kb.sourceOf(ahead);
    for (SourceRow &row : sourceRows(body)) {
      unsigned input = cast<BlockArgument>(row.get.getTensor()).getArgNumber();
      int64_t n = cast<VectorType>(row.get.getRow().getType()).getNumElements();
      Value first = b.create<arith::MulIOp>(kb.loc, u, kb.i64(n));
      // One prefetch per 64-byte line of what the body reads (lines()).
      for (int64_t offset = row.first; offset < row.end; offset += 16) {
        Value index = b.create<arith::AddIOp>(kb.loc, first, kb.i64(offset));
        Value line = kb.address(kb.input(input), b.getF32Type(), index);
        b.create<LLVM::Prefetch>(kb.loc, line, /*rw=*/0, /*hint=*/3,
                                 /*cache=*/1);
      }
    }
  }

  /// The kernels a message stage becomes: the whole stage, or the two
  /// halves of its push form (see gnn.launch).
  enum class MessagePart { Whole, Partial, Finish, Fold, FoldFinish };

  /// The inputs of a message stage that are weights of gnn.row_linear, in
  /// its message or its update (both regions' arguments start with the
  /// stage's inputs).
  static SmallVector<unsigned> rowLinearWeights(MessagePassingOp stage) {
    SmallVector<unsigned> weights;
    stage->walk([&](RowLinearOp linear) {
      weights.push_back(cast<BlockArgument>(linear.getWeight()).getArgNumber());
    });
    llvm::sort(weights);
    weights.erase(std::unique(weights.begin(), weights.end()), weights.end());
    return weights;
  }

  /// y_t = W r_t + b for the rows r_t of a tile of in-edges or of targets
  /// (one map per edge or target): per input feature k, r_t[k] broadcast
  /// times row k of the transposed weight (`weightT`, [in, out]),
  /// accumulated with fused multiply-adds. Each weight row is loaded once
  /// per tile, not once per edge, and serves every edge's (or target's)
  /// accumulator: with two FMA ports and two
  /// vector loads per cycle, one edge at a time is bound by the loads (a
  /// row of 64 floats is 4 loads to 4 FMAs, plus r[k]'s broadcast). Each
  /// y_t still sums over k in order, so tiles change no bit. The rows go
  /// through a stack slot so that the loop over k reads r_t[k] with a
  /// broadcast load; the weight rows are loaded in the loop, from the L1
  /// cache, so that LLVM does not hoist the whole weight out of the edge
  /// loop into registers and spill it once per target.
  static SmallVector<Value> emitRowLinear(KernelBuilder &kb,
                                          RowLinearOp linear,
                                          ArrayRef<IRMapping> maps,
                                          Value weightT) {
    OpBuilder &b = kb.b;
    Location loc = kb.loc;
    auto inType = cast<VectorType>(linear.getInput().getType());
    auto outType = cast<VectorType>(linear.getResult().getType());
    int64_t in = inType.getDimSize(0), out = outType.getDimSize(0);
    int64_t tile = maps.size();
    SmallVector<Value> init;
    for (const IRMapping &map : maps)
      init.push_back(linear.getBias()
                         ? map.lookup(linear.getBias())
                         : b.create<arith::ConstantOp>(
                               loc, outType,
                               DenseElementsAttr::get(outType,
                                                      b.getF32FloatAttr(0))));
    // The slot, in the kernel's entry block: one per row linear, not one
    // per edge. Its rows start on cache lines (16 floats), as their
    // stores' alignment says.
    int64_t stride = llvm::alignTo(in, 16);
    auto ptrType = LLVM::LLVMPointerType::get(b.getContext());
    Value slot;
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(kb.entry);
      slot = b.create<LLVM::AllocaOp>(loc, ptrType, b.getF32Type(),
                                      kb.i64(tile * stride), /*alignment=*/64);
    }
    // Row t of the slot, addressed once here for the stores and the loop.
    SmallVector<Value> rows;
    for (auto [t, map] : llvm::enumerate(maps)) {
      rows.push_back(t == 0 ? slot
                            : kb.address(slot, b.getF32Type(),
                                         kb.i64(int64_t(t) * stride)));
      b.create<LLVM::StoreOp>(loc, map.lookup(linear.getInput()), rows.back(),
                              /*alignment=*/64);
    }
    auto loop = b.create<scf::ForOp>(loc, kb.i64(0), kb.i64(in), kb.i64(1),
                                     init);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(loop.getBody());
      Value k = loop.getInductionVar();
      Value row = b.create<arith::MulIOp>(loc, k, kb.i64(out));
      Value w = b.create<LLVM::LoadOp>(
          loc, outType, kb.address(weightT, b.getF32Type(), row), /*align=*/4);
      SmallVector<Value> next;
      for (int64_t t = 0; t < tile; ++t) {
        Value rk = b.create<LLVM::LoadOp>(
            loc, b.getF32Type(), kb.address(rows[t], b.getF32Type(), k));
        Value broadcast = b.create<vector::BroadcastOp>(loc, outType, rk);
        next.push_back(b.create<vector::FMAOp>(loc, broadcast, w,
                                               loop.getRegionIterArgs()[t]));
      }
      b.create<scf::YieldOp>(loc, next);
    }
    return SmallVector<Value>(loop.getResults());
  }

  /// In-edges per tile of `stage`'s message kernel: 1 (no tiles) but for
  /// messages with per-edge Linears. Automatic: the tile's accumulators
  /// of the widest Linear take at most half of AVX-512's 32 registers,
  /// leaving the rest for the weight row, broadcasts and the message's
  /// other values; at most 8 edges.
  int64_t edgeTileOf(MessagePassingOp stage) const {
    int64_t widest = 0;
    for (RowLinearOp linear : stage.getBody().front().getOps<RowLinearOp>())
      widest = std::max(
          widest, cast<VectorType>(linear.getResult().getType()).getDimSize(0));
    if (widest == 0)
      return 1;
    if (edgeTile != 0)
      return edgeTile;
    int64_t registersPerEdge = llvm::divideCeil(widest, 16);
    return std::clamp<int64_t>(16 / registersPerEdge, 1, 8);
  }

  /// Whether a message stage has a push form: its message reads no edge
  /// rows (edge tensors are stored in the order of the part whose targets
  /// they lead to, so another part's partial kernel cannot read them).
  static bool hasPushForm(MessagePassingOp stage) {
    for (Operation &op : stage.getBody().front())
      if (isa<GetEdgeOp>(op))
        return false;
    return true;
  }

  LogicalResult outlineMessagePassing(func::FuncOp func, MessagePassingOp stage) {
    Value graph = findGraph(func, stage.getGraph());
    SelfLoops loops = stage.getGraph().getType().getSelfLoops();
    bool addLoops =
        loops == SelfLoops::OnePerVertex || loops == SelfLoops::StoredPlusOne;
    Block &body = stage.getBody().front();
    // Edge rows exist for the stored edges only: a virtual self loop reads
    // the row its get_edge names as the loop's, or has none.
    if (addLoops)
      for (Operation &op : body)
        if (auto get = dyn_cast<GetEdgeOp>(op); get && !get.getLoop())
          return op.emitOpError(
              "reads edge features on a graph with self loops added "
              "(add_self_loops) but names no rows for the added loops "
              "(a `loop` vertex tensor, PyG's fill_value)");
    if (failed(checkInputs(stage, stage.getInputs())))
      return failure();

    // Row linears read their weights transposed, a row per input feature.
    SmallVector<Value> inputs(stage.getInputs());
    for (unsigned i : rowLinearWeights(stage)) {
      SmallVector<BlockArgument, 2> args = {body.getArgument(i)};
      if (stage.hasUpdate())
        args.push_back(stage.getUpdate().getArgument(i));
      for (BlockArgument arg : args)
        for (Operation *user : arg.getUsers())
          if (auto linear = dyn_cast<RowLinearOp>(user);
              !linear || linear.getWeight() != arg ||
              linear.getInput() == arg || linear.getBias() == arg)
            return user->emitOpError("uses the weight of a gnn.row_linear "
                                     "for something else");
      OpBuilder top(stage);
      Value weight = inputs[i];
      DenseI64ArrayAttr columns;
      if (auto view = weight.getDefiningOp<ParamViewOp>();
          view && !view.getTranspose()) {
        weight = view.getInput();
        columns = view.getColumnsAttr();
      }
      ArrayRef<int64_t> shape =
          cast<RankedTensorType>(inputs[i].getType()).getShape();
      auto transposed = RankedTensorType::get({shape[1], shape[0]},
                                              top.getF32Type());
      inputs[i] = top.create<ParamViewOp>(stage.getLoc(), transposed, weight,
                                          columns, top.getUnitAttr());
    }

    func::FuncOp kernel = createKernel(func, stage);
    emitMessageKernel(kernel, stage, MessagePart::Whole);
    func::FuncOp partial, finish;
    func::FuncOp fold, foldFinish;
    if (pushKernels && hasPushForm(stage)) {
      partial = createKernel(func, stage, "_partial", /*withUpdate=*/false);
      emitMessageKernel(partial, stage, MessagePart::Partial);
      finish = createKernel(func, stage, "_finish");
      emitMessageKernel(finish, stage, MessagePart::Finish);
      if (gatherBudget >= 0) {
        fold = createKernel(func, stage, "_fold", /*withUpdate=*/false);
        emitMessageKernel(fold, stage, MessagePart::Fold);
        foldFinish = createKernel(func, stage, "_fold_finish");
        emitMessageKernel(foldFinish, stage, MessagePart::FoldFinish);
      }
    }

    // The inputs read at in-edge sources, for the distributed runtime, and
    // those read at targets, which a push form reads at mirrors.
    auto positions = [&](Side side) {
      SmallVector<int64_t> out;
      for (Operation &op : body)
        if (auto get = dyn_cast<GetVertexOp>(op); get && get.getSide() == side)
          out.push_back(cast<BlockArgument>(get.getTensor()).getArgNumber());
      llvm::sort(out);
      out.erase(std::unique(out.begin(), out.end()), out.end());
      return out;
    };
    SmallVector<int64_t> gathers = positions(Side::Source);
    // Of those, the ones read nowhere else: the rest of their rows (of
    // vertices without out-edges) are never read. A virtual self loop
    // reads every vertex's own row at the source.
    auto atSource = [](Operation *user) {
      auto get = dyn_cast<GetVertexOp>(user);
      return get && get.getSide() == Side::Source;
    };
    SmallVector<int64_t> sourceOnly;
    if (!addLoops)
      for (int64_t i : gathers)
        if (llvm::all_of(body.getArgument(i).getUsers(), atSource) &&
            (!stage.hasUpdate() || stage.getUpdate().getArgument(i).use_empty()))
          sourceOnly.push_back(i);
    OpBuilder b(stage);
    auto launch = b.create<LaunchOp>(stage.getLoc(), stage.getResult().getType(),
                                     kernel.getSymName(), graph,
                                     inputs, /*gathers=*/nullptr,
                                     /*source_only=*/nullptr,
                                     /*partial=*/nullptr, /*finish=*/nullptr,
                                     /*aggr=*/nullptr, /*accumulator=*/nullptr,
                                     /*logits=*/nullptr, /*target_reads=*/nullptr,
                                     /*fold=*/nullptr, /*fold_finish=*/nullptr,
                                     /*gather_budget=*/nullptr,
                                     /*edgeBalanced=*/true);
    if (!gathers.empty())
      launch.setGathers(gathers);
    if (!sourceOnly.empty())
      launch.setSourceOnly(sourceOnly);
    if (partial) {
      Aggregation aggr = stage.getAggr();
      auto yield = cast<YieldOp>(body.getTerminator());
      launch.setPartialAttr(FlatSymbolRefAttr::get(partial.getSymNameAttr()));
      launch.setFinishAttr(FlatSymbolRefAttr::get(finish.getSymNameAttr()));
      launch.setAggr(aggr);
      launch.setAccumulator(stage.getAggregateRowType().getShape());
      launch.setLogits(aggr == Aggregation::SoftmaxAdd
                           ? rowShape(yield.getValues()[1].getType())
                           : ArrayRef<int64_t>());
      if (SmallVector<int64_t> reads = positions(Side::Target); !reads.empty())
        launch.setTargetReads(reads);
    }
    if (fold) {
      launch.setFoldAttr(FlatSymbolRefAttr::get(fold.getSymNameAttr()));
      launch.setFoldFinishAttr(
          FlatSymbolRefAttr::get(foldFinish.getSymNameAttr()));
      launch.setGatherBudget(gatherBudget);
    }
    stage.getResult().replaceAllUsesWith(launch.getResult());
    stage.erase();
    return success();
  }

  /// The body of `kernel`, one of the kernels of message stage `stage`:
  /// - Whole: per target, its in-edges folded into a state carried in
  ///   registers, the virtual self loop, the finish (mean's division,
  ///   softmax's normalisation, zero for no messages), the update region;
  /// - Partial: the in-edges only, the state stored as a row of the state
  ///   tensor (the launch's result) instead of finished;
  /// - Finish: the state row loaded (the argument before the result), then
  ///   as Whole from the virtual self loop on;
  /// - Fold: the state row loaded from the result, the in-edges folded
  ///   into it, stored back (a later block of sources, gather blocking);
  /// - FoldFinish: the state row loaded (as Finish), the in-edges folded
  ///   into it, then as Whole from the virtual self loop on (the last
  ///   block).
  void emitMessageKernel(func::FuncOp kernel, MessagePassingOp stage,
                         MessagePart part) {
    SelfLoops loops = stage.getGraph().getType().getSelfLoops();
    bool addLoops =
        loops == SelfLoops::OnePerVertex || loops == SelfLoops::StoredPlusOne;
    bool skipStoredLoops =
        loops == SelfLoops::OnePerVertex || loops == SelfLoops::None;
    Block &body = stage.getBody().front();
    OpBuilder b(module.getContext());
    // Which of the kernel's three phases this part has: folding in-edges,
    // starting from a stored state row, finishing into the result.
    bool foldsEdges = part != MessagePart::Finish;
    bool loadsState = part == MessagePart::Finish ||
                      part == MessagePart::Fold ||
                      part == MessagePart::FoldFinish;
    bool stateArgument =
        part == MessagePart::Finish || part == MessagePart::FoldFinish;
    bool storesState =
        part == MessagePart::Partial || part == MessagePart::Fold;
    KernelBuilder kb(b, stage.getLoc(), kernel,
                     3 + stage.getInputs().size() + (stateArgument ? 1 : 0));
    Aggregation aggr = stage.getAggr();
    bool softmax = aggr == Aggregation::SoftmaxAdd;
    // Kernels compute on flat rows (lowering/Rows.h); the region's values
    // keep their shapes and are flattened where they enter the state.
    // The aggregated rows (the result's, unless an update region follows).
    VectorType aggregateRow = stage.getAggregateRowType();
    ArrayRef<int64_t> resultShape = aggregateRow.getShape();
    auto flatRow = VectorType::get({aggregateRow.getNumElements()}, b.getF32Type());
    auto yield = cast<YieldOp>(body.getTerminator());
    ArrayRef<int64_t> logitShape;
    VectorType flatLogits;
    if (softmax) {
      auto logits = cast<VectorType>(yield.getValues()[1].getType());
      logitShape = logits.getShape();
      flatLogits = VectorType::get({logits.getNumElements()}, b.getF32Type());
    }
    // A state row (Partial, Finish): the accumulator, for softmax_add the
    // maxima and sums, then (but for add) the message count's i32 bits.
    int64_t accFloats = flatRow.getNumElements();
    int64_t logitFloats = softmax ? flatLogits.getNumElements() : 0;
    bool stateHasCount = aggr != Aggregation::Add;
    int64_t stateFloats = accFloats + 2 * logitFloats + (stateHasCount ? 1 : 0);

    IRMapping uniforms;
    SmallVector<Value> uniformValues(stage.getInputs().size());
    SmallVector<unsigned> weightInputs = rowLinearWeights(stage);
    for (auto [i, input] : llvm::enumerate(stage.getInputs()))
      if (isa<RankedTensorType>(input.getType()) &&
          !llvm::is_contained(weightInputs, unsigned(i))) {
        uniformValues[i] = loadUniform(kb, kb.input(i), input.getType());
        uniforms.map(body.getArgument(i), uniformValues[i]);
      }

    // The last in-edge of the range: how far ahead prefetches may look.
    Value lastEdge;
    bool prefetches = prefetchDistance != 0;
    if (prefetches && foldsEdges) {
      Value edges = kb.loadScalar(kb.offsets(), b.getI64Type(), kb.hi);
      lastEdge = b.create<arith::SubIOp>(kb.loc, edges, kb.i64(1));
    }

    // With row linears in the update, targets go in tiles (UpdateTile).
    std::optional<UpdateTile> tile;
    if (!storesState)
      tile = planUpdateTile(stage);
    Value tileFirst, tileCount;
    if (tile) {
      allocateTileSlots(kb, *tile);
      auto tileLoop = b.create<scf::ForOp>(kb.loc, kb.lo, kb.hi,
                                           kb.i64(tile->targets));
      b.setInsertionPointToStart(tileLoop.getBody());
      tileFirst = tileLoop.getInductionVar();
      Value left = b.create<arith::SubIOp>(kb.loc, kb.hi, tileFirst);
      tileCount =
          b.create<arith::MinSIOp>(kb.loc, left, kb.i64(tile->targets));
    }
    auto vertexLoop =
        tile ? b.create<scf::ForOp>(kb.loc, kb.i64(0), tileCount, kb.i64(1))
             : b.create<scf::ForOp>(kb.loc, kb.lo, kb.hi, kb.i64(1));
    b.setInsertionPointToStart(vertexLoop.getBody());
    Value v = tile ? b.create<arith::AddIOp>(kb.loc, tileFirst,
                                             vertexLoop.getInductionVar())
                   : vertexLoop.getInductionVar();
    Value start, end; // v's in-edges
    if (foldsEdges)
      std::tie(start, end) = kb.inEdges(v);

    // Target rows are the same for every in-edge: load them once.
    IRMapping targetRows = uniforms;
    for (Operation &op : body)
      if (auto get = dyn_cast<GetVertexOp>(op); get && get.getSide() == Side::Target)
        if (!targetRows.contains(get.getRow()))
          targetRows.map(get.getRow(),
                         kb.loadRow(kb.input(cast<BlockArgument>(get.getTensor())
                                                 .getArgNumber()),
                                    get.getRow().getType(), v));

    // The messages of a tile of in-edges, from sources `us` at CSR
    // positions `es` (a null position: the virtual self loop): the region
    // once per edge, but each gnn.row_linear once for the whole tile.
    // Returns per edge the yielded rows, flattened (a softmax_add value
    // broadcast to the result's shape).
    auto emitMessages = [&](ArrayRef<Value> us, ArrayRef<Value> es) {
      SmallVector<IRMapping> maps(us.size(), targetRows);
      for (auto [map, u, e] : llvm::zip_equal(maps, us, es))
        for (Operation &op : body) {
          if (auto get = dyn_cast<GetVertexOp>(op);
              get && get.getSide() == Side::Source)
            map.map(get.getRow(),
                    kb.loadRow(kb.input(cast<BlockArgument>(get.getTensor())
                                            .getArgNumber()),
                               get.getRow().getType(), u));
          // The edge's row: edge tensors are in CSR order. The virtual self
          // loop (no edge position) reads the loop rows at the target.
          if (auto get = dyn_cast<GetEdgeOp>(op)) {
            Value tensor = e ? get.getTensor() : get.getLoop();
            map.map(get.getRow(),
                    kb.loadRow(
                        kb.input(cast<BlockArgument>(tensor).getArgNumber()),
                        cast<VectorType>(get.getRow().getType()), e ? e : v));
          }
        }
      for (Operation &op : body.without_terminator()) {
        if (auto linear = dyn_cast<RowLinearOp>(op)) {
          unsigned w = cast<BlockArgument>(linear.getWeight()).getArgNumber();
          for (auto [map, y] : llvm::zip_equal(
                   maps, emitRowLinear(kb, linear, maps, kb.input(w))))
            map.map(linear.getResult(), y);
        } else if (!isa<GetVertexOp, GetEdgeOp>(op)) {
          for (IRMapping &map : maps)
            cloneAsRowOp(b, op, map);
        }
      }
      SmallVector<SmallVector<Value>> messages;
      for (IRMapping &map : maps) {
        SmallVector<Value> &rows = messages.emplace_back();
        for (Value y : yield.getValues())
          rows.push_back(flattenRow(b, kb.loc, map.lookup(y)));
        if (softmax)
          rows[0] = broadcastFlat(b, kb.loc, rows[0],
                                  rowShape(yield.getValues()[0].getType()),
                                  resultShape);
      }
      return messages;
    };

    // Emits the accumulation of a message (its rows) into `state` at b's
    // insertion point and returns the new state.
    auto fold = [&](ValueRange state, ArrayRef<Value> rows) {
      SmallVector<Value> updated;
      if (softmax) {
        SoftmaxState s = softmaxStep(kb, {state[0], state[1], state[2]}, rows[1],
                                     logitShape, rows[0], resultShape);
        updated = {s.max, s.sum, s.acc};
      } else {
        updated = {combine(kb, aggr, state[0], rows[0])};
      }
      updated.push_back(b.create<arith::AddIOp>(kb.loc, state.back(), kb.i64(1)));
      return updated;
    };
    auto step = [&](ValueRange state, Value u, Value e) {
      return fold(state, emitMessages({u}, {e}).front());
    };
    // As fold, for the message from u that `message` emits, but leaving
    // the state as it is when the edge is a stored self loop the graph
    // drops (and replaces by the virtual one below, when it adds one). The
    // message is emitted where it is folded: a message of one edge only
    // for the edges kept.
    auto foldUnlessDropped =
        [&](ValueRange state, Value u,
            function_ref<SmallVector<Value>()> message) -> SmallVector<Value> {
      if (!skipStoredLoops)
        return fold(state, message());
      Value isLoop =
          b.create<arith::CmpIOp>(kb.loc, arith::CmpIPredicate::eq, u, v);
      auto branch = b.create<scf::IfOp>(
          kb.loc, isLoop,
          [&](OpBuilder &bb, Location l) { bb.create<scf::YieldOp>(l, state); },
          [&](OpBuilder &bb, Location l) {
            OpBuilder::InsertionGuard inner(b);
            b.setInsertionPoint(bb.getInsertionBlock(), bb.getInsertionPoint());
            bb.create<scf::YieldOp>(l, fold(state, message()));
          });
      return SmallVector<Value>(branch.getResults());
    };

    // The state: the accumulator(s), then the number of messages.
    SmallVector<Value> state;
    Value stateBase =
        stateArgument ? kb.pointers[kb.pointers.size() - 2] : kb.result();
    // Element `offset` of v's state row.
    auto stateAddress = [&](Value base, int64_t offset) {
      Value first = b.create<arith::MulIOp>(kb.loc, v, kb.i64(stateFloats));
      first = b.create<arith::AddIOp>(kb.loc, first, kb.i64(offset));
      return kb.address(base, b.getF32Type(), first);
    };
    if (loadsState) {
      auto load = [&](VectorType type, int64_t offset) -> Value {
        return b.create<LLVM::LoadOp>(kb.loc, type, stateAddress(stateBase, offset),
                                      /*align=*/4);
      };
      if (softmax) {
        state.push_back(load(flatLogits, accFloats));
        state.push_back(load(flatLogits, accFloats + logitFloats));
      }
      state.push_back(load(flatRow, 0));
      if (stateHasCount) {
        Value bits = b.create<LLVM::LoadOp>(
            kb.loc, b.getI32Type(), stateAddress(stateBase, stateFloats - 1));
        state.push_back(b.create<arith::ExtSIOp>(kb.loc, b.getI64Type(), bits));
      } else {
        state.push_back(kb.i64(0)); // unused: add needs no count
      }
    }
    if (foldsEdges) {
      SmallVector<Value> init;
      if (loadsState) {
        // The stored state goes on where the previous block left it.
        init = state;
      } else if (softmax) {
        init.push_back(splat(kb, flatLogits, -std::numeric_limits<float>::infinity()));
        init.push_back(splat(kb, flatLogits, 0.0f));
        init.push_back(splat(kb, flatRow, 0.0f));
      } else {
        init.push_back(initialAccumulator(kb, aggr, flatRow));
      }
      if (!loadsState)
        init.push_back(kb.i64(0));
      // Whole tiles of in-edges first (messages with per-edge Linears),
      // then one edge at a time; either way in CSR order.
      Value tailStart = start;
      if (int64_t tile = edgeTileOf(stage); tile > 1) {
        Value n = b.create<arith::SubIOp>(kb.loc, end, start);
        Value rest = b.create<arith::RemSIOp>(kb.loc, n, kb.i64(tile));
        tailStart = b.create<arith::SubIOp>(kb.loc, end, rest);
        auto tileLoop = b.create<scf::ForOp>(kb.loc, start, tailStart,
                                             kb.i64(tile), init);
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(tileLoop.getBody());
        SmallVector<Value> us, es;
        for (int64_t t = 0; t < tile; ++t) {
          Value e = b.create<arith::AddIOp>(kb.loc, tileLoop.getInductionVar(),
                                            kb.i64(t));
          es.push_back(e);
          us.push_back(kb.sourceOf(e));
          if (prefetches)
            prefetchSourceRows(kb, body, e, lastEdge);
        }
        SmallVector<Value> tileState(tileLoop.getRegionIterArgs());
        for (auto [u, rows] : llvm::zip_equal(us, emitMessages(us, es)))
          tileState = foldUnlessDropped(tileState, u, [&] { return rows; });
        b.create<scf::YieldOp>(kb.loc, tileState);
        init.assign(tileLoop.getResults().begin(), tileLoop.getResults().end());
      }
      auto edgeLoop =
          b.create<scf::ForOp>(kb.loc, tailStart, end, kb.i64(1), init);
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(edgeLoop.getBody());
        Value e = edgeLoop.getInductionVar();
        Value u = kb.sourceOf(e);
        if (prefetches)
          prefetchSourceRows(kb, body, e, lastEdge);
        b.create<scf::YieldOp>(
            kb.loc, foldUnlessDropped(edgeLoop.getRegionIterArgs(), u, [&] {
              return emitMessages({u}, {e}).front();
            }));
      }
      state.assign(edgeLoop.getResults().begin(), edgeLoop.getResults().end());
    }

    if (storesState) {
      auto store = [&](Value value, int64_t offset) {
        b.create<LLVM::StoreOp>(kb.loc, value, stateAddress(stateBase, offset),
                                /*align=*/4);
      };
      store(softmax ? state[2] : state[0], 0);
      if (softmax) {
        store(state[0], accFloats);
        store(state[1], accFloats + logitFloats);
      }
      if (stateHasCount)
        store(b.create<arith::TruncIOp>(kb.loc, b.getI32Type(), state.back()),
              stateFloats - 1);
      return;
    }

    if (addLoops)
      state = step(state, v, Value()); // edge rows from `loop` (checked above)
    Value acc = softmax ? state[2] : state[0];
    Value count = state.back();
    if (aggr == Aggregation::Mean) {
      Value one = kb.i64(1);
      Value n = b.create<arith::MaxSIOp>(kb.loc, count, one);
      Value nf = b.create<arith::SIToFPOp>(kb.loc, b.getF32Type(), n);
      acc = b.create<arith::DivFOp>(kb.loc, acc,
                                    b.create<vector::BroadcastOp>(kb.loc, flatRow, nf));
    } else if (softmax) {
      Value sum = broadcastFlat(b, kb.loc, state[1], logitShape, resultShape);
      acc = b.create<arith::DivFOp>(kb.loc, acc, sum);
    }
    if ((aggr == Aggregation::Max || aggr == Aggregation::Min || softmax) &&
        !addLoops) {
      // PyG's scatter leaves vertices without messages at zero (max and
      // min would be -inf/+inf, the softmax 0/0). With a virtual self loop
      // every vertex has a message.
      Value none = b.create<arith::CmpIOp>(kb.loc, arith::CmpIPredicate::eq,
                                           count, kb.i64(0));
      acc = b.create<arith::SelectOp>(kb.loc, none, splat(kb, flatRow, 0.0f), acc);
    }
    if (tile) {
      emitUpdateHead(kb, stage, *tile, uniformValues, acc, v,
                     vertexLoop.getInductionVar());
      b.setInsertionPointAfter(vertexLoop);
      emitUpdateTile(kb, stage, *tile, uniformValues, tileFirst, tileCount);
      return;
    }
    if (stage.hasUpdate())
      acc = emitUpdate(kb, stage, uniformValues, acc, v);
    kb.storeRow(kb.result(), acc, v);
  }

  /// How a message kernel runs an update with row linears a tile of
  /// targets at a time: the loop over a tile's targets runs the update up
  /// to `first` and keeps `kept` per target in `slots` (stack slots, one
  /// per value, made by allocateTileSlots); the rest runs once for the
  /// tile, each row linear over all its targets, and computes the values
  /// in `again` once more per target.
  struct UpdateTile {
    RowLinearOp first;
    SmallVector<Value> kept;      // first's input first, then rows read later
    SmallVector<Operation *> again; // constants and rows at the target
    int64_t targets = 1;          // per tile
    SmallVector<Value> slots;
  };

  /// The tile of `stage`'s update, if it has a row linear and what the ops
  /// from the first one on read from before it is either f32 rows (kept)
  /// or constants and rows at the target (computed again), with no op
  /// from it on having regions of its own. Targets per tile as edgeTileOf:
  /// the accumulators of the widest linear take at most half of AVX-512's
  /// 32 registers. Alone, a target's row linear is a chain of FMAs, one
  /// per input feature, each waiting on the last (4 cycles); a tile's
  /// independent chains fill both FMA ports.
  static std::optional<UpdateTile> planUpdateTile(MessagePassingOp stage) {
    if (!stage.hasUpdate())
      return std::nullopt;
    Block &update = stage.getUpdate().front();
    auto linears = update.getOps<RowLinearOp>();
    if (linears.empty())
      return std::nullopt;
    UpdateTile tile;
    tile.first = *linears.begin();
    tile.kept.push_back(tile.first.getInput());
    int64_t widest = 0;
    for (Operation *op = tile.first; op; op = op->getNextNode()) {
      if (op->getNumRegions() != 0)
        return std::nullopt;
      if (auto linear = dyn_cast<RowLinearOp>(op))
        widest = std::max(widest, cast<VectorType>(linear.getResult().getType())
                                      .getDimSize(0));
      for (Value operand : op->getOperands()) {
        Operation *def = operand.getDefiningOp();
        if (def && (def == tile.first || tile.first->isBeforeInBlock(def)))
          continue; // computed in the tile
        if (!def && operand != update.getArguments().back())
          continue; // a stage input
        if (isa_and_nonnull<GetVertexOp, arith::ConstantOp>(def) &&
            operand != tile.first.getInput()) {
          if (!llvm::is_contained(tile.again, def))
            tile.again.push_back(def);
          continue;
        }
        auto row = dyn_cast<VectorType>(operand.getType());
        if (!row || !row.getElementType().isF32())
          return std::nullopt;
        if (!llvm::is_contained(tile.kept, operand))
          tile.kept.push_back(operand);
      }
    }
    // Computed again in the order they had.
    llvm::sort(tile.again, [](Operation *a, Operation *b) {
      return a->isBeforeInBlock(b);
    });
    tile.targets = std::clamp<int64_t>(16 / llvm::divideCeil(widest, 16), 1, 8);
    return tile;
  }

  /// `tile`'s slots, in the kernel's entry block, zeroed: a call's first
  /// tile, if partial, computes on rows no target wrote (later ones on the
  /// previous tile's).
  static void allocateTileSlots(KernelBuilder &kb, UpdateTile &tile) {
    OpBuilder &b = kb.b;
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(kb.entry);
    auto ptrType = LLVM::LLVMPointerType::get(b.getContext());
    for (Value value : tile.kept) {
      auto row = cast<VectorType>(value.getType());
      Value slot = b.create<LLVM::AllocaOp>(
          kb.loc, ptrType, b.getF32Type(),
          kb.i64(tile.targets * row.getNumElements()), /*alignment=*/64);
      Value zero = b.create<arith::ConstantOp>(
          kb.loc, DenseElementsAttr::get(row, b.getF32FloatAttr(0)));
      for (int64_t t = 0; t < tile.targets; ++t)
        kb.storeRow(slot, zero, kb.i64(t));
      tile.slots.push_back(slot);
    }
  }

  /// The update region of target `v` up to `tile`'s first row linear; the
  /// values the rest reads (tile.kept) stored as row `t` of their slots.
  static void emitUpdateHead(KernelBuilder &kb, MessagePassingOp stage,
                             const UpdateTile &tile,
                             ArrayRef<Value> uniformValues, Value aggregate,
                             Value v, Value t) {
    IRMapping map =
        emitUpdateOps(kb, stage, uniformValues, aggregate, v, tile.first);
    for (auto [value, slot] : llvm::zip_equal(tile.kept, tile.slots))
      kb.storeRow(slot, map.lookup(value), t);
  }

  /// The rest of the update region for a tile of `count` (at most
  /// tile.targets) targets from `firstTarget`, the values it reads from
  /// before in the tile's slots (emitUpdateHead): each row linear once for
  /// the tile (emitRowLinear), the other ops per target; the results
  /// stored for the targets the tile has. Each target's rows are summed in
  /// the same order as alone, so tiles change no bit.
  static void emitUpdateTile(KernelBuilder &kb, MessagePassingOp stage,
                             const UpdateTile &tile,
                             ArrayRef<Value> uniformValues, Value firstTarget,
                             Value count) {
    OpBuilder &b = kb.b;
    Block &update = stage.getUpdate().front();
    SmallVector<IRMapping> maps;
    SmallVector<Value> targets;
    Value last = b.create<arith::SubIOp>(kb.loc, kb.hi, kb.i64(1));
    for (int64_t t = 0; t < tile.targets; ++t) {
      IRMapping &map = maps.emplace_back(uniformMap(update, uniformValues));
      for (auto [value, slot] : llvm::zip_equal(tile.kept, tile.slots))
        map.map(value, kb.loadRow(slot, cast<VectorType>(value.getType()),
                                  kb.i64(t)));
      // A partial tile's missing targets read the range's last rows.
      Value target = firstTarget;
      if (t > 0)
        target = b.create<arith::MinSIOp>(
            kb.loc, b.create<arith::AddIOp>(kb.loc, firstTarget, kb.i64(t)),
            last);
      targets.push_back(target);
    }
    auto emitPerTarget = [&](Operation &op) {
      for (auto [map, target] : llvm::zip_equal(maps, targets))
        emitUpdateOp(kb, op, map, target);
    };
    for (Operation *op : tile.again)
      emitPerTarget(*op);
    for (Operation *op = tile.first; !isa<YieldOp>(op); op = op->getNextNode()) {
      if (auto linear = dyn_cast<RowLinearOp>(op)) {
        unsigned w = cast<BlockArgument>(linear.getWeight()).getArgNumber();
        for (auto [map, y] : llvm::zip_equal(
                 maps, emitRowLinear(kb, linear, maps, kb.input(w))))
          map.map(linear.getResult(), y);
      } else {
        emitPerTarget(*op);
      }
    }
    Value yielded = cast<YieldOp>(update.getTerminator()).getValue();
    for (auto [t, map] : llvm::enumerate(maps)) {
      Value row = flattenRow(b, kb.loc, map.lookup(yielded));
      if (t == 0) { // every tile has its first target
        kb.storeRow(kb.result(), row, firstTarget);
        continue;
      }
      Value present = b.create<arith::CmpIOp>(
          kb.loc, arith::CmpIPredicate::slt, kb.i64(int64_t(t)), count);
      auto branch = b.create<scf::IfOp>(kb.loc, present, /*else=*/false);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(branch.thenBlock());
      kb.storeRow(kb.result(), row,
                  b.create<arith::AddIOp>(kb.loc, firstTarget,
                                          kb.i64(int64_t(t))));
    }
  }

  /// The update region applied to the aggregated row `aggregate` (flat) of
  /// target `v`; returns the result row, flat.
  static Value emitUpdate(KernelBuilder &kb, MessagePassingOp stage,
                          ArrayRef<Value> uniformValues, Value aggregate,
                          Value v) {
    Block &update = stage.getUpdate().front();
    IRMapping map = emitUpdateOps(kb, stage, uniformValues, aggregate, v,
                                  update.getTerminator());
    return flattenRow(kb.b, kb.loc,
                      map.lookup(cast<YieldOp>(update.getTerminator()).getValue()));
  }

  /// The update region's stage-input arguments mapped to the kernel's
  /// uniform values (parameters loaded once).
  static IRMapping uniformMap(Block &update, ArrayRef<Value> uniformValues) {
    IRMapping map;
    for (auto [i, value] : llvm::enumerate(uniformValues))
      if (value)
        map.map(update.getArgument(i), value);
    return map;
  }

  /// One op of an update region for target `v`, under `map`: a row read at
  /// the target, a row linear of one row, or a row op.
  static void emitUpdateOp(KernelBuilder &kb, Operation &op, IRMapping &map,
                           Value v) {
    if (auto get = dyn_cast<GetVertexOp>(op)) {
      map.map(get.getRow(),
              kb.loadRow(kb.input(cast<BlockArgument>(get.getTensor())
                                      .getArgNumber()),
                         get.getRow().getType(), v));
    } else if (auto linear = dyn_cast<RowLinearOp>(op)) {
      unsigned w = cast<BlockArgument>(linear.getWeight()).getArgNumber();
      map.map(linear.getResult(),
              emitRowLinear(kb, linear, map, kb.input(w)).front());
    } else {
      cloneAsRowOp(kb.b, op, map);
    }
  }

  /// The ops of the update region before `stop`, for the aggregated row
  /// `aggregate` (flat) of target `v`; returns what they computed, mapped
  /// from the region's values.
  static IRMapping emitUpdateOps(KernelBuilder &kb, MessagePassingOp stage,
                                 ArrayRef<Value> uniformValues,
                                 Value aggregate, Value v, Operation *stop) {
    Block &update = stage.getUpdate().front();
    IRMapping map = uniformMap(update, uniformValues);
    map.map(update.getArguments().back(),
            unflattenRow(kb.b, kb.loc, aggregate, stage.getAggregateRowType()));
    for (Operation &op : update) {
      if (&op == stop)
        break;
      emitUpdateOp(kb, op, map, v);
    }
    return map;
  }

  LogicalResult outlineDegree(func::FuncOp func, DegreeOp stage) {
    Value graph = findGraph(func, stage.getGraph());
    SelfLoops loops = stage.getGraph().getType().getSelfLoops();
    bool addLoops =
        loops == SelfLoops::OnePerVertex || loops == SelfLoops::StoredPlusOne;
    bool skipStoredLoops =
        loops == SelfLoops::OnePerVertex || loops == SelfLoops::None;
    func::FuncOp kernel = createKernel(func, stage);
    OpBuilder b(module.getContext());
    KernelBuilder kb(b, stage.getLoc(), kernel, 3);

    auto loop = b.create<scf::ForOp>(kb.loc, kb.lo, kb.hi, kb.i64(1));
    b.setInsertionPointToStart(loop.getBody());
    Value v = loop.getInductionVar();
    auto [start, end] = kb.inEdges(v);
    Value count = b.create<arith::SubIOp>(kb.loc, end, start);
    if (skipStoredLoops) {
      // Count only the in-edges that are not self loops (from one, for the
      // added loop).
      auto edges = b.create<scf::ForOp>(kb.loc, start, end, kb.i64(1),
                                        ValueRange{kb.i64(addLoops ? 1 : 0)});
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(edges.getBody());
      Value u = kb.sourceOf(edges.getInductionVar());
      Value other = b.create<arith::CmpIOp>(kb.loc, arith::CmpIPredicate::ne, u, v);
      Value inc = b.create<arith::ExtUIOp>(kb.loc, b.getI64Type(), other);
      b.create<scf::YieldOp>(
          kb.loc, ValueRange{b.create<arith::AddIOp>(
                      kb.loc, edges.getRegionIterArg(0), inc)});
      count = edges.getResult(0);
    } else if (addLoops) {
      // Every stored edge counts, and the added loop too.
      count = b.create<arith::AddIOp>(kb.loc, count, kb.i64(1));
    }
    b.setInsertionPointAfterValue(count);
    Value f = b.create<arith::SIToFPOp>(kb.loc, b.getF32Type(), count);
    auto row = VectorType::get({1}, b.getF32Type());
    kb.storeRow(kb.result(), b.create<vector::BroadcastOp>(kb.loc, row, f), v);

    replaceWithLaunch(stage, kernel, graph, {}, skipStoredLoops);
    return success();
  }

  /// Per vertex, the row of its last stored self loop (a scan of its
  /// in-edges, the later match replacing the earlier), else the fill.
  LogicalResult outlineStoredLoopRows(func::FuncOp func, StoredLoopRowsOp stage) {
    Value graph = findGraph(func, stage.getGraph());
    func::FuncOp kernel = createKernel(func, stage);
    OpBuilder b(module.getContext());
    SmallVector<Value> inputs = {stage.getEdges()};
    if (stage.getFillRows())
      inputs.push_back(stage.getFillRows());
    KernelBuilder kb(b, stage.getLoc(), kernel, 3 + inputs.size());
    VectorType rowType = stage.getEdges().getType().getRowType();
    auto flat = VectorType::get({rowType.getNumElements()}, b.getF32Type());

    auto loop = b.create<scf::ForOp>(kb.loc, kb.lo, kb.hi, kb.i64(1));
    b.setInsertionPointToStart(loop.getBody());
    Value v = loop.getInductionVar();
    auto [start, end] = kb.inEdges(v);
    Value fill = stage.getFillRows()
                     ? kb.loadRow(kb.input(1), flat, v)
                     : splat(kb, flat, stage.getFill()->convertToFloat());
    auto edges = b.create<scf::ForOp>(kb.loc, start, end, kb.i64(1),
                                      ValueRange{fill});
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(edges.getBody());
      Value e = edges.getInductionVar();
      Value u = kb.sourceOf(e);
      Value isLoop =
          b.create<arith::CmpIOp>(kb.loc, arith::CmpIPredicate::eq, u, v);
      Value row = kb.loadRow(kb.input(0), flat, e);
      b.create<scf::YieldOp>(
          kb.loc, ValueRange{b.create<arith::SelectOp>(
                      kb.loc, isLoop, row, edges.getRegionIterArg(0))});
    }
    b.setInsertionPointAfter(edges);
    kb.storeRow(kb.result(), edges.getResult(0), v);

    replaceWithLaunch(stage, kernel, graph, inputs, /*edgeBalanced=*/true);
    return success();
  }

  ModuleOp module;
  int64_t prefetchDistance; // in edges; 0: none; -1: prefetchDistanceOf's rule
  int64_t vectorWidth;      // in bits; 0: vectorWidthOf's rule
  int64_t edgeTile;         // in-edges; 0: edgeTileOf's rule
  bool pushKernels;         // message stages get their push form's kernels
  int64_t gatherBudget;     // bytes, 0: the runtime's; -1: no fold kernels
  SymbolTable symbols;
  unsigned counter = 0;
  func::FuncOp lastKernel; // kernels follow their model in launch order
};

struct OutlineKernelsPass
    : public gnn::impl::GNNOutlineKernelsBase<OutlineKernelsPass> {
  using GNNOutlineKernelsBase::GNNOutlineKernelsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (vectorWidth != 0 && vectorWidth != 256 && vectorWidth != 512) {
      emitError(module.getLoc(), "gnn-outline-kernels: vector-width must be "
                                 "0, 256 or 512, not ")
          << int64_t(vectorWidth);
      return signalPassFailure();
    }
    if (edgeTile < 0) {
      emitError(module.getLoc(), "gnn-outline-kernels: edge-tile must be 0 "
                                 "or more, not ")
          << int64_t(edgeTile);
      return signalPassFailure();
    }
    if (prefetchDistance < -1) {
      emitError(module.getLoc(), "gnn-outline-kernels: prefetch-distance must "
                                 "be -1, 0 or an edge count, not ")
          << int64_t(prefetchDistance);
      return signalPassFailure();
    }
    if (gatherBudget < -1) {
      emitError(module.getLoc(), "gnn-outline-kernels: gather-budget must be "
                                 "-1, 0 or a byte count, not ")
          << int64_t(gatherBudget);
      return signalPassFailure();
    }
    Outliner outliner(module, prefetchDistance, vectorWidth, edgeTile,
                      pushKernels, gatherBudget);
    SmallVector<func::FuncOp> models;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func->hasAttr(kKernelAttrName) && !func.isExternal())
        models.push_back(func);
    for (func::FuncOp func : models) {
      if (failed(outliner.run(func)))
        return signalPassFailure();
      // Graph values now only feed launches; self-loop conversions are
      // baked into the kernels.
      // Users follow their operands: erasing in reverse order frees a
      // conversion's input before it is visited.
      SmallVector<Operation *> conversions;
      func.walk([&](Operation *op) {
        if (isa<AddSelfLoopsOp, RemoveSelfLoopsOp>(op))
          conversions.push_back(op);
      });
      for (Operation *op : llvm::reverse(conversions))
        if (op->use_empty())
          op->erase();
    }
  }
};
} // namespace
