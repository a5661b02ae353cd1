// Round trip of every gnn op and type: custom form, custom form printed
// again, and the generic form read back.
// RUN: gnn-opt %s | gnn-opt | FileCheck %s
// RUN: gnn-opt %s --mlir-print-op-generic | gnn-opt | FileCheck %s
// RUN: gnn-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @types
// CHECK-SAME: %{{.*}}: !gnn.graph<as_given>
// CHECK-SAME: %{{.*}}: !gnn.graph<one_per_vertex>
// CHECK-SAME: %{{.*}}: !gnn.vertex<64xf32>
// CHECK-SAME: %{{.*}}: !gnn.vertex<8x8xf32>
// CHECK-SAME: %{{.*}}: !gnn.edge<1xf32>
// CHECK-SAME: %{{.*}}: !gnn.edge<2x3x4xf32>
// CHECK-SAME: -> (!gnn.graph<as_given>, !gnn.vertex<8x8xf32>, !gnn.edge<2x3x4xf32>)
// GENERIC-LABEL: "func.func"() <{function_type = (!gnn.graph<as_given>, !gnn.graph<one_per_vertex>, !gnn.vertex<64xf32>, !gnn.vertex<8x8xf32>, !gnn.edge<1xf32>, !gnn.edge<2x3x4xf32>)
func.func @types(%g0: !gnn.graph<as_given>, %g1: !gnn.graph<one_per_vertex>,
                 %v: !gnn.vertex<64xf32>, %vm: !gnn.vertex<8x8xf32>,
                 %e: !gnn.edge<1xf32>, %em: !gnn.edge<2x3x4xf32>)
    -> (!gnn.graph<as_given>, !gnn.vertex<8x8xf32>, !gnn.edge<2x3x4xf32>) {
  return %g0, %vm, %em : !gnn.graph<as_given>, !gnn.vertex<8x8xf32>, !gnn.edge<2x3x4xf32>
}

//===----------------------------------------------------------------------===//
// Graph structure
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @graph_structure
// CHECK-SAME: (%[[G:.*]]: !gnn.graph<as_given>)
// CHECK: %[[G1:.*]] = gnn.add_self_loops %[[G]] : <as_given> -> <one_per_vertex>
// CHECK: %[[D0:.*]] = gnn.degree %[[G]] : <as_given> -> <1xf32>
// CHECK: %[[D1:.*]] = gnn.degree %[[G1]] : <one_per_vertex> -> <1xf32>
// CHECK: %[[G2:.*]] = gnn.remove_self_loops %[[G]] : <as_given> -> <none>
// CHECK: %[[D2:.*]] = gnn.degree %[[G2]] : <none> -> <1xf32>
// CHECK: return %[[D0]], %[[D1]], %[[D2]]
// CHECK-LABEL: func.func @stored_plus_one
// CHECK: gnn.add_self_loops %{{.*}} : <as_given> -> <stored_plus_one>
// CHECK: gnn.degree %{{.*}} : <stored_plus_one> -> <1xf32>
// GENERIC-LABEL: sym_name = "graph_structure"
// GENERIC: "gnn.add_self_loops"(%{{.*}}) : (!gnn.graph<as_given>) -> !gnn.graph<one_per_vertex>
// GENERIC: "gnn.degree"(%{{.*}}) : (!gnn.graph<as_given>) -> !gnn.vertex<1xf32>
// GENERIC: "gnn.remove_self_loops"(%{{.*}}) : (!gnn.graph<as_given>) -> !gnn.graph<none>
func.func @graph_structure(%g: !gnn.graph<as_given>) -> (!gnn.vertex<1xf32>, !gnn.vertex<1xf32>, !gnn.vertex<1xf32>) {
  %g1 = gnn.add_self_loops %g : !gnn.graph<as_given> -> !gnn.graph<one_per_vertex>
  %d0 = gnn.degree %g : !gnn.graph<as_given> -> !gnn.vertex<1xf32>
  %d1 = gnn.degree %g1 : !gnn.graph<one_per_vertex> -> !gnn.vertex<1xf32>
  %g2 = gnn.remove_self_loops %g : !gnn.graph<as_given> -> !gnn.graph<none>
  %d2 = gnn.degree %g2 : !gnn.graph<none> -> !gnn.vertex<1xf32>
  return %d0, %d1, %d2 : !gnn.vertex<1xf32>, !gnn.vertex<1xf32>, !gnn.vertex<1xf32>
}

func.func @stored_plus_one(%g: !gnn.graph<as_given>) -> !gnn.vertex<1xf32> {
  %g1 = gnn.add_self_loops %g : !gnn.graph<as_given> -> !gnn.graph<stored_plus_one>
  %d = gnn.degree %g1 : !gnn.graph<stored_plus_one> -> !gnn.vertex<1xf32>
  return %d : !gnn.vertex<1xf32>
}

// CHECK-LABEL: func.func @stored_loop_rows
// CHECK: gnn.stored_loop_rows %{{.*}}(%{{.*}}) fill = 2.000000e+00 : <as_given>, <2x3xf32> -> <2x3xf32>
// GENERIC-LABEL: sym_name = "stored_loop_rows"
// GENERIC: "gnn.stored_loop_rows"(%{{.*}}, %{{.*}}) <{fill = 2.000000e+00 : f32}> : (!gnn.graph<as_given>, !gnn.edge<2x3xf32>) -> !gnn.vertex<2x3xf32>
func.func @stored_loop_rows(%g: !gnn.graph<as_given>, %e: !gnn.edge<2x3xf32>) -> !gnn.vertex<2x3xf32> {
  %r = gnn.stored_loop_rows %g(%e) fill = 2.0 : !gnn.graph<as_given>, !gnn.edge<2x3xf32> -> !gnn.vertex<2x3xf32>
  return %r : !gnn.vertex<2x3xf32>
}

