// RUN: gnn-opt %s --gnn-outline-kernels | FileCheck %s
// RUN: gnn-opt %s --gnn-outline-kernels="vector-width=512" | FileCheck %s --check-prefix=WIDE
// RUN: gnn-opt %s --gnn-outline-kernels="vector-width=256" | FileCheck %s --check-prefix=NARROW
// RUN: not gnn-opt %s --gnn-outline-kernels="vector-width=128" 2>&1 | FileCheck %s --check-prefix=BAD

// Each kernel carries the vector width it is compiled for on AVX-512
// hosts: 512 bits for compute-bound kernels (an online softmax, a
// transcendental function, a reduction within rows, a max or min
// aggregation, whose IEEE maximum is several instructions per vector),
// 256 for those that stream rows (degrees, plain transforms, sum and mean
// gathers). The option forces one width on every kernel.
// CHECK-LABEL: func.func @layer_kernel0(
// CHECK-SAME: attributes {gnn.kernel, gnn.vector_width = 256 : i64}
// CHECK-LABEL: func.func @layer_kernel1(
// CHECK-SAME: attributes {gnn.kernel, gnn.vector_width = 256 : i64}
// CHECK-LABEL: func.func @layer_kernel2(
// CHECK-SAME: attributes {gnn.kernel, gnn.vector_width = 512 : i64}
// CHECK-LABEL: func.func @layer_kernel3(
// CHECK-SAME: attributes {gnn.kernel, gnn.vector_width = 256 : i64}
// CHECK-LABEL: func.func @layer_kernel4(
// CHECK-SAME: attributes {gnn.kernel, gnn.vector_width = 512 : i64}
// CHECK-LABEL: func.func @layer_kernel5(
// CHECK-SAME: attributes {gnn.kernel, gnn.vector_width = 512 : i64}
// CHECK-LABEL: func.func @layer_kernel6(
// CHECK-SAME: attributes {gnn.kernel, gnn.vector_width = 512 : i64}

// WIDE-COUNT-7: attributes {gnn.kernel, gnn.vector_width = 512 : i64}
// WIDE-NOT: gnn.vector_width = 256
// NARROW-COUNT-7: attributes {gnn.kernel, gnn.vector_width = 256 : i64}
// NARROW-NOT: gnn.vector_width = 512
// BAD: error: gnn-outline-kernels: vector-width must be 0, 256 or 512, not 128
func.func @layer(%g: !gnn.graph<as_given>, %x: !gnn.vertex<2x8xf32>, %a: !gnn.vertex<2xf32>) -> (!gnn.vertex<1xf32>, !gnn.vertex<2x8xf32>, !gnn.vertex<2xf32>, !gnn.vertex<2x8xf32>, !gnn.vertex<2x8xf32>, !gnn.vertex<2x8xf32>, !gnn.vertex<2x8xf32>) {
  %d = gnn.degree %g : !gnn.graph<as_given> -> !gnn.vertex<1xf32>
  %t = gnn.transform (%x) : (!gnn.vertex<2x8xf32>) -> !gnn.vertex<2x8xf32> {
  ^bb0(%xv: vector<2x8xf32>):
    %r = gnn.add %xv, %xv : vector<2x8xf32>, vector<2x8xf32> -> vector<2x8xf32>
    %y = gnn.relu %r : vector<2x8xf32>
    gnn.yield %y : vector<2x8xf32>
  }
  %dot = gnn.transform (%x) : (!gnn.vertex<2x8xf32>) -> !gnn.vertex<2xf32> {
  ^bb0(%xv: vector<2x8xf32>):
    %r = gnn.reduce sum %xv dim = 1 : vector<2x8xf32> -> vector<2xf32>
    gnn.yield %r : vector<2xf32>
  }
  %sum = gnn.message_passing %g (%x) aggr = add : !gnn.graph<as_given>, (!gnn.vertex<2x8xf32>) -> !gnn.vertex<2x8xf32> {
  ^bb0(%xa: !gnn.vertex<2x8xf32>):
    %xj = gnn.get_vertex %xa source : !gnn.vertex<2x8xf32> -> vector<2x8xf32>
    gnn.yield %xj : vector<2x8xf32>
  }
  %gated = gnn.message_passing %g (%x) aggr = mean : !gnn.graph<as_given>, (!gnn.vertex<2x8xf32>) -> !gnn.vertex<2x8xf32> {
  ^bb0(%xa: !gnn.vertex<2x8xf32>):
    %xj = gnn.get_vertex %xa source : !gnn.vertex<2x8xf32> -> vector<2x8xf32>
    %s = gnn.sigmoid %xj : vector<2x8xf32>
    %m = gnn.mul %s, %xj : vector<2x8xf32>, vector<2x8xf32> -> vector<2x8xf32>
    gnn.yield %m : vector<2x8xf32>
  }
  %att = gnn.message_passing %g (%x, %a) aggr = softmax_add : !gnn.graph<as_given>, (!gnn.vertex<2x8xf32>, !gnn.vertex<2xf32>) -> !gnn.vertex<2x8xf32> {
  ^bb0(%xa: !gnn.vertex<2x8xf32>, %aa: !gnn.vertex<2xf32>):
    %xj = gnn.get_vertex %xa source : !gnn.vertex<2x8xf32> -> vector<2x8xf32>
    %aj = gnn.get_vertex %aa source : !gnn.vertex<2xf32> -> vector<2xf32>
    %l = gnn.reshape %aj : vector<2xf32> -> vector<2x1xf32>
    gnn.yield %xj, %l : vector<2x8xf32>, vector<2x1xf32>
  }
  %max = gnn.message_passing %g (%x) aggr = max : !gnn.graph<as_given>, (!gnn.vertex<2x8xf32>) -> !gnn.vertex<2x8xf32> {
  ^bb0(%xa: !gnn.vertex<2x8xf32>):
    %xj = gnn.get_vertex %xa source : !gnn.vertex<2x8xf32> -> vector<2x8xf32>
    gnn.yield %xj : vector<2x8xf32>
  }
  return %d, %t, %dot, %sum, %gated, %att, %max : !gnn.vertex<1xf32>, !gnn.vertex<2x8xf32>, !gnn.vertex<2xf32>, !gnn.vertex<2x8xf32>, !gnn.vertex<2x8xf32>, !gnn.vertex<2x8xf32>, !gnn.vertex<2x8xf32>
}
