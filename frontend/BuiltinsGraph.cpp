//===- BuiltinsGraph.cpp - PyG's torch_geometric.utils --------------------===//
//
// The graph utilities a layer's forward() and message() call, all traced:
// self loops, in-degrees and the per-target edge softmax.
//
//===----------------------------------------------------------------------===//

#include "frontend/Builtins.h"

using namespace gnn::frontend;

void gnn::frontend::registerGraphBuiltins(Builtins &b) {
  BuiltinParam edgeIndex = {"edge_index", std::nullopt};
  BuiltinParam numNodes = {"num_nodes", Value::none()};
  // With edge_attr, the self-loop functions return (edge_index, edge_attr).
  // PyG's add_self_loops keeps the stored loops and appends one per vertex;
  // add_remaining_self_loops drops them first. Both take (edge_index,
  // edge_attr, fill_value, num_nodes).
  for (const char *name : {"add_self_loops", "add_remaining_self_loops"})
    b.addFunction(name,
                  {{edgeIndex,
                    {"edge_attr", Value::none()},
                    {"fill_value", Value::none()},
                    numNodes}},
                  traceBuiltin)
        .graphUtility = true;
  b.addFunction("remove_self_loops",
                {{edgeIndex, {"edge_attr", Value::none()}}}, traceBuiltin)
      .graphUtility = true;
  // degree(edge_index), or PyG's degree(col, num_nodes, dtype); the dtype
  // is float here.
  b.addFunction("degree", {{edgeIndex, numNodes, {"dtype", Value::none()}}},
                traceBuiltin)
      .graphUtility = true;
  // PyG's scatter(src, col, dim=0, dim_size=N, reduce='sum'): per-edge
  // rows reduced at each edge's target (gcn_norm's weighted degree).
  b.addFunction("scatter",
                {{{"src", std::nullopt},
                  {"index", std::nullopt},
                  {"dim", Value::integer(0)},
                  {"dim_size", Value::none()},
                  {"reduce", Value::string("sum")}}},
                traceBuiltin)
      .graphUtility = true;
  // PyG's softmax(src, index) (the per-target edge softmax, inside
  // message()) and torch's softmax(input, dim) over a feature dimension
  // share the name; the second argument tells them apart.
  Builtin &softmax = b.addFunction("softmax",
                                   {{{"src", std::nullopt},
                                     {"index", Value::none()},
                                     {"ptr", Value::none()},
                                     numNodes,
                                     {"dim", Value::none()}}},
                                   traceBuiltin);
  softmax.graphUtility = true;
  softmax.tensorMethod = true;
  b.addAliases("torch_geometric.utils",
               {"add_self_loops", "add_remaining_self_loops",
                "remove_self_loops", "degree", "scatter", "softmax"});
  b.addAliases("torch", {"softmax"});
  b.addAliases("torch.nn.functional", {"softmax"});
}