// CHECK-LABEL: func.func @stored_loop_rows_filled
// CHECK: gnn.stored_loop_rows %{{.*}}(%{{.*}}) fill_rows = %{{.*}} : !gnn.vertex<2x3xf32> : <as_given>, <2x3xf32> -> <2x3xf32>
// GENERIC-LABEL: sym_name = "stored_loop_rows_filled"
// GENERIC: "gnn.stored_loop_rows"(%{{.*}}, %{{.*}}, %{{.*}}) : (!gnn.graph<as_given>, !gnn.edge<2x3xf32>, !gnn.vertex<2x3xf32>) -> !gnn.vertex<2x3xf32>
func.func @stored_loop_rows_filled(%g: !gnn.graph<as_given>, %e: !gnn.edge<2x3xf32>, %f: !gnn.vertex<2x3xf32>) -> !gnn.vertex<2x3xf32> {
  %r = gnn.stored_loop_rows %g(%e) fill_rows = %f : !gnn.vertex<2x3xf32> : !gnn.graph<as_given>, !gnn.edge<2x3xf32> -> !gnn.vertex<2x3xf32>
  return %r : !gnn.vertex<2x3xf32>
}

//===----------------------------------------------------------------------===//
// Linear
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @linear
// CHECK-SAME: (%[[X:.*]]: !gnn.vertex<8xf32>, %[[E:.*]]: !gnn.edge<8xf32>, %[[M:.*]]: !gnn.vertex<3x8xf32>, %[[W:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<4xf32>, %[[S:.*]]: !gnn.vertex<1xf32>, %[[T:.*]]: !gnn.edge<1xf32>)
// CHECK: gnn.linear %[[X]], %[[W]] : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
// CHECK: gnn.linear %[[X]], %[[W]], %[[B]] : !gnn.vertex<8xf32>, tensor<4x8xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
// CHECK: gnn.linear %[[E]], %[[W]] : !gnn.edge<8xf32>, tensor<4x8xf32> -> !gnn.edge<4xf32>
// CHECK: gnn.linear %[[E]], %[[W]], %[[B]] : !gnn.edge<8xf32>, tensor<4x8xf32>, tensor<4xf32> -> !gnn.edge<4xf32>
// CHECK: gnn.linear %[[M]], %[[W]], %[[B]] : !gnn.vertex<3x8xf32>, tensor<4x8xf32>, tensor<4xf32> -> !gnn.vertex<3x4xf32>
// CHECK: gnn.linear %[[X]], %[[W]], %[[B]] activation = relu : !gnn.vertex<8xf32>, tensor<4x8xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
// CHECK: gnn.linear %[[X]], %[[W]] activation = leaky_relu alpha = 2.000000e-01 : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
// CHECK: gnn.linear %[[X]], %[[W]] activation = elu alpha = 1.500000e+00 : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
// CHECK: gnn.linear %[[X]], %[[W]] activation = sigmoid :
// CHECK: gnn.linear %[[X]], %[[W]] activation = tanh :
// CHECK: gnn.linear %[[X]], %[[W]] activation = gelu :
// CHECK: gnn.linear %[[X]], %[[W]] activation = exp :
// CHECK: %[[A:.*]] = gnn.linear %[[X]], %[[W]] : !gnn.vertex<8xf32>
// CHECK: gnn.linear %[[X]], %[[W]], %[[B]] accumulate(%[[A]] : !gnn.vertex<4xf32>) activation = relu : !gnn.vertex<8xf32>, tensor<4x8xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
// CHECK: gnn.linear %[[E]], %[[W]] accumulate(%{{.*}} : !gnn.edge<4xf32>) : !gnn.edge<8xf32>, tensor<4x8xf32> -> !gnn.edge<4xf32>
// CHECK: gnn.linear %[[X]], %[[W]], %[[B]] accumulate(%[[A]] : !gnn.vertex<4xf32>) scale(%[[S]] : !gnn.vertex<1xf32>) activation = relu : !gnn.vertex<8xf32>, tensor<4x8xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
// CHECK: gnn.linear %[[E]], %[[W]] scale(%[[T]] : !gnn.edge<1xf32>) : !gnn.edge<8xf32>, tensor<4x8xf32> -> !gnn.edge<4xf32>
// GENERIC-LABEL: sym_name = "linear"
// GENERIC: "gnn.linear"(%{{.*}}, %{{.*}}) <{operandSegmentSizes = array<i32: 1, 1, 0, 0, 0>}> : (!gnn.vertex<8xf32>, tensor<4x8xf32>) -> !gnn.vertex<4xf32>
// GENERIC: "gnn.linear"(%{{.*}}, %{{.*}}, %{{.*}}) <{operandSegmentSizes = array<i32: 1, 1, 1, 0, 0>}> : (!gnn.vertex<8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32>
// GENERIC: "gnn.linear"(%{{.*}}, %{{.*}}, %{{.*}}) <{activation = #gnn<activation relu>, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0>}>
// GENERIC: "gnn.linear"(%{{.*}}, %{{.*}}) <{activation = #gnn<activation leaky_relu>, alpha = 2.000000e-01 : f32, operandSegmentSizes = array<i32: 1, 1, 0, 0, 0>}>
// GENERIC: "gnn.linear"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) <{activation = #gnn<activation relu>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0>}>
// GENERIC: "gnn.linear"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) <{activation = #gnn<activation relu>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 1>}>
func.func @linear(%x: !gnn.vertex<8xf32>, %e: !gnn.edge<8xf32>, %m: !gnn.vertex<3x8xf32>,
                  %w: tensor<4x8xf32>, %b: tensor<4xf32>, %s: !gnn.vertex<1xf32>,
                  %t: !gnn.edge<1xf32>) {
  %0 = gnn.linear %x, %w : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %1 = gnn.linear %x, %w, %b : !gnn.vertex<8xf32>, tensor<4x8xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
  %2 = gnn.linear %e, %w : !gnn.edge<8xf32>, tensor<4x8xf32> -> !gnn.edge<4xf32>
  %3 = gnn.linear %e, %w, %b : !gnn.edge<8xf32>, tensor<4x8xf32>, tensor<4xf32> -> !gnn.edge<4xf32>
  %4 = gnn.linear %m, %w, %b : !gnn.vertex<3x8xf32>, tensor<4x8xf32>, tensor<4xf32> -> !gnn.vertex<3x4xf32>
  // Epilogues: activations (two with alpha) and a sum into another result.
  %5 = gnn.linear %x, %w, %b activation = relu : !gnn.vertex<8xf32>, tensor<4x8xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
  %6 = gnn.linear %x, %w activation = leaky_relu alpha = 0.2 : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %7 = gnn.linear %x, %w activation = elu alpha = 1.5 : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %8 = gnn.linear %x, %w activation = sigmoid : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %9 = gnn.linear %x, %w activation = tanh : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %10 = gnn.linear %x, %w activation = gelu : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %11 = gnn.linear %x, %w activation = exp : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %12 = gnn.linear %x, %w : !gnn.vertex<8xf32>, tensor<4x8xf32> -> !gnn.vertex<4xf32>
  %13 = gnn.linear %x, %w, %b accumulate(%12 : !gnn.vertex<4xf32>) activation = relu : !gnn.vertex<8xf32>, tensor<4x8xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
  %14 = gnn.linear %e, %w accumulate(%2 : !gnn.edge<4xf32>) : !gnn.edge<8xf32>, tensor<4x8xf32> -> !gnn.edge<4xf32>
  // A scale per row, after the other post-ops.
  %15 = gnn.linear %x, %w, %b accumulate(%12 : !gnn.vertex<4xf32>) scale(%s : !gnn.vertex<1xf32>) activation = relu : !gnn.vertex<8xf32>, tensor<4x8xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
  %16 = gnn.linear %e, %w scale(%t : !gnn.edge<1xf32>) : !gnn.edge<8xf32>, tensor<4x8xf32> -> !gnn.edge<4xf32>
  return
}

