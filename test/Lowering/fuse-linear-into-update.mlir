// RUN: gnn-opt %s -split-input-file --gnn-fuse-linear-into-update | FileCheck %s
// RUN: gnn-opt %s -split-input-file --gnn-fuse-linear-into-update=max-product=32 | FileCheck %s --check-prefix=SMALL

// GIN's second layer: the stage's update, then its MLP (a linear with
// bias and relu, a linear with bias) joins it, linear by linear. Each
// becomes a row_linear without bias; the bias and the activation follow
// it, as oneDNN's post-ops follow its matmul.
// CHECK-LABEL: func.func @mlp
// CHECK:       %[[S:.*]] = gnn.message_passing %arg0(%arg1, %arg2, %arg3, %arg4, %arg5) aggr = add : <as_given>, (!gnn.vertex<8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32>
// CHECK:       } update {
// CHECK:       ^bb0(%[[X:.*]]: !gnn.vertex<8xf32>, %[[W1:.*]]: tensor<8x8xf32>, %[[B1:.*]]: tensor<8xf32>, %[[W2:.*]]: tensor<4x8xf32>, %[[B2:.*]]: tensor<4xf32>, %[[AGG:.*]]: vector<8xf32>):
// CHECK:         %[[XI:.*]] = gnn.get_vertex %[[X]] target : <8xf32> -> vector<8xf32>
// CHECK:         %[[H:.*]] = gnn.add %[[AGG]], %[[XI]] : vector<8xf32>, vector<8xf32> -> vector<8xf32>
// CHECK:         %[[L1:.*]] = gnn.row_linear %[[H]], %[[W1]] : vector<8xf32>, tensor<8x8xf32> -> vector<8xf32>
// CHECK:         %[[A1:.*]] = gnn.add %[[L1]], %[[B1]] : vector<8xf32>, tensor<8xf32> -> vector<8xf32>
// CHECK:         %[[R1:.*]] = gnn.relu %[[A1]] : vector<8xf32>
// CHECK:         %[[L2:.*]] = gnn.row_linear %[[R1]], %[[W2]] : vector<8xf32>, tensor<4x8xf32> -> vector<4xf32>
// CHECK:         %[[A2:.*]] = gnn.add %[[L2]], %[[B2]] : vector<4xf32>, tensor<4xf32> -> vector<4xf32>
// CHECK:         gnn.yield %[[A2]] : vector<4xf32>
// CHECK-NOT:   gnn.linear
// CHECK:       return %[[S]] : !gnn.vertex<4xf32>
// A limit below 8 x 8 keeps the first linear a matmul, and so the second,
// which then follows no stage.
// SMALL-LABEL: func.func @mlp
// SMALL:       gnn.message_passing %arg0(%arg1) aggr = add
// SMALL:       gnn.linear %{{.*}}, %arg2, %arg3 activation = relu
// SMALL:       gnn.linear %{{.*}}, %arg4, %arg5 :
func.func @mlp(%g: !gnn.graph<as_given>, %x: !gnn.vertex<8xf32>,
               %w1: tensor<8x8xf32>, %b1: tensor<8xf32>,
               %w2: tensor<4x8xf32>, %b2: tensor<4xf32>) -> !gnn.vertex<4xf32> {
  %m = gnn.message_passing %g(%x) aggr = add : <as_given>, (!gnn.vertex<8xf32>) -> !gnn.vertex<8xf32> {
  ^bb0(%a: !gnn.vertex<8xf32>):
    %xj = gnn.get_vertex %a source : <8xf32> -> vector<8xf32>
    gnn.yield %xj : vector<8xf32>
  } update {
  ^bb0(%a: !gnn.vertex<8xf32>, %agg: vector<8xf32>):
    %xi = gnn.get_vertex %a target : <8xf32> -> vector<8xf32>
    %h = gnn.add %agg, %xi : vector<8xf32>, vector<8xf32> -> vector<8xf32>
    gnn.yield %h : vector<8xf32>
  }
  %y1 = gnn.linear %m, %w1, %b1 activation = relu : !gnn.vertex<8xf32>, tensor<8x8xf32>, tensor<8xf32> -> !gnn.vertex<8xf32>
  %y2 = gnn.linear %y1, %w2, %b2 : !gnn.vertex<8xf32>, tensor<4x8xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
  return %y2 : !gnn.vertex<4xf32>
}

// -----

// A stage without an update; the linear sums into another vertex tensor
// (read at the target, after the bias, before the activation) and ends in
// a leaky relu, which keeps its slope.
// CHECK-LABEL: func.func @accumulate
// CHECK:       gnn.message_passing %arg0(%arg1, %arg2, %arg3) aggr = mean
// CHECK:       } update {
// CHECK:       ^bb0(%{{.*}}: !gnn.vertex<8xf32>, %[[W:.*]]: tensor<4x8xf32>, %[[ACC:.*]]: !gnn.vertex<4xf32>, %[[AGG:.*]]: vector<8xf32>):
// CHECK:         %[[L:.*]] = gnn.row_linear %[[AGG]], %[[W]] : vector<8xf32>, tensor<4x8xf32> -> vector<4xf32>
// CHECK:         %[[O:.*]] = gnn.get_vertex %[[ACC]] target : <4xf32> -> vector<4xf32>
// CHECK:         %[[S:.*]] = gnn.add %[[L]], %[[O]] : vector<4xf32>, vector<4xf32> -> vector<4xf32>
// CHECK:         %[[R:.*]] = gnn.leaky_relu %[[S]] {negative_slope = 2.000000e-01 : f32} : vector<4xf32>
// CHECK:         gnn.yield %[[R]] : vector<4xf32>
// CHECK-NOT:   gnn.linear
func.func @accumulate(%g: !gnn.graph<as_given>, %x: !gnn.vertex<8xf32>,
                      %w: tensor<4x8xf32>, %other: !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  %m = gnn.message_passing %g(%x) aggr = mean : <as_given>, (!gnn.vertex<8xf32>) -> !gnn.vertex<8xf32> {
  ^bb0(%a: !gnn.vertex<8xf32>):
    %xj = gnn.get_vertex %a source : <8xf32> -> vector<8xf32>
    gnn.yield %xj : vector<8xf32>
  }
  %y = gnn.linear %m, %w accumulate(%other : !gnn.vertex<4xf32>) activation = leaky_relu alpha = 2.000000e-01 : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  return %y : !gnn.vertex<4xf32>
}

