// RUN: gnn-opt %s -split-input-file --gnn-decompose | FileCheck %s

// Each whole-tensor elementwise op becomes a one-op transform whose region
// computes a row; vertex tensors become vector block arguments, parameters
// stay tensors.
// CHECK-LABEL: func.func @one_stage_per_op
// CHECK-SAME: (%[[X:.*]]: !gnn.vertex<4xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK: %[[T0:.*]] = gnn.transform(%[[X]], %[[B]]) : (!gnn.vertex<4xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32> {
// CHECK-NEXT: ^bb0(%[[ROW:.*]]: vector<4xf32>, %[[BIAS:.*]]: tensor<4xf32>):
// CHECK-NEXT: %[[S:.*]] = gnn.add %[[ROW]], %[[BIAS]] : vector<4xf32>, tensor<4xf32> -> vector<4xf32>
// CHECK-NEXT: gnn.yield %[[S]] : vector<4xf32>
// CHECK-NEXT: }
// CHECK-NEXT: %[[T1:.*]] = gnn.transform(%[[T0]]) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
// CHECK-NEXT: ^bb0(%[[ROW1:.*]]: vector<4xf32>):
// CHECK-NEXT: %[[R:.*]] = gnn.relu %[[ROW1]] : vector<4xf32>
// CHECK-NEXT: gnn.yield %[[R]] : vector<4xf32>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[T1]] : !gnn.vertex<4xf32>
func.func @one_stage_per_op(%x: !gnn.vertex<4xf32>, %b: tensor<4xf32>) -> !gnn.vertex<4xf32> {
  %0 = gnn.add %x, %b : !gnn.vertex<4xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
  %1 = gnn.relu %0 : !gnn.vertex<4xf32>
  return %1 : !gnn.vertex<4xf32>
}

// -----

// Constants are cloned into the region instead of becoming inputs; the
// original stays for its other users.
// CHECK-LABEL: func.func @constants_sunk
// CHECK-SAME: (%[[D:.*]]: !gnn.vertex<1xf32>)
// CHECK: %[[C:.*]] = arith.constant -5.000000e-01 : f32
// CHECK-NEXT: %[[T:.*]] = gnn.transform(%[[D]]) : (!gnn.vertex<1xf32>) -> !gnn.vertex<1xf32> {
// CHECK-NEXT: ^bb0(%[[ROW:.*]]: vector<1xf32>):
// CHECK-NEXT: %[[CIN:.*]] = arith.constant -5.000000e-01 : f32
// CHECK-NEXT: %[[P:.*]] = gnn.pow %[[ROW]], %[[CIN]] : vector<1xf32>, f32 -> vector<1xf32>
// CHECK-NEXT: gnn.yield %[[P]]
// CHECK: return %[[T]], %[[C]]
func.func @constants_sunk(%deg: !gnn.vertex<1xf32>) -> (!gnn.vertex<1xf32>, f32) {
  %c = arith.constant -0.5 : f32
  %0 = gnn.pow %deg, %c : !gnn.vertex<1xf32>, f32 -> !gnn.vertex<1xf32>
  return %0, %c : !gnn.vertex<1xf32>, f32
}

// -----

// Tensor constants are sunk too, and so are computations on constants and
// parameters alone: they are not a stage, but repeated in each that reads
// them (the schedule holds only whole-tensor steps).
// CHECK-LABEL: func.func @tensor_constant
// CHECK: %[[C:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-NEXT: %[[T:.*]] = gnn.transform(%{{.*}}) : (!gnn.vertex<2xf32>) -> !gnn.vertex<2xf32> {
// CHECK-NEXT: ^bb0(%[[ROW:.*]]: vector<2xf32>):
// CHECK-NEXT: %[[CIN:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-NEXT: %[[M:.*]] = gnn.mul %[[ROW]], %[[CIN]] : vector<2xf32>, tensor<2xf32> -> vector<2xf32>
// CHECK-NEXT: gnn.yield %[[M]]
// CHECK: gnn.transform(%[[T]]) : (!gnn.vertex<2xf32>) -> !gnn.vertex<2xf32> {
// CHECK-NEXT: ^bb0(%[[ROW2:.*]]: vector<2xf32>):
// CHECK-NEXT: %[[C2:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-NEXT: %[[P:.*]] = gnn.maximum %[[C2]], %[[C2]] : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
// CHECK-NEXT: gnn.add %[[ROW2]], %[[P]]
// CHECK-NOT: gnn.maximum
func.func @tensor_constant(%x: !gnn.vertex<2xf32>) -> !gnn.vertex<2xf32> {
  %c = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %p = gnn.maximum %c, %c : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %0 = gnn.mul %x, %c : !gnn.vertex<2xf32>, tensor<2xf32> -> !gnn.vertex<2xf32>
  %1 = gnn.add %0, %p : !gnn.vertex<2xf32>, tensor<2xf32> -> !gnn.vertex<2xf32>
  return %1 : !gnn.vertex<2xf32>
}

