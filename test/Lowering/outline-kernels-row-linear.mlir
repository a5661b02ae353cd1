// RUN: gnn-opt %s --gnn-outline-kernels | FileCheck %s

// A message's per-edge Linear: the kernel reads the weight transposed (a
// view the runtime cuts, columns and transpose merged into one), a row per
// input feature, and accumulates broadcast(r[k]) * row k with FMAs onto the
// bias; the weight is never loaded whole. A matrix-vector product per edge
// makes the kernel compute-bound: 512-bit vectors.
// CHECK-LABEL: func.func @f
// CHECK: %[[T:.*]] = gnn.param_view %arg2 columns = [2, 2] transpose : tensor<3x4xf32> -> tensor<2x3xf32>
// CHECK: gnn.launch @f_kernel0(%arg0, %arg1, %[[T]], %arg3)
// CHECK-LABEL: func.func @f_kernel0
// CHECK-SAME: gnn.vector_width = 512
// CHECK-NOT: vector<2x3xf32>
// CHECK: %[[B:.*]] = llvm.load %{{.*}} : !llvm.ptr -> vector<3xf32>
// CHECK: scf.for
// CHECK: %[[R0:.*]] = vector.extract %[[R:.*]][0] : f32 from vector<2xf32>
// CHECK: %[[S0:.*]] = vector.broadcast %[[R0]] : f32 to vector<3xf32>
// CHECK: %[[W0:.*]] = llvm.load %{{.*}} : !llvm.ptr -> vector<3xf32>
// CHECK: %[[Y0:.*]] = vector.fma %[[S0]], %[[W0]], %[[B]] : vector<3xf32>
// CHECK: %[[R1:.*]] = vector.extract %[[R]][1] : f32 from vector<2xf32>
// CHECK: %[[S1:.*]] = vector.broadcast %[[R1]] : f32 to vector<3xf32>
// CHECK: %[[W1:.*]] = llvm.load %{{.*}} : !llvm.ptr -> vector<3xf32>
// CHECK: vector.fma %[[S1]], %[[W1]], %[[Y0]] : vector<3xf32>
// CHECK-NOT: vector.fma
// CHECK: arith.maximumf
func.func @f(%g: !gnn.graph<as_given>, %x: !gnn.vertex<2xf32>, %w: tensor<3x4xf32> {gnn.param = "w"}, %b: tensor<3xf32> {gnn.param = "b"}) -> !gnn.vertex<3xf32> {
  %v = gnn.param_view %w columns = [2, 2] : tensor<3x4xf32> -> tensor<3x2xf32>
  %m = gnn.message_passing %g (%x, %v, %b) aggr = max : !gnn.graph<as_given>, (!gnn.vertex<2xf32>, tensor<3x2xf32>, tensor<3xf32>) -> !gnn.vertex<3xf32> {
  ^bb0(%a: !gnn.vertex<2xf32>, %wa: tensor<3x2xf32>, %ba: tensor<3xf32>):
    %xj = gnn.get_vertex %a source : !gnn.vertex<2xf32> -> vector<2xf32>
    %r = gnn.relu %xj : vector<2xf32>
    %y = gnn.row_linear %r, %wa, %ba : vector<2xf32>, tensor<3x2xf32>, tensor<3xf32> -> vector<3xf32>
    gnn.yield %y : vector<3xf32>
  }
  return %m : !gnn.vertex<3xf32>
}