// -----

// Left alone: an activation oneDNN computes with other bits than a row
// kernel (elu), a stage whose rows something else reads too (SAGE's
// lin_l and lin_r of the same rows), and rows of more than one dimension.
// CHECK-LABEL: func.func @refused
// CHECK-NOT:   gnn.row_linear
// CHECK:       gnn.linear %{{.*}}, %arg2 activation = elu alpha
// CHECK:       gnn.linear %{{.*}}, %arg2 :
// CHECK:       gnn.linear %{{.*}}, %arg2 :
// CHECK:       gnn.linear %{{.*}}, %arg3 :
func.func @refused(%g: !gnn.graph<as_given>, %x: !gnn.vertex<8xf32>,
                   %w: tensor<8x8xf32>, %w2: tensor<4x8xf32>, %x2: !gnn.vertex<2x8xf32>)
    -> (!gnn.vertex<8xf32>, !gnn.vertex<8xf32>, !gnn.vertex<8xf32>, !gnn.vertex<2x4xf32>) {
  %m1 = gnn.message_passing %g(%x) aggr = add : <as_given>, (!gnn.vertex<8xf32>) -> !gnn.vertex<8xf32> {
  ^bb0(%a: !gnn.vertex<8xf32>):
    %xj = gnn.get_vertex %a source : <8xf32> -> vector<8xf32>
    gnn.yield %xj : vector<8xf32>
  }
  %e = gnn.linear %m1, %w activation = elu alpha = 1.000000e+00 : !gnn.vertex<8xf32>, tensor<8x8xf32> -> !gnn.vertex<8xf32>
  %m2 = gnn.message_passing %g(%x) aggr = add : <as_given>, (!gnn.vertex<8xf32>) -> !gnn.vertex<8xf32> {
  ^bb0(%a: !gnn.vertex<8xf32>):
    %xj = gnn.get_vertex %a source : <8xf32> -> vector<8xf32>
    gnn.yield %xj : vector<8xf32>
  }
  %l = gnn.linear %m2, %w : !gnn.vertex<8xf32>, tensor<8x8xf32> -> !gnn.vertex<8xf32>
  %r = gnn.linear %m2, %w : !gnn.vertex<8xf32>, tensor<8x8xf32> -> !gnn.vertex<8xf32>
  %m3 = gnn.message_passing %g(%x2) aggr = add : <as_given>, (!gnn.vertex<2x8xf32>) -> !gnn.vertex<2x8xf32> {
  ^bb0(%a: !gnn.vertex<2x8xf32>):
    %xj = gnn.get_vertex %a source : <2x8xf32> -> vector<2x8xf32>
    gnn.yield %xj : vector<2x8xf32>
  }
  %f = gnn.linear %m3, %w2 : !gnn.vertex<2x8xf32>, tensor<4x8xf32> -> !gnn.vertex<2x4xf32>
  return %e, %l, %r, %f : !gnn.vertex<8xf32>, !gnn.vertex<8xf32>, !gnn.vertex<8xf32>, !gnn.vertex<2x4xf32>
}


// -----

// Left alone: a weight the stage already reads as a tensor (a row
// linear's weight is read as nothing else), and a weight that is not a
// parameter (the kernel reads a parameter transposed).
// CHECK-LABEL: func.func @weights
// CHECK-NOT:   gnn.row_linear
// CHECK:       gnn.linear %{{.*}}, %arg2 :
// CHECK:       gnn.linear %{{.*}}, %[[N:.*]] :
func.func @weights(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>,
                   %w: tensor<4x4xf32>) -> (!gnn.vertex<4xf32>, !gnn.vertex<4xf32>) {
  %m1 = gnn.message_passing %g(%x, %w) aggr = add : <as_given>, (!gnn.vertex<4xf32>, tensor<4x4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>, %wa: tensor<4x4xf32>):
    %xj = gnn.get_vertex %a source : <4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  } update {
  ^bb0(%a: !gnn.vertex<4xf32>, %wa: tensor<4x4xf32>, %agg: vector<4xf32>):
    %s = gnn.add %agg, %wa : vector<4xf32>, tensor<4x4xf32> -> vector<4x4xf32>
    %r = gnn.reduce sum %s dim = 1 : vector<4x4xf32> -> vector<4xf32>
    gnn.yield %r : vector<4xf32>
  }
  %y1 = gnn.linear %m1, %w : !gnn.vertex<4xf32>, tensor<4x4xf32> -> !gnn.vertex<4xf32>
  %m2 = gnn.message_passing %g(%x) aggr = add : <as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : <4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  %n = gnn.neg %w : tensor<4x4xf32>
  %y2 = gnn.linear %m2, %n : !gnn.vertex<4xf32>, tensor<4x4xf32> -> !gnn.vertex<4xf32>
  return %y1, %y2 : !gnn.vertex<4xf32>, !gnn.vertex<4xf32>
}