// -----

// A value used twice by one op is one input; non-constant scalars are inputs.
// CHECK-LABEL: func.func @inputs_deduplicated
// CHECK-SAME: (%[[X:.*]]: !gnn.vertex<4xf32>, %[[S:.*]]: f32)
// CHECK: %[[T:.*]] = gnn.transform(%[[X]]) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
// CHECK-NEXT: ^bb0(%[[ROW:.*]]: vector<4xf32>):
// CHECK-NEXT: gnn.mul %[[ROW]], %[[ROW]] : vector<4xf32>, vector<4xf32> -> vector<4xf32>
// CHECK: gnn.transform(%[[S]], %[[T]]) : (f32, !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
// CHECK-NEXT: ^bb0(%[[SA:.*]]: f32, %[[ROW2:.*]]: vector<4xf32>):
// CHECK-NEXT: gnn.sub %[[SA]], %[[ROW2]] : f32, vector<4xf32> -> vector<4xf32>
func.func @inputs_deduplicated(%x: !gnn.vertex<4xf32>, %s: f32) -> !gnn.vertex<4xf32> {
  %0 = gnn.mul %x, %x : !gnn.vertex<4xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  %1 = gnn.sub %s, %0 : f32, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  return %1 : !gnn.vertex<4xf32>
}

// -----

