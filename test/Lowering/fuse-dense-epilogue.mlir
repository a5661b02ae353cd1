// RUN: gnn-opt %s -split-input-file --gnn-fuse-dense-epilogue | FileCheck %s

// A bias and an activation after a linear without bias: both fold in.
// CHECK-LABEL: func.func @bias_and_relu
// CHECK-SAME: (%[[X:.*]]: !gnn.vertex<8xf32>, %[[W:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[Y:.*]] = gnn.linear %[[X]], %[[W]], %[[B]] activation = relu : !gnn.vertex<8xf32>, tensor<4x8xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
// CHECK-NEXT: return %[[Y]] : !gnn.vertex<4xf32>
func.func @bias_and_relu(%x: !gnn.vertex<8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>) -> !gnn.vertex<4xf32> {
  %0 = gnn.linear %x, %w : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %1 = gnn.transform (%0, %b) : (!gnn.vertex<4xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>, %bias: tensor<4xf32>):
    %s = gnn.add %bias, %r : tensor<4xf32>, vector<4xf32> -> vector<4xf32>
    %y = gnn.relu %s : vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  return %1 : !gnn.vertex<4xf32>
}

// -----

// Activations with a parameter carry it as alpha; an edge-domain linear
// folds the same way.
// CHECK-LABEL: func.func @activations
// CHECK: gnn.linear %{{.*}}, %{{.*}}, %{{.*}} activation = leaky_relu alpha = 2.000000e-01 : !gnn.vertex<8xf32>
// CHECK: gnn.linear %{{.*}}, %{{.*}} activation = elu alpha = 1.500000e+00 : !gnn.edge<8xf32>
// CHECK: gnn.linear %{{.*}}, %{{.*}} activation = gelu :
// CHECK: gnn.linear %{{.*}}, %{{.*}} activation = sigmoid :
// CHECK: gnn.linear %{{.*}}, %{{.*}} activation = tanh :
// CHECK: gnn.linear %{{.*}}, %{{.*}} activation = exp :
// CHECK-NOT: gnn.transform
func.func @activations(%x: !gnn.vertex<8xf32>, %e: !gnn.edge<8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>)
    -> (!gnn.vertex<4xf32>, !gnn.edge<4xf32>, !gnn.vertex<4xf32>, !gnn.vertex<4xf32>, !gnn.vertex<4xf32>, !gnn.vertex<4xf32>) {
  %0 = gnn.linear %x, %w, %b : !gnn.vertex<8xf32>, tensor<4x8xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
  %1 = gnn.transform (%0) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>):
    %y = gnn.leaky_relu %r {negative_slope = 0.2 : f32} : vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  %2 = gnn.linear %e, %w : !gnn.edge<8xf32>, tensor<4x8xf32> -> !gnn.edge<4xf32>
  %3 = gnn.transform (%2) : (!gnn.edge<4xf32>) -> !gnn.edge<4xf32> {
  ^bb0(%r: vector<4xf32>):
    %y = gnn.elu %r {alpha = 1.5 : f32} : vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  %4 = gnn.linear %x, %w : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %5 = gnn.transform (%4) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>):
    %y = gnn.gelu %r : vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  %6 = gnn.linear %x, %w : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %7 = gnn.transform (%6) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>):
    %y = gnn.sigmoid %r : vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  %8 = gnn.linear %x, %w : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %9 = gnn.transform (%8) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>):
    %y = gnn.tanh %r : vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  %10 = gnn.linear %x, %w : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %11 = gnn.transform (%10) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>):
    %y = gnn.exp %r : vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  return %1, %3, %5, %7, %9, %11 : !gnn.vertex<4xf32>, !gnn.edge<4xf32>, !gnn.vertex<4xf32>, !gnn.vertex<4xf32>, !gnn.vertex<4xf32>, !gnn.vertex<4xf32>
}

// -----

