// gnn.slice round-trips (custom and generic form), on rows of one and two
// dimensions and inside a gnn.transform.
// RUN: gnn-opt %s | gnn-opt | FileCheck %s
// RUN: gnn-opt %s --mlir-print-op-generic | gnn-opt | FileCheck %s

// CHECK-LABEL: func.func @rows
// CHECK: gnn.slice %arg0 offsets = [1] strides = [2] : vector<8xf32> -> vector<3xf32>
// CHECK: gnn.slice %arg1 offsets = [1, 0] strides = [1, 3] : vector<2x4xf32> -> vector<1x2xf32>
func.func @rows(%a: vector<8xf32>, %b: vector<2x4xf32>) -> (vector<3xf32>, vector<1x2xf32>) {
  %0 = gnn.slice %a offsets = [1] strides = [2] : vector<8xf32> -> vector<3xf32>
  %1 = gnn.slice %b offsets = [1, 0] strides = [1, 3] : vector<2x4xf32> -> vector<1x2xf32>
  return %0, %1 : vector<3xf32>, vector<1x2xf32>
}

// CHECK-LABEL: func.func @in_transform
// CHECK: gnn.transform
// CHECK: gnn.slice %{{.*}} offsets = [4] strides = [1] : vector<8xf32> -> vector<4xf32>
func.func @in_transform(%x: !gnn.vertex<8xf32>) -> !gnn.vertex<4xf32> {
  %0 = gnn.transform (%x) : (!gnn.vertex<8xf32>) -> !gnn.vertex<4xf32> {
  ^bb0(%r: vector<8xf32>):
    %s = gnn.slice %r offsets = [4] strides = [1] : vector<8xf32> -> vector<4xf32>
    gnn.yield %s : vector<4xf32>
  }
  return %0 : !gnn.vertex<4xf32>
}
