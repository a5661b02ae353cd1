// RUN: gnn-opt %s -split-input-file --gnn-fuse-transforms | FileCheck %s

// A chain of single-use transforms becomes one; the bodies follow each other
// in order and the intermediate rows are used directly.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: (%[[X:.*]]: !gnn.vertex<4xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[T:.*]] = gnn.transform(%[[X]], %[[B]]) : (!gnn.vertex<4xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32> {
// CHECK-NEXT: ^bb0(%[[ROW:.*]]: vector<4xf32>, %[[BIAS:.*]]: tensor<4xf32>):
// CHECK-NEXT: %[[C:.*]] = arith.constant 2.000000e+00 : f32
// CHECK-NEXT: %[[M:.*]] = gnn.mul %[[ROW]], %[[C]] : vector<4xf32>, f32 -> vector<4xf32>
// CHECK-NEXT: %[[S:.*]] = gnn.add %[[M]], %[[BIAS]] : vector<4xf32>, tensor<4xf32> -> vector<4xf32>
// CHECK-NEXT: %[[R:.*]] = gnn.relu %[[S]] : vector<4xf32>
// CHECK-NEXT: gnn.yield %[[R]] : vector<4xf32>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[T]] : !gnn.vertex<4xf32>
func.func @chain(%x: !gnn.vertex<4xf32>, %b: tensor<4xf32>) -> !gnn.vertex<4xf32> {
  %0 = gnn.transform (%x) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>):
    %c = arith.constant 2.0 : f32
    %m = gnn.mul %r, %c : vector<4xf32>, f32 -> vector<4xf32>
    gnn.yield %m : vector<4xf32>
  }
  %1 = gnn.transform (%0, %b) : (!gnn.vertex<4xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>, %bias: tensor<4xf32>):
    %s = gnn.add %r, %bias : vector<4xf32>, tensor<4xf32> -> vector<4xf32>
    gnn.yield %s : vector<4xf32>
  }
  %2 = gnn.transform (%1) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>):
    %y = gnn.relu %r : vector<4xf32>
    gnn.yield %y : vector<4xf32>
  }
  return %2 : !gnn.vertex<4xf32>
}

// -----

// A producer with two users is computed once and not fused into either.
// CHECK-LABEL: func.func @two_users
// CHECK-SAME: (%[[X:.*]]: !gnn.vertex<4xf32>)
// CHECK-NEXT: %[[P:.*]] = gnn.transform(%[[X]])
// CHECK: gnn.exp
// CHECK: %[[A:.*]] = gnn.transform(%[[P]]) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32>
// CHECK-NOT: gnn.exp
// CHECK: gnn.neg
// CHECK: %[[B:.*]] = gnn.transform(%[[P]]) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32>
// CHECK-NOT: gnn.exp
// CHECK: gnn.abs
// CHECK: return %[[A]], %[[B]]
func.func @two_users(%x: !gnn.vertex<4xf32>) -> (!gnn.vertex<4xf32>, !gnn.vertex<4xf32>) {
  %0 = gnn.transform (%x) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>):
    %e = gnn.exp %r : vector<4xf32>
    gnn.yield %e : vector<4xf32>
  }
  %1 = gnn.transform (%0) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>):
    %n = gnn.neg %r : vector<4xf32>
    gnn.yield %n : vector<4xf32>
  }
  %2 = gnn.transform (%0) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>):
    %a = gnn.abs %r : vector<4xf32>
    gnn.yield %a : vector<4xf32>
  }
  return %1, %2 : !gnn.vertex<4xf32>, !gnn.vertex<4xf32>
}

// -----

// A producer whose result is also returned is not fused either.
// CHECK-LABEL: func.func @also_returned
// CHECK: %[[P:.*]] = gnn.transform
// CHECK: %[[C:.*]] = gnn.transform(%[[P]])
// CHECK: return %[[P]], %[[C]]
func.func @also_returned(%x: !gnn.vertex<4xf32>) -> (!gnn.vertex<4xf32>, !gnn.vertex<4xf32>) {
  %0 = gnn.transform (%x) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>):
    %e = gnn.exp %r : vector<4xf32>
    gnn.yield %e : vector<4xf32>
  }
  %1 = gnn.transform (%0) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>):
    %n = gnn.neg %r : vector<4xf32>
    gnn.yield %n : vector<4xf32>
  }
  return %0, %1 : !gnn.vertex<4xf32>, !gnn.vertex<4xf32>
}

