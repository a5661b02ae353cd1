//===- FuseSiblingTransforms.cpp - One pass over rows two transforms read --===//
//
// GAT computes its attention logits as two transforms over the same rows
// (x·att_src and x·att_dst per head), each reading the whole table again
// for a few floats per row. Here two such siblings become one transform
// yielding both rows side by side, and the message stages that read them
// slice the joined row instead: the shared table is read once.
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"

#include "mlir/IR/IRMapping.h"

namespace gnn {
#define GEN_PASS_DEF_GNNFUSESIBLINGTRANSFORMS
#include "lowering/Passes.h.inc"
} // namespace gnn

using namespace mlir;
using namespace gnn;

namespace {

/// The message stages reading `t`'s result, if every user of it is one
/// (they slice a joined row where a transform could not).
static std::optional<SmallVector<Operation *>> messageUsers(TransformOp t) {
  SmallVector<Operation *> users;
  for (Operation *user : t.getResult().getUsers()) {
    if (!isa<MessagePassingOp>(user))
      return std::nullopt;
    if (!llvm::is_contained(users, user))
      users.push_back(user);
  }
  llvm::sort(users);
  return users;
}

/// The block arguments standing for `input` in `stage`'s regions: in its
/// message body and, if it has one, its update.
static SmallVector<BlockArgument> argumentsFor(MessagePassingOp stage,
                                               Value input) {
  SmallVector<BlockArgument> args;
  for (auto [i, v] : llvm::enumerate(stage.getInputs())) {
    if (v != input)
      continue;
    args.push_back(stage.getBody().getArgument(i));
    if (stage.hasUpdate())
      args.push_back(stage.getUpdate().getArgument(i));
  }
  return args;
}

/// Whether each stage reads `t`'s rows only through gnn.get_vertex (the
/// reads readThroughJoined rewrites; a get_edge may name a vertex tensor
/// as its self loops' rows).
static bool readOnlyByGetVertex(TransformOp t, ArrayRef<Operation *> stages) {
  return llvm::all_of(stages, [&](Operation *stage) {
    return llvm::all_of(
        argumentsFor(cast<MessagePassingOp>(stage), t.getResult()),
        [](BlockArgument arg) {
          return llvm::all_of(arg.getUsers(), llvm::IsaPred<GetVertexOp>);
        });
  });
}

/// Whether `t` yields flat f32 vertex rows (what a joined row slices).
static bool yieldsFlatF32Rows(TransformOp t) {
  auto type = dyn_cast<VertexType>(t.getResult().getType());
  return type && type.getShape().size() == 1 && type.getElementType().isF32();
}

/// Whether `a` and `b` (a first in their block) fuse: both yield flat
/// vertex rows of f32, read some vertex tensor in common (the pass over it
/// that fusing saves), and are read, through get_vertex only, by the same
/// message stages in their block. A stage reading only one of them would
/// gather a wider row than it needs, so each must read both.
static bool canFuse(TransformOp a, TransformOp b) {
  if (!yieldsFlatF32Rows(a) || !yieldsFlatF32Rows(b))
    return false;
  bool shareRows = llvm::any_of(a.getInputs(), [&](Value v) {
    return isa<VertexType>(v.getType()) && llvm::is_contained(b.getInputs(), v);
  });
  if (!shareRows)
    return false;
  auto usersA = messageUsers(a), usersB = messageUsers(b);
  if (!usersA || !usersB || usersA->empty())
    return false;
  // Stages reading both come after both: the joined transform, at `b`,
  // comes before them.
  if (*usersA != *usersB || llvm::any_of(*usersA, [&](Operation *stage) {
        return stage->getBlock() != b->getBlock();
      }))
    return false;
  return readOnlyByGetVertex(a, *usersA) && readOnlyByGetVertex(b, *usersA);
}

/// `stage` reads `joined` where it read `parts` (each a tensor and the
/// offset of its row in the joined row): each get_vertex of a part becomes
/// a slice of the joined row, read once per region and side.
static void readThroughJoined(MessagePassingOp stage,
                              ArrayRef<std::pair<Value, int64_t>> parts,
                              Value joined) {
  unsigned index = stage.getInputs().size();
  stage.getInputsMutable().append(joined);
  stage.getBody().addArgument(joined.getType(), joined.getLoc());
  if (stage.hasUpdate())
    stage.getUpdate().insertArgument(index, joined.getType(), joined.getLoc());
  auto joinedRow = cast<VertexType>(joined.getType()).getRowType();
  // The joined row at each side, read at the start of each region.
  llvm::DenseMap<std::pair<Block *, Side>, Value> rows;
  auto rowAt = [&](Block *block, Side side, Location loc) {
    Value &row = rows[{block, side}];
    if (!row) {
      OpBuilder b = OpBuilder::atBlockBegin(block);
      row = b.create<GetVertexOp>(loc, joinedRow, block->getArgument(index),
                                  SideAttr::get(b.getContext(), side));
    }
    return row;
  };
  for (auto [part, offset] : parts)
    for (BlockArgument arg : argumentsFor(stage, part))
      for (Operation *user : llvm::make_early_inc_range(arg.getUsers())) {
        auto get = cast<GetVertexOp>(user);
        OpBuilder b(get);
        Value slice = b.create<SliceOp>(
            get.getLoc(), get.getRow().getType(),
            rowAt(arg.getOwner(), get.getSide(), get.getLoc()),
            b.getDenseI64ArrayAttr({offset}), b.getDenseI64ArrayAttr({1}));
        get.getRow().replaceAllUsesWith(slice);
        get.erase();
      }
  stage.eraseUnusedOps();
}

/// Replaces `a` and `b` by one transform yielding concat(a's row, b's
/// row), at `b`, which the stages that read them slice.
static void fuse(TransformOp a, TransformOp b) {
  SmallVector<Value> inputs(a.getInputs());
  for (Value v : b.getInputs())
    if (!llvm::is_contained(inputs, v))
      inputs.push_back(v);
  int64_t widthA = cast<VertexType>(a.getResult().getType()).getRowSize();
  int64_t widthB = cast<VertexType>(b.getResult().getType()).getRowSize();
  OpBuilder builder(b);
  Type f32 = builder.getF32Type();
  auto joinedType = VertexType::get(builder.getContext(), {widthA + widthB}, f32);
  auto fused = builder.create<TransformOp>(
      builder.getFusedLoc({a.getLoc(), b.getLoc()}), joinedType, inputs);
  Block *body = builder.createBlock(&fused.getBody());
  IRMapping outer;
  for (Value v : inputs)
    outer.map(v, body->addArgument(TransformOp::getRegionArgumentType(v.getType()),
                                   v.getLoc()));
  SmallVector<Value> rows;
  for (TransformOp t : {a, b}) {
    IRMapping map;
    for (auto [arg, v] : llvm::zip(t.getBody().getArguments(), t.getInputs()))
      map.map(arg, outer.lookup(v));
    rows.push_back(cloneUpToYield(builder, t.getBody().front(), map));
  }
  Value joined = builder.create<ConcatOp>(fused.getLoc(), joinedType.getRowType(),
                                          rows);
  builder.create<YieldOp>(fused.getLoc(), joined);

  SmallVector<Operation *> stages = *messageUsers(a); // held: ops change
  for (Operation *stage : stages)
    readThroughJoined(cast<MessagePassingOp>(stage),
                      {{a.getResult(), 0}, {b.getResult(), widthA}},
                      fused.getResult());
  b.erase();
  a.erase();
}

/// Fuses the first pair of transforms in `block` that fuses; whether one
/// did.
static bool fuseFirstPair(Block &block) {
  SmallVector<TransformOp> transforms(block.getOps<TransformOp>());
  for (auto [i, a] : llvm::enumerate(transforms))
    for (TransformOp b : ArrayRef(transforms).drop_front(i + 1))
      if (canFuse(a, b)) {
        fuse(a, b);
        return true;
      }
  return false;
}

struct FuseSiblingTransformsPass
    : public gnn::impl::GNNFuseSiblingTransformsBase<FuseSiblingTransformsPass> {
  void runOnOperation() override {
    // Pairs until none fuses: a joined transform may fuse with a third.
    while (fuseFirstPair(getOperation().getBody().front())) {
    }
  }
};
} // namespace