// SAGE: lin_l(aggr) + lin_r(x), then relu. The later linear sums into the
// earlier one's result; the transform's bias goes to the one without.
// CHECK-LABEL: func.func @sum_of_linears
// CHECK-SAME: (%[[A:.*]]: !gnn.vertex<8xf32>, %[[X:.*]]: !gnn.vertex<8xf32>, %[[WL:.*]]: tensor<4x8xf32>, %[[BL:.*]]: tensor<4xf32>, %[[WR:.*]]: tensor<4x8xf32>)
// CHECK-NEXT: %[[L:.*]] = gnn.linear %[[A]], %[[WL]], %[[BL]] : !gnn.vertex<8xf32>
// CHECK-NEXT: %[[Y:.*]] = gnn.linear %[[X]], %[[WR]] accumulate(%[[L]] : !gnn.vertex<4xf32>) activation = relu : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
// CHECK-NEXT: return %[[Y]]
func.func @sum_of_linears(%a: !gnn.vertex<8xf32>, %x: !gnn.vertex<8xf32>, %wl: tensor<4x8xf32>,
                          %bl: tensor<4xf32>, %wr: tensor<4x8xf32>) -> !gnn.vertex<4xf32> {
  %l = gnn.linear %a, %wl, %bl : !gnn.vertex<8xf32>, tensor<4x8xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
  %r = gnn.linear %x, %wr : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %y = gnn.transform (%l, %r) : (!gnn.vertex<4xf32>, !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%p: vector<4xf32>, %q: vector<4xf32>):
    %s = gnn.add %p, %q : vector<4xf32>, vector<4xf32> -> vector<4xf32>
    %t = gnn.relu %s : vector<4xf32>
    gnn.yield %t : vector<4xf32>
  }
  return %y : !gnn.vertex<4xf32>
}

// -----

// A sum of two linears without bias, plus a bias from the transform: the
// earlier linear takes it.
// CHECK-LABEL: func.func @sum_then_bias
// CHECK-SAME: (%[[A:.*]]: !gnn.vertex<8xf32>, %[[W:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[L:.*]] = gnn.linear %[[A]], %[[W]] : !gnn.vertex<8xf32>
// CHECK-NEXT: %[[Y:.*]] = gnn.linear %[[A]], %[[W]], %[[B]] accumulate(%[[L]] : !gnn.vertex<4xf32>) : !gnn.vertex<8xf32>
// CHECK-NEXT: return %[[Y]]
func.func @sum_then_bias(%a: !gnn.vertex<8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>) -> !gnn.vertex<4xf32> {
  %l = gnn.linear %a, %w : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %r = gnn.linear %a, %w : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %y = gnn.transform (%l, %r, %b) : (!gnn.vertex<4xf32>, !gnn.vertex<4xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%p: vector<4xf32>, %q: vector<4xf32>, %bias: tensor<4xf32>):
    %s = gnn.add %p, %q : vector<4xf32>, vector<4xf32> -> vector<4xf32>
    %t = gnn.add %s, %bias : vector<4xf32>, tensor<4xf32> -> vector<4xf32>
    gnn.yield %t : vector<4xf32>
  }
  return %y : !gnn.vertex<4xf32>
}

// -----

