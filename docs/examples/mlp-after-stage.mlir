// A GIN layer as gnn-fuse-update leaves it: the sum and (1 + eps) x_i in
// the stage, its MLP (two linears, the first with bias and relu as oneDNN
// post-ops) after it.
func.func @gin(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>,
               %w1: tensor<4x4xf32>, %b1: tensor<4xf32>,
               %w2: tensor<2x4xf32>, %b2: tensor<2xf32>) -> !gnn.vertex<2xf32> {
  %m = gnn.message_passing %g(%x) aggr = add : <as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : <4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  } update {
  ^bb0(%a: !gnn.vertex<4xf32>, %agg: vector<4xf32>):
    %xi = gnn.get_vertex %a target : <4xf32> -> vector<4xf32>
    %h = gnn.add %agg, %xi : vector<4xf32>, vector<4xf32> -> vector<4xf32>
    gnn.yield %h : vector<4xf32>
  }
  %y1 = gnn.linear %m, %w1, %b1 activation = relu : !gnn.vertex<4xf32>, tensor<4x4xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
  %y2 = gnn.linear %y1, %w2, %b2 : !gnn.vertex<4xf32>, tensor<2x4xf32>, tensor<2xf32> -> !gnn.vertex<2xf32>
  return %y2 : !gnn.vertex<2xf32>
}