//===----------------------------------------------------------------------===//
// Binary ops and broadcasting
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @binary_ops
// CHECK: gnn.add %{{.*}}, %{{.*}} : !gnn.vertex<4xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
// CHECK: gnn.sub %{{.*}}, %{{.*}} : !gnn.vertex<4xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
// CHECK: gnn.mul %{{.*}}, %{{.*}} : !gnn.vertex<4xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
// CHECK: gnn.div %{{.*}}, %{{.*}} : !gnn.vertex<4xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
// CHECK: gnn.pow %{{.*}}, %{{.*}} : !gnn.vertex<4xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
// CHECK: gnn.maximum %{{.*}}, %{{.*}} : !gnn.vertex<4xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
// CHECK: gnn.minimum %{{.*}}, %{{.*}} : !gnn.vertex<4xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
// GENERIC-LABEL: sym_name = "binary_ops"
// GENERIC: "gnn.add"
// GENERIC: "gnn.sub"
// GENERIC: "gnn.mul"
// GENERIC: "gnn.div"
// GENERIC: "gnn.pow"
// GENERIC: "gnn.maximum"
// GENERIC: "gnn.minimum"
func.func @binary_ops(%a: !gnn.vertex<4xf32>, %b: !gnn.vertex<4xf32>) {
  %0 = gnn.add %a, %b : !gnn.vertex<4xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  %1 = gnn.sub %a, %b : !gnn.vertex<4xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  %2 = gnn.mul %a, %b : !gnn.vertex<4xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  %3 = gnn.div %a, %b : !gnn.vertex<4xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  %4 = gnn.pow %a, %b : !gnn.vertex<4xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  %5 = gnn.maximum %a, %b : !gnn.vertex<4xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  %6 = gnn.minimum %a, %b : !gnn.vertex<4xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  return
}

// CHECK-LABEL: func.func @broadcasting
// vertex x parameter, both orders
// CHECK: gnn.add %{{.*}}, %{{.*}} : !gnn.vertex<4xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
// CHECK: gnn.mul %{{.*}}, %{{.*}} : tensor<4xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
// vertex x scalar
// CHECK: gnn.pow %{{.*}}, %{{.*}} : !gnn.vertex<1xf32>, f32 -> !gnn.vertex<1xf32>
// CHECK: gnn.sub %{{.*}}, %{{.*}} : f32, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
// 1-broadcast of a vertex tensor and missing leading dimensions
// CHECK: gnn.mul %{{.*}}, %{{.*}} : !gnn.vertex<1xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
// CHECK: gnn.div %{{.*}}, %{{.*}} : !gnn.vertex<8x8xf32>, !gnn.vertex<8xf32> -> !gnn.vertex<8x8xf32>
// CHECK: gnn.add %{{.*}}, %{{.*}} : !gnn.vertex<8x1xf32>, !gnn.vertex<8xf32> -> !gnn.vertex<8x8xf32>
// CHECK: gnn.add %{{.*}}, %{{.*}} : !gnn.vertex<8x8xf32>, tensor<8x1xf32> -> !gnn.vertex<8x8xf32>
// edge x parameter and edge x edge
// CHECK: gnn.maximum %{{.*}}, %{{.*}} : !gnn.edge<4xf32>, tensor<4xf32> -> !gnn.edge<4xf32>
// CHECK: gnn.minimum %{{.*}}, %{{.*}} : !gnn.edge<1xf32>, !gnn.edge<4xf32> -> !gnn.edge<4xf32>
// parameters and scalars alone
// CHECK: gnn.mul %{{.*}}, %{{.*}} : tensor<4xf32>, f32 -> tensor<4xf32>
// CHECK: gnn.add %{{.*}}, %{{.*}} : f32, f32 -> f32
func.func @broadcasting(%v: !gnn.vertex<4xf32>, %v1: !gnn.vertex<1xf32>,
                        %m: !gnn.vertex<8x8xf32>, %c: !gnn.vertex<8x1xf32>,
                        %r: !gnn.vertex<8xf32>, %e: !gnn.edge<4xf32>,
                        %e1: !gnn.edge<1xf32>, %p: tensor<4xf32>,
                        %pc: tensor<8x1xf32>, %s: f32) {
  %0 = gnn.add %v, %p : !gnn.vertex<4xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
  %1 = gnn.mul %p, %v : tensor<4xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  %2 = gnn.pow %v1, %s : !gnn.vertex<1xf32>, f32 -> !gnn.vertex<1xf32>
  %3 = gnn.sub %s, %v : f32, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  %4 = gnn.mul %v1, %v : !gnn.vertex<1xf32>, !gnn.vertex<4xf32> -> !gnn.vertex<4xf32>
  %5 = gnn.div %m, %r : !gnn.vertex<8x8xf32>, !gnn.vertex<8xf32> -> !gnn.vertex<8x8xf32>
  %6 = gnn.add %c, %r : !gnn.vertex<8x1xf32>, !gnn.vertex<8xf32> -> !gnn.vertex<8x8xf32>
  %7 = gnn.add %m, %pc : !gnn.vertex<8x8xf32>, tensor<8x1xf32> -> !gnn.vertex<8x8xf32>
  %8 = gnn.maximum %e, %p : !gnn.edge<4xf32>, tensor<4xf32> -> !gnn.edge<4xf32>
  %9 = gnn.minimum %e1, %e : !gnn.edge<1xf32>, !gnn.edge<4xf32> -> !gnn.edge<4xf32>
  %10 = gnn.mul %p, %s : tensor<4xf32>, f32 -> tensor<4xf32>
  %11 = gnn.add %s, %s : f32, f32 -> f32
  return
}