// Not folded: a linear with another user, a second bias, a body computing
// more than an epilogue, an activation before the bias, and a linear whose
// activation is already set.
// CHECK-LABEL: func.func @left_alone
// CHECK-COUNT-5: gnn.transform
func.func @left_alone(%x: !gnn.vertex<8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>)
    -> (!gnn.vertex<4xf32>, !gnn.vertex<4xf32>, !gnn.vertex<4xf32>, !gnn.vertex<4xf32>, !gnn.vertex<4xf32>, !gnn.vertex<4xf32>) {
  %0 = gnn.linear %x, %w : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %1 = gnn.transform (%0) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>):
    %y = gnn.relu %r : vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  %2 = gnn.linear %x, %w, %b : !gnn.vertex<8xf32>, tensor<4x8xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
  %3 = gnn.transform (%2, %b) : (!gnn.vertex<4xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>, %bias: tensor<4xf32>):
    %y = gnn.add %r, %bias : vector<4xf32>, tensor<4xf32> -> vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  %4 = gnn.linear %x, %w : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %5 = gnn.transform (%4) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>):
    %m = gnn.mul %r, %r : vector<4xf32>, vector<4xf32> -> vector<4xf32>
    gnn.yield %m : vector<4xf32>
  }
  %6 = gnn.linear %x, %w : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %7 = gnn.transform (%6, %b) : (!gnn.vertex<4xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>, %bias: tensor<4xf32>):
    %t = gnn.tanh %r : vector<4xf32>
    %y = gnn.add %t, %bias : vector<4xf32>, tensor<4xf32> -> vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  %8 = gnn.linear %x, %w activation = relu : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %9 = gnn.transform (%8) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>):
    %y = gnn.sigmoid %r : vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  return %0, %1, %3, %5, %7, %9 : !gnn.vertex<4xf32>, !gnn.vertex<4xf32>, !gnn.vertex<4xf32>, !gnn.vertex<4xf32>, !gnn.vertex<4xf32>, !gnn.vertex<4xf32>
}

// -----

