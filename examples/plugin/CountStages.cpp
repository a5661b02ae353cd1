//===- CountStages.cpp - Annotate functions with their stage counts -------===//
#include "ExamplePasses.h"

namespace gnn::example {
#define GEN_PASS_DEF_GNNCOUNTSTAGES
#include "ExamplePasses.h.inc"
} // namespace gnn::example

using namespace mlir;

namespace {
struct CountStagesPass
    : public gnn::example::impl::GNNCountStagesBase<CountStagesPass> {
  void runOnOperation() override {
    // isa<> compares TypeIDs: it finds the ops only if the plugin and the
    // tool share one copy of the dialect (see CMakeLists.txt).
    int64_t transforms = 0, messagePassing = 0;
    getOperation().walk([&](Operation *op) {
      transforms += isa<gnn::TransformOp>(op);
      messagePassing += isa<gnn::MessagePassingOp>(op);
    });
    Builder b(&getContext());
    getOperation()->setAttr(
        "gnn.stages",
        b.getDictionaryAttr({b.getNamedAttr("message_passing",
                                            b.getI64IntegerAttr(messagePassing)),
                             b.getNamedAttr("transform",
                                            b.getI64IntegerAttr(transforms))}));
    markAllAnalysesPreserved();
  }
};
} // namespace