// Every elementwise op is wrapped, attributes included; rows keep the
// multi-dimensional feature shape.
// CHECK-LABEL: func.func @every_op
// CHECK: gnn.transform(%{{.*}}) : (!gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
// CHECK: gnn.add %{{.*}}, %{{.*}} : vector<2x2xf32>, vector<2x2xf32> -> vector<2x2xf32>
// CHECK: gnn.transform(%{{.*}}, %{{.*}}) : (!gnn.vertex<2x2xf32>, !gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
// CHECK: gnn.sub %{{.*}}, %{{.*}} : vector<2x2xf32>, vector<2x2xf32> -> vector<2x2xf32>
// CHECK: gnn.transform(%{{.*}}, %{{.*}}) : (!gnn.vertex<2x2xf32>, !gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
// CHECK: gnn.mul %{{.*}}, %{{.*}} : vector<2x2xf32>, vector<2x2xf32> -> vector<2x2xf32>
// CHECK: gnn.transform(%{{.*}}, %{{.*}}) : (!gnn.vertex<2x2xf32>, !gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
// CHECK: gnn.div %{{.*}}, %{{.*}} : vector<2x2xf32>, vector<2x2xf32> -> vector<2x2xf32>
// CHECK: gnn.transform(%{{.*}}, %{{.*}}) : (!gnn.vertex<2x2xf32>, !gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
// CHECK: gnn.pow %{{.*}}, %{{.*}} : vector<2x2xf32>, vector<2x2xf32> -> vector<2x2xf32>
// CHECK: gnn.transform(%{{.*}}, %{{.*}}) : (!gnn.vertex<2x2xf32>, !gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
// CHECK: gnn.maximum %{{.*}}, %{{.*}} : vector<2x2xf32>, vector<2x2xf32> -> vector<2x2xf32>
// CHECK: gnn.transform(%{{.*}}, %{{.*}}) : (!gnn.vertex<2x2xf32>, !gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
// CHECK: gnn.minimum %{{.*}}, %{{.*}} : vector<2x2xf32>, vector<2x2xf32> -> vector<2x2xf32>
// CHECK: gnn.transform(%{{.*}}) : (!gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
// CHECK: gnn.neg %{{.*}} : vector<2x2xf32>
// CHECK: gnn.transform(%{{.*}}) : (!gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
// CHECK: gnn.exp %{{.*}} : vector<2x2xf32>
// CHECK: gnn.transform(%{{.*}}) : (!gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
// CHECK: gnn.log %{{.*}} : vector<2x2xf32>
// CHECK: gnn.transform(%{{.*}}) : (!gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
// CHECK: gnn.sqrt %{{.*}} : vector<2x2xf32>
// CHECK: gnn.transform(%{{.*}}) : (!gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
// CHECK: gnn.abs %{{.*}} : vector<2x2xf32>
// CHECK: gnn.transform(%{{.*}}) : (!gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
// CHECK: gnn.relu %{{.*}} : vector<2x2xf32>
// CHECK: gnn.transform(%{{.*}}) : (!gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
// CHECK: gnn.sigmoid %{{.*}} : vector<2x2xf32>
// CHECK: gnn.transform(%{{.*}}) : (!gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
// CHECK: gnn.tanh %{{.*}} : vector<2x2xf32>
// CHECK: gnn.transform(%{{.*}}) : (!gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
// CHECK: gnn.gelu %{{.*}} : vector<2x2xf32>
// CHECK: gnn.transform(%{{.*}}) : (!gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
// CHECK: gnn.elu %{{.*}} {alpha = 5.000000e-01 : f32} : vector<2x2xf32>
// CHECK: gnn.transform(%{{.*}}) : (!gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
// CHECK: gnn.leaky_relu %{{.*}} {negative_slope = 2.000000e-01 : f32} : vector<2x2xf32>
// CHECK-NOT: gnn.transform
// CHECK: return
func.func @every_op(%a: !gnn.vertex<2x2xf32>) -> !gnn.vertex<2x2xf32> {
  %0 = gnn.add %a, %a : !gnn.vertex<2x2xf32>, !gnn.vertex<2x2xf32> -> !gnn.vertex<2x2xf32>
  %1 = gnn.sub %0, %a : !gnn.vertex<2x2xf32>, !gnn.vertex<2x2xf32> -> !gnn.vertex<2x2xf32>
  %2 = gnn.mul %1, %a : !gnn.vertex<2x2xf32>, !gnn.vertex<2x2xf32> -> !gnn.vertex<2x2xf32>
  %3 = gnn.div %2, %a : !gnn.vertex<2x2xf32>, !gnn.vertex<2x2xf32> -> !gnn.vertex<2x2xf32>
  %4 = gnn.pow %3, %a : !gnn.vertex<2x2xf32>, !gnn.vertex<2x2xf32> -> !gnn.vertex<2x2xf32>
  %5 = gnn.maximum %4, %a : !gnn.vertex<2x2xf32>, !gnn.vertex<2x2xf32> -> !gnn.vertex<2x2xf32>
  %6 = gnn.minimum %5, %a : !gnn.vertex<2x2xf32>, !gnn.vertex<2x2xf32> -> !gnn.vertex<2x2xf32>
  %7 = gnn.neg %6 : !gnn.vertex<2x2xf32>
  %8 = gnn.exp %7 : !gnn.vertex<2x2xf32>
  %9 = gnn.log %8 : !gnn.vertex<2x2xf32>
  %10 = gnn.sqrt %9 : !gnn.vertex<2x2xf32>
  %11 = gnn.abs %10 : !gnn.vertex<2x2xf32>
  %12 = gnn.relu %11 : !gnn.vertex<2x2xf32>
  %13 = gnn.sigmoid %12 : !gnn.vertex<2x2xf32>
  %14 = gnn.tanh %13 : !gnn.vertex<2x2xf32>
  %15 = gnn.gelu %14 : !gnn.vertex<2x2xf32>
  %16 = gnn.elu %15 {alpha = 0.5 : f32} : !gnn.vertex<2x2xf32>
  %17 = gnn.leaky_relu %16 {negative_slope = 0.2 : f32} : !gnn.vertex<2x2xf32>
  return %17 : !gnn.vertex<2x2xf32>
}

// -----

