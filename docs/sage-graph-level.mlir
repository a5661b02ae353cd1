// One SAGEConv layer (mean), relu, then a Linear head with a bias added
// and tanh: the input of the gnn-fuse-dense-epilogue example in passes.md.
func.func @forward(%g: !gnn.graph<as_given>, %x: !gnn.vertex<8xf32>,
                   %wl: tensor<4x8xf32> {gnn.param = "conv.lin_l.weight"},
                   %bl: tensor<4xf32> {gnn.param = "conv.lin_l.bias"},
                   %wr: tensor<4x8xf32> {gnn.param = "conv.lin_r.weight"},
                   %wh: tensor<2x4xf32> {gnn.param = "head.weight"},
                   %bh: tensor<2xf32> {gnn.param = "head.bias"}) -> !gnn.vertex<2xf32> {
  %m = gnn.message_passing %g (%x) aggr = mean : !gnn.graph<as_given>, (!gnn.vertex<8xf32>) -> !gnn.vertex<8xf32> {
  ^bb0(%a: !gnn.vertex<8xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<8xf32> -> vector<8xf32>
    gnn.yield %xj : vector<8xf32>
  }
  %l = gnn.linear %m, %wl, %bl : !gnn.vertex<8xf32>, tensor<4x8xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
  %r = gnn.linear %x, %wr : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %s = gnn.add %l, %r : !gnn.vertex<4xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  %h = gnn.relu %s : !gnn.vertex<4xf32>
  %o = gnn.linear %h, %wh : !gnn.vertex<4xf32>, tensor<2x4xf32> -> !gnn.vertex<2xf32>
  %ob = gnn.add %o, %bh : !gnn.vertex<2xf32>, tensor<2xf32> -> !gnn.vertex<2xf32>
  %y = gnn.tanh %ob : !gnn.vertex<2xf32>
  return %y : !gnn.vertex<2xf32>
}