// Rows (inside stage regions) broadcast by the same rules.
// CHECK-LABEL: func.func @row_broadcasting
// CHECK: gnn.mul %{{.*}}, %{{.*}} : vector<1xf32>, vector<4xf32> -> vector<4xf32>
// CHECK: gnn.add %{{.*}}, %{{.*}} : vector<2x1xf32>, vector<3xf32> -> vector<2x3xf32>
// CHECK: gnn.sub %{{.*}}, %{{.*}} : vector<4xf32>, f32 -> vector<4xf32>
// CHECK: gnn.div %{{.*}}, %{{.*}} : tensor<4xf32>, vector<1xf32> -> vector<4xf32>
func.func @row_broadcasting(%r1: vector<1xf32>, %r4: vector<4xf32>, %c: vector<2x1xf32>,
                            %r3: vector<3xf32>, %s: f32, %p: tensor<4xf32>) {
  %0 = gnn.mul %r1, %r4 : vector<1xf32>, vector<4xf32> -> vector<4xf32>
  %1 = gnn.add %c, %r3 : vector<2x1xf32>, vector<3xf32> -> vector<2x3xf32>
  %2 = gnn.sub %r4, %s : vector<4xf32>, f32 -> vector<4xf32>
  %3 = gnn.div %p, %r1 : tensor<4xf32>, vector<1xf32> -> vector<4xf32>
  return
}

//===----------------------------------------------------------------------===//
// Unary ops
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @unary_ops
// CHECK-SAME: (%[[X:.*]]: !gnn.vertex<4xf32>, %[[E:.*]]: !gnn.edge<2x2xf32>)
// CHECK: gnn.neg %[[X]] : !gnn.vertex<4xf32>
// CHECK: gnn.exp %[[X]] : !gnn.vertex<4xf32>
// CHECK: gnn.log %[[X]] : !gnn.vertex<4xf32>
// CHECK: gnn.sqrt %[[X]] : !gnn.vertex<4xf32>
// CHECK: gnn.abs %[[X]] : !gnn.vertex<4xf32>
// CHECK: gnn.relu %[[X]] : !gnn.vertex<4xf32>
// CHECK: gnn.sigmoid %[[X]] : !gnn.vertex<4xf32>
// CHECK: gnn.tanh %[[X]] : !gnn.vertex<4xf32>
// CHECK: gnn.gelu %[[E]] : !gnn.edge<2x2xf32>
// The default alpha and slope are not printed.
// CHECK: gnn.elu %[[X]] : !gnn.vertex<4xf32>
// CHECK: gnn.elu %[[X]] {alpha = 2.500000e-01 : f32} : !gnn.vertex<4xf32>
// CHECK: gnn.leaky_relu %[[X]] : !gnn.vertex<4xf32>
// CHECK: gnn.leaky_relu %[[E]] {negative_slope = 2.000000e-01 : f32} : !gnn.edge<2x2xf32>
// GENERIC-LABEL: sym_name = "unary_ops"
// GENERIC: "gnn.neg"
// GENERIC: "gnn.exp"
// GENERIC: "gnn.log"
// GENERIC: "gnn.sqrt"
// GENERIC: "gnn.abs"
// GENERIC: "gnn.relu"
// GENERIC: "gnn.sigmoid"
// GENERIC: "gnn.tanh"
// GENERIC: "gnn.gelu"
// GENERIC: "gnn.elu"(%{{.*}}) <{alpha = 1.000000e+00 : f32}>
// GENERIC: "gnn.elu"(%{{.*}}) <{alpha = 2.500000e-01 : f32}>
// GENERIC: "gnn.leaky_relu"(%{{.*}}) <{negative_slope = 0.00999999977 : f32}>
// GENERIC: "gnn.leaky_relu"(%{{.*}}) <{negative_slope = 2.000000e-01 : f32}>
func.func @unary_ops(%x: !gnn.vertex<4xf32>, %e: !gnn.edge<2x2xf32>) {
  %0 = gnn.neg %x : !gnn.vertex<4xf32>
  %1 = gnn.exp %x : !gnn.vertex<4xf32>
  %2 = gnn.log %x : !gnn.vertex<4xf32>
  %3 = gnn.sqrt %x : !gnn.vertex<4xf32>
  %4 = gnn.abs %x : !gnn.vertex<4xf32>
  %5 = gnn.relu %x : !gnn.vertex<4xf32>
  %6 = gnn.sigmoid %x : !gnn.vertex<4xf32>
  %7 = gnn.tanh %x : !gnn.vertex<4xf32>
  %8 = gnn.gelu %e : !gnn.edge<2x2xf32>
  %9 = gnn.elu %x : !gnn.vertex<4xf32>
  %10 = gnn.elu %x {alpha = 0.25 : f32} : !gnn.vertex<4xf32>
  %11 = gnn.leaky_relu %x : !gnn.vertex<4xf32>
  %12 = gnn.leaky_relu %e {negative_slope = 0.2 : f32} : !gnn.edge<2x2xf32>
  return
}