// -----

// Inputs shared by producer and consumer become one block argument; the
// producer's inputs come first.
// CHECK-LABEL: func.func @inputs_deduplicated
// CHECK-SAME: (%[[X:.*]]: !gnn.vertex<4xf32>, %[[Y:.*]]: !gnn.vertex<4xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[T:.*]] = gnn.transform(%[[X]], %[[B]], %[[Y]]) : (!gnn.vertex<4xf32>, tensor<4xf32>, !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
// CHECK-NEXT: ^bb0(%[[XR:.*]]: vector<4xf32>, %[[BR:.*]]: tensor<4xf32>, %[[YR:.*]]: vector<4xf32>):
// CHECK-NEXT: %[[P:.*]] = gnn.add %[[XR]], %[[BR]]
// CHECK-NEXT: %[[Q:.*]] = gnn.mul %[[P]], %[[XR]]
// CHECK-NEXT: %[[S:.*]] = gnn.sub %[[Q]], %[[YR]]
// CHECK-NEXT: %[[U:.*]] = gnn.add %[[S]], %[[BR]]
// CHECK-NEXT: gnn.yield %[[U]]
// CHECK-NEXT: }
// CHECK-NEXT: return %[[T]]
func.func @inputs_deduplicated(%x: !gnn.vertex<4xf32>, %y: !gnn.vertex<4xf32>, %b: tensor<4xf32>) -> !gnn.vertex<4xf32> {
  %0 = gnn.transform (%x, %b) : (!gnn.vertex<4xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>, %p: tensor<4xf32>):
    %s = gnn.add %r, %p : vector<4xf32>, tensor<4xf32> -> vector<4xf32>
    gnn.yield %s : vector<4xf32>
  }
  %1 = gnn.transform (%0, %x, %y, %b) : (!gnn.vertex<4xf32>, !gnn.vertex<4xf32>, !gnn.vertex<4xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>, %xr: vector<4xf32>, %yr: vector<4xf32>, %p: tensor<4xf32>):
    %m = gnn.mul %r, %xr : vector<4xf32>, vector<4xf32> -> vector<4xf32>
    %s = gnn.sub %m, %yr : vector<4xf32>, vector<4xf32> -> vector<4xf32>
    %u = gnn.add %s, %p : vector<4xf32>, tensor<4xf32> -> vector<4xf32>
    gnn.yield %u : vector<4xf32>
  }
  return %1 : !gnn.vertex<4xf32>
}

// -----

// Two single-use producers of one consumer (a diamond over %x) both fuse,
// and %x is read once.
// CHECK-LABEL: func.func @diamond
// CHECK-SAME: (%[[X:.*]]: !gnn.vertex<4xf32>)
// CHECK-NEXT: %[[T:.*]] = gnn.transform(%[[X]]) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
// CHECK-NEXT: ^bb0(%[[R:.*]]: vector<4xf32>):
// CHECK-DAG: %[[E:.*]] = gnn.exp %[[R]]
// CHECK-DAG: %[[N:.*]] = gnn.neg %[[R]]
// CHECK: %[[M:.*]] = gnn.maximum %[[E]], %[[N]]
// CHECK-NEXT: gnn.yield %[[M]]
// CHECK-NEXT: }
// CHECK-NEXT: return %[[T]]
func.func @diamond(%x: !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  %0 = gnn.transform (%x) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>):
    %e = gnn.exp %r : vector<4xf32>
    gnn.yield %e : vector<4xf32>
  }
  %1 = gnn.transform (%x) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>):
    %n = gnn.neg %r : vector<4xf32>
    gnn.yield %n : vector<4xf32>
  }
  %2 = gnn.transform (%0, %1) : (!gnn.vertex<4xf32>, !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: vector<4xf32>, %b: vector<4xf32>):
    %m = gnn.maximum %a, %b : vector<4xf32>, vector<4xf32> -> vector<4xf32>
    gnn.yield %m : vector<4xf32>
  }
  return %2 : !gnn.vertex<4xf32>
}

