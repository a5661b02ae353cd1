// RUN: gnn-opt %s -split-input-file --gnn-linear-before-aggregation | FileCheck %s

// SAGE's lin_l(mean(x_j)): the matmul moves before the stage, which then
// averages 2-wide rows instead of 4-wide ones; the bias goes to the update.
// CHECK-LABEL: func.func @sage
// CHECK-SAME: (%[[G:.*]]: !gnn.graph<as_given>, %[[X:.*]]: !gnn.vertex<4xf32>, %[[W:.*]]: tensor<2x4xf32>, %[[B:.*]]: tensor<2xf32>)
// CHECK-NEXT: %[[L:.*]] = gnn.linear %[[X]], %[[W]] : !gnn.vertex<4xf32>, tensor<2x4xf32> -> !gnn.vertex<2xf32>
// CHECK-NEXT: %[[M:.*]] = gnn.message_passing %[[G]](%[[L]], %[[B]]) aggr = mean : <as_given>, (!gnn.vertex<2xf32>, tensor<2xf32>) -> !gnn.vertex<2xf32> {
// CHECK-NEXT: ^bb0(%[[A:.*]]: !gnn.vertex<2xf32>, %{{.*}}: tensor<2xf32>):
// CHECK-NEXT: %[[XJ:.*]] = gnn.get_vertex %[[A]] source : <2xf32> -> vector<2xf32>
// CHECK-NEXT: gnn.yield %[[XJ]] : vector<2xf32>
// CHECK-NEXT: } update {
// CHECK-NEXT: ^bb0(%{{.*}}: !gnn.vertex<2xf32>, %[[UB:.*]]: tensor<2xf32>, %[[R:.*]]: vector<2xf32>):
// CHECK-NEXT: %[[Y:.*]] = gnn.add %[[R]], %[[UB]] : vector<2xf32>, tensor<2xf32> -> vector<2xf32>
// CHECK-NEXT: gnn.yield %[[Y]] : vector<2xf32>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[M]]
func.func @sage(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %w: tensor<2x4xf32>, %b: tensor<2xf32>) -> !gnn.vertex<2xf32> {
  %m = gnn.message_passing %g (%x) aggr = mean : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  %l = gnn.linear %m, %w, %b : !gnn.vertex<4xf32>, tensor<2x4xf32>, tensor<2xf32> -> !gnn.vertex<2xf32>
  return %l : !gnn.vertex<2xf32>
}

// -----

// GIN's first MLP layer after (1 + eps) x_i + sum x_j, with messages scaled
// by a per-edge scalar: every term is linear in x, so all are narrowed.
// CHECK-LABEL: func.func @gin
// CHECK-SAME: (%[[G:.*]]: !gnn.graph<as_given>, %[[X:.*]]: !gnn.vertex<4xf32>, %[[N:.*]]: !gnn.vertex<1xf32>, %[[EPS:.*]]: tensor<1xf32>, %[[W:.*]]: tensor<2x4xf32>)
// CHECK-NEXT: %[[L:.*]] = gnn.linear %[[X]], %[[W]] : !gnn.vertex<4xf32>, tensor<2x4xf32> -> !gnn.vertex<2xf32>
// CHECK-NEXT: gnn.message_passing %[[G]](%[[L]], %[[N]], %[[EPS]]) aggr = add : <as_given>, (!gnn.vertex<2xf32>, !gnn.vertex<1xf32>, tensor<1xf32>) -> !gnn.vertex<2xf32> {
// CHECK: %[[XJ:.*]] = gnn.get_vertex %{{.*}} source : <2xf32> -> vector<2xf32>
// CHECK: %[[NJ:.*]] = gnn.get_vertex %{{.*}} source : <1xf32> -> vector<1xf32>
// CHECK: %[[MSG:.*]] = gnn.mul %[[NJ]], %[[XJ]] : vector<1xf32>, vector<2xf32> -> vector<2xf32>
// CHECK-NEXT: gnn.yield %[[MSG]] : vector<2xf32>
// CHECK: } update {
// CHECK: %[[XI:.*]] = gnn.get_vertex %{{.*}} target : <2xf32> -> vector<2xf32>
// CHECK: %[[S:.*]] = gnn.mul %{{.*}}, %[[XI]] : tensor<1xf32>, vector<2xf32> -> vector<2xf32>
// CHECK-NEXT: %[[Y:.*]] = gnn.add %{{.*}}, %[[S]] : vector<2xf32>, vector<2xf32> -> vector<2xf32>
// CHECK-NEXT: gnn.yield %[[Y]] : vector<2xf32>
func.func @gin(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %n: !gnn.vertex<1xf32>, %eps: tensor<1xf32>, %w: tensor<2x4xf32>) -> !gnn.vertex<2xf32> {
  %m = gnn.message_passing %g (%x, %n, %eps) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>, !gnn.vertex<1xf32>, tensor<1xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>, %na: !gnn.vertex<1xf32>, %e: tensor<1xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    %nj = gnn.get_vertex %na source : !gnn.vertex<1xf32> -> vector<1xf32>
    %msg = gnn.mul %nj, %xj : vector<1xf32>, vector<4xf32> -> vector<4xf32>
    gnn.yield %msg : vector<4xf32>
  } update {
  ^bb0(%a: !gnn.vertex<4xf32>, %na: !gnn.vertex<1xf32>, %e: tensor<1xf32>, %r: vector<4xf32>):
    %one = arith.constant 1.0 : f32
    %xi = gnn.get_vertex %a target : !gnn.vertex<4xf32> -> vector<4xf32>
    %c = gnn.add %one, %e : f32, tensor<1xf32> -> tensor<1xf32>
    %s = gnn.mul %c, %xi : tensor<1xf32>, vector<4xf32> -> vector<4xf32>
    %y = gnn.add %r, %s : vector<4xf32>, vector<4xf32> -> vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  %l = gnn.linear %m, %w : !gnn.vertex<4xf32>, tensor<2x4xf32> -> !gnn.vertex<2xf32>
  return %l : !gnn.vertex<2xf32>
}

