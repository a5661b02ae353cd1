func.func @forward(%g: !gnn.graph<as_given>, %x: !gnn.vertex<8xf32>,
                   %w: tensor<4x8xf32> {gnn.param = "conv1.lin.weight"},
                   %b: tensor<4xf32> {gnn.param = "conv1.bias"}) -> !gnn.vertex<4xf32> {
  %g1 = gnn.add_self_loops %g : !gnn.graph<as_given> -> !gnn.graph<one_per_vertex>
  %deg = gnn.degree %g1 : !gnn.graph<one_per_vertex> -> !gnn.vertex<1xf32>
  %c = arith.constant -5.000000e-01 : f32
  %norm = gnn.pow %deg, %c : !gnn.vertex<1xf32>, f32 -> !gnn.vertex<1xf32>
  %h = gnn.linear %x, %w : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %m = gnn.message_passing %g1 (%h, %norm) aggr = add : !gnn.graph<one_per_vertex>, (!gnn.vertex<4xf32>, !gnn.vertex<1xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>, %n: !gnn.vertex<1xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    %ni = gnn.get_vertex %n target : !gnn.vertex<1xf32> -> vector<1xf32>
    %nj = gnn.get_vertex %n source : !gnn.vertex<1xf32> -> vector<1xf32>
    %nn = gnn.mul %ni, %nj : vector<1xf32>, vector<1xf32> -> vector<1xf32>
    %msg = gnn.mul %nn, %xj : vector<1xf32>, vector<4xf32> -> vector<4xf32>
    gnn.yield %msg : vector<4xf32>
  }
  %o = gnn.add %m, %b : !gnn.vertex<4xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
  %r = gnn.relu %o : !gnn.vertex<4xf32>
  return %r : !gnn.vertex<4xf32>
}
