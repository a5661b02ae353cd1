//===- GatherPlan.cpp - gnnc --emit=stages --graph: gather blocking's choices
#include "GatherPlan.h"

#include "dialect/GNNOps.h"
#include "runtime/GatherBlocking.h"

#include "mlir/IR/Builders.h"

#include "llvm/ADT/SmallPtrSet.h"

#include <optional>

using namespace mlir;

void gnn::annotateGatherBlocks(ModuleOp module, const Graph &graph) {
  std::optional<detail::SourceProfile> profile;
  Builder b(module.getContext());
  module.walk([&](MessagePassingOp stage) {
    Block &body = stage.getBody().front();
    // As the runtime sees the stage's launch: the rows it gathers at
    // sources (each tensor once) and its push form's state row.
    llvm::SmallPtrSet<Value, 4> gathered;
    int64_t rowBytes = 0;
    bool readsEdges = false;
    for (Operation &op : body) {
      if (auto get = dyn_cast<GetVertexOp>(op);
          get && get.getSide() == Side::Source &&
          gathered.insert(get.getTensor()).second)
        rowBytes += cast<VectorType>(get.getRow().getType()).getNumElements() *
                    int64_t(sizeof(float));
      readsEdges |= isa<GetEdgeOp>(op);
    }
    if (readsEdges) {
      stage->setAttr("gnn.gather_blocks",
                     b.getStringAttr("none: the message reads edge rows, "
                                     "which blocks do not split"));
      return;
    }
    // As PushForm::stateFloats counts a state row.
    auto yield = cast<YieldOp>(body.getTerminator());
    int64_t stateFloats = stage.getAggregateRowType().getNumElements();
    if (stage.getAggr() == Aggregation::SoftmaxAdd)
      stateFloats +=
          2 * cast<VectorType>(yield.getValues()[1].getType()).getNumElements();
    if (stage.getAggr() != Aggregation::Add)
      stateFloats += 1; // the count
    detail::GatherStage cost;
    cost.vertices = graph.numVertices();
    cost.edges = graph.numEdges();
    cost.gatheredRowBytes = rowBytes;
    cost.stateRowBytes = stateFloats * int64_t(sizeof(float));
    cost.computeBound = stage.getAggr() == Aggregation::SoftmaxAdd;
    GatherBlockChoice choice = detail::planGatherBlocks(
        cost, graph, profile, /*forced=*/0, /*threads=*/1);
    SmallVector<NamedAttribute> fields{
        b.getNamedAttr("blocks", b.getI64IntegerAttr(choice.blocks)),
        b.getNamedAttr("table_bytes", b.getI64IntegerAttr(choice.tableBytes)),
        b.getNamedAttr("budget_bytes", b.getI64IntegerAttr(choice.budgetBytes)),
        b.getNamedAttr("reason", b.getStringAttr(choice.reason))};
    if (choice.unblockedSeconds > 0) {
      fields.push_back(b.getNamedAttr(
          "cached_share", b.getF64FloatAttr(choice.hotShare)));
      fields.push_back(b.getNamedAttr(
          "near_share", b.getF64FloatAttr(choice.nearShare)));
      fields.push_back(b.getNamedAttr(
          "predicted_seconds", b.getF64FloatAttr(choice.blockedSeconds)));
      fields.push_back(b.getNamedAttr(
          "unblocked_seconds", b.getF64FloatAttr(choice.unblockedSeconds)));
    }
    stage->setAttr("gnn.gather_blocks", b.getDictionaryAttr(fields));
  });
}