// A product of a linear's rows and a per-row scalar, in either order, as
// the linear's scale, after the post-ops it already has; an edge-domain
// linear scales by an edge scalar.
// CHECK-LABEL: func.func @row_scale
// CHECK-SAME: (%[[X:.*]]: !gnn.vertex<8xf32>, %[[W:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<4xf32>, %[[S:.*]]: !gnn.vertex<1xf32>, %[[E:.*]]: !gnn.edge<8xf32>, %[[T:.*]]: !gnn.edge<1xf32>)
// CHECK-NEXT: %[[Y:.*]] = gnn.linear %[[X]], %[[W]], %[[B]] scale(%[[S]] : !gnn.vertex<1xf32>) activation = relu : !gnn.vertex<8xf32>, tensor<4x8xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
// CHECK-NEXT: %[[Z:.*]] = gnn.linear %[[X]], %[[W]] scale(%[[S]] : !gnn.vertex<1xf32>) : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
// CHECK-NEXT: %[[V:.*]] = gnn.linear %[[E]], %[[W]] scale(%[[T]] : !gnn.edge<1xf32>) : !gnn.edge<8xf32>, tensor<4x8xf32> -> !gnn.edge<4xf32>
// CHECK-NEXT: return %[[Y]], %[[Z]], %[[V]]
func.func @row_scale(%x: !gnn.vertex<8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>, %s: !gnn.vertex<1xf32>, %e: !gnn.edge<8xf32>, %t: !gnn.edge<1xf32>)
    -> (!gnn.vertex<4xf32>, !gnn.vertex<4xf32>, !gnn.edge<4xf32>) {
  %0 = gnn.linear %x, %w, %b activation = relu : !gnn.vertex<8xf32>, tensor<4x8xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
  %1 = gnn.transform (%0, %s) : (!gnn.vertex<4xf32>, !gnn.vertex<1xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>, %sr: vector<1xf32>):
    %y = gnn.mul %r, %sr : vector<4xf32>, vector<1xf32> -> vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  %2 = gnn.linear %x, %w : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %3 = gnn.transform (%s, %2) : (!gnn.vertex<1xf32>, !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%sr: vector<1xf32>, %r: vector<4xf32>):
    %y = gnn.mul %sr, %r : vector<1xf32>, vector<4xf32> -> vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  %4 = gnn.linear %e, %w : !gnn.edge<8xf32>, tensor<4x8xf32> -> !gnn.edge<4xf32>
  %5 = gnn.transform (%4, %t) : (!gnn.edge<4xf32>, !gnn.edge<1xf32>) -> !gnn.edge<4xf32> {
  ^bb0(%r: vector<4xf32>, %tr: vector<1xf32>):
    %y = gnn.mul %r, %tr : vector<4xf32>, vector<1xf32> -> vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  return %1, %3, %5 : !gnn.vertex<4xf32>, !gnn.vertex<4xf32>, !gnn.edge<4xf32>
}

// -----

// Both inputs are linears: the 1-float one (first) is the scale of the
// 4-float one (second), which takes it.
// CHECK-LABEL: func.func @row_scale_by_a_linear
// CHECK-SAME: (%[[X:.*]]: !gnn.vertex<8xf32>, %[[W:.*]]: tensor<4x8xf32>, %[[V:.*]]: tensor<1x8xf32>)
// CHECK-NEXT: %[[S:.*]] = gnn.linear %[[X]], %[[V]] : !gnn.vertex<8xf32>, tensor<1x8xf32> -> !gnn.vertex<1xf32>
// CHECK-NEXT: %[[Y:.*]] = gnn.linear %[[X]], %[[W]] scale(%[[S]] : !gnn.vertex<1xf32>) : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
// CHECK-NEXT: return %[[Y]]
func.func @row_scale_by_a_linear(%x: !gnn.vertex<8xf32>, %w: tensor<4x8xf32>, %v: tensor<1x8xf32>) -> !gnn.vertex<4xf32> {
  %s = gnn.linear %x, %v : !gnn.vertex<8xf32>, tensor<1x8xf32> -> !gnn.vertex<1xf32>
  %0 = gnn.linear %x, %w : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %1 = gnn.transform (%s, %0) : (!gnn.vertex<1xf32>, !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%sr: vector<1xf32>, %r: vector<4xf32>):
    %y = gnn.mul %sr, %r : vector<1xf32>, vector<4xf32> -> vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  return %1 : !gnn.vertex<4xf32>
}

// -----

// Not folded: a product with a whole row, a linear read elsewhere, a
// scaled linear whose result a bias transform follows (the bias would be
// scaled too), and a linear scaled already.
// CHECK-LABEL: func.func @row_scale_left_alone
// CHECK-COUNT-4: gnn.transform
func.func @row_scale_left_alone(%x: !gnn.vertex<8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>, %r4: !gnn.vertex<4xf32>, %s: !gnn.vertex<1xf32>)
    -> (!gnn.vertex<4xf32>, !gnn.vertex<4xf32>, !gnn.vertex<4xf32>, !gnn.vertex<4xf32>, !gnn.vertex<4xf32>) {
  %0 = gnn.linear %x, %w : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %1 = gnn.transform (%0, %r4) : (!gnn.vertex<4xf32>, !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>, %q: vector<4xf32>):
    %y = gnn.mul %r, %q : vector<4xf32>, vector<4xf32> -> vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  %2 = gnn.linear %x, %w : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %3 = gnn.transform (%2, %s) : (!gnn.vertex<4xf32>, !gnn.vertex<1xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>, %sr: vector<1xf32>):
    %y = gnn.mul %r, %sr : vector<4xf32>, vector<1xf32> -> vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  %4 = gnn.linear %x, %w scale(%s : !gnn.vertex<1xf32>) : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %5 = gnn.transform (%4, %b) : (!gnn.vertex<4xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>, %bias: tensor<4xf32>):
    %y = gnn.add %r, %bias : vector<4xf32>, tensor<4xf32> -> vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  %6 = gnn.linear %x, %w scale(%s : !gnn.vertex<1xf32>) : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %7 = gnn.transform (%6, %s) : (!gnn.vertex<4xf32>, !gnn.vertex<1xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>, %sr: vector<1xf32>):
    %y = gnn.mul %r, %sr : vector<4xf32>, vector<1xf32> -> vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  return %1, %2, %3, %5, %7 : !gnn.vertex<4xf32>, !gnn.vertex<4xf32>, !gnn.vertex<4xf32>, !gnn.vertex<4xf32>, !gnn.vertex<4xf32>
}