// -----

// Not linear in x: max aggregation, a relu in the message, a widening or
// same-width linear, a stage with another user. All stay as they are.
// CHECK-LABEL: func.func @unchanged
// CHECK-COUNT-4: gnn.linear %{{[0-9]+}}
// CHECK-NOT: gnn.linear %arg1
func.func @unchanged(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %w: tensor<2x4xf32>, %w8: tensor<8x4xf32>) -> (!gnn.vertex<2xf32>, !gnn.vertex<2xf32>, !gnn.vertex<8xf32>, !gnn.vertex<2xf32>, !gnn.vertex<4xf32>) {
  %max = gnn.message_passing %g (%x) aggr = max : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  %0 = gnn.linear %max, %w : !gnn.vertex<4xf32>, tensor<2x4xf32> -> !gnn.vertex<2xf32>
  %relu = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    %r = gnn.relu %xj : vector<4xf32>
    gnn.yield %r : vector<4xf32>
  }
  %1 = gnn.linear %relu, %w : !gnn.vertex<4xf32>, tensor<2x4xf32> -> !gnn.vertex<2xf32>
  %sum = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  %2 = gnn.linear %sum, %w8 : !gnn.vertex<4xf32>, tensor<8x4xf32> -> !gnn.vertex<8xf32>
  %shared = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  %3 = gnn.linear %shared, %w : !gnn.vertex<4xf32>, tensor<2x4xf32> -> !gnn.vertex<2xf32>
  return %0, %1, %2, %3, %shared : !gnn.vertex<2xf32>, !gnn.vertex<2xf32>, !gnn.vertex<8xf32>, !gnn.vertex<2xf32>, !gnn.vertex<4xf32>
}

// -----

// Two linears of the same x and weight share one matmul.
// CHECK-LABEL: func.func @shared_matmul
// CHECK-COUNT-1: gnn.linear
// CHECK-NOT: gnn.linear
func.func @shared_matmul(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %w: tensor<2x4xf32>) -> (!gnn.vertex<2xf32>, !gnn.vertex<2xf32>) {
  %lx = gnn.linear %x, %w : !gnn.vertex<4xf32>, tensor<2x4xf32> -> !gnn.vertex<2xf32>
  %m = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  %l = gnn.linear %m, %w : !gnn.vertex<4xf32>, tensor<2x4xf32> -> !gnn.vertex<2xf32>
  return %lx, %l : !gnn.vertex<2xf32>, !gnn.vertex<2xf32>
}

// -----

// The weight and bias may be computed after the stage: the new matmul and
// stage go where the old linear was, after both.
// CHECK-LABEL: func.func @late_weight
// CHECK: %[[B:.*]] = gnn.add
// CHECK-NEXT: %[[W:.*]] = gnn.add
// CHECK-NEXT: %[[L:.*]] = gnn.linear %{{.*}}, %[[W]] :
// CHECK-NEXT: gnn.message_passing %{{.*}}(%[[L]], %[[B]]) aggr = mean
func.func @late_weight(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %w: tensor<2x4xf32>, %w2: tensor<2x4xf32>, %b1: tensor<2xf32>) -> !gnn.vertex<2xf32> {
  %m = gnn.message_passing %g (%x) aggr = mean : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  %b = gnn.add %b1, %b1 : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %ww = gnn.add %w, %w2 : tensor<2x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
  %l = gnn.linear %m, %ww, %b : !gnn.vertex<4xf32>, tensor<2x4xf32>, tensor<2xf32> -> !gnn.vertex<2xf32>
  return %l : !gnn.vertex<2xf32>
}
