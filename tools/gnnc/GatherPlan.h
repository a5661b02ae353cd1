//===- GatherPlan.h - gnnc --emit=stages --graph: gather blocking's choices ===//
//
// The runtime decides gather blocking per message stage from the graph
// (runtime/GatherBlocking.h). Given a graph, `gnnc --emit=stages` shows
// what it would decide: each message_passing op gets a `gnn.gather_blocks`
// attribute with the block count, the sizes and the reason, as
// `gnn-run --stats` prints them.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_TOOLS_GNNC_GATHERPLAN_H
#define GNN_TOOLS_GNNC_GATHERPLAN_H

#include "gnn/Graph.h"

#include "mlir/IR/BuiltinOps.h"

namespace gnn {

/// Annotates the message stages of `module` (after gnn-to-stages) with the
/// gather-blocking choice for `graph`. The budget is the runtime's
/// default: a quarter of the last-level cache.
void annotateGatherBlocks(mlir::ModuleOp module, const Graph &graph);

} // namespace gnn

#endif // GNN_TOOLS_GNNC_GATHERPLAN_H