// CHECK-LABEL: func.func @unary_on_rows_and_scalars
// CHECK: gnn.relu %{{.*}} : vector<4xf32>
// CHECK: gnn.exp %{{.*}} : f32
// CHECK: gnn.neg %{{.*}} : tensor<4xf32>
func.func @unary_on_rows_and_scalars(%r: vector<4xf32>, %s: f32, %p: tensor<4xf32>) {
  %0 = gnn.relu %r : vector<4xf32>
  %1 = gnn.exp %s : f32
  %2 = gnn.neg %p : tensor<4xf32>
  return
}

//===----------------------------------------------------------------------===//
// Shapes and reductions
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @reshape_and_reduce
// CHECK-SAME: (%[[X:.*]]: !gnn.vertex<64xf32>, %[[E:.*]]: !gnn.edge<6xf32>, %[[R:.*]]: vector<8xf32>, %[[P:.*]]: tensor<1x8x8xf32>)
// CHECK: %[[H:.*]] = gnn.reshape %[[X]] : !gnn.vertex<64xf32> -> !gnn.vertex<8x8xf32>
// CHECK: gnn.reshape %[[E]] : !gnn.edge<6xf32> -> !gnn.edge<2x3xf32>
// CHECK: gnn.reshape %[[R]] : vector<8xf32> -> vector<8x1xf32>
// CHECK: %[[Q:.*]] = gnn.reshape %[[P]] : tensor<1x8x8xf32> -> tensor<8x8xf32>
// CHECK: gnn.reduce sum %[[H]] dim = 1 : !gnn.vertex<8x8xf32> -> !gnn.vertex<8xf32>
// CHECK: gnn.reduce mean %[[H]] dim = 0 : !gnn.vertex<8x8xf32> -> !gnn.vertex<8xf32>
// CHECK: gnn.reduce max %{{.*}} dim = 1 : !gnn.edge<2x3xf32> -> !gnn.edge<2xf32>
// CHECK: gnn.reduce min %[[Q]] dim = 0 : tensor<8x8xf32> -> tensor<8xf32>
// A row or a parameter may reduce to a scalar; a whole tensor may not.
// CHECK: gnn.reduce sum %[[R]] dim = 0 : vector<8xf32> -> f32
// CHECK: gnn.reduce sum %{{.*}} dim = 0 : tensor<8xf32> -> f32
// GENERIC-LABEL: sym_name = "reshape_and_reduce"
// GENERIC: "gnn.reshape"(%{{.*}}) : (!gnn.vertex<64xf32>) -> !gnn.vertex<8x8xf32>
// GENERIC: "gnn.reduce"(%{{.*}}) <{dim = 1 : i64, kind = #gnn<reduction sum>}> : (!gnn.vertex<8x8xf32>) -> !gnn.vertex<8xf32>
func.func @reshape_and_reduce(%x: !gnn.vertex<64xf32>, %e: !gnn.edge<6xf32>, %r: vector<8xf32>, %p: tensor<1x8x8xf32>) {
  %h = gnn.reshape %x : !gnn.vertex<64xf32> -> !gnn.vertex<8x8xf32>
  %e2 = gnn.reshape %e : !gnn.edge<6xf32> -> !gnn.edge<2x3xf32>
  %r2 = gnn.reshape %r : vector<8xf32> -> vector<8x1xf32>
  %q = gnn.reshape %p : tensor<1x8x8xf32> -> tensor<8x8xf32>
  %0 = gnn.reduce sum %h dim = 1 : !gnn.vertex<8x8xf32> -> !gnn.vertex<8xf32>
  %1 = gnn.reduce mean %h dim = 0 : !gnn.vertex<8x8xf32> -> !gnn.vertex<8xf32>
  %2 = gnn.reduce max %e2 dim = 1 : !gnn.edge<2x3xf32> -> !gnn.edge<2xf32>
  %3 = gnn.reduce min %q dim = 0 : tensor<8x8xf32> -> tensor<8xf32>
  %4 = gnn.reduce sum %r dim = 0 : vector<8xf32> -> f32
  %5 = gnn.reduce sum %3 dim = 0 : tensor<8xf32> -> f32
  return
}

