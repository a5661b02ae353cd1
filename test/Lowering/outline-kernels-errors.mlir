// What gnn-outline-kernels cannot lower yet is an error, not a crash.
// RUN: gnn-opt %s -split-input-file --gnn-outline-kernels -verify-diagnostics

// The virtual self loops of add_self_loops have no stored edge row.
func.func @edge_features_with_added_loops(%g: !gnn.graph<as_given>, %e: !gnn.edge<4xf32>) -> !gnn.vertex<4xf32> {
  %l = gnn.add_self_loops %g : !gnn.graph<as_given> -> !gnn.graph<one_per_vertex>
  %0 = gnn.message_passing %l (%e) aggr = add : !gnn.graph<one_per_vertex>, (!gnn.edge<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.edge<4xf32>):
    // expected-error @+1 {{'gnn.get_edge' op reads edge features on a graph with self loops added (add_self_loops) but names no rows for the added loops (a `loop` vertex tensor, PyG's fill_value)}}
    %r = gnn.get_edge %a : !gnn.edge<4xf32> -> vector<4xf32>
    gnn.yield %r : vector<4xf32>
  }
  return %0 : !gnn.vertex<4xf32>
}

// -----

func.func @scalar_transform_input(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %s: f32) -> !gnn.vertex<4xf32> {
  // expected-error @+1 {{'gnn.transform' op scalar inputs must be constants inside the region}}
  %0 = gnn.transform (%x, %s) : (!gnn.vertex<4xf32>, f32) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>, %a: f32):
    %m = gnn.mul %r, %a : vector<4xf32>, f32 -> vector<4xf32>
    gnn.yield %m : vector<4xf32>
  }
  return %0 : !gnn.vertex<4xf32>
}

// -----

func.func @scalar_message_input(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %s: f32) -> !gnn.vertex<4xf32> {
  // expected-error @+1 {{'gnn.message_passing' op scalar inputs must be constants inside the region}}
  %0 = gnn.message_passing %g (%x, %s) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>, f32) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>, %b: f32):
    %r = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    %m = gnn.mul %r, %b : vector<4xf32>, f32 -> vector<4xf32>
    gnn.yield %m : vector<4xf32>
  }
  return %0 : !gnn.vertex<4xf32>
}

// -----

func.func @no_graph(%x: !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  // expected-error @+1 {{'gnn.transform' op needs a function with a !gnn.graph argument}}
  %0 = gnn.transform (%x) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>):
    gnn.yield %r : vector<4xf32>
  }
  return %0 : !gnn.vertex<4xf32>
}

