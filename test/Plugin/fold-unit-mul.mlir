// The example pass plugin (examples/plugin), loaded into gnn-opt; its
// passes are available in textual pipelines.
// RUN: gnn-opt %s -split-input-file --load-pass-plugin=%gnn_plugin \
// RUN:   --pass-pipeline='builtin.module(func.func(gnn-fold-unit-mul))' \
// RUN:   | FileCheck %s
// RUN: gnn-opt %s -split-input-file --load-pass-plugin=%gnn_plugin \
// RUN:   --pass-pipeline='builtin.module(func.func(gnn-fold-unit-mul{fold-div=false}))' \
// RUN:   | FileCheck %s --check-prefix=NODIV

// Whole tensors: x * 1.0, 1.0 * x and x / 1.0 fold; 1.0 / x does not.
// CHECK-LABEL: func.func @tensors
// CHECK-SAME: (%[[X:.*]]: !gnn.vertex<4xf32>)
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.0
// CHECK-NEXT: %[[R:.*]] = gnn.div %[[ONE]], %[[X]]
// CHECK-NEXT: return %[[X]], %[[X]], %[[X]], %[[R]]
// NODIV-LABEL: func.func @tensors
// NODIV: gnn.div %{{.*}}, %{{.*}} : !gnn.vertex<4xf32>, f32
// NODIV: gnn.div %{{.*}}, %{{.*}} : f32, !gnn.vertex<4xf32>
func.func @tensors(%x: !gnn.vertex<4xf32>) -> (!gnn.vertex<4xf32>, !gnn.vertex<4xf32>, !gnn.vertex<4xf32>, !gnn.vertex<4xf32>) {
  %one = arith.constant 1.0 : f32
  %a = gnn.mul %x, %one : !gnn.vertex<4xf32>, f32 -> !gnn.vertex<4xf32>
  %b = gnn.mul %one, %x : f32, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  %c = gnn.div %x, %one : !gnn.vertex<4xf32>, f32 -> !gnn.vertex<4xf32>
  %d = gnn.div %one, %x : f32, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  return %a, %b, %c, %d : !gnn.vertex<4xf32>, !gnn.vertex<4xf32>, !gnn.vertex<4xf32>, !gnn.vertex<4xf32>
}

// -----

// Rows inside a stage region, with a splat constant; a 1.0 that widens the
// row (vector<1xf32> * vector<4xf32>) must stay, and so must 2.0.
// CHECK-LABEL: func.func @rows
// CHECK: gnn.message_passing
// CHECK-NEXT: ^bb0(%[[H:.*]]: !gnn.vertex<1xf32>):
// CHECK-NEXT: %[[ONES:.*]] = arith.constant dense<1.000000e+00> : vector<4xf32>
// CHECK-NEXT: %[[TWO:.*]] = arith.constant 2.0
// CHECK-NEXT: %[[XJ:.*]] = gnn.get_vertex %[[H]] source
// CHECK-NEXT: %[[WIDE:.*]] = gnn.mul %[[XJ]], %[[ONES]] : vector<1xf32>, vector<4xf32> -> vector<4xf32>
// CHECK-NEXT: %[[TWICE:.*]] = gnn.mul %[[WIDE]], %[[TWO]]
// CHECK-NEXT: gnn.yield %[[TWICE]]
func.func @rows(%g: !gnn.graph<as_given>, %h: !gnn.vertex<1xf32>) -> !gnn.vertex<4xf32> {
  %m = gnn.message_passing %g(%h) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<1xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<1xf32>):
    %ones = arith.constant dense<1.0> : vector<4xf32>
    %two = arith.constant 2.0 : f32
    %xj = gnn.get_vertex %a source : !gnn.vertex<1xf32> -> vector<1xf32>
    %same = gnn.mul %ones, %ones : vector<4xf32>, vector<4xf32> -> vector<4xf32>
    %wide = gnn.mul %xj, %same : vector<1xf32>, vector<4xf32> -> vector<4xf32>
    %once = gnn.mul %wide, %ones : vector<4xf32>, vector<4xf32> -> vector<4xf32>
    %twice = gnn.mul %once, %two : vector<4xf32>, f32 -> vector<4xf32>
    gnn.yield %twice : vector<4xf32>
  }
  return %m : !gnn.vertex<4xf32>
}
