// Messages scaled by an edge weight the model fixed at 1.0, then halved.
func.func @forward(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  %m = gnn.message_passing %g(%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %w = arith.constant 1.0 : f32
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    %msg = gnn.mul %xj, %w : vector<4xf32>, f32 -> vector<4xf32>
    gnn.yield %msg : vector<4xf32>
  }
  %half = arith.constant 0.5 : f32
  %y = gnn.mul %m, %half : !gnn.vertex<4xf32>, f32 -> !gnn.vertex<4xf32>
  return %y : !gnn.vertex<4xf32>
}
