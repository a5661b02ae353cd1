// A GAT layer's attention logits as gnn-decompose leaves them: two
// transforms over the same rows, read at the source and at the target.
func.func @gat(%g: !gnn.graph<one_per_vertex>, %h: !gnn.vertex<2x4xf32>,
               %att_src: tensor<2x4xf32>, %att_dst: tensor<2x4xf32>) -> !gnn.vertex<2x4xf32> {
  %src = gnn.transform(%h, %att_src) : (!gnn.vertex<2x4xf32>, tensor<2x4xf32>) -> !gnn.vertex<2xf32> {
  ^bb0(%r: vector<2x4xf32>, %a: tensor<2x4xf32>):
    %m = gnn.mul %r, %a : vector<2x4xf32>, tensor<2x4xf32> -> vector<2x4xf32>
    %s = gnn.reduce sum %m dim = 1 : vector<2x4xf32> -> vector<2xf32>
    gnn.yield %s : vector<2xf32>
  }
  %dst = gnn.transform(%h, %att_dst) : (!gnn.vertex<2x4xf32>, tensor<2x4xf32>) -> !gnn.vertex<2xf32> {
  ^bb0(%r: vector<2x4xf32>, %a: tensor<2x4xf32>):
    %m = gnn.mul %r, %a : vector<2x4xf32>, tensor<2x4xf32> -> vector<2x4xf32>
    %s = gnn.reduce sum %m dim = 1 : vector<2x4xf32> -> vector<2xf32>
    gnn.yield %s : vector<2xf32>
  }
  %y = gnn.message_passing %g(%h, %src, %dst) aggr = softmax_add : <one_per_vertex>, (!gnn.vertex<2x4xf32>, !gnn.vertex<2xf32>, !gnn.vertex<2xf32>) -> !gnn.vertex<2x4xf32> {
  ^bb0(%x: !gnn.vertex<2x4xf32>, %as: !gnn.vertex<2xf32>, %ad: !gnn.vertex<2xf32>):
    %xj = gnn.get_vertex %x source : <2x4xf32> -> vector<2x4xf32>
    %aj = gnn.get_vertex %as source : <2xf32> -> vector<2xf32>
    %ai = gnn.get_vertex %ad target : <2xf32> -> vector<2xf32>
    %l = gnn.add %aj, %ai : vector<2xf32>, vector<2xf32> -> vector<2xf32>
    %l2 = gnn.reshape %l : vector<2xf32> -> vector<2x1xf32>
    gnn.yield %xj, %l2 : vector<2x4xf32>, vector<2x1xf32>
  }
  return %y : !gnn.vertex<2x4xf32>
}