// -----

// Only transforms fuse: a message-passing consumer, a linear consumer and a
// message-passing producer stay separate stages.
// CHECK-LABEL: func.func @other_stages
// CHECK: %[[T:.*]] = gnn.transform
// CHECK: %[[M:.*]] = gnn.message_passing %{{.*}}(%[[T]])
// CHECK: %[[U:.*]] = gnn.transform(%[[M]])
// CHECK: %[[L:.*]] = gnn.linear %[[U]]
// CHECK: return %[[L]]
func.func @other_stages(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %w: tensor<4x4xf32>) -> !gnn.vertex<4xf32> {
  %0 = gnn.transform (%x) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>):
    %e = gnn.exp %r : vector<4xf32>
    gnn.yield %e : vector<4xf32>
  }
  %1 = gnn.message_passing %g (%0) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  %2 = gnn.transform (%1) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<4xf32>):
    %n = gnn.neg %r : vector<4xf32>
    gnn.yield %n : vector<4xf32>
  }
  %3 = gnn.linear %2, %w : !gnn.vertex<4xf32>, tensor<4x4xf32> -> !gnn.vertex<4xf32>
  return %3 : !gnn.vertex<4xf32>
}

// -----

// A producer that yields its input row unchanged fuses to nothing, and an
// edge chain fuses like a vertex chain.
// CHECK-LABEL: func.func @identity_and_edges
// CHECK-SAME: (%[[E:.*]]: !gnn.edge<2xf32>)
// CHECK-NEXT: %[[T:.*]] = gnn.transform(%[[E]]) : (!gnn.edge<2xf32>) -> !gnn.edge<2xf32> {
// CHECK-NEXT: ^bb0(%[[R:.*]]: vector<2xf32>):
// CHECK-NEXT: %[[S:.*]] = gnn.sigmoid %[[R]] : vector<2xf32>
// CHECK-NEXT: gnn.yield %[[S]]
// CHECK-NEXT: }
// CHECK-NEXT: return %[[T]]
func.func @identity_and_edges(%e: !gnn.edge<2xf32>) -> !gnn.edge<2xf32> {
  %0 = gnn.transform (%e) : (!gnn.edge<2xf32>) -> !gnn.edge<2xf32> {
  ^bb0(%r: vector<2xf32>):
    gnn.yield %r : vector<2xf32>
  }
  %1 = gnn.transform (%0) : (!gnn.edge<2xf32>) -> !gnn.edge<2xf32> {
  ^bb0(%r: vector<2xf32>):
    %s = gnn.sigmoid %r : vector<2xf32>
    gnn.yield %s : vector<2xf32>
  }
  return %1 : !gnn.edge<2xf32>
}

// -----

// Decompose then fuse: the graph-level chain of docs/gcn-graph-level.mlir's
// epilogue becomes one stage.
// RUN: gnn-opt %s -split-input-file --gnn-decompose --gnn-fuse-transforms | FileCheck %s --check-prefix=PIPE
// PIPE-LABEL: func.func @after_decompose
// PIPE-SAME: (%[[M:.*]]: !gnn.vertex<4xf32>, %[[B:.*]]: tensor<4xf32>)
// PIPE-NEXT: %[[T:.*]] = gnn.transform(%[[M]], %[[B]])
// PIPE-NEXT: ^bb0(%[[R:.*]]: vector<4xf32>, %[[BR:.*]]: tensor<4xf32>):
// PIPE-NEXT: %[[S:.*]] = gnn.add %[[R]], %[[BR]]
// PIPE-NEXT: %[[Y:.*]] = gnn.relu %[[S]]
// PIPE-NEXT: gnn.yield %[[Y]]
// PIPE-NEXT: }
// PIPE-NEXT: return %[[T]]
func.func @after_decompose(%m: !gnn.vertex<4xf32>, %b: tensor<4xf32>) -> !gnn.vertex<4xf32> {
  %o = gnn.add %m, %b : !gnn.vertex<4xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
  %r = gnn.relu %o : !gnn.vertex<4xf32>
  return %r : !gnn.vertex<4xf32>
}