// Edge tensors become edge transforms.
// CHECK-LABEL: func.func @edge_domain
// CHECK: gnn.transform(%{{.*}}) : (!gnn.edge<3xf32>) -> !gnn.edge<3xf32> {
// CHECK-NEXT: ^bb0(%[[ROW:.*]]: vector<3xf32>):
// CHECK-NEXT: gnn.sigmoid %[[ROW]] : vector<3xf32>
func.func @edge_domain(%e: !gnn.edge<3xf32>) -> !gnn.edge<3xf32> {
  %0 = gnn.sigmoid %e : !gnn.edge<3xf32>
  return %0 : !gnn.edge<3xf32>
}

// -----

// Non-elementwise ops already are stages; ops inside existing stage regions,
// and elementwise ops on parameters and scalars alone that no stage reads,
// are left as they are. One that a stage reads moves into its region,
// which reads its operands instead.
// CHECK-LABEL: func.func @untouched
// CHECK-SAME: (%[[G:.*]]: !gnn.graph<as_given>, %[[X:.*]]: !gnn.vertex<8xf32>, %[[W:.*]]: tensor<4x8xf32>, %[[P:.*]]: tensor<4xf32>, %[[S:.*]]: f32)
// CHECK-NEXT: %[[G1:.*]] = gnn.add_self_loops %[[G]]
// CHECK-NEXT: %[[D:.*]] = gnn.degree %[[G1]]
// CHECK-NEXT: %[[H:.*]] = gnn.linear %[[X]], %[[W]]
// CHECK-NEXT: %[[S2:.*]] = gnn.exp %[[S]] : f32
// CHECK-NEXT: %[[M:.*]] = gnn.message_passing %[[G1]](%[[H]], %[[P]], %[[S]]) aggr = add
// CHECK-NEXT: ^bb0(%[[A:.*]]: !gnn.vertex<4xf32>, %[[PA:.*]]: tensor<4xf32>, %[[SA:.*]]: f32):
// CHECK-NEXT: %[[QA:.*]] = gnn.mul %[[PA]], %[[SA]] : tensor<4xf32>, f32 -> tensor<4xf32>
// CHECK-NEXT: %[[XJ:.*]] = gnn.get_vertex %[[A]] source
// CHECK-NEXT: %[[MSG:.*]] = gnn.mul %[[XJ]], %[[QA]] : vector<4xf32>, tensor<4xf32> -> vector<4xf32>
// CHECK-NEXT: gnn.yield %[[MSG]]
// CHECK-NEXT: }
// CHECK-NEXT: return %[[D]], %[[M]], %[[S2]]
func.func @untouched(%g: !gnn.graph<as_given>, %x: !gnn.vertex<8xf32>, %w: tensor<4x8xf32>,
                     %p: tensor<4xf32>, %s: f32) -> (!gnn.vertex<1xf32>, !gnn.vertex<4xf32>, f32) {
  %g1 = gnn.add_self_loops %g : !gnn.graph<as_given> -> !gnn.graph<one_per_vertex>
  %d = gnn.degree %g1 : !gnn.graph<one_per_vertex> -> !gnn.vertex<1xf32>
  %h = gnn.linear %x, %w : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %q = gnn.mul %p, %s : tensor<4xf32>, f32 -> tensor<4xf32>
  %s2 = gnn.exp %s : f32
  %m = gnn.message_passing %g1 (%h, %q) aggr = add : !gnn.graph<one_per_vertex>, (!gnn.vertex<4xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>, %qa: tensor<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    %msg = gnn.mul %xj, %qa : vector<4xf32>, tensor<4xf32> -> vector<4xf32>
    gnn.yield %msg : vector<4xf32>
  }
  return %d, %m, %s2 : !gnn.vertex<1xf32>, !gnn.vertex<4xf32>, f32
}

// -----

// Existing transforms are not wrapped again.
// CHECK-LABEL: func.func @existing_transform
// CHECK: gnn.transform
// CHECK-NEXT: ^bb0
// CHECK-NEXT: gnn.relu %{{.*}} : vector<4xf32>
// CHECK-NEXT: gnn.yield
// CHECK-NEXT: }
// CHECK-NEXT: return
func.func @existing_transform(%x: !gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  %0 = gnn.transform (%x) : (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%row: vector<4xf32>):
    %r = gnn.relu %row : vector<4xf32>
    gnn.yield %r : vector<4xf32>
  }
  return %0 : !gnn.vertex<4xf32>
}