//===----------------------------------------------------------------------===//
// Transform stages
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @transform
// CHECK-SAME: (%[[X:.*]]: !gnn.vertex<4xf32>, %[[B:.*]]: tensor<4xf32>, %[[E:.*]]: !gnn.edge<2x2xf32>)
// CHECK: gnn.transform(%[[X]], %[[B]]) : (!gnn.vertex<4xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32> {
// CHECK-NEXT: ^bb0(%[[ROW:.*]]: vector<4xf32>, %[[BIAS:.*]]: tensor<4xf32>):
// CHECK-NEXT: %[[C:.*]] = arith.constant 2.000000e+00 : f32
// CHECK-NEXT: %[[S:.*]] = gnn.add %[[ROW]], %[[BIAS]] : vector<4xf32>, tensor<4xf32> -> vector<4xf32>
// CHECK-NEXT: %[[T:.*]] = gnn.mul %[[S]], %[[C]] : vector<4xf32>, f32 -> vector<4xf32>
// CHECK-NEXT: gnn.yield %[[T]] : vector<4xf32>
// CHECK-NEXT: }
// An edge transform, multi-dimensional rows, no inputs at all.
// CHECK: gnn.transform(%[[E]]) : (!gnn.edge<2x2xf32>) -> !gnn.edge<2x2xf32> {
// CHECK-NEXT: ^bb0(%{{.*}}: vector<2x2xf32>):
// CHECK: gnn.transform() : () -> !gnn.vertex<1xf32> {
// CHECK-NEXT: arith.constant dense<1.000000e+00> : vector<1xf32>
// GENERIC-LABEL: sym_name = "transform"
// GENERIC: "gnn.transform"(%{{.*}}, %{{.*}}) ({
// GENERIC-NEXT: ^bb0(%{{.*}}: vector<4xf32>, %{{.*}}: tensor<4xf32>):
// GENERIC: "gnn.yield"(%{{.*}}) : (vector<4xf32>) -> ()
// GENERIC-NEXT: }) : (!gnn.vertex<4xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32>
func.func @transform(%x: !gnn.vertex<4xf32>, %b: tensor<4xf32>, %e: !gnn.edge<2x2xf32>) {
  %0 = gnn.transform (%x, %b) : (!gnn.vertex<4xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%row: vector<4xf32>, %bias: tensor<4xf32>):
    %c = arith.constant 2.0 : f32
    %s = gnn.add %row, %bias : vector<4xf32>, tensor<4xf32> -> vector<4xf32>
    %t = gnn.mul %s, %c : vector<4xf32>, f32 -> vector<4xf32>
    gnn.yield %t : vector<4xf32>
  }
  %1 = gnn.transform (%e) : (!gnn.edge<2x2xf32>) -> !gnn.edge<2x2xf32> {
  ^bb0(%row: vector<2x2xf32>):
    %t = gnn.tanh %row : vector<2x2xf32>
    gnn.yield %t : vector<2x2xf32>
  }
  %2 = gnn.transform () : () -> !gnn.vertex<1xf32> {
    %one = arith.constant dense<1.0> : vector<1xf32>
    gnn.yield %one : vector<1xf32>
  }
  return
}

//===----------------------------------------------------------------------===//
// Message passing
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @message_passing
// CHECK-SAME: (%[[G:.*]]: !gnn.graph<one_per_vertex>, %[[X:.*]]: !gnn.vertex<4xf32>, %[[N:.*]]: !gnn.vertex<1xf32>, %[[W:.*]]: tensor<4xf32>)
// CHECK: gnn.message_passing %[[G]](%[[X]], %[[N]], %[[W]]) aggr = add : <one_per_vertex>, (!gnn.vertex<4xf32>, !gnn.vertex<1xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32> {
// CHECK-NEXT: ^bb0(%[[A:.*]]: !gnn.vertex<4xf32>, %[[NA:.*]]: !gnn.vertex<1xf32>, %[[WA:.*]]: tensor<4xf32>):
// CHECK-NEXT: %[[XJ:.*]] = gnn.get_vertex %[[A]] source : <4xf32> -> vector<4xf32>
// CHECK-NEXT: %[[NI:.*]] = gnn.get_vertex %[[NA]] target : <1xf32> -> vector<1xf32>
// CHECK-NEXT: %[[M:.*]] = gnn.mul %[[NI]], %[[XJ]] : vector<1xf32>, vector<4xf32> -> vector<4xf32>
// CHECK-NEXT: %[[MW:.*]] = gnn.mul %[[M]], %[[WA]] : vector<4xf32>, tensor<4xf32> -> vector<4xf32>
// CHECK-NEXT: gnn.yield %[[MW]] : vector<4xf32>
// CHECK: aggr = mean : <one_per_vertex>
// CHECK: aggr = max : <one_per_vertex>
// CHECK: aggr = min : <one_per_vertex>
// GENERIC-LABEL: sym_name = "message_passing"
// GENERIC: "gnn.message_passing"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) <{aggr = #gnn<aggr add>}>
// GENERIC: "gnn.get_vertex"(%{{.*}}) <{side = #gnn<side source>}> : (!gnn.vertex<4xf32>) -> vector<4xf32>
// GENERIC: "gnn.get_vertex"(%{{.*}}) <{side = #gnn<side target>}> : (!gnn.vertex<1xf32>) -> vector<1xf32>
// GENERIC: <{aggr = #gnn<aggr mean>}>
// GENERIC: <{aggr = #gnn<aggr max>}>
// GENERIC: <{aggr = #gnn<aggr min>}>
func.func @message_passing(%g: !gnn.graph<one_per_vertex>, %x: !gnn.vertex<4xf32>,
                           %n: !gnn.vertex<1xf32>, %w: tensor<4xf32>) {
  %0 = gnn.message_passing %g (%x, %n, %w) aggr = add : !gnn.graph<one_per_vertex>, (!gnn.vertex<4xf32>, !gnn.vertex<1xf32>, tensor<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>, %na: !gnn.vertex<1xf32>, %wa: tensor<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    %ni = gnn.get_vertex %na target : !gnn.vertex<1xf32> -> vector<1xf32>
    %m = gnn.mul %ni, %xj : vector<1xf32>, vector<4xf32> -> vector<4xf32>
    %mw = gnn.mul %m, %wa : vector<4xf32>, tensor<4xf32> -> vector<4xf32>
    gnn.yield %mw : vector<4xf32>
  }
  %1 = gnn.message_passing %g (%x) aggr = mean : !gnn.graph<one_per_vertex>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  %2 = gnn.message_passing %g (%x) aggr = max : !gnn.graph<one_per_vertex>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  }
  %3 = gnn.message_passing %g (%x) aggr = min : !gnn.graph<one_per_vertex>, (!gnn.vertex<4xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>):
    %xi = gnn.get_vertex %a target : !gnn.vertex<4xf32> -> vector<4xf32>
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    %d = gnn.sub %xj, %xi : vector<4xf32>, vector<4xf32> -> vector<4xf32>
    gnn.yield %d : vector<4xf32>
  }
  return
}

// The update region: PyG's update(), once per target after aggregation.
// CHECK-LABEL: func.func @message_passing_update
// CHECK: gnn.message_passing %{{.*}}(%{{.*}}, %{{.*}}) aggr = add : <as_given>, (!gnn.vertex<4xf32>, tensor<2xf32>) -> !gnn.vertex<2xf32> {
// CHECK: gnn.yield %{{.*}} : vector<4xf32>
// CHECK-NEXT: } update {
// CHECK-NEXT: ^bb0(%[[UA:.*]]: !gnn.vertex<4xf32>, %[[UB:.*]]: tensor<2xf32>, %[[R:.*]]: vector<4xf32>):
// CHECK-NEXT: %[[XI:.*]] = gnn.get_vertex %[[UA]] target : <4xf32> -> vector<4xf32>
// CHECK-NEXT: %[[S:.*]] = gnn.add %[[R]], %[[XI]]
// CHECK-NEXT: gnn.reshape
// CHECK-NEXT: gnn.reduce sum
// CHECK: gnn.yield
// GENERIC-LABEL: sym_name = "message_passing_update"
// GENERIC: "gnn.message_passing"
// GENERIC: "gnn.yield"(%{{.*}}) : (vector<4xf32>) -> ()
// GENERIC-NEXT: }, {
// GENERIC-NEXT: ^bb0(%{{.*}}: !gnn.vertex<4xf32>, %{{.*}}: tensor<2xf32>, %{{.*}}: vector<4xf32>):
func.func @message_passing_update(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %b: tensor<2xf32>) -> !gnn.vertex<2xf32> {
  %0 = gnn.message_passing %g (%x, %b) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<4xf32>, tensor<2xf32>) -> !gnn.vertex<2xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>, %ba: tensor<2xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    gnn.yield %xj : vector<4xf32>
  } update {
  ^bb0(%a: !gnn.vertex<4xf32>, %ba: tensor<2xf32>, %r: vector<4xf32>):
    %xi = gnn.get_vertex %a target : !gnn.vertex<4xf32> -> vector<4xf32>
    %s = gnn.add %r, %xi : vector<4xf32>, vector<4xf32> -> vector<4xf32>
    %s2 = gnn.reshape %s : vector<4xf32> -> vector<2x2xf32>
    %h = gnn.reduce sum %s2 dim = 1 : vector<2x2xf32> -> vector<2xf32>
    %y = gnn.add %h, %ba : vector<2xf32>, tensor<2xf32> -> vector<2xf32>
    gnn.yield %y : vector<2xf32>
  }
  return %0 : !gnn.vertex<2xf32>
}

// Edge features are read with gnn.get_edge; rows may be multi-dimensional.
// CHECK-LABEL: func.func @message_passing_edges
// CHECK: gnn.message_passing %{{.*}}(%{{.*}}, %{{.*}}) aggr = add : <as_given>, (!gnn.vertex<2x4xf32>, !gnn.edge<1xf32>) -> !gnn.vertex<2x4xf32> {
// CHECK-NEXT: ^bb0(%[[A:.*]]: !gnn.vertex<2x4xf32>, %[[W:.*]]: !gnn.edge<1xf32>):
// CHECK-NEXT: %[[XJ:.*]] = gnn.get_vertex %[[A]] source : <2x4xf32> -> vector<2x4xf32>
// CHECK-NEXT: %[[WE:.*]] = gnn.get_edge %[[W]] : <1xf32> -> vector<1xf32>
// CHECK-NEXT: gnn.mul %[[XJ]], %[[WE]] : vector<2x4xf32>, vector<1xf32> -> vector<2x4xf32>
// GENERIC-LABEL: sym_name = "message_passing_edges"
// GENERIC: "gnn.get_edge"(%{{.*}}) : (!gnn.edge<1xf32>) -> vector<1xf32>
func.func @message_passing_edges(%g: !gnn.graph<as_given>, %x: !gnn.vertex<2x4xf32>,
                                 %w: !gnn.edge<1xf32>) -> !gnn.vertex<2x4xf32> {
  %0 = gnn.message_passing %g (%x, %w) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<2x4xf32>, !gnn.edge<1xf32>) -> !gnn.vertex<2x4xf32> {
  ^bb0(%a: !gnn.vertex<2x4xf32>, %we: !gnn.edge<1xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<2x4xf32> -> vector<2x4xf32>
    %wij = gnn.get_edge %we : !gnn.edge<1xf32> -> vector<1xf32>
    %m = gnn.mul %xj, %wij : vector<2x4xf32>, vector<1xf32> -> vector<2x4xf32>
    gnn.yield %m : vector<2x4xf32>
  }
  return %0 : !gnn.vertex<2x4xf32>
}

// With self loops added, an edge tensor's loop rows come from a vertex
// tensor (PyG's fill_value).
// CHECK-LABEL: func.func @message_passing_edge_loops
// CHECK: %[[WE:.*]] = gnn.get_edge %{{.*}} loop %{{.*}} : <1xf32>, !gnn.vertex<1xf32> -> vector<1xf32>
// GENERIC-LABEL: sym_name = "message_passing_edge_loops"
// GENERIC: "gnn.get_edge"(%{{.*}}, %{{.*}}) : (!gnn.edge<1xf32>, !gnn.vertex<1xf32>) -> vector<1xf32>
func.func @message_passing_edge_loops(%g: !gnn.graph<one_per_vertex>, %x: !gnn.vertex<4xf32>,
                                      %w: !gnn.edge<1xf32>, %l: !gnn.vertex<1xf32>) -> !gnn.vertex<4xf32> {
  %0 = gnn.message_passing %g (%x, %w, %l) aggr = add : !gnn.graph<one_per_vertex>, (!gnn.vertex<4xf32>, !gnn.edge<1xf32>, !gnn.vertex<1xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%a: !gnn.vertex<4xf32>, %we: !gnn.edge<1xf32>, %la: !gnn.vertex<1xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<4xf32> -> vector<4xf32>
    %wij = gnn.get_edge %we loop %la : !gnn.edge<1xf32>, !gnn.vertex<1xf32> -> vector<1xf32>
    %m = gnn.mul %xj, %wij : vector<4xf32>, vector<1xf32> -> vector<4xf32>
    gnn.yield %m : vector<4xf32>
  }
  return %0 : !gnn.vertex<4xf32>
}

// softmax_add yields (value, logits): GAT's x_j as [heads, channels] and its
// per-head logits as [heads, 1].
// CHECK-LABEL: func.func @message_passing_softmax
// CHECK: gnn.message_passing %{{.*}}(%{{.*}}, %{{.*}}) aggr = softmax_add : <one_per_vertex>, (!gnn.vertex<8x8xf32>, !gnn.vertex<8xf32>) -> !gnn.vertex<8x8xf32> {
// CHECK: %[[L:.*]] = gnn.reshape %{{.*}} : vector<8xf32> -> vector<8x1xf32>
// CHECK-NEXT: gnn.yield %{{.*}}, %[[L]] : vector<8x8xf32>, vector<8x1xf32>
// GENERIC-LABEL: sym_name = "message_passing_softmax"
// GENERIC: <{aggr = #gnn<aggr softmax_add>}>
// GENERIC: "gnn.yield"(%{{.*}}, %{{.*}}) : (vector<8x8xf32>, vector<8x1xf32>) -> ()
func.func @message_passing_softmax(%g: !gnn.graph<one_per_vertex>, %x: !gnn.vertex<8x8xf32>,
                                   %a: !gnn.vertex<8xf32>) -> !gnn.vertex<8x8xf32> {
  %0 = gnn.message_passing %g (%x, %a) aggr = softmax_add : !gnn.graph<one_per_vertex>, (!gnn.vertex<8x8xf32>, !gnn.vertex<8xf32>) -> !gnn.vertex<8x8xf32> {
  ^bb0(%xa: !gnn.vertex<8x8xf32>, %aa: !gnn.vertex<8xf32>):
    %xj = gnn.get_vertex %xa source : !gnn.vertex<8x8xf32> -> vector<8x8xf32>
    %aj = gnn.get_vertex %aa source : !gnn.vertex<8xf32> -> vector<8xf32>
    %ai = gnn.get_vertex %aa target : !gnn.vertex<8xf32> -> vector<8xf32>
    %s = gnn.add %aj, %ai : vector<8xf32>, vector<8xf32> -> vector<8xf32>
    %l = gnn.leaky_relu %s {negative_slope = 0.2 : f32} : vector<8xf32>
    %l2 = gnn.reshape %l : vector<8xf32> -> vector<8x1xf32>
    gnn.yield %xj, %l2 : vector<8x8xf32>, vector<8x1xf32>
  }
  return %0 : !gnn.vertex<8x8xf32>
}

//===----------------------------------------------------------------------===//
// Launch
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @kernel(
// CHECK-SAME: %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: !llvm.ptr) attributes {gnn.kernel}
func.func @kernel(%lo: i64, %hi: i64, %args: !llvm.ptr) attributes {gnn.kernel} {
  return
}

// CHECK-LABEL: func.func @launch
// CHECK-SAME: (%[[G:.*]]: !gnn.graph<as_given>, %[[X:.*]]: !gnn.vertex<4xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK: %[[A:.*]] = gnn.launch @kernel(%[[G]], %[[X]], %[[B]]) : <as_given>, !gnn.vertex<4xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
// CHECK: %[[D:.*]] = gnn.launch @kernel(%[[G]]) {edge_balanced} : <as_given> -> !gnn.vertex<1xf32>
// CHECK: gnn.launch @kernel(%[[G]], %[[A]]) {edge_balanced} : <as_given>, !gnn.vertex<4xf32> -> !gnn.edge<4xf32>
// CHECK: gnn.launch @kernel(%[[G]], %[[X]], %[[B]], %[[D]]) gathers [0, 2] {edge_balanced} : <as_given>, !gnn.vertex<4xf32>, tensor<4xf32>, !gnn.vertex<1xf32> -> !gnn.vertex<4xf32>
// CHECK: gnn.launch @kernel(%[[G]], %[[X]], %[[D]]) gathers [0, 1] source_only [1] {edge_balanced} : <as_given>, !gnn.vertex<4xf32>, !gnn.vertex<1xf32> -> !gnn.vertex<4xf32>
// GENERIC-LABEL: sym_name = "launch"
// GENERIC: "gnn.launch"(%{{.*}}, %{{.*}}, %{{.*}}) <{kernel = @kernel}>
// GENERIC: "gnn.launch"(%{{.*}}) <{edge_balanced, kernel = @kernel}>
// GENERIC: "gnn.launch"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) <{edge_balanced, gathers = array<i64: 0, 2>, kernel = @kernel}>
// GENERIC: "gnn.launch"(%{{.*}}, %{{.*}}, %{{.*}}) <{edge_balanced, gathers = array<i64: 0, 1>, kernel = @kernel, source_only = array<i64: 1>}>
func.func @launch(%g: !gnn.graph<as_given>, %x: !gnn.vertex<4xf32>, %b: tensor<4xf32>) {
  %0 = gnn.launch @kernel(%g, %x, %b) : !gnn.graph<as_given>, !gnn.vertex<4xf32>, tensor<4xf32> -> !gnn.vertex<4xf32>
  %1 = gnn.launch @kernel(%g) {edge_balanced} : !gnn.graph<as_given> -> !gnn.vertex<1xf32>
  %2 = gnn.launch @kernel(%g, %0) {edge_balanced} : !gnn.graph<as_given>, !gnn.vertex<4xf32> -> !gnn.edge<4xf32>
  %3 = gnn.launch @kernel(%g, %x, %b, %1) gathers [0, 2] {edge_balanced} : !gnn.graph<as_given>, !gnn.vertex<4xf32>, tensor<4xf32>, !gnn.vertex<1xf32> -> !gnn.vertex<4xf32>
  %4 = gnn.launch @kernel(%g, %x, %1) gathers [0, 1] source_only [1] {edge_balanced} : !gnn.graph<as_given>, !gnn.vertex<4xf32>, !gnn.vertex<1xf32> -> !gnn.vertex<4xf32>
  return
}
